from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged
from odoo.tools.safe_eval import safe_eval

from .test_find_suppliers import BoOfferCommon


@tagged("post_install", "-at_install")
class TestOfferComparison(BoOfferCommon):
    """The three suppliers asked for 10 sheets: Germany 80 in 10 days (class B),
    Italy 100 in 5 days (class A), France 120 in 3 days (never evaluated)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.term_30 = cls.env.ref("account.account_payment_term_30days")
        cls.supplier_de.property_supplier_payment_term_id = cls.term_30

    def setUp(self):
        super().setUp()
        self.orders = self._request(self.supplier_it | self.supplier_de | self.supplier_fr)
        self.group = self.orders.purchase_group_id
        self.order_it, self.order_de, self.order_fr = (
            self.orders.filtered(lambda o, p=partner: o.partner_id == p)
            for partner in (self.supplier_it, self.supplier_de, self.supplier_fr)
        )

    def _choose(self, order, reason="Best price and acceptable delivery", user=None):
        form = Form(
            self.env["bo.offer.choose"]
            .with_user(user or self.clerk)
            .with_context(default_order_id=order.id)
        )
        form.reason = reason
        return form.save().action_choose()

    def test_best_weighted_offer_proposed_and_follows_the_weights(self):
        self.assertEqual(len(self.group), 1)
        self.assertEqual(self.group.bo_offer_count, 3)
        self.assertEqual(self.group.bo_proposed_order_id, self.order_de)
        scores = self.group._bo_offer_scores()
        self.assertEqual(scores[self.order_de]["price"], 100.0)
        self.assertEqual(scores[self.order_it]["price"], 80.0)
        self.assertEqual(scores[self.order_fr]["lead_time"], 100.0)
        self.assertEqual(scores[self.order_fr]["evaluation"], 50.0, "never evaluated: neutral")
        self.company.bo_offer_weight_price = 0.0
        self.company.bo_offer_weight_evaluation = 0.0
        self.group.invalidate_recordset()
        self.assertEqual(self.group.bo_proposed_order_id, self.order_fr)
        self.company.bo_offer_weight_lead_time = 0.0
        self.group.invalidate_recordset()
        self.assertEqual(
            self.group.bo_proposed_order_id, self.order_de, "all weights 0: the price decides"
        )

    def test_compare_offers_from_a_request_lists_every_line_with_terms_class_and_score(self):
        action = self.env.ref("bo_suppliers.action_bo_offer_comparison_lines")
        domain = safe_eval(action.domain, {"active_id": self.order_it.id})
        lines = self.env["purchase.order.line"].with_user(self.clerk).search(domain)
        self.assertEqual(lines.order_id, self.orders)
        line_de = lines.filtered(lambda line: line.order_id == self.order_de)
        self.assertTrue(line_de.bo_offer_proposed)
        self.assertEqual(line_de.bo_payment_term_id, self.term_30)
        self.assertEqual(line_de.bo_supplier_class, "b")
        self.assertEqual(line_de.bo_lead_days, 10)
        self.assertFalse((lines - line_de).filtered("bo_offer_proposed"))
        self.assertGreater(line_de.bo_offer_score, max((lines - line_de).mapped("bo_offer_score")))
        from_group = self.group.with_user(self.clerk).action_bo_compare_lines()
        self.assertEqual(self.env["purchase.order.line"].search(from_group["domain"]), lines)

    def test_choose_confirms_the_offer_and_cancels_the_others_with_the_reason(self):
        self._choose(self.order_it, reason="Class A supplier, delivery in time")
        self.assertEqual(self.order_it.state, "purchase")
        self.assertEqual((self.order_de | self.order_fr).mapped("state"), ["cancel", "cancel"])
        for order in self.orders:
            self.assertIn(
                "Class A supplier, delivery in time",
                order.message_ids[:1].body,
                f"the reason is kept in {order.name}'s chatter",
            )
        self.assertIn(self.order_it.name, self.order_de.message_ids[:1].body)
        self.group.invalidate_recordset()
        self.assertEqual(self.group.bo_chosen_order_id, self.order_it)
        self.assertFalse(self.group.bo_proposed_order_id)

    def test_choose_refused_for_an_offer_already_confirmed_or_cancelled(self):
        self._choose(self.order_de)
        with self.assertRaisesRegex(UserError, "already"):
            self._choose(self.order_de)
        with self.assertRaisesRegex(UserError, "already"):
            self._choose(self.order_it)

    def test_reason_required(self):
        with self.assertRaisesRegex(UserError, "reason"):
            self._choose(self.order_de, reason="   ")
        self.assertEqual(self.order_de.state, "sent")

    def test_choosing_blocked_supplier_refused_and_others_stay_open(self):
        self.supplier_fr._bo_set_qualification("blocked", "Fake certificate")
        with self.assertRaisesRegex(UserError, "Aciers de Lyon"):
            self._choose(self.order_fr)
        self.assertEqual(set(self.orders.mapped("state")), {"sent"})

    def test_only_purchase_users_choose(self):
        bo_only = self._bo_user("bo_sup_only_choose", "Olivia Office", "bo_base.group_bo_user")
        for user in (bo_only, self.accountant, self.internal_user):
            with self.assertRaises(AccessError):
                self._choose(self.order_de, user=user)
        self.assertEqual(set(self.orders.mapped("state")), {"sent"})

    def test_report_shows_each_supplier_with_prices_and_the_proposal(self):
        html = (
            self.env["ir.actions.report"]
            .with_user(self.clerk)
            ._render_qweb_html("bo_suppliers.report_bo_offer_comparison", self.group.ids)[0]
            .decode()
        )
        for supplier in (self.supplier_it, self.supplier_de, self.supplier_fr):
            self.assertIn(supplier.name, html)
        for amount in ("80.00", "100.00", "120.00"):
            self.assertIn(amount, html)
        self.assertIn("Proposed", html)
        self.assertIn(self.term_30.name, html)
        self.assertIn("Proposed", self.group.bo_comparison_html)

    def test_accountant_and_vendor_read_lines_with_comparison_fields(self):
        line = self.order_de.order_line
        values = line.with_user(self.accountant).read(
            ["bo_offer_score", "bo_offer_proposed", "bo_supplier_class", "bo_lead_days"]
        )[0]
        self.assertTrue(values["bo_offer_proposed"])
        self.assertEqual(values["bo_supplier_class"], "b")

    def test_vendor_on_the_portal_never_learns_how_its_offer_ranks(self):
        vendor = self.portal_user.partner_id
        order = self._new_purchase_order(vendor, user=self.purchase_user)
        self.env["purchase.requisition.create.alternative"].with_user(self.purchase_user).create(
            {"origin_po_id": order.id, "partner_ids": [(6, 0, self.supplier_fr.ids)]}
        ).action_create_alternative()
        order.message_subscribe([vendor.id])
        self.assertTrue(order.purchase_group_id)
        self.env.invalidate_all()
        line = order.order_line.with_user(self.portal_user)
        self.assertEqual(line.read(["product_qty"])[0]["product_qty"], 10)
        readable = line.fields_get()
        for fname in ("bo_offer_score", "bo_offer_proposed", "bo_supplier_class"):
            self.assertNotIn(fname, readable)
            with self.assertRaises(AccessError):
                line.read([fname])
        with self.assertRaises(AccessError):
            order.with_user(self.portal_user).read(["bo_supplier_class"])
        with self.assertRaises(AccessError):
            vendor.with_user(self.portal_user).read(["bo_evaluation_class"])

    def test_other_company_does_not_see_the_comparison(self):
        groups = self.env["purchase.order.group"].with_user(self.other_clerk).search([])
        self.assertNotIn(self.group, groups)
        self.assertEqual(self.group.company_id, self.company)

    def test_stock_alternatives_keep_working_for_purchase_users(self):
        order = self._new_purchase_order(self.supplier_it, user=self.purchase_user)
        wizard = (
            self.env["purchase.requisition.create.alternative"]
            .with_user(self.purchase_user)
            .create({"origin_po_id": order.id, "partner_ids": [(6, 0, self.supplier_fr.ids)]})
        )
        wizard.action_create_alternative()
        self.assertEqual(len(order.alternative_po_ids), 2)
        self.assertEqual(order.purchase_group_id.company_id, self.company)
        self.assertEqual(order.purchase_group_id.bo_offer_count, 2)
        order.with_user(self.purchase_user).button_confirm()
        self.assertEqual(order.state, "draft", "stock asks what to do with the alternatives")

    def test_menu_for_purchase_users(self):
        menu = self.env.ref("bo_suppliers.menu_bo_offer_comparison")
        visible = self.env["ir.ui.menu"].with_user(self.purchase_user)._visible_menu_ids()
        self.assertIn(menu.id, visible)
        visible = self.env["ir.ui.menu"].with_user(self.accountant)._visible_menu_ids()
        self.assertNotIn(menu.id, visible)
