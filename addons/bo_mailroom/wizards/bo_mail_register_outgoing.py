from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.bo_mail_register import CHANNELS


class BoMailRegisterOutgoing(models.TransientModel):
    """Register outgoing correspondence, from the register or from any document."""

    _name = "bo.mail.register.outgoing"
    _description = "Register Outgoing Correspondence"

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    partner_id = fields.Many2one("res.partner", string="Recipient")
    partner_name = fields.Char(string="Recipient (Free Text)")
    subject = fields.Char(required=True)
    summary = fields.Text()
    channel = fields.Selection(CHANNELS, required=True, default="email")
    category_id = fields.Many2one("bo.mail.category", string="Classification")
    user_id = fields.Many2one("res.users", string="Assignee", default=lambda self: self.env.user)
    confidentiality = fields.Selection(
        [("normal", "Normal"), ("confidential", "Confidential")], default="normal", required=True
    )
    res_model = fields.Char(string="Related Document Model")
    res_id = fields.Integer(string="Related Document ID")
    reply_to_id = fields.Many2one("bo.mail.register", string="In Reply To")
    attachment_ids = fields.Many2many(
        "ir.attachment",
        string="Attachments",
        help="Files of the document to register and send; each is copied into the register.",
    )
    available_attachment_ids = fields.Many2many(
        "ir.attachment", compute="_compute_available_attachment_ids"
    )
    letter_template_id = fields.Many2one("bo.letter.template", string="Letter")
    send_email = fields.Boolean(
        string="Send by Email", help="Email the registered correspondence to the recipient."
    )
    body = fields.Html(string="Email Message")

    @api.depends("res_model", "res_id")
    def _compute_available_attachment_ids(self):
        for wizard in self:
            # The search runs as the user: files of a document they cannot read are not found.
            if wizard.res_model in self.env and wizard.res_id:
                wizard.available_attachment_ids = self.env["ir.attachment"].search(
                    [("res_model", "=", wizard.res_model), ("res_id", "=", wizard.res_id)]
                )
            else:
                wizard.available_attachment_ids = False

    @api.model_create_multi
    def create(self, vals_list):
        wizards = super().create(vals_list)
        # Not a constraint: constraints run as superuser, this checks the user.
        for wizard in wizards:
            wizard._bo_related_document()
            wizard._bo_check_reply_to()
        return wizards

    def _bo_check_reply_to(self):
        """The reply prints the number and subject of the entry it answers."""
        self.ensure_one()
        self.reply_to_id.check_access("read")

    def _bo_related_document(self):
        """The document the correspondence is registered for, or None.

        ``res_model`` and ``res_id`` come from the client: the document must be
        a record with a chatter that the user may read, whatever they send.
        """
        self.ensure_one()
        if not self.res_model and not self.res_id:
            return None
        if not (self.res_model and self.res_id) or self.res_model not in self.env:
            raise UserError(
                self.env._(
                    "Correspondence cannot be registered for %(model)s %(id)s: "
                    "there is no such document.",
                    model=self.res_model or "-",
                    id=self.res_id or "-",
                )
            )
        Model = self.env[self.res_model]
        if Model._transient or not isinstance(Model, self.pool["mail.thread"]):
            raise UserError(
                self.env._(
                    "Correspondence can only be registered for a document with "
                    "a chatter, not for %s.",
                    self.res_model,
                )
            )
        record = Model.browse(self.res_id).exists()
        if not record:
            raise UserError(self.env._("This document no longer exists."))
        record.check_access("read")
        return record

    @api.onchange("channel")
    def _onchange_channel(self):
        if self.channel not in ("email", "pec"):
            self.send_email = False

    @api.model
    def _document_partner(self, record):
        if record._name == "res.partner":
            return record
        if (
            "partner_id" in record._fields
            and record._fields["partner_id"].comodel_name == "res.partner"
        ):
            return record.partner_id
        return self.env["res.partner"]

    @api.model
    def _action_open_for(self, record):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Register Outgoing"),
            "res_model": self._name,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_res_model": record._name,
                "default_res_id": record.id,
                "default_partner_id": self._document_partner(record).id,
                "default_subject": record.display_name,
            },
        }

    @api.model
    def action_open_for_document(self, res_model, res_id):
        """The wizard for the record a chatter shows (called by its Register button)."""
        if res_model not in self.env or not res_id:
            raise UserError(self.env._("Save the document before registering its correspondence."))
        record = self.env[res_model].browse(res_id).exists()
        if not record:
            raise UserError(self.env._("This document no longer exists."))
        record.check_access("read")
        return self._action_open_for(record)

    def _prepare_register_vals(self):
        self.ensure_one()
        return {
            "direction": "outgoing",
            "channel": self.channel,
            "company_id": self.company_id.id,
            "partner_id": self.partner_id.id,
            "partner_name": self.partner_name,
            "email_from": self.partner_id.email,
            "subject": self.subject,
            "summary": self.summary,
            "category_id": self.category_id.id,
            "user_id": self.user_id.id,
            "confidentiality": self.confidentiality,
            "res_model": self.res_model or False,
            "res_id": self.res_id or False,
            "reply_to_id": self.reply_to_id.id,
            "letter_template_id": self.letter_template_id.id,
        }

    def action_confirm(self):
        self.ensure_one()
        document = self._bo_related_document()
        self._bo_check_reply_to()
        if self.send_email and not self.partner_id.email:
            raise UserError(
                self.env._("The recipient has no email address: add one or do not send.")
            )
        entry = self.env["bo.mail.register"].create(self._prepare_register_vals())
        if self.attachment_ids:
            copies = self.env["ir.attachment"]
            for attachment in self.attachment_ids:
                copies |= attachment.copy({"res_model": entry._name, "res_id": entry.id})
            entry.attachment_ids = [fields.Command.set(copies.ids)]
        entry.action_register()
        if self.send_email:
            entry._bo_send_by_email(self.body)
        if document:
            # sudo: a trace on a document the user may read (checked above);
            # registering its correspondence does not require the right to edit it
            document.sudo().message_post(
                body=self.env._("Outgoing correspondence registered as %s.", entry.name),
                subtype_xmlid="mail.mt_note",
            )
        return entry._get_formview_action()
