import base64
import hashlib
from datetime import date

import psycopg2
from freezegun import freeze_time

from odoo import Command
from odoo.addons.bo_base.tests.common import new_bo_user
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import SQL, mute_logger

from .common import MailroomCommon


@tagged("post_install", "-at_install", "bo_dates", "bo_day_bounds")
class TestDailyRegisterSecurity(MailroomCommon):
    """The sealed daily register: who reads what, and that it never changes."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.partner_id.tz = "Europe/Rome"
        cls.Day = cls.env["bo.mail.register.day"]
        cls.lawyer = cls.env["res.partner"].create({"name": "Studio Legale Bianchi"})
        with freeze_time("2033-09-14 09:00:00"):
            cls.secret = cls.Register.create(
                {
                    "direction": "incoming",
                    "channel": "post",
                    "partner_id": cls.lawyer.id,
                    "subject": "Licenziamento del dipendente Rossi",
                    "confidentiality": "confidential",
                    "user_id": cls.manager.id,
                    "attachment_ids": [
                        Command.create(
                            {
                                "name": "diffida-rossi.pdf",
                                "datas": base64.b64encode(b"%PDF diffida"),
                            }
                        )
                    ],
                }
            )
            cls.secret.action_register()
            cls.public = cls.Register.create(
                {
                    "direction": "incoming",
                    "channel": "post",
                    "partner_id": cls.partner.id,
                    "subject": "Richiesta catalogo",
                }
            )
            cls.public.action_register()
        cls.day = cls.Day._generate(cls.company, date(2033, 9, 14))

    def _content(self, register_day, field_name):
        return base64.b64decode(register_day[field_name]).decode()

    def _file_attachment(self, field_name):
        return self.env["ir.attachment"].search(
            [
                ("res_model", "=", self.day._name),
                ("res_id", "=", self.day.id),
                ("res_field", "=", field_name),
            ]
        )

    # ------------------------------------------------------------------
    # Confidential entries
    # ------------------------------------------------------------------

    def test_clerk_register_file_masks_confidential_entries(self):
        content = self._content(self.day.with_user(self.clerk), "register_file")
        self.assertIn(self.public.name, content)
        self.assertIn("Richiesta catalogo", content)
        self.assertIn(self.secret.name, content, "the number stays in the register")
        self.assertIn("Confidential entry", content)
        for secret_text in ("Licenziamento", "Rossi", "Studio Legale Bianchi", "diffida-rossi"):
            self.assertNotIn(secret_text, content)
        # Its fingerprint is listed: the file can still be checked against it.
        self.assertIn(self.secret.hash_ids.sha256, content)
        self.assertEqual(self.day.confidential_count, 1)

    def test_manager_reads_the_complete_register(self):
        content = self._content(self.day.with_user(self.manager), "complete_file")
        action = self.day.with_user(self.manager).action_download_complete()
        self.assertIn("/complete_file/", action["url"])
        for text in ("Licenziamento del dipendente Rossi", "Studio Legale Bianchi", "Richiesta"):
            self.assertIn(text, content)

    def test_clerk_cannot_read_the_complete_register_by_any_path(self):
        clerk_day = self.day.with_user(self.clerk)
        with self.assertRaises(AccessError):
            clerk_day.read(["complete_file"])
        with self.assertRaises(AccessError):
            clerk_day.action_download_complete()
        with self.assertRaises(AccessError):
            clerk_day.action_print_complete()
        # /web/content/bo.mail.register.day/<id>/complete_file
        with self.assertRaises(AccessError):
            self.env["ir.binary"].with_user(self.clerk)._get_stream_from(clerk_day, "complete_file")
        # /web/content/<attachment id> and ir.attachment read by RPC
        attachment = self._file_attachment("complete_file")
        self.assertTrue(attachment)
        with self.assertRaises(AccessError):
            attachment.with_user(self.clerk).read(["raw", "datas", "name"])
        with self.assertRaises(AccessError):
            self.env["ir.binary"].with_user(self.clerk)._find_record(res_id=attachment.id)
        found = (
            self.env["ir.attachment"]
            .with_user(self.clerk)
            .search([("res_model", "=", self.day._name), ("res_field", "=", "complete_file")])
        )
        self.assertFalse(found)

    def test_assignee_clerk_still_reads_the_masked_register(self):
        """Even the clerk the entry is assigned to reads it on the entry, not here."""
        with freeze_time("2033-09-15 09:00:00"):
            mine = self._registered_entry(
                subject="Pratica riservata Verdi",
                confidentiality="confidential",
                user_id=self.clerk.id,
            )
        self.assertTrue(mine.with_user(self.clerk).subject)
        day = self.Day._generate(self.company, date(2033, 9, 15))
        self.assertNotIn("Pratica riservata Verdi", self._content(day, "register_file"))
        self.assertIn("Pratica riservata Verdi", self._content(day, "complete_file"))

    def test_entry_made_public_later_stays_masked(self):
        """An entry that was confidential is masked, whatever it is when sealed."""
        with freeze_time("2033-09-16 09:00:00"):
            entry = self._registered_entry(
                subject="Trattativa riservata", confidentiality="confidential"
            )
            self._flush_tracking()
        with freeze_time("2033-09-16 10:00:00"):
            entry.confidentiality = "normal"
            self._flush_tracking()
        day = self.Day._generate(self.company, date(2033, 9, 16))
        self.assertNotIn("Trattativa riservata", self._content(day, "register_file"))

    def test_other_company_clerk_reads_no_register(self):
        other = self.env["res.company"].create({"name": "Altra Azienda S.p.A."})
        outsider = new_bo_user(
            self.env,
            "mr_outsider",
            "Outsider Clerk",
            "bo_base.group_bo_manager",
            company=other,
        )
        with self.assertRaises(AccessError):
            self.day.with_user(outsider).read(["register_file"])
        with self.assertRaises(AccessError):
            self._file_attachment("register_file").with_user(outsider).read(["raw"])

    def test_portal_and_plain_users_read_no_register(self):
        for user in (self.portal, self.internal):
            with self.assertRaises(AccessError):
                self.day.with_user(user).read(["register_file"])
            with self.assertRaises(AccessError):
                self._file_attachment("register_file").with_user(user).read(["raw"])

    # ------------------------------------------------------------------
    # Printing serves the sealed file
    # ------------------------------------------------------------------

    def test_print_and_download_serve_the_sealed_file(self):
        for action in (
            self.day.with_user(self.clerk).action_print(),
            self.day.with_user(self.clerk).action_download(),
        ):
            self.assertEqual(action["type"], "ir.actions.act_url")
            self.assertIn(
                f"/web/content/bo.mail.register.day/{self.day.id}/register_file/", action["url"]
            )
        served = base64.b64decode(self.day.with_user(self.clerk).register_file)
        self.assertEqual(hashlib.sha256(served).hexdigest(), self.day.register_file_sha256)

    def test_report_route_cannot_render_the_day_again(self):
        """/report/html|pdf/bo_mailroom.report_bo_mail_register_day/<id>: refused."""
        report_name = "bo_mailroom.report_bo_mail_register_day"
        forged = {"bo_register": {"lines": {}, "complete": True}}
        for user in (self.clerk, self.manager):
            Report = self.env["ir.actions.report"].with_user(user)
            with self.assertRaises(AccessError):
                Report._render_qweb_html(report_name, self.day.ids)
            with self.assertRaises(AccessError):
                Report._render_qweb_pdf(report_name, self.day.ids)
            with self.assertRaises(AccessError):
                Report._render_qweb_html(report_name, self.day.ids, data=forged)
        self.assertFalse(
            self.env.ref("bo_mailroom.action_report_bo_mail_register_day").binding_model_id
        )

    def test_altered_file_is_not_served(self):
        sealed = self._file_attachment("register_file")
        other = self._attachment("altro.html", b"<html>falso</html>")
        self.env.flush_all()
        # Someone with access to the database swaps the stored file.
        self.env.cr.execute(
            SQL(
                "UPDATE ir_attachment SET store_fname = %s WHERE id = %s",
                other.store_fname,
                sealed.id,
            )
        )
        self.env.invalidate_all()
        with self.assertRaisesRegex(UserError, "no longer matches"):
            self.day.with_user(self.clerk).action_print()

    # ------------------------------------------------------------------
    # Immutability
    # ------------------------------------------------------------------

    def test_sudo_write_or_unlink_of_a_sealed_day_is_refused(self):
        sha256 = self.day.sha256
        with self.assertRaises(UserError):
            self.day.sudo().write({"sha256": "0" * 64})
        with self.assertRaises(UserError):
            self.day.sudo().write({"register_file": base64.b64encode(b"falso")})
        with self.assertRaises(UserError):
            self.day.sudo().unlink()
        self.day.invalidate_recordset()
        self.assertEqual(self.day.sha256, sha256)

    def test_sql_update_or_delete_of_a_sealed_day_is_refused(self):
        for query in (
            SQL("UPDATE bo_mail_register_day SET entry_count = 0 WHERE id = %s", self.day.id),
            SQL("UPDATE bo_mail_register_day SET sha256 = %s WHERE id = %s", "0" * 64, self.day.id),
            SQL("UPDATE bo_mail_register_day SET date = date - 1 WHERE id = %s", self.day.id),
            SQL("DELETE FROM bo_mail_register_day WHERE id = %s", self.day.id),
        ):
            with (
                self.assertRaises(psycopg2.errors.RestrictViolation),
                mute_logger("odoo.sql_db"),
                self.env.cr.savepoint(),
            ):
                self.env.cr.execute(query)
        self.assertEqual(self.day.entry_count, 2)

    def test_no_user_can_create_a_register_day(self):
        for user in (self.clerk, self.manager):
            with self.assertRaises(AccessError):
                self.Day.with_user(user).create(
                    {"company_id": self.company.id, "date": date(2033, 9, 20)}
                )
