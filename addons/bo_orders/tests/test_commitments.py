from ast import literal_eval
from datetime import date, datetime

from freezegun import freeze_time

from odoo.tests import Form, tagged

from .common import BoOrdersCommon


@tagged("post_install", "-at_install", "bo_dates", "bo_day_bounds")
class TestCommitments(BoOrdersCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.reminder_type = cls.env.ref("bo_base.mail_activity_type_bo_deadline")
        cls.escalation_type = cls.env.ref("bo_base.mail_activity_type_bo_escalation")

    def _run_cron(self, day):
        with freeze_time(day):
            self.env["bo.deadline.mixin"]._cron_deadline_check()

    def _activities(self, order, activity_type):
        return order.activity_ids.filtered(lambda a: a.activity_type_id == activity_type)

    def _promised_order(self, commitment, qty=10):
        with freeze_time("2026-03-02"):
            order = self._new_order(lines=[(self.screws, qty, 0.0)])
            with Form(order.with_user(self.clerk)) as form:
                form.commitment_date = commitment
            order.with_user(self.clerk).action_confirm()
        return order

    def test_stage_follows_the_order_through_delivery_and_invoicing(self):
        order = self._new_order(lines=[(self.screws, 10, 0.0)])
        self.assertEqual(order.bo_stage, "ready", "no check is active: nothing blocks it")
        order.with_user(self.clerk).action_confirm()
        self.assertEqual(order.bo_stage, "to_ship")
        self._deliver(order, qty=4)
        self.assertEqual(order.bo_stage, "partial")
        self._deliver(order)
        self.assertEqual(order.bo_stage, "to_invoice")
        self.assertEqual(order.deadline_state, "done")
        invoice = order._create_invoices()
        invoice.action_post()
        self.assertEqual(order.bo_stage, "done")
        self.assertFalse(order.bo_check_state, "checks are for quotations")

    def test_cancelled_order_leaves_the_worklist(self):
        order = self._new_order()
        order._action_cancel()
        self.assertEqual(order.bo_stage, "cancelled")
        self.assertFalse(order.deadline_date)

    def test_late_delivery_is_flagged_reminded_and_escalated(self):
        order = self._promised_order(datetime(2026, 3, 12, 8, 0))
        self.assertEqual(order.deadline_date, date(2026, 3, 12))
        self._run_cron("2026-03-05")
        self.assertFalse(self._activities(order, self.reminder_type))
        self._run_cron("2026-03-10")
        reminder = self._activities(order, self.reminder_type)
        self.assertEqual(reminder.user_id, self.clerk)
        self._run_cron("2026-03-16")
        self.assertEqual(order.deadline_state, "overdue")
        with freeze_time("2026-03-16"):
            order.invalidate_recordset(["deadline_days_late"])
            self.assertEqual(order.deadline_days_late, 4)
        escalation = self._activities(order, self.escalation_type)
        self.assertEqual(escalation.user_id, self.manager)
        action = self.env.ref("bo_orders.action_bo_sale_order_late")
        late = self.env["sale.order"].search(literal_eval(action.domain))
        self.assertIn(order, late)

    def test_partial_delivery_left_open_stays_late(self):
        order = self._promised_order(datetime(2026, 3, 12, 8, 0))
        with freeze_time("2026-03-12"):
            self._deliver(order, qty=4)
        self.assertEqual(order.bo_stage, "partial")
        self.assertEqual(order.deadline_date, date(2026, 3, 12))
        self._run_cron("2026-03-20")
        self.assertEqual(order.deadline_state, "overdue")
        with freeze_time("2026-03-21"):
            self._deliver(order)
        self.assertEqual(order.deadline_state, "done")

    def test_expiring_quotation_reminds_the_customer_in_their_language(self):
        self.env["res.lang"]._activate_lang("it_IT")
        template = self.env.ref("bo_orders.mail_template_bo_quotation_expiring")
        template.with_context(
            lang="it_IT"
        ).subject = "Il preventivo {{ object.name }} sta per scadere"
        self.customer.lang = "it_IT"
        self.company.bo_quotation_reminder = True
        with freeze_time("2026-03-02"):
            order = self._new_order()
            order.validity_date = date(2026, 3, 20)
        self._run_cron("2026-03-10")
        self.assertFalse(order.message_ids.filtered(lambda m: "scadere" in (m.subject or "")))
        self._run_cron("2026-03-18")
        reminder = order.message_ids.filtered(lambda m: "scadere" in (m.subject or ""))
        self.assertEqual(len(reminder), 1)
        self.assertIn(self.customer, reminder.partner_ids)
        self._run_cron("2026-03-19")
        self.assertEqual(
            len(order.message_ids.filtered(lambda m: "scadere" in (m.subject or ""))), 1
        )

    def test_no_reminder_email_unless_the_company_wants_it(self):
        with freeze_time("2026-03-02"):
            order = self._new_order()
            order.validity_date = date(2026, 3, 20)
        self._run_cron("2026-03-18")
        self.assertTrue(self._activities(order, self.reminder_type))
        self.assertFalse(order.message_ids.filtered(lambda m: "expires soon" in (m.subject or "")))
