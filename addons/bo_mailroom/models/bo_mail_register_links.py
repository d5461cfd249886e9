from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class BoMailRegister(models.Model):
    """Replies and linked documents: the entry a correspondence answers, and
    the document (an order, a claim, a contact) it is about.

    None of these links vanishes silently: an entry that others answer or
    correct cannot be deleted, and the deletion of a linked document is
    written in the history of the entries about it, which keep its reference.
    """

    _inherit = "bo.mail.register"

    res_model = fields.Char(string="Related Document Model", index=True)
    res_id = fields.Many2oneReference(
        string="Related Document ID", model_field="res_model", index=True
    )
    record_ref = fields.Reference(
        selection="_selection_record_ref",
        string="Related Document",
        compute="_compute_record_ref",
        inverse="_inverse_record_ref",
    )
    reply_to_id = fields.Many2one(
        "bo.mail.register",
        string="In Reply To",
        index=True,
        check_company=True,
        ondelete="restrict",
        help="The entry this correspondence answers.",
    )
    reply_ids = fields.One2many("bo.mail.register", "reply_to_id", string="Replies")
    reply_count = fields.Integer(compute="_compute_reply_count")

    @api.model
    def _selection_record_ref(self):
        # Documents with a chatter: the deletion of one is noted on the entries about it.
        models_ = (
            self.env["ir.model"]
            .sudo()
            .search([("transient", "=", False), ("is_mail_thread", "=", True)])
        )
        return [(model.model, model.name) for model in models_]

    @api.depends("res_model", "res_id")
    def _compute_record_ref(self):
        """The linked document, if it still exists."""
        existing = defaultdict(set)
        by_model = defaultdict(list)
        for entry in self:
            if entry.res_model in self.env and entry.res_id:
                by_model[entry.res_model].append(entry.res_id)
        for model, ids in by_model.items():
            existing[model] = set(self.env[model].browse(ids).exists().ids)
        for entry in self:
            if entry.res_id in existing[entry.res_model]:
                entry.record_ref = f"{entry.res_model},{entry.res_id}"
            else:
                entry.record_ref = False

    def _inverse_record_ref(self):
        for entry in self:
            ref = entry.record_ref
            entry.res_model = ref._name if ref else False
            entry.res_id = ref.id if ref else False

    @api.constrains("res_model")
    def _check_res_model(self):
        for entry in self:
            model = entry.res_model
            if model and not (
                model in self.env
                and not self.env[model]._transient
                and isinstance(self.env[model], self.pool["mail.thread"])
            ):
                raise ValidationError(
                    self.env._(
                        "Correspondence can only be registered for a document with "
                        "a chatter, not for %s.",
                        model,
                    )
                )

    @api.depends("reply_ids")
    def _compute_reply_count(self):
        for entry in self:
            entry.reply_count = len(entry.reply_ids)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_answered_or_corrected(self):
        """An entry that another answers or corrects stays: the other points to it."""
        # sudo: the links of every entry count, confidential or of another company
        pointing = self.sudo().search(
            [
                ("id", "not in", self.ids),
                "|",
                ("reply_to_id", "in", self.ids),
                ("corrected_entry_id", "in", self.ids),
            ]
        )
        if pointing:
            targets = (pointing.reply_to_id | pointing.corrected_entry_id) & self.sudo()
            raise UserError(
                self.env._(
                    "%(entries)s cannot be deleted: %(others)s answer or correct them.",
                    entries=", ".join(targets.mapped("display_name")),
                    others=", ".join(pointing.mapped("display_name")),
                )
            )

    def _bo_note_deleted_documents(self, documents):
        """Write in the history of these entries that ``documents``, which they
        are about, are being deleted, by whom; the entries keep the reference."""
        names = {document.id: document.sudo().display_name for document in documents}
        label = self.env["ir.model"]._get(documents._name).name or documents._name
        for entry in self:
            # sudo: the register keeps the trace whoever deletes the document
            entry.sudo().message_post(
                body=self.env._(
                    "The linked document %(document)s (%(model)s, id %(id)s) was deleted by "
                    "%(user)s. The entry keeps its reference.",
                    document=names.get(entry.res_id, "-"),
                    model=label,
                    id=entry.res_id,
                    user=self.env.user.display_name,
                ),
                subtype_xmlid="mail.mt_note",
            )

    def action_reply(self):
        """Start the outgoing reply to this entry."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Register Outgoing"),
            "res_model": "bo.mail.register.outgoing",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_reply_to_id": self.id,
                "default_partner_id": self.partner_id.id,
                "default_subject": self.env._("Re: %s", self.subject),
                "default_res_model": self.res_model,
                "default_res_id": self.res_id,
            },
        }

    def action_view_replies(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "bo_mailroom.action_bo_mail_register"
        )
        action["domain"] = [("id", "in", (self.reply_ids | self.reply_to_id).ids)]
        action["context"] = {"default_reply_to_id": self.id}
        return action

    def action_open_record(self):
        self.ensure_one()
        if not self.record_ref:
            if self.res_model and self.res_id:
                raise UserError(self.env._("This document no longer exists."))
            raise UserError(self.env._("This entry is not linked to a document."))
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "view_mode": "form",
            "views": [(False, "form")],
        }


class MailThread(models.AbstractModel):
    """Documents with a chatter: deleting one is noted on the register's
    entries about it (their ``res_model``/``res_id``)."""

    _inherit = "mail.thread"

    @api.ondelete(at_uninstall=False)
    def _unlink_noted_in_register(self):
        if not self.ids:
            return
        # sudo: every entry about the document gets the note, whoever deletes it
        entries = (
            self.env["bo.mail.register"]
            .sudo()
            .search([("res_model", "=", self._name), ("res_id", "in", self.ids)])
        )
        if entries:
            entries.with_env(self.env)._bo_note_deleted_documents(self)
