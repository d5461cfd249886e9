import hashlib

from odoo import models

from .bo_mail_register import _PRIVILEGED


class BoMailRegister(models.Model):
    """Fingerprints of the registered files and their integrity check."""

    _inherit = "bo.mail.register"

    def _store_fingerprints(self):
        self.ensure_one()
        # sudo: the fingerprints are written by the registration, never by hand
        Hash = self.env["bo.mail.register.hash"].with_context(bo_mailroom_privileged=_PRIVILEGED)
        Hash.sudo().create(
            [
                {
                    "register_id": self.id,
                    "attachment_id": attachment.id,
                    "name": attachment.name,
                    "sha256": hashlib.sha256(attachment.raw or b"").hexdigest(),
                    "file_size": attachment.file_size,
                }
                for attachment in self.attachment_ids.sudo()
            ]
        )

    def action_verify_integrity(self):
        """Compare each registered file with the fingerprint taken at registration."""
        problems = []
        for fingerprint in self.sudo().hash_ids:
            attachment = fingerprint.attachment_id
            if not attachment.exists():
                result = "missing"
            elif hashlib.sha256(attachment.raw or b"").hexdigest() == fingerprint.sha256:
                result = "ok"
            else:
                result = "tampered"
            fingerprint.integrity = result
            if result != "ok":
                problems.append(fingerprint)
        if problems:
            message = self.env._(
                "Integrity check failed. These files no longer match their "
                "registered fingerprint: %s",
                ", ".join(f"{p.register_id.name}: {p.name}" for p in problems),
            )
            msg_type = "danger"
        else:
            message = self.env._("Integrity check passed: every registered file is intact.")
            msg_type = "success"
        for entry in self:
            entry.message_post(body=message, subtype_xmlid="mail.mt_note")
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Verify Integrity"),
                "message": message,
                "type": msg_type,
                "sticky": bool(problems),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
