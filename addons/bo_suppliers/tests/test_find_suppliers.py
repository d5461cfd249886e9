from odoo import Command
from odoo.addons.bo_base.models import bo_guard
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import BoSuppliersCommon


class BoOfferCommon(BoSuppliersCommon):
    """Three suppliers of the same sheet metal, in Italy, Germany and France,
    with their price lists, lead times and evaluations."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("it_IT")
        cls.env["ir.module.module"]._load_module_terms(["purchase"], ["it_IT"])
        cls.category = cls.env["product.category"].create({"name": "Lamiere"})
        cls.product.categ_id = cls.category
        cls.supplier_it = cls._supplier(
            "Metalli Lombardi S.r.l.", "base.it", lang="it_IT", evaluation=("a", 90.0)
        )
        cls.supplier_de = cls._supplier("Stahlwerk Köln GmbH", "base.de", evaluation=("b", 70.0))
        cls.supplier_fr = cls._supplier("Aciers de Lyon SA", "base.fr")
        cls._price_list(cls.supplier_it, price=10.0, delay=5)
        cls._price_list(cls.supplier_de, price=8.0, delay=10)
        cls._price_list(cls.supplier_fr, price=12.0, delay=3)
        cls.company.write(
            {
                "bo_offer_weight_price": 60.0,
                "bo_offer_weight_lead_time": 20.0,
                "bo_offer_weight_evaluation": 20.0,
            }
        )

    @classmethod
    def _supplier(cls, name, country_xmlid, lang="en_US", evaluation=None):
        partner = cls.env["res.partner"].create(
            {
                "name": name,
                "is_company": True,
                "country_id": cls.env.ref(country_xmlid).id,
                "email": f"{name.split()[0].lower()}@example.com",
                "lang": lang,
                "supplier_rank": 1,
            }
        )
        if evaluation:
            bo_guard.grant(partner.sudo(), "bo_evaluation_class", "bo_evaluation_score").write(
                {"bo_evaluation_class": evaluation[0], "bo_evaluation_score": evaluation[1]}
            )
        return partner

    @classmethod
    def _price_list(cls, partner, price, delay, product=None):
        product = product or cls.product
        return cls.env["product.supplierinfo"].create(
            {
                "partner_id": partner.id,
                "product_tmpl_id": product.product_tmpl_id.id,
                "price": price,
                "delay": delay,
            }
        )

    def _finder(self, user=None, products=None, **criteria):
        """The Find Suppliers wizard filled in as a buyer would."""
        form = Form(self.env["bo.find.suppliers"].with_user(user or self.clerk))
        if criteria.get("search_by"):
            form.search_by = criteria.pop("search_by")
        for product, qty in products if products is not None else [(self.product, 10)]:
            with form.need_line_ids.new() as need:
                need.product_id = product
                need.product_qty = qty
        for fname, value in criteria.items():
            setattr(form, fname, value)
        return form

    def _request(self, suppliers, user=None, **criteria):
        form = self._finder(user=user, **criteria)
        wizard = form.save()
        for result in wizard.result_ids:
            result.selected = result.partner_id in suppliers
        action = wizard.action_request_quotations()
        return self.env["purchase.order"].search(action["domain"])


@tagged("post_install", "-at_install")
class TestFindSuppliers(BoOfferCommon):
    def test_suppliers_of_a_product_ranked_by_weighted_score(self):
        # price 60 %: Germany cheapest (80 vs 100 vs 120); lead time 20 %: France
        # fastest; evaluation 20 %: Italy class A
        wizard = self._finder().save()
        self.assertEqual(
            wizard.result_ids.partner_id,
            self.supplier_de | self.supplier_it | self.supplier_fr,
        )
        self.assertEqual(
            wizard.result_ids.sorted("rank").partner_id.ids,
            [self.supplier_de.id, self.supplier_it.id, self.supplier_fr.id],
        )
        first = wizard.result_ids.sorted("rank")[0]
        self.assertEqual(first.lead_time, 10)
        self.assertAlmostEqual(first.price_estimate, 80.0)
        self.assertEqual(first.evaluation_class, "b")

    def test_ranking_follows_the_weights_of_the_settings(self):
        self.company.write(
            {
                "bo_offer_weight_price": 0.0,
                "bo_offer_weight_lead_time": 100.0,
                "bo_offer_weight_evaluation": 0.0,
            }
        )
        wizard = self._finder().save()
        self.assertEqual(
            wizard.result_ids.sorted("rank").partner_id.ids,
            [self.supplier_fr.id, self.supplier_it.id, self.supplier_de.id],
        )

    def test_filters_by_country_class_and_lead_time(self):
        form = self._finder(country_ids=self.env.ref("base.it"))
        self.assertEqual(form.save().result_ids.partner_id, self.supplier_it)
        form = self._finder(class_none=False, class_b=False)
        self.assertEqual(form.save().result_ids.partner_id, self.supplier_it)
        form = self._finder(max_lead_time=5)
        self.assertEqual(form.save().result_ids.partner_id, self.supplier_it | self.supplier_fr)

    def test_filter_by_last_price_paid_uses_confirmed_orders_only(self):
        order = self._new_purchase_order(self.supplier_de, [(self.product, 5, 9.0)])
        order.button_confirm()
        self._new_purchase_order(self.supplier_it, [(self.product, 5, 7.0)])  # never confirmed
        wizard = self._finder(max_last_price=9.5).save()
        self.assertEqual(wizard.result_ids.partner_id, self.supplier_de)
        self.assertAlmostEqual(wizard.result_ids.last_price, 9.0)
        self.assertTrue(wizard.result_ids.last_date)
        self.assertFalse(self._finder(max_last_price=8.5).save().result_ids)

    def test_suspended_and_blocked_suppliers_left_out_unless_asked(self):
        self.supplier_fr._bo_set_qualification("blocked", "Fake certificate")
        self.assertNotIn(self.supplier_fr, self._finder().save().result_ids.partner_id)
        qualified = self._finder(qualification_filter="qualified").save()
        self.assertFalse(qualified.result_ids)
        listed = self._finder(qualification_filter="all").save()
        self.assertIn(self.supplier_fr, listed.result_ids.partner_id)

    def test_search_by_category_finds_price_lists_and_declared_categories(self):
        declared = self._supplier("Lamiere Venete S.p.A.", "base.it")
        declared.bo_supplied_category_ids = [Command.link(self.category.id)]
        form = self._finder(products=[], search_by="category", category_id=self.category)
        wizard = form.save()
        self.assertEqual(
            wizard.result_ids.partner_id,
            self.supplier_it | self.supplier_de | self.supplier_fr | declared,
        )
        with self.assertRaisesRegex(UserError, "products and quantities"):
            wizard.result_ids[:1].selected = True
            wizard.action_request_quotations()

    def test_request_quotations_one_rfq_per_supplier_grouped_and_sent_in_their_language(self):
        orders = self._request(self.supplier_it | self.supplier_de)
        self.assertEqual(orders.partner_id, self.supplier_it | self.supplier_de)
        self.assertEqual(set(orders.mapped("state")), {"sent"})
        for order in orders:
            self.assertEqual(len(order.order_line), 1)
            self.assertEqual(order.order_line.product_id, self.product)
            self.assertEqual(order.order_line.product_qty, 10)
        # the supplier's own price list priced each request
        order_it = orders.filtered(lambda o: o.partner_id == self.supplier_it)
        order_de = orders - order_it
        self.assertEqual(order_it.order_line.price_unit, 10.0)
        self.assertEqual(order_de.order_line.price_unit, 8.0)
        # alternatives of one another
        self.assertTrue(order_it.purchase_group_id)
        self.assertEqual(order_it.purchase_group_id, order_de.purchase_group_id)
        self.assertEqual(order_it.alternative_po_ids, orders)
        sent_it = order_it.message_ids.filtered(lambda m: m.message_type == "comment")
        sent_de = order_de.message_ids.filtered(lambda m: m.message_type == "comment")
        self.assertIn("Gentile", sent_it.body)
        self.assertIn("rif.", sent_it.subject)
        self.assertIn(self.supplier_it, sent_it.partner_ids)
        self.assertIn("Dear", sent_de.body)
        self.assertIn("Ref", sent_de.subject)
        mails = self.env["mail.mail"].search([("mail_message_id", "in", (sent_it | sent_de).ids)])
        self.assertEqual(len(mails), 2, "each request goes out by email")

    def test_request_to_blocked_supplier_refused_creating_nothing(self):
        self.supplier_fr._bo_set_qualification("blocked", "Fake certificate")
        before = self.env["purchase.order"].search_count([])
        with self.assertRaisesRegex(UserError, "Aciers de Lyon.*Blocked"):
            self._request(self.supplier_it | self.supplier_fr, qualification_filter="all")
        self.assertEqual(self.env["purchase.order"].search_count([]), before)

    def test_request_to_supplier_without_email_refused(self):
        self.supplier_de.email = False
        with self.assertRaisesRegex(UserError, "no email address"):
            self._request(self.supplier_de)

    def test_nothing_selected_refused(self):
        with self.assertRaisesRegex(UserError, "Select the suppliers"):
            self._request(self.env["res.partner"])

    def test_last_prices_read_in_one_query_whatever_the_history(self):
        suppliers = self.supplier_de | self.supplier_it | self.supplier_fr
        for index in range(2):
            for supplier in suppliers:
                self._new_purchase_order(
                    supplier, [(self.product, 1, 9.0 + index)]
                ).button_confirm()
        wizard = self._finder().save()
        self.assertEqual(set(wizard.result_ids.mapped("last_price")), {10.0})
        wizard._bo_last_prices(self.product, suppliers)  # warm the caches of rights
        self.env.invalidate_all()
        with self.assertQueryCount(5):
            wizard._bo_last_prices(self.product, self.supplier_de)
        self.env.invalidate_all()
        with self.assertQueryCount(5):
            wizard._bo_last_prices(self.product, suppliers)

    def test_access_users_without_purchase_rights(self):
        with self.assertRaises(AccessError):
            self.env["bo.find.suppliers"].with_user(self.internal_user).create({})
        with self.assertRaises(AccessError):
            self.env["bo.find.suppliers"].with_user(self.portal_user).create({})
        bo_only = self._bo_user("bo_sup_only", "Olivia Office", "bo_base.group_bo_user")
        wizard = self._finder(user=bo_only).save()
        self.assertEqual(len(wizard.result_ids), 3, "the search works, without prices paid")
        wizard.result_ids[:1].selected = True
        with self.assertRaisesRegex(AccessError, "purchase users"):
            wizard.action_request_quotations()

    def test_opened_from_products_they_are_the_need(self):
        other = self.env["product.product"].create({"name": "Tondino 8 mm"})
        products = (self.product | other).product_tmpl_id
        form = Form(
            self.env["bo.find.suppliers"]
            .with_user(self.clerk)
            .with_context(active_model="product.template", active_ids=products.ids)
        )
        wizard = form.save()
        self.assertEqual(wizard.need_line_ids.product_id, self.product | other)
        # nobody has a price list for both: the cost is unknown for all
        self.assertFalse(any(wizard.result_ids.mapped("price_estimate")))

    def test_request_to_class_c_supplier_refused_when_the_company_blocks_them(self):
        bo_guard.grant(self.supplier_fr.sudo(), "bo_evaluation_class", "bo_evaluation_score").write(
            {"bo_evaluation_class": "c", "bo_evaluation_score": 40.0}
        )
        self.company.bo_evaluation_class_c_policy = "block"
        before = self.env["purchase.order"].search_count([])
        with self.assertRaisesRegex(UserError, "class C"):
            self._request(self.supplier_it | self.supplier_fr)
        self.assertEqual(self.env["purchase.order"].search_count([]), before)

    def test_attack_search_for_another_company_refused(self):
        with self.assertRaises(AccessError):
            self.env["bo.find.suppliers"].with_user(self.clerk).create(
                {"company_id": self.other_company.id}
            )

    def test_menu_for_purchase_users(self):
        menu = self.env.ref("bo_suppliers.menu_bo_find_suppliers")
        visible = self.env["ir.ui.menu"].with_user(self.purchase_user)._visible_menu_ids()
        self.assertIn(menu.id, visible)
        visible = self.env["ir.ui.menu"].with_user(self.internal_user)._visible_menu_ids()
        self.assertNotIn(menu.id, visible)
