"""Case files (*fascicoli*): their numbering, sub-files, filing entries into
them, closing and reopening, the list of cases due for disposal, and the
confidentiality of their entries."""

from datetime import date, datetime, timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.addons.bo_base.tests.common import BoUsersCommon, GuardAttackKit, new_bo_user
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import MailroomCommon

# A fixed reference: no test depends on the day it runs.
REFERENCE = datetime(2036, 5, 4, 12, 0, 0)
SECRET = "Segreto industriale Verdi"


@tagged("post_install", "-at_install", "bo_dates")
class TestCaseFiles(MailroomCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Case = cls.env["bo.mail.case"]
        cls.cat_other = cls.env["bo.mail.category"].create(
            {"code": "93", "name": "Suppliers", "retention_years": 3}
        )
        cls.other_company = cls.env["res.company"].create({"name": "Fascicoli Estranei S.r.l."})
        cls.other_clerk = new_bo_user(
            cls.env,
            "mr_case_other_clerk",
            "Otto Estraneo",
            "bo_base.group_bo_user",
            company=cls.other_company,
        )

    def _case(self, user=None, **vals):
        values = {"subject": "Reclami Ferramenta Verdi", "category_id": self.cat_customers.id}
        return self.Case.with_user(user or self.clerk).create({**values, **vals})

    # ------------------------------------------------------------------
    # Numbering
    # ------------------------------------------------------------------

    def test_numbers_run_per_company_and_year(self):
        company = self.env["res.company"].create({"name": "Numerazione Fascicoli S.r.l."})
        values = {"subject": "Pratica", "category_id": self.cat_customers.id}
        with freeze_time(REFERENCE):
            first, second = self.Case.create(
                [{**values, "company_id": company.id}, {**values, "company_id": company.id}]
            )
            other = self.Case.create({**values, "company_id": self.other_company.id})
        with freeze_time(REFERENCE + timedelta(days=365)):
            next_year = self.Case.create({**values, "company_id": company.id})
        self.assertEqual(first.name, "2036/F/0001")
        self.assertEqual(second.name, "2036/F/0002")
        self.assertEqual(other.name, "2036/F/0001")
        self.assertEqual(next_year.name, "2037/F/0001")
        self.assertEqual(first.open_date, REFERENCE.date())
        self.assertEqual(first.display_name, "2036/F/0001 - Pratica")

    # ------------------------------------------------------------------
    # Sub-files
    # ------------------------------------------------------------------

    def test_sub_file_shares_the_classification_of_its_parent_or_one_below(self):
        case = self._case()
        same = self._case(parent_id=case.id, subject="Reclamo 1")
        below = self._case(parent_id=case.id, category_id=self.cat_complaints.id)
        self.assertEqual(case.child_ids, same | below)
        with self.assertRaisesRegex(ValidationError, "must be classified under"):
            self._case(parent_id=case.id, category_id=self.cat_other.id)
        narrow = self._case(category_id=self.cat_complaints.id)
        with self.assertRaisesRegex(ValidationError, "must be classified under"):
            self._case(parent_id=narrow.id, category_id=self.cat_customers.id)
        with self.assertRaisesRegex(ValidationError, "must be classified under"):
            case.with_user(self.clerk).category_id = self.cat_other
        with self.assertRaisesRegex(ValidationError, "its own sub-file"):
            case.with_user(self.clerk).parent_id = same

    def test_sub_file_stays_in_its_parents_company(self):
        case = self._case()
        with self.assertRaises(UserError):
            self.Case.create(
                {
                    "subject": "Altra azienda",
                    "category_id": self.cat_customers.id,
                    "company_id": self.other_company.id,
                    "parent_id": case.id,
                }
            )

    # ------------------------------------------------------------------
    # Filing
    # ------------------------------------------------------------------

    def test_entry_is_filed_into_an_open_case_of_its_classification_or_above(self):
        case = self._case()
        entry = self._registered_entry(category_id=self.cat_complaints.id)
        entry.with_user(self.clerk).case_id = case
        self.assertEqual(case.with_user(self.clerk).entry_ids, entry)
        unrelated = self._registered_entry(category_id=self.cat_other.id)
        with self.assertRaisesRegex(ValidationError, "cannot be filed into"):
            unrelated.with_user(self.clerk).case_id = case
        unclassified = self._registered_entry()
        with self.assertRaisesRegex(ValidationError, "cannot be filed into"):
            unclassified.with_user(self.clerk).case_id = case
        narrow = self._case(category_id=self.cat_complaints.id)
        upper = self._registered_entry(category_id=self.cat_customers.id)
        with self.assertRaisesRegex(ValidationError, "cannot be filed into"):
            upper.with_user(self.clerk).case_id = narrow
        # A filed entry keeps to its case's classification.
        with self.assertRaisesRegex(ValidationError, "cannot be filed into"):
            entry.with_user(self.clerk).category_id = self.cat_other

    def test_no_filing_into_a_closed_case_nor_out_of_it(self):
        case = self._case()
        filed = self._registered_entry(category_id=self.cat_customers.id, case_id=case.id)
        case.with_user(self.clerk).action_close()
        entry = self._registered_entry(category_id=self.cat_customers.id)
        with self.assertRaisesRegex(UserError, "is closed"):
            entry.with_user(self.clerk).case_id = case
        with self.assertRaisesRegex(UserError, "is closed"):
            self._new_entry(category_id=self.cat_customers.id, case_id=case.id)
        with self.assertRaisesRegex(UserError, "is closed"):
            filed.with_user(self.clerk).case_id = False
        with self.assertRaisesRegex(UserError, "is closed"):
            filed.with_user(self.clerk).case_id = self._case()

    def test_no_filing_into_another_companys_case(self):
        foreign = self.Case.create(
            {
                "subject": "Estero",
                "category_id": self.cat_customers.id,
                "company_id": self.other_company.id,
            }
        )
        entry = self._registered_entry(category_id=self.cat_customers.id)
        with self.assertRaises(UserError):
            entry.case_id = foreign

    def test_case_with_entries_or_sub_files_keeps_its_company(self):
        case = self._case()
        self._registered_entry(
            category_id=self.cat_customers.id,
            case_id=case.id,
            confidentiality="confidential",
            user_id=self.clerk2.id,
            subject=SECRET,
        )
        with self.assertRaisesRegex(ValidationError, "cannot move to another company") as caught:
            case.company_id = self.other_company
        self.assertNotIn(SECRET, str(caught.exception))
        parent = self._case()
        self._case(parent_id=parent.id)
        with self.assertRaisesRegex(ValidationError, "cannot move to another company"):
            parent.company_id = self.other_company

    def test_form_proposes_the_case_classification_to_an_unclassified_entry(self):
        case = self._case()
        form = Form(self.Register.with_user(self.clerk))
        form.partner_id = self.partner
        form.subject = "Reclamo per consegna"
        form.case_id = case
        self.assertEqual(form.category_id, self.cat_customers)
        entry = form.save()
        self.assertEqual(entry.case_id, case)
        classified = Form(self.Register.with_user(self.clerk))
        classified.partner_id = self.partner
        classified.subject = "Altro reclamo"
        classified.category_id = self.cat_complaints
        classified.case_id = case
        self.assertEqual(classified.category_id, self.cat_complaints)

    def test_changing_the_case_of_a_registered_entry_is_tracked(self):
        first, second = self._case(), self._case(subject="Seconda pratica")
        entry = self._registered_entry(category_id=self.cat_complaints.id)
        self._flush_tracking()
        for case in (first, second, self.Case):
            entry.with_user(self.clerk).case_id = case
            self._flush_tracking()
        trackings = entry.message_ids.sudo().tracking_value_ids.filtered(
            lambda t: t.field_id.name == "case_id"
        )
        self.assertEqual(len(trackings), 3)
        self.assertEqual(
            sorted(trackings.mapped("old_value_char")),
            sorted(["", first.display_name, second.display_name]),
        )

    # ------------------------------------------------------------------
    # Closing and reopening
    # ------------------------------------------------------------------

    def test_case_with_an_open_sub_file_cannot_be_closed(self):
        case = self._case()
        sub = self._case(parent_id=case.id, subject="Sottofascicolo")
        with self.assertRaisesRegex(UserError, "open sub-files"):
            case.with_user(self.clerk).action_close()
        with freeze_time(REFERENCE):
            sub.with_user(self.clerk).action_close()
            case.with_user(self.clerk).action_close()
        self.assertEqual((case | sub).mapped("state"), ["closed", "closed"])
        self.assertEqual(case.close_date, REFERENCE.date())
        with self.assertRaisesRegex(UserError, "is closed"):
            self._case(parent_id=case.id)
        with self.assertRaisesRegex(UserError, "they set its retention"):
            sub.with_user(self.clerk).category_id = self.cat_complaints
        with self.assertRaisesRegex(UserError, "is closed"):
            sub.with_user(self.manager).action_reopen()

    def test_only_a_manager_reopens_a_case_and_it_is_tracked(self):
        case = self._case()
        case.with_user(self.clerk).action_close()
        self._flush_tracking()
        with self.assertRaises(AccessError):
            case.with_user(self.clerk).action_reopen()
        case.with_user(self.manager).action_reopen()
        self._flush_tracking()
        self.assertEqual(case.state, "open")
        self.assertFalse(case.close_date)
        reopened = case.message_ids.filtered(
            lambda m: m.subtype_id == self.env.ref("bo_mailroom.mt_bo_mail_case_reopened")
        )
        self.assertEqual(reopened.author_id, self.manager.partner_id)
        with self.assertRaises(UserError):
            case.with_user(self.manager).action_reopen()

    # ------------------------------------------------------------------
    # Retention
    # ------------------------------------------------------------------

    def test_disposal_date_and_the_list_of_cases_due_for_disposal(self):
        closed_on = fields.Date.context_today(self.Case) - timedelta(days=3 * 366)
        with freeze_time(datetime.combine(closed_on, datetime.min.time()) + timedelta(hours=12)):
            due = self._case(category_id=self.cat_other.id)
            kept = self._case()
            forever_category = self.env["bo.mail.category"].create(
                {"code": "94", "name": "Statutes", "retention_years": 0}
            )
            forever = self._case(category_id=forever_category.id)
            (due | kept | forever).with_user(self.clerk).action_close()
        still_open = self._case(category_id=self.cat_other.id)
        self.assertEqual(due.retention_years, 3)
        self.assertEqual(
            due.disposal_date, date(closed_on.year + 3, closed_on.month, closed_on.day)
        )
        self.assertEqual(kept.disposal_date.year, closed_on.year + 10)
        self.assertFalse(forever.disposal_date)
        self.assertFalse(still_open.disposal_date)
        ours = due | kept | forever | still_open
        listed = self.Case.with_user(self.manager).search(
            [("is_due_for_disposal", "=", True), ("id", "in", ours.ids)]
        )
        self.assertEqual(listed, due)
        not_due = self.Case.search([("is_due_for_disposal", "=", False), ("id", "in", ours.ids)])
        self.assertEqual(not_due, ours - due)
        self.assertTrue(due.is_due_for_disposal)
        self.assertFalse(kept.is_due_for_disposal)
        # The day before its disposal date, the case is not due yet.
        with freeze_time(
            datetime.combine(due.disposal_date, datetime.min.time()) - timedelta(hours=12)
        ):
            self.assertFalse(
                self.Case.search([("is_due_for_disposal", "=", True), ("id", "in", due.ids)])
            )
        action = self.env.ref("bo_mailroom.action_bo_mail_case_disposal")
        self.assertIn("Nothing is ever deleted automatically", " ".join(str(action.help).split()))
        self.assertTrue(due.exists(), "nothing is deleted automatically")

    # ------------------------------------------------------------------
    # Confidentiality and access
    # ------------------------------------------------------------------

    def test_confidential_entries_stay_hidden_inside_a_case(self):
        case = self._case()
        normal = self._registered_entry(category_id=self.cat_customers.id, case_id=case.id)
        secret = self._registered_entry(
            category_id=self.cat_complaints.id,
            case_id=case.id,
            subject=SECRET,
            confidentiality="confidential",
            user_id=self.clerk2.id,
        )
        self.env.invalidate_all()
        as_clerk = case.with_user(self.clerk)
        self.assertEqual(as_clerk.entry_ids, normal)
        self.assertEqual(as_clerk.entry_count, 1)
        read = as_clerk.web_read(
            {
                "display_name": {},
                "entry_count": {},
                "entry_ids": {"fields": {"display_name": {}, "subject": {}}},
                "child_ids": {"fields": {"display_name": {}}},
                "message_ids": {},
            }
        )
        self.assertNotIn(
            secret.id, read[0]["entry_ids"] and [e["id"] for e in read[0]["entry_ids"]]
        )
        self.assertNotIn(SECRET, str(read))
        self.assertNotIn(SECRET, str(as_clerk.message_ids.sudo().mapped("body")))
        action = as_clerk.action_view_entries()
        self.assertEqual(self.Register.with_user(self.clerk).search(action["domain"]), normal)
        for reader in (self.manager, self.clerk2):
            self.env.invalidate_all()
            with self.subTest(reader=reader.login):
                self.assertEqual(case.with_user(reader).entry_ids, normal | secret)
                self.assertEqual(case.with_user(reader).entry_count, 2)

    def test_access_matrix_and_another_companys_clerk(self):
        case = self._case()
        BoUsersCommon.assertAccessMatrix(
            self,
            case,
            {
                self.clerk: (True, True, True, False),
                self.manager: (True, True, True, True),
                self.internal: (False, False, False, False),
                self.portal: (False, False, False, False),
                self.other_clerk: (False, False, False, False),
            },
        )
        self.assertFalse(self.Case.with_user(self.other_clerk).search([("id", "=", case.id)]))
        with self.assertRaises(AccessError):
            case.with_user(self.other_clerk).read(["subject"])

    def test_only_an_empty_open_case_is_deleted_by_a_manager(self):
        empty, filed, closed = self._case(), self._case(), self._case()
        self._registered_entry(
            category_id=self.cat_customers.id,
            case_id=filed.id,
            confidentiality="confidential",
            user_id=self.clerk2.id,
        )
        closed.with_user(self.clerk).action_close()
        with self.assertRaises(AccessError):
            empty.with_user(self.clerk).unlink()
        for case in (filed, closed):
            with self.assertRaisesRegex(UserError, "cannot be deleted"):
                case.with_user(self.manager).unlink()
        empty.with_user(self.manager).unlink()
        self.assertFalse(empty.exists())

    def test_responsible_is_a_back_office_user(self):
        with self.assertRaisesRegex(ValidationError, "not a Back Office user"):
            self._case(user_id=self.internal.id)


@tagged("post_install", "-at_install")
class TestCaseFileGuard(GuardAttackKit):
    """Number, state, open and close dates: only the case's actions write them."""

    guarded_model = "bo.mail.case"

    @classmethod
    def _guard_category(cls):
        return cls.env["bo.mail.category"].create(
            {"code": "95", "name": "Guard", "retention_years": 2}
        )

    @classmethod
    def _guard_record(cls):
        cls.guard_category = cls._guard_category()
        return (
            cls.env["bo.mail.case"]
            .with_user(cls.users["bo_user"])
            .create({"subject": "Fascicolo", "category_id": cls.guard_category.id})
            .with_env(cls.env)
        )

    @classmethod
    def _guard_create_values(cls):
        return {"subject": "Fascicolo nuovo", "category_id": cls.guard_category.id}
