"""A sealed day goes to a preservation folder, and its receipt comes back."""

import os
import shutil

from odoo.tests import tagged

from .preservation_common import LandingFolderCommon, PreservationCommon


@tagged("post_install", "-at_install", "bo_dates")
class TestPreservationFolder(LandingFolderCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.folder = os.path.join(cls.root, "versamenti")
        os.makedirs(cls.folder)
        cls.destination = cls._destination(folder_path=cls.folder)

    def test_sealed_days_are_sent_by_the_next_working_day_and_verify(self):
        transmissions = self._assert_sent_whole_once()
        # Friday's day is due on Tuesday: Saturday, Sunday and Easter Monday are not working days.
        self.assertEqual(
            [str(d) for d in transmissions.mapped("due_date")],
            ["2035-03-22", "2035-03-23", "2035-03-27"],
        )
        self.assertFalse([name for name in os.listdir(self.folder) if name.endswith(".part")])

    def test_receipt_dropped_beside_the_package_is_attached_to_the_day(self):
        self._assert_receipt_beside_the_package_is_taken()


@tagged("post_install", "-at_install", "bo_dates")
class TestPreservationRetry(PreservationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The folder does not exist (an unmounted share): every write fails.
        cls.folder = os.path.join(cls.root, "non-montata")
        cls.destination = cls._destination(folder_path=cls.folder)

    def setUp(self):
        super().setUp()
        shutil.rmtree(self.folder, ignore_errors=True)

    def _activities(self):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "bo.mail.register.day.transmission"),
                ("res_id", "in", self._transmissions().ids),
            ]
        )

    def test_failing_destination_is_retried_then_reported_once_to_a_manager(self):
        self._run("2035-03-24 10:00:00")  # Saturday
        transmissions = self._transmissions()
        self.assertEqual(set(transmissions.mapped("state")), {"failed"})
        self.assertEqual(transmissions.mapped("attempt_count"), [1, 1, 1])
        self.assertIn("non-montata", transmissions[0].last_error)
        # The package is built once: every attempt sends the same bytes.
        packages = transmissions.mapped("package_sha256")
        self.assertTrue(all(packages))
        self._run("2035-03-26 10:00:00")  # Easter Monday
        self.assertEqual(transmissions.mapped("attempt_count"), [2, 2, 2])
        self.assertEqual(transmissions.mapped("package_sha256"), packages)
        self.assertFalse(self._activities(), "one working day late is not reported yet")

        self._run("2035-03-27 10:00:00")  # Tuesday
        self._run("2035-03-27 11:00:00")
        activities = self._activities()
        self.assertEqual(len(activities), 1, "one activity, not one per run")
        self.assertEqual(activities.res_id, transmissions[0].id)  # Wednesday's, due Thursday
        self.assertEqual(activities.user_id, self.manager)

        self._run("2035-03-28 10:00:00")  # Wednesday: Thursday's day too, due Friday
        self.assertEqual(sorted(self._activities().mapped("res_id")), sorted(transmissions[:2].ids))
        self.assertFalse(transmissions[2].escalated_date, "Friday's day is due on Tuesday")

        # The share is back: the next run sends what waited.
        os.makedirs(self.folder)
        self._run("2035-03-28 11:00:00")
        self.assertEqual(set(transmissions.mapped("state")), {"sent"})
        self.assertEqual(transmissions.mapped("attempt_count"), [6, 6, 6])
        self.assertFalse(any(transmissions.mapped("last_error")))
        for transmission in transmissions:
            with open(os.path.join(self.folder, transmission.package_name), "rb") as file:
                self.assertEqual(file.read(), self._package(transmission))

    def test_one_failing_company_does_not_stop_another(self):
        other = self.env["res.company"].create({"name": "Altra Sede S.r.l."})
        other.partner_id.tz = "Europe/Rome"
        self.manager.company_ids = [(4, other.id)]
        self.Day._generate(other, self.dates[0])
        folder = os.path.join(self.root, "altra")
        os.makedirs(folder)
        self.Destination.create(
            {"name": "Altro", "company_id": other.id, "kind": "folder", "folder_path": folder}
        )
        self._run("2035-03-24 10:00:00")
        self.assertEqual(set(self._transmissions().mapped("state")), {"failed"})
        sent = self.Transmission.search([("company_id", "=", other.id)])
        self.assertEqual(sent.state, "sent")
        self.assertTrue(os.path.exists(os.path.join(folder, sent.package_name)))
