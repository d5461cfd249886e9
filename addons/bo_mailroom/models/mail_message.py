from odoo import api, models
from odoo.exceptions import UserError

# Messages created by the current transaction, until it commits: Odoo
# completes a message it has just posted (the notification emails write their
# subject on it), its history starts once it is committed.
NEW_MESSAGES_KEY = "bo_mailroom.new_message_ids"
# What a message says, who wrote it, when and about which entry. Stars, pins
# and notifications stay free.
MESSAGE_EVIDENCE_FIELDS = {
    "body",
    "subject",
    "author_id",
    "author_guest_id",
    "email_from",
    "date",
    "model",
    "res_id",
    "message_type",
    "subtype_id",
    "tracking_value_ids",
    "attachment_ids",
    "partner_ids",
    "message_id",
    "parent_id",
    "is_internal",
}


class MailMessage(models.Model):
    """The chatter of a registered entry is its history: it can grow, not change.

    The daily register lists the changes of the day from these messages and
    their tracking values; whoever can write an entry could otherwise edit or
    delete them.
    """

    _inherit = "mail.message"

    @api.model_create_multi
    def create(self, vals_list):
        messages = super().create(vals_list)
        on_register = messages.filtered(lambda m: m.model == "bo.mail.register")
        if on_register:
            new_ids = self.env.cr.precommit.data.setdefault(NEW_MESSAGES_KEY, set())
            new_ids.update(on_register.ids)
        return messages

    def _bo_mailroom_evidence(self):
        """Messages of register entries that are no longer drafts, once committed."""
        new_ids = self.env.cr.precommit.data.get(NEW_MESSAGES_KEY, ())
        # Outgoing emails of the queue (an acknowledgement sent with a template)
        # are not the entry's history: the queue deletes them once sent.
        # sudo: the check must see every message and entry, whoever writes
        messages = self.sudo().filtered(
            lambda m: (
                m.model == "bo.mail.register"
                and m.res_id
                and m.message_type != "email_outgoing"
                and m.id not in new_ids
            )
        )
        if not messages:
            return self.browse()
        frozen = self.env["bo.mail.register"]._bo_frozen_ids(messages.mapped("res_id"))
        return messages.filtered(lambda m: m.res_id in frozen).with_env(self.env)

    def _bo_mailroom_refuse(self, messages):
        raise UserError(
            self.env._(
                "The history of a registered entry is evidence: its messages cannot be "
                "edited or deleted (%s). Post a new message instead.",
                ", ".join(sorted(set(messages.sudo().mapped("record_name")) - {False})) or "-",
            )
        )

    def write(self, vals):
        if MESSAGE_EVIDENCE_FIELDS.intersection(vals):
            evidence = self._bo_mailroom_evidence()
            if evidence:
                self._bo_mailroom_refuse(evidence)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_mailroom_evidence(self):
        evidence = self._bo_mailroom_evidence()
        if evidence:
            self._bo_mailroom_refuse(evidence)
