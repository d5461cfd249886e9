"""Sealed days outlive renames: of the people who acted, of the fields changed."""

import base64
import io
import os
import shutil
import tempfile
import zipfile
from contextlib import redirect_stdout
from datetime import timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo.tests import tagged
from odoo.tools import SQL

from ..models import bo_mail_register_day
from .common import SealedDaysCommon
from .test_register_package import _load_verifier


@tagged("post_install", "-at_install")
class TestSealedDaysOutliveRenames(SealedDaysCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.verifier = _load_verifier()
        cls.tmp = tempfile.mkdtemp(prefix="bo_register_renames_")
        cls.addClassCleanup(shutil.rmtree, cls.tmp)

    def _export_and_verify(self, date_from, date_to):
        wizard = (
            self.env["bo.mail.register.package"]
            .with_user(self.manager)
            .with_company(self.chain_company)
            .create(
                {"company_id": self.chain_company.id, "date_from": date_from, "date_to": date_to}
            )
        )
        wizard.action_export()
        content = base64.b64decode(wizard.package_file)
        path = os.path.join(self.tmp, "package.zip")
        with open(path, "wb") as package:
            package.write(content)
        printed = io.StringIO()
        with redirect_stdout(printed):
            code = self.verifier.main([path])
        return code, printed.getvalue(), zipfile.ZipFile(io.BytesIO(content))

    def test_renaming_people_and_relabelling_fields_leaves_sealed_days_whole(self):
        cancelled_on = self.sealed[1]
        self.assertEqual(set(self.sealed.mapped("lines_version")), {2})
        self.assertEqual(cancelled_on.cancel_count, 1)
        self.assertTrue(sum(self.sealed.mapped("change_count")), "the days list changes")
        sealed_name = self.manager.name
        # The manager who cancelled and wrote changes marries; the mailroom's
        # own author is renamed; a release relabels the field tracked.
        self.manager.name = "Nome Cambiato"
        self.env.user.partner_id.name = "Autore Rinominato"
        self.env.cr.execute(
            SQL(
                "UPDATE ir_model_fields SET field_description = %s "
                "WHERE model = 'bo.mail.register' AND name = 'state'",
                '{"en_US": "Workflow Status"}',
            )
        )
        self.env.invalidate_all()

        self.assertFalse(self.Day._bo_verify_chain(self.chain_company))
        code, printed, package = self._export_and_verify(self.dates[0], self.dates[-1])
        self.assertEqual(code, 0, printed)
        lines = package.read(f"days/{cancelled_on.date}/lines.txt").decode()
        self.assertIn(f"|{sealed_name}|{self.CANCEL_REASON}", lines)
        self.assertNotIn("Nome Cambiato", lines)

    def test_a_day_sealed_by_the_first_writing_still_verifies(self):
        """Days sealed before version 2 keep the writing they were sealed with."""
        day = self.dates[-1] + timedelta(days=1)
        with freeze_time(f"{day} 10:00:00"):
            self._sealed_entry(subject="Lettera del primo formato")
        with patch.object(bo_mail_register_day, "LINES_VERSION", 1):
            first_writing = self.Day._generate(self.chain_company, day)
        self.assertEqual(first_writing.lines_version, 1)
        self.assertEqual(first_writing.entry_count, 1)

        self.assertFalse(self.Day._bo_verify_chain(self.chain_company))
        code, printed, package = self._export_and_verify(day, day)
        self.assertEqual(code, 0, printed)
        self.assertIn("|Incoming|", package.read(f"days/{day}/lines.txt").decode())
