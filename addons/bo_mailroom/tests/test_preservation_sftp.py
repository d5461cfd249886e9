"""A sealed day goes to the conservator's SFTP server, and its receipt comes back.

The server is a real one (paramiko's server side, tests/sftp_server.py) on
127.0.0.1, serving a temporary folder to one user with one key.
"""

import os
import shutil
import socket
import tempfile

import paramiko

from odoo.addons.bo_base.tests.common import new_bo_user
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, tagged

from .preservation_common import LandingFolderCommon
from .sftp_server import SFTPTestServer


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@tagged("post_install", "-at_install", "bo_dates")
class TestPreservationSftp(LandingFolderCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.served = tempfile.mkdtemp(prefix="bo_sftp_served_")
        cls.addClassCleanup(shutil.rmtree, cls.served, True)
        cls.folder = os.path.join(cls.served, "versamenti")
        os.makedirs(cls.folder)
        cls.server = SFTPTestServer(cls.served, "versatore").start()
        cls.addClassCleanup(cls.server.stop)
        # An administrator sets up the destination: only they handle its key.
        cls.destination = cls.Destination.create(
            {
                "name": "Conservatore SFTP",
                "company_id": cls.chain_company.id,
                "kind": "sftp",
                "sftp_host": "127.0.0.1",
                "sftp_port": cls.server.port,
                "sftp_username": "versatore",
                "sftp_directory": "versamenti",
                "sftp_host_key_fingerprint": cls.server.fingerprint,
                "sftp_private_key": cls.server.client_private_key,
            }
        )

    def setUp(self):
        super().setUp()
        self.server.logins.clear()

    def test_sealed_days_are_uploaded_whole_to_the_remote_directory(self):
        transmissions = self._assert_sent_whole_once()
        self.assertEqual(
            sorted(os.listdir(self.folder)), sorted(transmissions.mapped("package_name"))
        )

    def test_receipt_dropped_on_the_server_is_attached_to_the_day(self):
        # Another package's receipt is not this one's.
        self._assert_receipt_beside_the_package_is_taken("altro.ricevuta.xml")

    def test_server_with_another_host_key_is_refused_and_nothing_sent(self):
        expected = paramiko.ECDSAKey.generate().fingerprint
        self.destination.sftp_host_key_fingerprint = expected
        self._run("2035-03-24 10:00:00")
        transmissions = self._transmissions()
        self.assertEqual(set(transmissions.mapped("state")), {"failed"})
        self.assertEqual(transmissions.mapped("attempt_count"), [1, 1, 1])
        error = transmissions[0].last_error
        self.assertIn(self.server.fingerprint, error, "the key found is named")
        self.assertIn(expected, error)
        self.assertEqual(os.listdir(self.folder), [], "nothing was sent")
        self.assertEqual(self.server.logins, [], "not even the credentials")

    def test_server_down_is_recorded_and_the_next_run_sends(self):
        port = _free_port()
        self.destination.sftp_port = port
        self._run("2035-03-24 10:00:00")
        transmissions = self._transmissions()
        self.assertEqual(set(transmissions.mapped("state")), {"failed"})
        self.assertIn(f"127.0.0.1:{port} cannot be reached", transmissions[0].last_error)
        # The server is back: the next run sends what waited.
        with SFTPTestServer(
            self.served,
            "versatore",
            port=port,
            host_key=self.server.host_key,
            client_key=self.server.client_key,
        ):
            self._run("2035-03-24 11:00:00")
        self.assertEqual(set(transmissions.mapped("state")), {"sent"})
        self.assertEqual(transmissions.mapped("attempt_count"), [2, 2, 2])
        self.assertFalse(any(transmissions.mapped("last_error")))
        for transmission in transmissions:
            with open(os.path.join(self.folder, transmission.package_name), "rb") as file:
                self.assertEqual(file.read(), self._package(transmission))

    def test_key_refused_by_the_server_is_recorded(self):
        other = SFTPTestServer(self.served, "versatore")
        self.destination.sftp_private_key = other.client_private_key
        self._run("2035-03-24 10:00:00")
        transmissions = self._transmissions()
        self.assertEqual(set(transmissions.mapped("state")), {"failed"})
        self.assertIn("refused the user versatore", transmissions[0].last_error)
        self.assertEqual(os.listdir(self.folder), [])

    def test_remote_directory_missing_is_recorded_and_leaves_no_file(self):
        self.destination.sftp_directory = "non-esiste"
        self._run("2035-03-24 10:00:00")
        transmissions = self._transmissions()
        self.assertEqual(set(transmissions.mapped("state")), {"failed"})
        self.assertIn("could not be written in non-esiste", transmissions[0].last_error)
        self.assertEqual(os.listdir(self.served), ["versamenti"])
        self.assertEqual(os.listdir(self.folder), [])

    def test_incomplete_sftp_destination_is_refused(self):
        self.destination.action_archive()
        self.env.flush_all()
        valid = {
            "name": "Altro",
            "company_id": self.chain_company.id,
            "kind": "sftp",
            "sftp_host": "sftp.conservatore.example.it",
            "sftp_username": "versatore",
            "sftp_directory": "/in",
            "sftp_host_key_fingerprint": self.server.fingerprint,
            "sftp_password": "segreta",
        }
        for field, value, message in (
            ("sftp_host", " ", "host name"),
            ("sftp_port", 70000, "between 1 and 65535"),
            ("sftp_username", False, "user name"),
            ("sftp_directory", False, "remote directory"),
            ("sftp_host_key_fingerprint", False, "fingerprint"),
            ("sftp_host_key_fingerprint", "ab:cd:ef", "fingerprint"),
            ("sftp_password", False, "private key or a password"),
        ):
            with (
                self.subTest(field=field, value=value),
                self.assertRaisesRegex(ValidationError, message),
                self.env.cr.savepoint(),
            ):
                self.Destination.create({**valid, field: value})
        with self.assertRaisesRegex(ValidationError, "cannot be read"), self.env.cr.savepoint():
            self.Destination.create({**valid, "sftp_private_key": "not a key"})
        self.assertTrue(self.Destination.create(valid))

    def test_form_shows_the_sftp_fields_for_an_sftp_destination(self):
        admin = new_bo_user(
            self.env,
            "mr_sftp_admin",
            "Amministratore",
            "bo_base.group_bo_manager,base.group_system",
        )
        with Form(self.Destination.with_user(admin)) as form:
            form.name = "Conservatore SFTP"
            with self.assertRaisesRegex(AssertionError, "invisible field 'sftp_host'"):
                form.sftp_host = "127.0.0.1"  # hidden for a folder
            form.kind = "sftp"
            self.assertEqual(form.sftp_port, 22)
            form.sftp_host = "sftp.conservatore.example.it"
            form.sftp_username = "versatore"
            form.sftp_directory = "versamenti"
            form.sftp_host_key_fingerprint = self.server.fingerprint
            form.sftp_private_key = self.server.client_private_key
        destination = form.record
        self.assertEqual(destination.kind, "sftp")
        self.assertEqual(destination.sudo().sftp_private_key, self.server.client_private_key)
        # A manager's form has no field for the credentials.
        manager_form = Form(destination.with_user(self.manager))
        self.assertEqual(manager_form.sftp_directory, "versamenti")
        with self.assertRaisesRegex(AssertionError, "'sftp_private_key' was not found"):
            manager_form.sftp_private_key = "-----BEGIN"

    def test_credentials_are_never_readable_by_back_office_users(self):
        self.clerk.company_ids = [(4, self.chain_company.id)]
        secrets = ("sftp_private_key", "sftp_password")
        for user in (self.clerk, self.manager):
            destination = self.destination.with_user(user).with_company(self.chain_company)
            with self.subTest(user=user.login):
                self.assertEqual(destination.read(["sftp_host"])[0]["sftp_host"], "127.0.0.1")
                for field in secrets:
                    with self.assertRaises(AccessError):
                        destination.read([field])
                    with self.assertRaises(AccessError):
                        destination.search_read([("id", "=", destination.id)], [field])
                (row,) = destination.search_read([("id", "=", destination.id)])
                self.assertFalse(set(secrets) & set(row))
                self.assertFalse(set(secrets) & set(destination.fields_get()))
        manager_destination = self.destination.with_user(self.manager)
        with self.assertRaises(AccessError):
            manager_destination.write({"sftp_private_key": "-----BEGIN"})
        # A manager edits the rest of the destination...
        manager_destination.write(
            {"sftp_directory": "versamenti/2035", "sftp_port": self.server.port}
        )
        self.assertEqual(self.destination.sftp_directory, "versamenti/2035")
        # ...but never sends the credentials elsewhere.
        for field, value in (
            ("sftp_host", "sftp.altrove.example.com"),
            ("sftp_port", 2222),
            ("sftp_username", "altro"),
            ("sftp_host_key_fingerprint", paramiko.ECDSAKey.generate().fingerprint),
        ):
            with (
                self.subTest(field=field),
                self.assertRaisesRegex(AccessError, "Only an administrator"),
            ):
                manager_destination.write({field: value})
        self.assertEqual(self.destination.sftp_host, "127.0.0.1")
