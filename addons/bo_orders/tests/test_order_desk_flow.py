from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import BoOrdersCommon
from .test_order_request import REQUEST_EMAIL


@tagged("post_install", "-at_install", "bo_dates")
class TestOrderDeskFlow(BoOrdersCommon):
    def test_email_request_to_confirmed_order_then_late_delivery_escalated(self):
        self._activate("credit_limit", "overdue", "master_data", "discount", severity="block")
        self._activate("stock", "price", "margin", severity="warn")
        self.customer.with_company(self.company).credit_limit = 100000
        clerk_requests = self.env["bo.order.request"].with_user(self.clerk)

        with freeze_time("2026-03-02 09:00"):
            # the customer writes to orders@
            message = REQUEST_EMAIL.format(
                email_from=self.contact.email,
                sender="Anna Rossi",
                subject="Offerta viti inox",
                msg_id="flow",
            )
            request = clerk_requests.browse(
                self.env["mail.thread"].message_process("bo.order.request", message)
            )
            self.assertEqual(request.partner_id, self.customer)
            request.action_start()
            self.assertEqual(request.user_id, self.clerk)
            with Form(request) as form, form.line_ids.new() as line:
                line.name = "Viti inox M6"
                line.quantity = 10
            self.assertEqual(request.line_ids.proposed_product_id, self.screws)

            # the clerk makes the quotation and promises a date
            action = request.action_create_quotation()
            order = self.env["sale.order"].with_user(self.clerk).browse(action["res_id"])
            with Form(order) as form:
                form.commitment_date = datetime(2026, 3, 12, 8, 0)
                with form.order_line.edit(0) as line:
                    line.discount = 30
                self.assertEqual(form.bo_check_state, "blocked")
            with self.assertRaisesRegex(UserError, "Maximum discount"):
                order.action_confirm()

            # a manager lets it through, with a reason
            override = order.with_user(self.manager).action_bo_override()
            wizard = Form(
                self.env[override["res_model"]]
                .with_user(self.manager)
                .with_context(**override["context"])
            )
            wizard.reason = "Sconto concordato per la fiera"
            wizard.save().action_override()
            order.action_confirm()
            self.assertEqual(order.state, "sale")
            self.assertEqual(request.state, "won")
            self.assertEqual(order.bo_stage, "to_ship")

        # the delivery does not leave on time
        reminder = self.env.ref("bo_base.mail_activity_type_bo_deadline")
        escalation = self.env.ref("bo_base.mail_activity_type_bo_escalation")
        for day in ("2026-03-10", "2026-03-16"):
            with freeze_time(day):
                self.env["bo.deadline.mixin"]._cron_deadline_check()
        activities = order.sudo().activity_ids
        self.assertEqual(
            activities.filtered(lambda a: a.activity_type_id == reminder).user_id, self.clerk
        )
        self.assertEqual(
            activities.filtered(lambda a: a.activity_type_id == escalation).user_id, self.manager
        )
        with freeze_time("2026-03-16"):
            order.invalidate_recordset(["deadline_days_late"])
            self.assertEqual(order.deadline_days_late, 4)
