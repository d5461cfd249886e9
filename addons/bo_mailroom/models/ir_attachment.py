from odoo import api, models
from odoo.exceptions import UserError

# The content and the identity of a file: what it is, whose it is, who sees it.
PROTECTED_ATTACHMENT_FIELDS = {"datas", "raw", "db_datas", "store_fname", "url"}
# Refused only when the value changes: the ORM and the mail composer rewrite
# them with the same value.
KEPT_ATTACHMENT_FIELDS = {"name", "public", "res_field", "res_model", "res_id", "type"}


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    def _bo_mailroom_evidence(self):
        """Attachments that are part of the register's evidence.

        Every file of an entry that is no longer a draft (registered, or kept
        in error: its ``.eml`` is the only copy of the message) or that was
        received by mail (waiting for triage: its files are what the mailbox
        received), the files fingerprinted at registration and the daily
        registers.
        """
        if not self.ids:
            return self.browse()
        # sudo: the check must see every fingerprint and entry, whoever changes the file
        fingerprints = (
            self.env["bo.mail.register.hash"].sudo().search([("attachment_id", "in", self.ids)])
        )
        files = self.sudo()
        on_entries = files.filtered(lambda a: a.res_model == "bo.mail.register" and a.res_id)
        frozen = self.env["bo.mail.register"]._bo_frozen_file_ids(on_entries.mapped("res_id"))
        evidence = (
            fingerprints.attachment_id
            | on_entries.filtered(lambda a: a.res_id in frozen)
            | files.filtered(lambda a: a.res_model == "bo.mail.register.day")
        )
        return evidence.with_env(self.env)

    def _bo_value_changes(self, fname, vals):
        field = self._fields[fname]
        new = field.convert_to_record(field.convert_to_cache(vals[fname], self), self)
        return new != self[fname]

    @api.ondelete(at_uninstall=True)
    def _unlink_except_mailroom_evidence(self):
        evidence = self._bo_mailroom_evidence()
        if evidence:
            raise UserError(
                self.env._(
                    "These files are evidence of the correspondence register and "
                    "cannot be deleted: %s",
                    ", ".join(evidence.sudo().mapped("name")),
                )
            )

    def write(self, vals):
        checked = (PROTECTED_ATTACHMENT_FIELDS | KEPT_ATTACHMENT_FIELDS).intersection(vals)
        if checked:
            evidence = self._bo_mailroom_evidence()
            if evidence:
                # Access first: the refusal below names the files, which only
                # those allowed to write them may read.
                evidence.check_access("write")
                changed = evidence.sudo().filtered(
                    lambda a: any(
                        fname in PROTECTED_ATTACHMENT_FIELDS or a._bo_value_changes(fname, vals)
                        for fname in checked
                    )
                )
                if changed:
                    raise UserError(
                        self.env._(
                            "These files are evidence of the correspondence register "
                            "and cannot be changed: %s",
                            ", ".join(changed.mapped("name")),
                        )
                    )
        return super().write(vals)
