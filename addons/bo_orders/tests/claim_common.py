from odoo import Command
from odoo.addons.bo_base.tests.common import make_email
from odoo.tests import Form

from .common import BoOrdersCommon


class BoClaimCommon(BoOrdersCommon):
    """The order desk handling claims: its clerk also issues credit notes
    and returns; a delivered and invoiced order of the Italian customer."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.clerk.group_ids = [
            Command.link(cls.env.ref("account.group_account_invoice").id),
            Command.link(cls.env.ref("stock.group_stock_user").id),
        ]
        # an address of its own: the demo data has the customer's usual ones
        cls.contact.email = "anna.reclami@ferramentarossi-test.example.it"
        cls.Claim = cls.env["bo.customer.claim"]
        cls.stage_new = cls.env.ref("bo_orders.stage_bo_customer_claim_new")
        cls.stage_open = cls.env.ref("bo_orders.stage_bo_customer_claim_open")
        cls.stage_done = cls.env.ref("bo_orders.stage_bo_customer_claim_done")
        cls.escalation_type = cls.env.ref("bo_base.mail_activity_type_bo_escalation")

    def _delivered_invoiced_order(self):
        order = self._new_order(lines=[(self.screws, 10, 0.0)])
        order.action_confirm()
        self._deliver(order)
        invoice = order._create_invoices()
        invoice.action_post()
        return order, invoice

    def _email(self, sender, email_from, subject, body, to="reclami@example.com"):
        return make_email(
            subject,
            body,
            f"{sender} <{email_from}>",
            to,
            date="Mon, 02 Mar 2026 10:00:00 +0100",
            msgid=f"<{abs(hash((subject, email_from)))}@example.com>",
            attachments=[("foto.jpg", b"\xff\xd8\xff foto", "image/jpeg")],
        ).as_string()

    def _claim_by_email(self, email_from=None, subject="Viti difettose", sender="Anna Rossi"):
        raw = self._email(
            sender,
            email_from or self.contact.email,
            subject,
            "Buongiorno, metà delle viti ricevute ha la filettatura rovinata.",
        )
        claim_id = self.env["mail.thread"].message_process("bo.customer.claim", raw)
        return self.Claim.browse(claim_id)

    def _claim_by_hand(self, user=None, **values):
        form = Form(self.Claim.with_user(user or self.clerk))
        form.title = values.pop("title", "Reclamo telefonico")
        form.partner_id = values.pop("partner_id", self.customer)
        for fname, value in values.items():
            setattr(form, fname, value)
        return form.save()
