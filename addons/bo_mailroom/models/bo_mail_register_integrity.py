import hashlib

from odoo import models
from odoo.addons.bo_base.models import bo_guard

FINGERPRINT_FIELDS = ("register_id", "attachment_id", "name", "sha256", "file_size")


class BoMailRegister(models.Model):
    """Fingerprints of the registered files and their integrity check."""

    _inherit = "bo.mail.register"

    @bo_guard.writes(*FINGERPRINT_FIELDS, model="bo.mail.register.hash")
    def _store_fingerprints(self):
        """Fingerprint the files of the entries being registered, in one insert."""
        # sudo: the fingerprints are written by the registration, never by hand
        self.env["bo.mail.register.hash"].sudo().create(
            [
                {
                    "register_id": entry.id,
                    "attachment_id": attachment.id,
                    "name": attachment.name,
                    "sha256": hashlib.sha256(attachment.raw or b"").hexdigest(),
                    "file_size": attachment.file_size,
                }
                for entry in self
                for attachment in entry.attachment_ids.sudo()
            ]
        )

    @bo_guard.writes("integrity", model="bo.mail.register.hash")
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
