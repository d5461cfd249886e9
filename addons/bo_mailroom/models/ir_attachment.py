from odoo import api, models
from odoo.exceptions import UserError

PROTECTED_ATTACHMENT_FIELDS = {"datas", "raw", "db_datas", "store_fname", "res_model", "res_id"}


class IrAttachment(models.Model):
    _inherit = "ir.attachment"

    def _bo_mailroom_evidence(self):
        """Attachments that are part of the register's evidence."""
        if not self.ids:
            return self.browse()
        # sudo: the check must see every fingerprint, whoever deletes the file
        fingerprints = (
            self.env["bo.mail.register.hash"].sudo().search([("attachment_id", "in", self.ids)])
        )
        daily = self.sudo().filtered(lambda a: a.res_model == "bo.mail.register.day")
        return fingerprints.attachment_id | daily.with_env(self.env)

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
        if PROTECTED_ATTACHMENT_FIELDS.intersection(vals):
            evidence = self._bo_mailroom_evidence()
            if evidence:
                changed = evidence.sudo().filtered(
                    lambda a: any(
                        (fname in ("res_model", "res_id") and a[fname] != vals[fname])
                        or fname not in ("res_model", "res_id")
                        for fname in PROTECTED_ATTACHMENT_FIELDS.intersection(vals)
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
