from datetime import datetime, timedelta

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import BoOrdersCommon


@tagged("post_install", "-at_install")
class TestOrderChecks(BoOrdersCommon):
    def _failures(self, order, check_type):
        return order._bo_run_checks(check_types=(check_type,))[order]

    def _override(self, order, reason="Cliente storico, pagamento garantito", user=None):
        action = order.with_user(user or self.manager).action_bo_override()
        wizard = Form(
            self.env[action["res_model"]]
            .with_user(user or self.manager)
            .with_context(**action["context"])
        )
        wizard.reason = reason
        return wizard.save().action_override()

    # ------------------------------------------------------------------
    # Each check, passing and failing
    # ------------------------------------------------------------------

    def test_without_active_checks_orders_confirm_as_in_stock_odoo(self):
        order = self._new_order(partner=self.foreign_customer, lines=[(self.screws, 500, 90.0)])
        self.assertFalse(order.bo_check_banner)
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.bo_stage, "to_ship")

    def test_credit_limit_check(self):
        self._activate("credit_limit")
        order = self._new_order()
        self.customer.with_company(self.company).credit_limit = 100000
        self.assertFalse(self._failures(order, "credit_limit"))
        self.customer.with_company(self.company).credit_limit = 300
        [(check, message)] = self._failures(order, "credit_limit")
        self.assertEqual(check, self._check("credit_limit"))
        self.assertIn("credit limit", message)

    def test_overdue_receivables_check(self):
        self._activate("overdue", overdue_grace_days=5)
        order = self._new_order()
        self.assertFalse(self._failures(order, "overdue"))
        self._post_overdue_invoice(self.customer, amount=500, days_overdue=3)
        self.assertFalse(self._failures(order, "overdue"), "still within the grace days")
        self._post_overdue_invoice(self.customer, amount=700, days_overdue=30)
        [(_check, message)] = self._failures(order, "overdue")
        self.assertIn("overdue receivables", message)

    def test_stock_by_promised_date_check(self):
        self._activate("stock")
        self.assertFalse(self._failures(self._new_order(lines=[(self.screws, 80, 0)]), "stock"))
        order = self._new_order(lines=[(self.screws, 80, 0), (self.screws, 30, 0)])
        [(_check, message)] = self._failures(order, "stock")
        self.assertIn("Viti inox M6", message)

    def test_master_data_check(self):
        self._activate("master_data")
        self.assertFalse(self._failures(self._new_order(), "master_data"))
        order = self._new_order(partner=self.foreign_customer)
        [(_check, message)] = self._failures(order, "master_data")
        self.assertIn("VAT number", message)
        self.assertIn("incoterm", message)
        order.payment_term_id = False
        [(_check, message)] = self._failures(order, "master_data")
        self.assertIn("payment terms", message)

    def test_price_below_pricelist_check(self):
        self._activate("price", price_tolerance=5)
        order = self._new_order()
        self.assertFalse(self._failures(order, "price"))
        order.order_line.price_unit = 96
        self.assertFalse(self._failures(order, "price"), "within the tolerance")
        order.order_line.price_unit = 80
        [(_check, message)] = self._failures(order, "price")
        self.assertIn("below the pricelist", message)

    def test_price_check_follows_a_rule_starting_between_two_orders_of_a_day(self):
        """The orders of a day share one rule lookup, unless a rule starts or
        ends between them: each is checked against its own date's price."""
        self._activate("price", price_tolerance=0)
        pricelist = self.env["product.pricelist"].create({"name": "Listino con promozione"})
        starts = datetime(2031, 5, 14, 12, 0)
        self.env["product.pricelist.item"].create(
            {
                "pricelist_id": pricelist.id,
                "applied_on": "0_product_variant",
                "product_id": self.screws.id,
                "compute_price": "fixed",
                "fixed_price": 120.0,
                "date_start": starts,
            }
        )
        before, after, later = (self._new_order() for _i in range(3))
        # Set on the orders: whether the database shows pricelists does not matter here.
        (before | after | later).pricelist_id = pricelist
        before.date_order = starts - timedelta(hours=3)
        after.date_order = starts + timedelta(hours=3)
        later.date_order = starts + timedelta(hours=5)
        (before | after | later).order_line.price_unit = 100.0
        results = (before | after | later)._bo_run_checks(check_types=("price",))
        self.assertFalse(results[before], "the list price before the rule starts")
        for order in (after, later):
            [(_check, message)] = results[order]
            self.assertIn("below the pricelist", message)

    def test_margin_check(self):
        self._activate("margin", min_margin=40)
        order = self._new_order()  # 100 sold, 50 cost: 50 %
        self.assertFalse(self._failures(order, "margin"))
        order.order_line.discount = 30  # 70 sold: 28.6 %
        [(_check, message)] = self._failures(order, "margin")
        self.assertIn("28.6%", message)

    def test_discount_check(self):
        self._activate("discount", max_discount=20)
        self.assertFalse(
            self._failures(self._new_order(lines=[(self.screws, 5, 20.0)]), "discount")
        )
        order = self._new_order(lines=[(self.screws, 5, 25.0), (self.plugs, 10, 5.0)])
        [(_check, message)] = self._failures(order, "discount")
        self.assertIn("25.0%", message)

    def test_checks_of_another_company_do_not_apply(self):
        self.env["bo.order.check"].create(
            {
                "name": "Nessuno sconto",
                "check_type": "discount",
                "max_discount": 0,
                "company_id": self.other_company.id,
            }
        )
        order = self._new_order(lines=[(self.screws, 5, 30.0)])
        self.assertFalse(order.bo_check_banner)
        order.with_user(self.clerk).action_confirm()
        self.assertEqual(order.state, "sale")

    # ------------------------------------------------------------------
    # Confirmation
    # ------------------------------------------------------------------

    def test_confirmation_is_refused_listing_every_block(self):
        self._activate("master_data", "discount", severity="block")
        order = self._new_order(partner=self.foreign_customer, lines=[(self.screws, 5, 30.0)])
        with self.assertRaises(UserError) as error:
            order.with_user(self.clerk).action_confirm()
        self.assertIn("Customer master data", str(error.exception))
        self.assertIn("Maximum discount", str(error.exception))
        self.assertEqual(order.state, "draft")

    def test_warnings_are_noted_in_chatter_and_order_is_confirmed(self):
        self._activate("discount", severity="warn")
        order = self._new_order(lines=[(self.screws, 5, 30.0)])
        order.with_user(self.clerk).action_confirm()
        self.assertEqual(order.state, "sale")
        note = order.message_ids.filtered(lambda m: "Confirmed with warnings" in str(m.body))
        self.assertIn("Maximum discount", str(note.body))

    def test_check_button_and_banner_show_the_result_before_confirming(self):
        self._activate("discount", severity="block")
        form = Form(self.env["sale.order"].with_user(self.clerk))
        form.partner_id = self.customer
        with form.order_line.new() as line:
            line.product_id = self.screws
            line.discount = 30
        # the result and the banner follow the quotation while it is being prepared
        self.assertEqual(form.bo_check_state, "blocked")
        self.assertIn("30.0%", form.bo_check_banner)
        order = form.save()
        self.assertEqual(order.bo_check_state, "blocked")
        self.assertEqual(order.bo_stage, "blocked")
        with Form(order.with_user(self.clerk)) as form:
            with form.order_line.edit(0) as line:
                line.discount = 10
            self.assertEqual(form.bo_check_state, "passed")
            self.assertFalse(form.bo_check_banner)
        self.assertEqual(order.bo_stage, "ready", "an edit is checked at once")
        # what changes outside the order (credit, stock) is checked again on demand
        self.customer.with_company(self.company).credit_limit = 1
        self._activate("credit_limit", severity="block")
        self.assertEqual(order.bo_stage, "ready")
        order.with_user(self.clerk).action_bo_check()
        self.assertEqual(order.bo_check_state, "blocked")
        self.assertEqual(order.bo_stage, "blocked")

    def test_confirming_by_writing_the_state_is_checked_too(self):
        self._activate("discount", severity="block")
        order = self._new_order(lines=[(self.screws, 5, 30.0)])
        with self.assertRaisesRegex(UserError, "Maximum discount"):
            order.write({"state": "sale"})

    # ------------------------------------------------------------------
    # Override
    # ------------------------------------------------------------------

    def test_manager_override_with_reason_releases_the_order(self):
        self._activate("discount", severity="block")
        order = self._new_order(lines=[(self.screws, 5, 30.0)])
        self._override(order)
        self.assertEqual(order.bo_override_user_id, self.manager)
        self.assertEqual(order.bo_stage, "ready")
        log = order.message_ids.filtered(lambda m: "overridden by Marco Manager" in str(m.body))
        self.assertIn("Cliente storico", str(log.body))
        self.assertIn("Maximum discount", str(log.body))
        order.with_user(self.clerk).action_confirm()
        self.assertEqual(order.state, "sale")

    def test_only_a_manager_can_override_and_only_with_a_reason(self):
        self._activate("discount", severity="block")
        order = self._new_order(lines=[(self.screws, 5, 30.0)])
        wizard = self.env["bo.order.check.override"].create({"order_id": order.id, "reason": "x"})
        with self.assertRaises(AccessError):
            wizard.with_user(self.clerk).action_override()
        with self.assertRaisesRegex(UserError, "reason"):
            self._override(order, reason="   ")
        self.assertFalse(order.bo_override_user_id)

    def test_override_does_not_survive_copy_or_edit(self):
        self._activate("discount", severity="block")
        order = self._new_order(lines=[(self.screws, 5, 30.0)])
        self._override(order)
        copy = order.copy()
        self.assertFalse(copy.bo_override_user_id)
        with self.assertRaisesRegex(UserError, "Maximum discount"):
            copy.with_user(self.clerk).action_confirm()
        with Form(order.with_user(self.clerk)) as form, form.order_line.edit(0) as line:
            line.discount = 35
        self.assertEqual(order.bo_check_state, "blocked", "the override covered 30%, not 35%")
        with self.assertRaisesRegex(UserError, "Maximum discount"):
            order.with_user(self.clerk).action_confirm()

    def test_delivery_is_refused_while_customer_has_overdue_receivables(self):
        self._activate("overdue", severity="block")
        order = self._new_order()
        order.with_user(self.clerk).action_confirm()
        self._post_overdue_invoice(self.customer, days_overdue=40)
        with self.assertRaisesRegex(UserError, "overdue receivables"):
            self._deliver(order)
        self._override(order, reason="Pagamento ricevuto oggi, in attesa di registrazione")
        self._deliver(order)
        self.assertEqual(order.delivery_status, "full")
        self.assertEqual(order.bo_stage, "to_invoice")

    def test_confirming_with_all_checks_active_stays_cheap(self):
        # Measured from the addon as shipped, whatever the database holds (the
        # demo turns the credit check and Odoo's credit limits on): every check
        # off, and Odoo's credit limits off (on, they count open orders too).
        self.checks.write({"active": False})
        self.company.account_use_credit_limit = False
        self.customer.with_company(self.company).credit_limit = 100000
        lines = [(self.screws, 5, 0.0), (self.plugs, 50, 0.0)]
        warm, plain, checked = (self._new_order(lines=lines) for _i in range(3))
        warm.with_user(self.clerk).action_confirm()
        self.env.invalidate_all()
        # with the checks off, bo_orders costs stock Odoo next to nothing here
        with self.assertQueryCount(116):
            plain.with_user(self.clerk).action_confirm()
        self.checks.write({"active": True, "severity": "warn"})
        # changing the checks clears the registry's caches: warm them again
        self._new_order(lines=lines).with_user(self.clerk).action_confirm()
        self.env.invalidate_all()
        # all seven checks: about 12 queries more (stock forecast, receivables, costs)
        with self.assertQueryCount(130):
            checked.with_user(self.clerk).action_confirm()
        self.assertEqual(checked.state, "sale")
        self.assertFalse(
            checked.message_ids.filtered(lambda m: "Confirmed with warnings" in str(m.body))
        )
