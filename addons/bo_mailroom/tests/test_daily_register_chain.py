"""The chain of the daily registers: each seal covers the day before."""

from datetime import timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import SQL

from ..models.bo_mail_register_day_chain import CHAIN_GENESIS, chain_digest
from .common import SealedDaysCommon


@tagged("post_install", "-at_install", "bo_dates", "bo_day_bounds")
class TestDailyRegisterChain(SealedDaysCommon):
    def _broken(self):
        self.env.invalidate_all()
        return self.Day._bo_verify_chain(self.chain_company)

    def test_each_seal_covers_the_previous_day(self):
        first, second, third = self.sealed
        self.assertEqual(first.previous_seal, CHAIN_GENESIS)
        self.assertEqual(second.previous_seal, first.chain_sha256)
        self.assertEqual(third.previous_seal, second.chain_sha256)
        self.assertEqual(
            second.chain_sha256,
            chain_digest(
                first.chain_sha256,
                self.chain_company.id,
                second.date,
                second.sha256,
                second.register_file_sha256,
                second.complete_file_sha256,
            ),
        )
        self.assertEqual((second.entry_count, second.cancel_count), (1, 1))
        self.assertFalse(self._broken())

    def test_draft_registered_the_next_day_leaves_its_draft_day_whole(self):
        """A day lists again as it was sealed, whatever its drafts became."""
        draft_day, next_day = (self.dates[2] + timedelta(days=n) for n in (1, 2))
        with freeze_time(f"{draft_day} 09:00:00"):
            draft = self.Register.create(
                {
                    "company_id": self.chain_company.id,
                    "direction": "incoming",
                    "channel": "post",
                    "partner_id": self.partner.id,
                    "subject": "Bozza",
                }
            )
            self.env.flush_all()
            self.env.cr.precommit.run()
        with freeze_time(f"{draft_day} 10:00:00"):
            draft.subject = "Bozza corretta"
            self.env.flush_all()
            self.env.cr.precommit.run()
        self.Day._generate(self.chain_company, draft_day)
        with freeze_time(f"{next_day} 09:00:00"):
            draft.action_register()
            self.env.flush_all()
            self.env.cr.precommit.run()
        self.assertEqual(self.Day._generate(self.chain_company, next_day).entry_count, 1)
        self.assertFalse(self._broken())

    def test_a_day_before_a_sealed_one_cannot_be_sealed(self):
        with self.assertRaisesRegex(UserError, "cannot be sealed now"):
            self.Day._generate(self.chain_company, self.dates[0] - timedelta(days=1))

    def test_rewritten_day_breaks_the_chain(self):
        self._without_immutability()
        second = self.sealed[1]
        self.env.cr.execute(
            SQL(
                "UPDATE bo_mail_register_day SET entry_count = 0, sha256 = %s WHERE id = %s",
                "1" * 64,
                second.id,
            )
        )
        broken = self._broken()
        self.assertEqual(broken["day"], second)
        self.assertIn("no longer matches its seal", broken["reason"])
        # Rewritten with a seal to match: the entries of the day tell.
        seal = chain_digest(
            second.previous_seal,
            self.chain_company.id,
            second.date,
            "1" * 64,
            second.register_file_sha256,
            second.complete_file_sha256,
        )
        self.env.cr.execute(
            SQL("UPDATE bo_mail_register_day SET chain_sha256 = %s WHERE id = %s", seal, second.id)
        )
        broken = self._broken()
        self.assertEqual(broken["day"], second)
        self.assertIn("no longer give the digest sealed", broken["reason"])

    def test_changed_entry_breaks_the_chain(self):
        self.env.flush_all()
        self.env.cr.execute(
            SQL("UPDATE bo_mail_register SET subject = %s WHERE id = %s", "Altro", self.letter.id)
        )
        broken = self._broken()
        self.assertEqual(broken["day"], self.sealed[0])
        self.assertIn("no longer give the digest sealed", broken["reason"])

    def test_removed_day_breaks_the_chain(self):
        self._without_immutability()
        self.env.cr.execute(
            SQL("DELETE FROM bo_mail_register_day WHERE id = %s", self.sealed[1].id)
        )
        broken = self._broken()
        self.assertEqual(broken["day"], self.sealed[2])
        self.assertIn("a day before it has been removed", broken["reason"])

    def test_swapped_sealed_file_breaks_the_chain(self):
        first, second = self.sealed[:2]
        files = self.env["ir.attachment"].search(
            [
                ("res_model", "=", self.Day._name),
                ("res_id", "in", (first | second).ids),
                ("res_field", "=", "register_file"),
            ]
        )
        self.env.flush_all()
        # Someone with access to the storage serves the second day's file as the first's.
        self.env.cr.execute(
            SQL(
                "UPDATE ir_attachment SET store_fname = %s WHERE id = %s",
                files.filtered(lambda a: a.res_id == second.id).store_fname,
                files.filtered(lambda a: a.res_id == first.id).id,
            )
        )
        broken = self._broken()
        self.assertEqual(broken["day"], first)
        self.assertIn(first.register_file_name, broken["reason"])

    def test_verify_button(self):
        action = self.sealed[0].with_user(self.manager).action_verify_chain()
        self.assertEqual(action["params"]["type"], "success")
        self.assertIn(self.sealed[2].chain_sha256, action["params"]["message"])
        with self.assertRaises(AccessError):
            self.sealed[0].with_user(self.clerk).action_verify_chain()
        self._without_immutability()
        self.env.cr.execute(
            SQL("DELETE FROM bo_mail_register_day WHERE id = %s", self.sealed[1].id)
        )
        self.env.invalidate_all()
        with self.assertRaisesRegex(UserError, str(self.dates[2])):
            self.sealed[0].with_user(self.manager).action_verify_chain()

    def test_nightly_job_tells_a_manager_once(self):
        # The other companies are sealed up to the night's day: only the
        # chain company is checked with a gap.
        night = self.dates[2] + timedelta(days=2)
        for other in self.env["res.company"].search([("id", "!=", self.chain_company.id)]):
            self.Day._generate(other, night - timedelta(days=1))
        self._without_immutability()
        self.env.cr.execute(
            SQL("DELETE FROM bo_mail_register_day WHERE id = %s", self.sealed[1].id)
        )
        self.env.invalidate_all()
        Activity = self.env["mail.activity"]
        for run in (night, night + timedelta(days=1)):
            with freeze_time(f"{run} 01:30:00"):
                self.Day._cron_generate_daily_register()
        activities = Activity.search(
            [("res_model", "=", self.Day._name), ("res_id", "in", self.sealed.ids)]
        )
        self.assertEqual(len(activities), 1, "one open activity per break")
        self.assertEqual(activities.res_id, self.sealed[2].id)
        self.assertEqual(activities.user_id, self.manager)
        self.assertIn("a day before it has been removed", str(activities.note))
        # The manager marks it done; nobody posts anything else on a day.
        activities.with_user(self.manager).action_feedback(feedback="Checked with the backup")
        self.assertFalse(activities.exists().filtered("active"))
        Day = self.Day.with_user(self.manager)
        self.assertFalse(
            Day._get_thread_with_access(self.sealed[2].id, mode=Day._mail_post_access),
            "the chatter's post route refuses a message on a sealed day",
        )
