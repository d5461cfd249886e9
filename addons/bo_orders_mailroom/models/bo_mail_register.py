from odoo import models
from odoo.exceptions import UserError

# Register channels and the request channel that says the same.
REQUEST_CHANNELS = {"email": "email", "pec": "email"}
# Register channels and the claim channel that says the same.
CLAIM_CHANNELS = {
    "email": "email",
    "pec": "email",
    "post": "letter",
    "registered_letter": "letter",
    "courier": "letter",
    "hand": "visit",
}


class BoMailRegister(models.Model):
    _inherit = "bo.mail.register"

    def _prepare_order_request_vals(self):
        self.ensure_one()
        partner = self.partner_id
        return {
            "title": self.subject,
            "company_id": self.company_id.id,
            "partner_id": partner.commercial_partner_id.id,
            "contact_id": partner.id if partner.parent_id else False,
            "email_from": self.email_from,
            "channel": REQUEST_CHANNELS.get(self.channel, "other"),
            "description": self.summary,
        }

    def action_create_order_request(self):
        """Turn an incoming letter or email into an order request, linked both ways."""
        self.ensure_one()
        if self.direction != "incoming" or not self.name:
            raise UserError(
                self.env._("Only a registered incoming entry can become an order request.")
            )
        if self.res_model and self.res_id:
            raise UserError(
                self.env._(
                    "%(entry)s is already linked to a document: open it from the entry.",
                    entry=self.display_name,
                )
            )
        request = self.env["bo.order.request"].create(self._prepare_order_request_vals())
        self.attachment_ids.copy({"res_model": request._name, "res_id": request.id})
        self.write({"res_model": request._name, "res_id": request.id})
        return {
            "type": "ir.actions.act_window",
            "res_model": request._name,
            "res_id": request.id,
            "view_mode": "form",
        }

    def _prepare_customer_claim_vals(self):
        self.ensure_one()
        partner = self.partner_id
        return {
            "title": self.subject,
            "company_id": self.company_id.id,
            "partner_id": partner.commercial_partner_id.id,
            "contact_id": partner.id if partner.parent_id else False,
            "email_from": self.email_from,
            "channel": CLAIM_CHANNELS.get(self.channel, "other"),
            "description": self.summary,
        }

    def action_create_customer_claim(self):
        """Turn an incoming letter or email into a customer claim, linked both ways."""
        self.ensure_one()
        if self.direction != "incoming" or not self.name:
            raise UserError(
                self.env._("Only a registered incoming entry can become a customer claim.")
            )
        if self.res_model and self.res_id:
            raise UserError(
                self.env._(
                    "%(entry)s is already linked to a document: open it from the entry.",
                    entry=self.display_name,
                )
            )
        claim = self.env["bo.customer.claim"].create(self._prepare_customer_claim_vals())
        self.attachment_ids.copy({"res_model": claim._name, "res_id": claim.id})
        self.write({"res_model": claim._name, "res_id": claim.id})
        return {
            "type": "ir.actions.act_window",
            "res_model": claim._name,
            "res_id": claim.id,
            "view_mode": "form",
        }
