from odoo import fields, models


class BoMailRegisterHash(models.Model):
    """The fingerprint of an attachment taken when its entry was registered.

    Kept apart from ``ir.attachment`` so that neither a change of the file nor
    of the attachment record can rewrite the evidence it is checked against.
    """

    _name = "bo.mail.register.hash"
    _description = "Registered Attachment Fingerprint"
    _order = "register_id, id"

    register_id = fields.Many2one(
        "bo.mail.register", string="Entry", required=True, index=True, ondelete="restrict"
    )
    attachment_id = fields.Many2one("ir.attachment", index=True, ondelete="set null")
    name = fields.Char(string="File Name", required=True)
    sha256 = fields.Char(string="SHA-256", required=True)
    file_size = fields.Integer(string="Size (Bytes)")
    integrity = fields.Selection(
        [("ok", "Intact"), ("tampered", "Changed"), ("missing", "Missing")],
        readonly=True,
        help="Result of the last integrity check.",
    )
