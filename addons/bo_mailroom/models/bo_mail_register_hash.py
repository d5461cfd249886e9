from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..tools.sql_guard import ensure_immutable

# The result of the last integrity check is the only thing that changes.
MUTABLE_FIELDS = ("integrity",)


class BoMailRegisterHash(models.Model):
    """The fingerprint of an attachment taken when its entry was registered.

    Kept apart from ``ir.attachment`` so that neither a change of the file nor
    of the attachment record can rewrite the evidence it is checked against.
    Fingerprints cannot be rewritten nor deleted, not even by code running as
    superuser: the database refuses it too. Every field is guarded: the
    registration writes a fingerprint, the integrity check its result.
    """

    _name = "bo.mail.register.hash"
    _description = "Registered Attachment Fingerprint"
    _order = "register_id, id"

    register_id = fields.Many2one(
        "bo.mail.register",
        string="Entry",
        required=True,
        index=True,
        ondelete="restrict",
        bo_guarded=True,
    )
    attachment_id = fields.Many2one(
        "ir.attachment", index=True, ondelete="restrict", bo_guarded=True
    )
    name = fields.Char(string="File Name", required=True, bo_guarded=True)
    sha256 = fields.Char(string="SHA-256", required=True, bo_guarded=True)
    file_size = fields.Integer(string="Size (Bytes)", bo_guarded=True)
    integrity = fields.Selection(
        [("ok", "Intact"), ("tampered", "Changed"), ("missing", "Missing")],
        readonly=True,
        bo_guarded=True,
        help="Result of the last integrity check.",
    )

    def init(self):
        ensure_immutable(self.env.cr, self._table, mutable_columns=MUTABLE_FIELDS)
        return super().init()

    @api.model_create_multi
    def create(self, vals_list):
        # Every field of a fingerprint is guarded: only the registration,
        # granted them all, creates one (a create without them would be an
        # empty fingerprint, whatever the defaults).
        if self._bo_guard_ungranted(self._bo_guarded_fields() - set(MUTABLE_FIELDS)):
            raise AccessError(self.env._("Fingerprints are taken by the registration only."))
        return super().create(vals_list)

    def write(self, vals):
        if set(vals) - set(MUTABLE_FIELDS):
            raise UserError(self.env._("Fingerprints taken at registration cannot be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        if self:
            raise UserError(self.env._("Fingerprints taken at registration cannot be deleted."))
