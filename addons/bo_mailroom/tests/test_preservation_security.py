"""Who configures preservation, who reads what was sent, and the guard."""

import os
import tempfile
from datetime import date

from freezegun import freeze_time

from odoo.addons.bo_base.tests.common import GuardAttackKit, new_bo_user
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

from .preservation_common import JOB_LOGGERS, PreservationCommon


@tagged("post_install", "-at_install")
class TestPreservationAccess(PreservationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        os.makedirs(os.path.join(cls.root, "versamenti"))
        cls.destination = cls._destination()
        cls._run_cls()

    @classmethod
    def _run_cls(cls):
        with freeze_time("2035-03-24 10:00:00"), mute_logger(*JOB_LOGGERS):
            cls.Transmission._cron_send_to_preservation()
        cls.transmission = cls.Transmission.search(
            [("company_id", "=", cls.chain_company.id)], limit=1
        )

    def _assert_access(self, records, expected):
        """Each user has exactly these (read, write, create, unlink) rights."""
        for user, rights in expected.items():
            for operation, allowed in zip(
                ("read", "write", "create", "unlink"), rights, strict=True
            ):
                with self.subTest(user=user.login, operation=operation):
                    self.assertEqual(records.with_user(user).has_access(operation), allowed)

    def test_managers_configure_users_read_destinations(self):
        destination = self.destination.with_company(self.chain_company)
        self.clerk.company_ids = [(4, self.chain_company.id)]
        self._assert_access(
            destination,
            {
                self.manager: (True, True, True, True),
                self.clerk: (True, False, False, False),
                self.internal: (False, False, False, False),
                self.portal: (False, False, False, False),
            },
        )

    def test_only_managers_read_transmissions_and_nobody_writes_them(self):
        self.clerk.company_ids = [(4, self.chain_company.id)]
        self._assert_access(
            self.transmission.with_company(self.chain_company),
            {
                self.manager: (True, False, False, False),
                self.clerk: (False, False, False, False),
                self.internal: (False, False, False, False),
                self.portal: (False, False, False, False),
            },
        )

    def test_another_companys_manager_sees_nothing(self):
        other = self.env["res.company"].create({"name": "Estranea S.r.l."})
        stranger = self._stranger(other)
        self.assertFalse(
            self.Transmission.with_user(stranger).search([("id", "=", self.transmission.id)])
        )
        self.assertFalse(
            self.Destination.with_user(stranger).search([("id", "=", self.destination.id)])
        )

    def test_another_companys_manager_cannot_configure_this_company(self):
        other = self.env["res.company"].create({"name": "Estranea S.r.l."})
        stranger = self._stranger(other)
        attempts = {
            "create here": lambda: self.Destination.with_user(stranger).create(
                {
                    "name": "Dirottata",
                    # Inactive: refused by the company, not by the one active destination.
                    "active": False,
                    "company_id": self.chain_company.id,
                    "kind": "folder",
                    "folder_path": os.path.join(self.root, "dirottata"),
                }
            ),
            "write": lambda: self.destination.with_user(stranger).write(
                {"folder_path": os.path.join(self.root, "dirottata")}
            ),
            "move to own company": lambda: self.destination.with_user(stranger).write(
                {"company_id": other.id}
            ),
            "unlink": lambda: self.destination.with_user(stranger).unlink(),
        }
        for path, attempt in attempts.items():
            with self.subTest(path=path), self.assertRaises(AccessError), self.env.cr.savepoint():
                attempt()
        self.assertEqual(self.destination.company_id, self.chain_company)
        self.assertEqual(self.destination.folder_path, os.path.join(self.root, "versamenti"))

    def test_each_company_is_sent_to_its_own_destination_only(self):
        other = self.env["res.company"].create({"name": "Estranea S.r.l."})
        elsewhere = os.path.join(self.root, "estranea")
        os.makedirs(elsewhere)
        self.manager.company_ids = [(4, other.id)]
        other_destination = self._destination(
            name="Conservatore dell'altra", company_id=other.id, folder_path=elsewhere
        )
        with freeze_time("2035-03-27 10:00:00"), mute_logger(*JOB_LOGGERS):
            self.Transmission._cron_send_to_preservation()
        transmissions = self.Transmission.search([("company_id", "=", self.chain_company.id)])
        self.assertEqual(len(transmissions), 3)
        self.assertEqual(transmissions.destination_id, self.destination)
        self.assertFalse(self.Transmission.search([("destination_id", "=", other_destination.id)]))
        self.assertEqual(os.listdir(elsewhere), [], "nothing of this company lands there")

    def _stranger(self, company):
        return new_bo_user(
            self.env, "pres_stranger", "Stranger", "bo_base.group_bo_manager", company=company
        )

    def test_nobody_creates_or_writes_a_received_transmission(self):
        attempts = {
            "create received": lambda T: T.create(
                {"day_id": self.sealed[1].id, "state": "received"}
            ),
            "create with default": lambda T: T.with_context(default_state="received").create(
                {"day_id": self.sealed[1].id}
            ),
            "write received": lambda T: self.transmission.with_env(T.env).write(
                {"state": "received", "receipt_name": "forged.xml"}
            ),
        }
        root = self.env.ref("base.user_root")
        for user in (self.manager, self.clerk, root):
            for path, attempt in attempts.items():
                with self.subTest(user=user.login, path=path):
                    Transmission = self.Transmission.with_user(user).with_company(
                        self.chain_company
                    )
                    if user == root and path == "create with default":
                        # The key is ignored; the day has its transmission already.
                        with self.assertRaises(ValidationError), self.env.cr.savepoint():
                            attempt(Transmission)
                        continue
                    with self.assertRaises(AccessError), self.env.cr.savepoint():
                        attempt(Transmission)
        self.assertEqual(self.transmission.state, "sent")
        # On a day not sent yet, the key is ignored: the transmission starts unsent.
        new_day = self.Day._generate(self.chain_company, date(2035, 3, 24))
        created = (
            self.Transmission.with_user(root)
            .with_context(default_state="received")
            .create({"day_id": new_day.id})
        )
        self.assertEqual(created.state, "to_send")

    def test_folder_outside_the_allowed_root_is_refused(self):
        elsewhere = tempfile.gettempdir()
        for path in (elsewhere, os.path.join(self.root, "..", "fuori"), "relativa/cartella"):
            with self.subTest(path=path), self.assertRaises(ValidationError):
                self.destination.with_user(self.manager).folder_path = path
        self.env["ir.config_parameter"].set_param("bo_mailroom.preservation_folder_root", "")
        with self.assertRaises(ValidationError):
            self._destination(name="Senza radice", active=False)


@tagged("post_install", "-at_install")
class TestTransmissionGuard(GuardAttackKit):
    """State, attempts, package and receipt: only the job's actions write them."""

    guarded_model = "bo.mail.register.day.transmission"

    @classmethod
    def setUpClass(cls):
        cls.root = tempfile.mkdtemp(prefix="bo_preservation_guard_")
        super().setUpClass()

    @classmethod
    def _guard_record(cls):
        cls.env["ir.config_parameter"].set_param("bo_mailroom.preservation_folder_root", cls.root)
        Destination = cls.env["bo.mail.preservation.destination"]
        for name in ("Primo", "Secondo"):
            Destination.create(
                {
                    "name": name,
                    "kind": "folder",
                    "folder_path": os.path.join(cls.root, name),
                    "active": name == "Primo",
                }
            )
        Day = cls.env["bo.mail.register.day"]
        cls.days = Day.browse()
        for day in (date(2037, 1, 5), date(2037, 1, 6)):
            cls.days |= Day._generate(cls.env.company, day)
        return cls.env["bo.mail.register.day.transmission"].create({"day_id": cls.days[0].id})

    @classmethod
    def _guard_create_values(cls):
        return {"day_id": cls.days[1].id}


@tagged("post_install", "-at_install")
class TestPreservationItalian(TransactionCase):
    def test_preservation_reads_in_italian(self):
        self.env["res.lang"]._activate_lang("it_IT")
        self.env["ir.module.module"]._load_module_terms(["bo_mailroom"], ["it_IT"], overwrite=True)
        Transmission = self.env["bo.mail.register.day.transmission"].with_context(lang="it_IT")
        states = dict(Transmission.fields_get(["state"])["state"]["selection"])
        self.assertEqual(states["received"], "Rapporto ricevuto")
        self.assertEqual(states["to_send"], "Da trasmettere")
        labels = Transmission.fields_get(["receipt_file", "destination_id"])
        self.assertEqual(labels["receipt_file"]["string"], "Rapporto di versamento")
        self.assertEqual(labels["destination_id"]["string"], "Destinazione")
        model = self.env["ir.model"].with_context(lang="it_IT")._get(Transmission._name)
        self.assertEqual(model.name, "Trasmissione in conservazione")
        Destination = self.env["bo.mail.preservation.destination"].with_context(lang="it_IT")
        labels = Destination.fields_get(["kind", "sftp_host_key_fingerprint"])
        self.assertEqual(dict(labels["kind"]["selection"])["sftp"], "Server SFTP")
        fingerprint = labels["sftp_host_key_fingerprint"]["string"]
        self.assertEqual(fingerprint, "Impronta della chiave host")
