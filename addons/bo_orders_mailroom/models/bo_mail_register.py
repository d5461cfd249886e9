import logging

from odoo import api, models
from odoo.exceptions import UserError

_logger = logging.getLogger(__name__)

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

    # ------------------------------------------------------------------
    # Documents made of a message: registered too
    # ------------------------------------------------------------------

    @api.model
    def _bo_register_document_mail(self, msg_dict, record):
        """Register the message ``record`` (a claim, a request) was made of,
        as an entry linked to it."""
        # The register's intake rewrites the attachments of the dict it gets:
        # hand it a copy so the document's chatter keeps its own.
        return self.message_new(
            dict(msg_dict),
            {"company_id": record.company_id.id, "res_model": record._name, "res_id": record.id},
        )

    @api.model
    def _bo_keep_document_mail(self, intake, error, record):
        """Keep in the register, linked to ``record``, a message that could not
        become it and that ``record`` keeps in error: correspondence all the same."""
        try:
            with self.env.cr.savepoint():
                return self._bo_intake_keep_for(intake, error, record.company_id, record=record)
        except Exception:  # the document keeps the message all the same
            _logger.exception("The register could not keep the message of %s", record)
            return self.browse()

    def _prepare_document_vals(self, channels):
        """Values of a document made from this entry; ``channels`` maps the
        register's channels to the document's."""
        self.ensure_one()
        partner = self.partner_id
        return {
            "title": self.subject,
            "company_id": self.company_id.id,
            "partner_id": partner.commercial_partner_id.id,
            "contact_id": partner.id if partner.parent_id else False,
            "email_from": self.email_from,
            "channel": channels.get(self.channel, "other"),
            "description": self.summary,
        }

    def _prepare_order_request_vals(self):
        return self._prepare_document_vals(REQUEST_CHANNELS)

    def _prepare_customer_claim_vals(self):
        return self._prepare_document_vals(CLAIM_CHANNELS)

    def _create_linked_document(self, model_name, prepare_vals, refusal):
        """Make a ``model_name`` record of ``prepare_vals()`` from this
        registered incoming entry, with copies of its files, linked both ways;
        ``refusal`` is the error for any other entry."""
        self.ensure_one()
        if self.direction != "incoming" or not self.name:
            raise UserError(refusal)
        # A document deleted since is no link: the entry noted its deletion.
        if self.record_ref:
            raise UserError(
                self.env._(
                    "%(entry)s is already linked to a document: open it from the entry.",
                    entry=self.display_name,
                )
            )
        record = self.env[model_name].create(prepare_vals())
        self.attachment_ids.copy({"res_model": record._name, "res_id": record.id})
        self.write({"res_model": record._name, "res_id": record.id})
        return {
            "type": "ir.actions.act_window",
            "res_model": record._name,
            "res_id": record.id,
            "view_mode": "form",
        }

    def action_create_order_request(self):
        """Turn an incoming letter or email into an order request, linked both ways."""
        return self._create_linked_document(
            "bo.order.request",
            self._prepare_order_request_vals,
            self.env._("Only a registered incoming entry can become an order request."),
        )

    def action_create_customer_claim(self):
        """Turn an incoming letter or email into a customer claim, linked both ways."""
        return self._create_linked_document(
            "bo.customer.claim",
            self._prepare_customer_claim_vals,
            self.env._("Only a registered incoming entry can become a customer claim."),
        )
