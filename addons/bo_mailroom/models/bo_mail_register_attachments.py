from odoo import Command, fields, models
from odoo.addons.bo_base.models import bo_guard


class BoMailRegister(models.Model):
    """The entry's files: its own, never another record's.

    Their fingerprints are taken at registration (``_integrity.py``); from
    then on, and from their arrival for a message received by mail, they are
    evidence (``ir_attachment.py``).
    """

    _inherit = "bo.mail.register"

    attachment_ids = fields.Many2many(
        "ir.attachment",
        "bo_mail_register_attachment_rel",
        "register_id",
        "attachment_id",
        string="Attachments",
        copy=False,
    )
    hash_ids = fields.One2many(
        "bo.mail.register.hash", "register_id", string="Fingerprints", readonly=True
    )

    @bo_guard.writes("attachment_ids")
    def _bind_attachments(self):
        """Make every file linked to the entry a file of the entry.

        Files just uploaded by the user are attached to the entry, so that they
        share its access rights. A file of another record (another entry, a
        document) is copied instead: registering the entry freezes its files,
        and must not freeze another record's file nor move it away.
        """
        for entry in self:
            # sudo: to tell whose the linked files are; the copy below is made
            # with the user's own rights, so an unreadable file is refused
            linked = entry.sudo().attachment_ids
            own = linked.filtered(lambda a, e=entry: a.res_model == e._name and a.res_id == e.id)
            uploaded = (linked - own).filtered(
                lambda a: (
                    (not a.res_id or a.res_model == "mail.compose.message")
                    and not a.res_field
                    and (a.create_uid.id == self.env.uid or self.env.su)
                )
            )
            if uploaded:
                # sudo: files just uploaded by the user, linked to a record they can write
                uploaded.write({"res_model": entry._name, "res_id": entry.id})
            foreign = (linked - own - uploaded).with_env(self.env)
            if not foreign:
                continue
            copies = self.env["ir.attachment"]
            for attachment in foreign:
                copies |= attachment.copy(
                    {
                        "res_model": entry._name,
                        "res_id": entry.id,
                        "res_field": False,
                        "public": False,
                    }
                )
            entry.write(
                {
                    "attachment_ids": [Command.unlink(a.id) for a in foreign]
                    + [Command.link(c.id) for c in copies]
                }
            )
