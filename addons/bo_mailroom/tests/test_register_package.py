"""The package of a period, and the offline verifier that checks it."""

import base64
import contextlib
import importlib.util
import io
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from datetime import timedelta

from lxml import etree

from odoo.addons.bo_base.tests.common import new_bo_user
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools.misc import file_path

from .common import SealedDaysCommon

VERIFIER = file_path("bo_mailroom/tools/verify_register.py")
SINCRO = "{http://www.uni.com/U3011/sincro-v2/}"


def _load_verifier():
    """The verifier as anyone runs it: a file, not a module of the addon."""
    spec = importlib.util.spec_from_file_location("bo_verify_register", VERIFIER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@tagged("post_install", "-at_install", "bo_dates")
class TestRegisterPackage(SealedDaysCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.verifier = _load_verifier()
        cls.tmp = tempfile.mkdtemp(prefix="bo_register_package_")
        cls.addClassCleanup(shutil.rmtree, cls.tmp)
        cls.package = cls._export(cls.dates[0], cls.dates[-1])

    @classmethod
    def _export(cls, date_from, date_to, user=None):
        wizard = (
            cls.env["bo.mail.register.package"]
            .with_user(user or cls.manager)
            .with_company(cls.chain_company)
            .create(
                {"company_id": cls.chain_company.id, "date_from": date_from, "date_to": date_to}
            )
        )
        action = wizard.action_export()
        assert f"/{wizard.id}/package_file/" in action["url"]
        return base64.b64decode(wizard.package_file)

    def _verify(self, content):
        """Run the verifier on ``content``: its exit code and what it printed."""
        path = os.path.join(self.tmp, "package.zip")
        with open(path, "wb") as package:
            package.write(content)
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            code = self.verifier.main([path])
        return code, out.getvalue()

    def _tampered(self, replace=None, drop=()):
        """The package with some files replaced (``{path: bytes}``) or dropped."""
        replace = replace or {}
        source = zipfile.ZipFile(io.BytesIO(self.package))
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as target:
            for name in source.namelist():
                if any(name.startswith(prefix) for prefix in drop):
                    continue
                target.writestr(name, replace.get(name, source.read(name)))
        return buffer.getvalue()

    def _index(self):
        return etree.fromstring(zipfile.ZipFile(io.BytesIO(self.package)).read("index.xml"))

    def _assert_broken(self, content, *expected):
        code, printed = self._verify(content)
        self.assertEqual(code, 1, printed)
        for text in expected:
            self.assertIn(text, printed)

    # ------------------------------------------------------------------
    # The package
    # ------------------------------------------------------------------

    def test_package_holds_the_period_and_verifies(self):
        names = zipfile.ZipFile(io.BytesIO(self.package)).namelist()
        for day in self.sealed:
            folder = f"days/{day.date}"
            for name in ("lines.txt", day.register_file_name, day.complete_file_name):
                self.assertIn(f"{folder}/{name}", names)
        index = self._index()
        documents = {d.get("IDDocumento"): d for d in index.iter("Documento")}
        self.assertEqual(set(documents), {self.letter.name, self.outgoing.name, self.reply.name})
        letter = documents[self.letter.name]
        eml = self.letter.hash_ids.filtered(lambda h: h.name == "original_email.eml")
        self.assertEqual(letter.findtext("IdDoc/ImprontaCrittografica"), eml.sha256)
        self.assertEqual(letter.findtext("IdDoc/Algoritmo"), "SHA-256")
        self.assertEqual(letter.findtext("DatiDiRegistrazione/TipologiaDiFlusso"), "E")
        self.assertEqual(letter.findtext("Allegati/NumeroAllegati"), "2")
        self.assertEqual(letter.findtext("Soggetti/Ruolo/Denominazione"), "Ferramenta Verdi")
        cancelled = documents[self.outgoing.name]
        self.assertEqual(
            cancelled.findtext("TracciatureModificheDocumento/Motivo"), self.CANCEL_REASON
        )
        days = {d.get("date"): d for d in index.iter("Day")}
        self.assertEqual(days[str(self.dates[1])].get("seal"), self.sealed[1].chain_sha256)
        register = index.find(f"{SINCRO}VdC/{SINCRO}MoreInfo/{SINCRO}EmbeddedMetadata/Register")
        self.assertEqual(register.get("previous_seal"), self.sealed[0].previous_seal)
        hashes = {
            f.findtext(f"{SINCRO}ID"): f.find(f"{SINCRO}Hash") for f in index.iter(f"{SINCRO}File")
        }
        self.assertTrue(all(h.get("function") == "SHA-256" for h in hashes.values()))

        code, printed = self._verify(self.package)
        self.assertEqual(code, 0, printed)
        self.assertIn("Checked the chain of 3 days", printed)
        self.assertIn("3 registrations and 1 cancellations", printed)
        self.assertIn(self.sealed[2].chain_sha256, printed)

    def test_verifier_runs_alone_with_python(self):
        """As anyone runs it: python3, no Odoo, not even site-packages."""
        path = os.path.join(self.tmp, "alone.zip")
        with open(path, "wb") as package:
            package.write(self.package)
        python = shutil.which("python3") or sys.executable
        done = subprocess.run(
            [python, "-S", VERIFIER, path], capture_output=True, text=True, timeout=120, check=False
        )
        self.assertEqual(done.returncode, 0, done.stdout + done.stderr)
        self.assertIn("OK:", done.stdout)
        broken = os.path.join(self.tmp, "broken.zip")
        with open(broken, "wb") as package:
            package.write(self._tampered(drop=(f"days/{self.dates[1]}/lines.txt",)))
        done = subprocess.run(
            [python, "-S", VERIFIER, broken],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        self.assertEqual(done.returncode, 1, done.stdout + done.stderr)
        self.assertIn(f"days/{self.dates[1]}/lines.txt", done.stdout)

    def test_verifier_is_no_part_of_the_addon(self):
        """It ships in the addon's folder; Odoo never imports it."""
        self.assertNotIn("odoo.addons.bo_mailroom.tools.verify_register", sys.modules)

    def test_verifier_finds_a_gap_or_a_reused_number(self):
        """What sealed lines with a gap would show (the register never seals one)."""
        verifier = self.verifier.PackageVerifier("unused.zip", out=io.StringIO())
        period = {"date_from": "2035-01-01", "date_to": "2035-01-31"}
        with self.assertRaisesRegex(self.verifier.BrokenLink, "2035/0000002: missing"):
            verifier.check_numbers(period, {"2035/0000001": 0, "2035/0000003": 0})
        with self.assertRaisesRegex(self.verifier.BrokenLink, "its first number is 2"):
            verifier.check_numbers(period, {"2035/0000002": 0})
        text = "R|2035/0000001|x\nR|2035/0000001|y"
        days = [{"date": self.dates[0]}]
        with self.assertRaisesRegex(
            self.verifier.BrokenLink, "2035/0000001: registered or cancelled twice"
        ):
            verifier.check_documents(period, days, [], {self.dates[0]: text})

    def test_package_of_a_later_period_starts_from_the_seal_before_it(self):
        code, printed = self._verify(self._export(self.dates[1], self.dates[2]))
        self.assertEqual(code, 0, printed)
        self.assertIn(f"from the seal {self.sealed[0].chain_sha256}", printed)

    def test_only_a_manager_of_the_company_exports_sealed_days(self):
        outsider = new_bo_user(
            self.env,
            "mr_package_outsider",
            "Other Company Manager",
            "bo_base.group_bo_manager",
            company=self.env["res.company"].create({"name": "Altra Azienda S.p.A."}),
        )
        for user in (self.clerk, self.internal, self.portal, outsider):
            with self.subTest(user=user.name), self.assertRaises(AccessError):
                self._export(self.dates[0], self.dates[-1], user=user)
        with self.assertRaisesRegex(UserError, "not sealed yet"):
            self._export(self.dates[0], self.dates[-1] + timedelta(days=1))

    # ------------------------------------------------------------------
    # Tampered packages
    # ------------------------------------------------------------------

    def test_one_changed_byte_of_a_file_is_found(self):
        index = self._index()
        path = next(
            f.findtext(f"{SINCRO}ID")
            for f in index.iter(f"{SINCRO}File")
            if f.findtext(f"{SINCRO}ID").endswith("offerta.pdf")
        )
        content = bytearray(zipfile.ZipFile(io.BytesIO(self.package)).read(path))
        content[-1] ^= 1
        self._assert_broken(self._tampered({path: bytes(content)}), path, "SHA-256")

    def test_removed_day_is_found(self):
        index = self._index()
        folder = f"days/{self.dates[1]}"
        for group in index.iter(f"{SINCRO}FileGroup"):
            if group.findtext(f"{SINCRO}Label") == folder:
                group.getparent().remove(group)
        content = self._tampered({"index.xml": etree.tostring(index)}, drop=(folder,))
        self._assert_broken(content, f"day {self.dates[1]}: missing")

    def test_renumbered_entry_is_found(self):
        year, seq = self.reply.name.split("/")
        renumbered = f"{year}/{int(seq) + 5:07d}"
        text = zipfile.ZipFile(io.BytesIO(self.package)).read("index.xml")
        content = self._tampered(
            {"index.xml": text.replace(self.reply.name.encode(), renumbered.encode())}
        )
        self._assert_broken(content, self.reply.name, "not described by the index")

    def test_swapped_seals_are_found(self):
        index = self._index()
        first, second = (d for d in index.iter("Day") if d.get("date") != str(self.dates[2]))
        seals = first.get("seal"), second.get("seal")
        first.set("seal", seals[1])
        second.set("seal", seals[0])
        content = self._tampered({"index.xml": etree.tostring(index)})
        self._assert_broken(content, f"day {self.dates[0]}: its seal is {seals[1]}")

    def test_index_edited_by_hand_is_found(self):
        index = self._index()
        document = next(
            d for d in index.iter("Documento") if d.get("IDDocumento") == self.letter.name
        )
        document.find("ChiaveDescrittiva/Oggetto").text = "Offerta accettata"
        content = self._tampered({"index.xml": etree.tostring(index)})
        self._assert_broken(
            content, self.letter.name, "does not describe it as the sealed register"
        )
