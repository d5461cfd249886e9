from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools.sql_guard import ensure_immutable

# The result of the last integrity check is the only thing that changes.
MUTABLE_FIELDS = ("integrity",)


class BoMailRegisterHash(models.Model):
    """The fingerprint of an attachment taken when its entry was registered.

    Kept apart from ``ir.attachment`` so that neither a change of the file nor
    of the attachment record can rewrite the evidence it is checked against.
    Fingerprints cannot be rewritten nor deleted, not even by code running as
    superuser: the database refuses it too.
    """

    _name = "bo.mail.register.hash"
    _description = "Registered Attachment Fingerprint"
    _order = "register_id, id"

    register_id = fields.Many2one(
        "bo.mail.register", string="Entry", required=True, index=True, ondelete="restrict"
    )
    attachment_id = fields.Many2one("ir.attachment", index=True, ondelete="restrict")
    name = fields.Char(string="File Name", required=True)
    sha256 = fields.Char(string="SHA-256", required=True)
    file_size = fields.Integer(string="Size (Bytes)")
    integrity = fields.Selection(
        [("ok", "Intact"), ("tampered", "Changed"), ("missing", "Missing")],
        readonly=True,
        help="Result of the last integrity check.",
    )

    def init(self):
        ensure_immutable(self.env.cr, self._table, mutable_columns=MUTABLE_FIELDS)
        return super().init()

    @api.model_create_multi
    def create(self, vals_list):
        fingerprints = super().create(vals_list)
        # Checked after the access rights, which refuse users first.
        if not self.env["bo.mail.register"]._bo_is_privileged():
            raise UserError(self.env._("Fingerprints are taken by the registration only."))
        return fingerprints

    def write(self, vals):
        if set(vals) - set(MUTABLE_FIELDS):
            raise UserError(self.env._("Fingerprints taken at registration cannot be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        if self:
            raise UserError(self.env._("Fingerprints taken at registration cannot be deleted."))
