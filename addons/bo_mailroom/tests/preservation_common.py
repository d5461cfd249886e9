import base64
import contextlib
import hashlib
import importlib.util
import io
import os
import shutil
import tempfile
from datetime import date

from freezegun import freeze_time

from odoo.tools import mute_logger
from odoo.tools.misc import file_path

from .common import SealedDaysCommon

VERIFIER = file_path("bo_mailroom/tools/verify_register.py")
# What the job logs when a destination fails: the tests read the failure
# from the transmission, where the job records it for the managers.
JOB_LOGGERS = (
    "odoo.addons.bo_mailroom.models.bo_mail_register_day_transmission",
    "odoo.addons.bo_mailroom.models.bo_mail_preservation_destination",
)


class PreservationCommon(SealedDaysCommon):
    """Three sealed days just before Easter 2035 (Easter Monday is 26 March):
    Wednesday 21, Thursday 22 and Friday 23 March, a folder the server may
    write in, and the hourly job at hand."""

    REFERENCE = date(2035, 3, 21)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Transmission = cls.env["bo.mail.register.day.transmission"]
        cls.Destination = cls.env["bo.mail.preservation.destination"]
        cls.root = tempfile.mkdtemp(prefix="bo_preservation_")
        cls.addClassCleanup(shutil.rmtree, cls.root, True)
        cls.env["ir.config_parameter"].set_param("bo_mailroom.preservation_folder_root", cls.root)
        cls.chain_company.email = "protocollo@registrocatena.example.it"
        spec = importlib.util.spec_from_file_location("bo_verify_register", VERIFIER)
        cls.verifier = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(cls.verifier)

    @classmethod
    def _destination(cls, **vals):
        return cls.Destination.with_user(cls.manager).create(
            {
                "name": "Conservatore accreditato",
                "company_id": cls.chain_company.id,
                "kind": "folder",
                "folder_path": os.path.join(cls.root, "versamenti"),
                **vals,
            }
        )

    def _run(self, when):
        """The hourly job, run at ``when`` (Europe/Rome is one hour ahead in March)."""
        with freeze_time(when), mute_logger(*JOB_LOGGERS):
            self.Transmission._cron_send_to_preservation()
        self.env.invalidate_all()

    def _transmissions(self):
        return self.Transmission.search(
            [("company_id", "=", self.chain_company.id)], order="day_date"
        )

    def _package(self, transmission):
        return base64.b64decode(transmission.with_context(bin_size=False).package_file)

    def _verify(self, content):
        """The offline verifier on ``content``: its exit code and what it printed."""
        path = os.path.join(self.root, "verify.zip")
        with open(path, "wb") as package:
            package.write(content)
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            code = self.verifier.main([path])
        os.unlink(path)
        return code, out.getvalue()


class LandingFolderCommon(PreservationCommon):
    """A destination whose packages land in ``cls.folder`` (a local folder,
    or the one an SFTP server serves), where the conservator drops receipts."""

    RECEIPT = b'<?xml version="1.0"?><RapportoDiVersamento esito="OK"/>'

    def setUp(self):
        super().setUp()
        for name in os.listdir(self.folder):
            os.unlink(os.path.join(self.folder, name))

    def _assert_sent_whole_once(self):
        """Monday's run sends each sealed day once; each package lands whole
        and verifies offline; the next run sends nothing again."""
        self._run("2035-03-24 10:00:00")
        transmissions = self._transmissions()
        self.assertEqual(transmissions.day_id, self.sealed)
        self.assertEqual(set(transmissions.mapped("state")), {"sent"})
        self.assertEqual(transmissions.mapped("attempt_count"), [1, 1, 1])
        self.assertEqual(transmissions.destination_id, self.destination)
        for transmission in transmissions:
            with self.subTest(day=transmission.day_date):
                with open(os.path.join(self.folder, transmission.package_name), "rb") as file:
                    written = file.read()
                self.assertEqual(written, self._package(transmission))
                self.assertEqual(hashlib.sha256(written).hexdigest(), transmission.package_sha256)
                code, printed = self._verify(written)
                self.assertEqual(code, 0, printed)
        self._run("2035-03-24 11:00:00")
        self.assertEqual(self._transmissions().mapped("attempt_count"), [1, 1, 1])
        return transmissions

    def _assert_receipt_beside_the_package_is_taken(self, *not_receipts):
        """The receipt dropped beside the first package is the first day's;
        ``not_receipts`` (and a file of the package's name without a
        receipt's marker) are not."""
        self._run("2035-03-24 10:00:00")
        first = self._transmissions()[0]
        stem = first.package_name.removesuffix(".zip")
        files = {f"{stem}.rapporto.xml": self.RECEIPT, f"{stem}.notes.txt": b"nota"}
        files.update(dict.fromkeys(not_receipts, b"altro"))
        for name, content in files.items():
            with open(os.path.join(self.folder, name), "wb") as file:
                file.write(content)
        self._run("2035-03-24 11:00:00")
        self.assertEqual(self._transmissions().mapped("state"), ["received", "sent", "sent"])
        self.assertEqual(first.receipt_name, f"{stem}.rapporto.xml")
        self.assertEqual(first.receipt_sha256, hashlib.sha256(self.RECEIPT).hexdigest())
        self.assertTrue(first.received_datetime)
        day = self.sealed[0].with_user(self.manager).with_company(self.chain_company)
        self.assertEqual(day.transmission_ids.receipt_sha256, first.receipt_sha256)
        self.assertEqual(day.preservation_state, "received")
