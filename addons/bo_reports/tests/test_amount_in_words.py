from odoo import Command
from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestAmountInWords(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("it_IT")
        # The Italian currency names ("Euro", "Dollari") come from base.
        cls.env["ir.module.module"]._load_module_terms(["base"], ["it_IT"])
        cls.eur = cls.env.ref("base.EUR")
        cls.eur.active = True
        cls.usd = cls.env.ref("base.USD")
        cls.pricelist_eur = cls.env["product.pricelist"].create(
            {"name": "Listino EUR", "currency_id": cls.eur.id}
        )
        cls.salesman = new_test_user(
            cls.env, login="bo_words_salesman", groups="sales_team.group_sale_salesman"
        )
        cls.portal_user = new_test_user(
            cls.env, login="bo_words_portal", groups="base.group_portal", lang="it_IT"
        )
        cls.italian = cls.portal_user.partner_id
        cls.italian.name = "Ferramenta Rossi S.r.l."
        cls.english = cls.env["res.partner"].create({"name": "Hardware Ltd", "lang": "en_US"})
        cls.product = cls.env["product.product"].create(
            {"name": "Cassetta attrezzi", "list_price": 100.0, "taxes_id": False}
        )

    def _words(self, amount, currency, lang):
        return self.env["sale.order"]._bo_amount_to_words(amount, currency, lang)

    def _order(self, partner, price_unit):
        return self.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "pricelist_id": self.pricelist_eur.id,
                "user_id": self.salesman.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": self.product.id,
                            "product_uom_qty": 1,
                            "price_unit": price_unit,
                            "tax_ids": False,
                        }
                    )
                ],
            }
        )

    def _render_html(self, order, user=None):
        report = self.env["ir.actions.report"]
        if user:
            report = report.with_user(user)
        html, _format = report._render_qweb_html("sale.action_report_saleorder", order.ids)
        return html.decode()

    def test_italian_amounts_in_words_cheque_style(self):
        self.assertEqual(
            self._words(1234.56, self.eur, "it_IT"), "euro milleduecentotrentaquattro/56"
        )
        self.assertEqual(self._words(1.0, self.eur, "it_IT"), "euro uno/00")
        self.assertEqual(self._words(0.5, self.eur, "it_IT"), "euro zero/50")
        self.assertEqual(self._words(0.0, self.eur, "it_IT"), "euro zero/00")
        self.assertEqual(self._words(1000000.0, self.eur, "it_IT"), "euro un milione/00")
        self.assertEqual(self._words(21.999, self.eur, "it_IT"), "euro ventidue/00")

    def test_italian_words_of_negative_and_foreign_currency_amounts(self):
        self.assertEqual(self._words(-100.1, self.eur, "it_IT"), "meno euro cento/10")
        self.assertEqual(self._words(250.75, self.usd, "it_IT"), "dollari duecentocinquanta/75")

    def test_english_amounts_in_words_from_odoo(self):
        self.assertEqual(
            self._words(1234.56, self.eur, "en_US"),
            "One Thousand, Two Hundred And Thirty-Four Euros and Fifty-Six Cents",
        )
        self.assertEqual(self._words(1.0, self.eur, "en_US"), "One Euros")
        self.assertEqual(self._words(0.5, self.eur, "en_US"), "Zero Euros and Fifty Cents")
        self.assertEqual(self._words(1000000.0, self.eur, "en_US"), "One Million Euros")

    def test_order_total_in_words_follows_customer_language(self):
        italian_order = self._order(self.italian, 1234.56)
        english_order = self._order(self.english, 1234.56)
        self.assertEqual(italian_order.bo_amount_total_words, "euro milleduecentotrentaquattro/56")
        self.assertEqual(
            english_order.bo_amount_total_words,
            "One Thousand, Two Hundred And Thirty-Four Euros and Fifty-Six Cents",
        )
        # Whoever reads the order, in whatever language, gets the customer's.
        self.assertEqual(
            english_order.with_context(lang="it_IT").bo_amount_total_words,
            english_order.bo_amount_total_words,
        )

    def test_customer_without_language_gets_reader_language(self):
        order = self._order(self.english, 1.0)
        self.english.lang = False
        order.invalidate_recordset(["bo_amount_total_words"])
        self.assertEqual(order.with_context(lang="it_IT").bo_amount_total_words, "euro uno/00")
        self.assertEqual(order.with_context(lang="en_US").bo_amount_total_words, "One Euros")

    def test_total_in_words_follows_order_lines(self):
        order = self._order(self.italian, 10.0)
        self.assertEqual(order.bo_amount_total_words, "euro dieci/00")
        order.order_line.price_unit = 20.5
        self.assertEqual(order.bo_amount_total_words, "euro venti/50")

    def test_quotation_prints_total_in_words_in_customer_language(self):
        italian_html = self._render_html(self._order(self.italian, 1234.56))
        self.assertIn("euro milleduecentotrentaquattro/56", italian_html)
        english_html = self._render_html(self._order(self.english, 1234.56))
        self.assertIn("Total in words:", english_html)
        self.assertIn(
            "One Thousand, Two Hundred And Thirty-Four Euros and Fifty-Six Cents",
            english_html,
        )
        self.assertNotIn("milleduecentotrentaquattro", english_html)

    def test_confirmed_order_prints_total_in_words(self):
        order = self._order(self.english, 1.0)
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertIn("One Euros", self._render_html(order))

    def test_salesperson_outside_back_office_prints_total_in_words(self):
        order = self._order(self.italian, 1234.56)
        self.assertFalse(self.salesman.has_group("bo_base.group_bo_user"))
        as_salesman = order.with_user(self.salesman)
        self.assertEqual(as_salesman.bo_amount_total_words, "euro milleduecentotrentaquattro/56")
        self.assertIn("euro milleduecentotrentaquattro/56", self._render_html(order, self.salesman))

    def test_portal_customer_reads_total_in_words(self):
        order = self._order(self.italian, 1234.56)
        order.action_quotation_sent()
        as_portal = order.with_user(self.portal_user)
        self.assertEqual(
            as_portal.read(["bo_amount_total_words"])[0]["bo_amount_total_words"],
            "euro milleduecentotrentaquattro/56",
        )
