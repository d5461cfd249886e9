import base64
from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.tests import Form, tagged

from .common import BoSuppliersCommon


class BoQualificationCommon(BoSuppliersCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.context_today(cls.env.user)
        cls.durc = cls.env.ref("bo_suppliers.document_type_durc")
        cls.chamber = cls.env.ref("bo_suppliers.document_type_chamber_extract")
        cls.insurance = cls.env.ref("bo_suppliers.document_type_insurance")
        # only this test's mandatory types count
        cls.env["bo.supplier.document.type"].search(
            [("id", "not in", (cls.durc | cls.chamber).ids)]
        ).mandatory = False

    def _file_document(self, doc_type, expiry=None, partner=None, user=None, issue=None):
        """A document filed through its form, as a clerk would."""
        form = Form(self.env["bo.supplier.document"].with_user(user or self.clerk))
        form.partner_id = partner or self.supplier
        form.type_id = doc_type
        form.issue_date = issue or self.today - timedelta(days=10)
        form.expiry_date = expiry if expiry is not None else self.today + timedelta(days=100)
        form.file = base64.b64encode(b"%PDF-1.4 documento")
        return form.save()

    def _qualify(self, state, reason="Audit passed", user=None, partner=None, valid_until=None):
        partner = partner or self.supplier
        form = Form(
            self.env["bo.supplier.qualification.wizard"]
            .with_user(user or self.manager)
            .with_context(default_partner_id=partner.id)
        )
        form.new_state = state
        form.reason = reason
        if valid_until:
            form.valid_until = valid_until
        return form.save().action_apply()

    def _file_mandatory_documents(self, partner=None):
        return self._file_document(self.durc, partner=partner) | self._file_document(
            self.chamber, partner=partner
        )


@tagged("post_install", "-at_install", "bo_dates")
class TestQualification(BoQualificationCommon):
    def test_new_supplier_created_in_form_starts_as_prospect(self):
        form = Form(self.env["res.partner"].with_user(self.manager))
        form.name = "Nuovo Fornitore S.r.l."
        form.company_type = "company"
        partner = form.save()
        self.assertEqual(partner.bo_qualification_state, "prospect")
        self.assertFalse(partner.bo_qualification_ids)

    def test_manager_qualifies_supplier_and_history_keeps_who_why_until(self):
        self._file_mandatory_documents()
        until = self.today + timedelta(days=365)
        self._qualify("qualified", reason="Audit 2026 passed", valid_until=until)
        self.assertEqual(self.supplier.bo_qualification_state, "qualified")
        self.assertEqual(self.supplier.bo_qualification_valid_until, until)
        history = self.supplier.bo_qualification_ids
        self.assertEqual(len(history), 1)
        self.assertRecordValues(
            history,
            [
                {
                    "state_from": "prospect",
                    "state": "qualified",
                    "reason": "Audit 2026 passed",
                    "valid_until": until,
                    "user_id": self.manager.id,
                }
            ],
        )

    def test_supplier_missing_mandatory_document_cannot_be_qualified(self):
        self._file_document(self.durc)
        with self.assertRaisesRegex(Exception, "Chamber of Commerce Extract"):
            self._qualify("qualified")
        self.assertEqual(self.supplier.bo_qualification_state, "prospect")

    def test_clerk_puts_supplier_under_evaluation(self):
        self._qualify("under_evaluation", reason="Late deliveries", user=self.clerk)
        self.assertEqual(self.supplier.bo_qualification_state, "under_evaluation")
        self.assertEqual(self.supplier.bo_qualification_ids.user_id, self.clerk)

    def test_clerk_block_becomes_a_proposal_for_the_manager(self):
        self._qualify("blocked", reason="Fake certificate", user=self.clerk)
        self.assertEqual(self.supplier.bo_qualification_state, "prospect")
        self.assertFalse(self.supplier.bo_qualification_ids)
        activity = self.supplier.activity_ids
        self.assertEqual(activity.user_id, self.manager)
        self.assertIn("Blocked", activity.summary)
        self.assertIn("Fake certificate", str(activity.note))

    def test_manager_blocks_and_releases_supplier(self):
        self._qualify("blocked", reason="Fake certificate")
        self._qualify("under_evaluation", reason="New certificate checked")
        self.assertEqual(
            self.supplier.bo_qualification_ids.mapped("state"), ["under_evaluation", "blocked"]
        )

    def test_expired_document_filed_puts_qualified_supplier_back_under_evaluation(self):
        documents = self._file_mandatory_documents()
        self._qualify("qualified")
        durc = documents.filtered(lambda d: d.type_id == self.durc)
        with Form(durc.with_user(self.clerk)) as form:
            form.issue_date = self.today - timedelta(days=200)
            form.expiry_date = self.today - timedelta(days=1)
        self.assertEqual(self.supplier.bo_qualification_state, "under_evaluation")
        line = self.supplier.bo_qualification_ids[:1]
        self.assertEqual(line.state_from, "qualified")
        self.assertIn("DURC", line.reason)
        self.assertIn("expired", line.reason)

    def test_archiving_mandatory_document_puts_supplier_under_evaluation(self):
        documents = self._file_mandatory_documents()
        self._qualify("conditionally_qualified")
        documents.filtered(lambda d: d.type_id == self.chamber).with_user(
            self.clerk
        ).action_archive()
        self.assertEqual(self.supplier.bo_qualification_state, "under_evaluation")
        self.assertIn("missing", self.supplier.bo_qualification_ids[:1].reason)

    def test_optional_document_expiring_does_not_touch_qualification(self):
        self._file_mandatory_documents()
        self._qualify("qualified")
        self._file_document(
            self.insurance,
            expiry=self.today - timedelta(days=1),
            issue=self.today - timedelta(days=30),
        )
        self.assertEqual(self.supplier.bo_qualification_state, "qualified")

    def test_nightly_cron_reminds_escalates_and_reviews_expired_document(self):
        documents = self._file_mandatory_documents()
        durc = documents.filtered(lambda d: d.type_id == self.durc)
        durc.expiry_date = self.today + timedelta(days=20)
        self._qualify("qualified")
        with freeze_time(self.today + timedelta(days=25)):
            self.env["bo.deadline.mixin"]._cron_deadline_check()
        self.assertEqual(durc.deadline_state, "overdue")
        self.assertEqual(self.supplier.bo_qualification_state, "under_evaluation")
        self.assertIn("DURC", self.supplier.bo_qualification_ids[:1].reason)
        activity_users = durc.activity_ids.mapped("user_id")
        self.assertIn(self.clerk, activity_users, "the responsible buyer is reminded")
        self.assertIn(self.manager, activity_users, "a manager hears of the expiry")

    def test_nightly_cron_reviews_expired_qualification(self):
        self._file_mandatory_documents()
        self._qualify("qualified", valid_until=self.today + timedelta(days=10))
        with freeze_time(self.today + timedelta(days=11)):
            self.env["bo.deadline.mixin"]._cron_deadline_check()
        self.assertEqual(self.supplier.bo_qualification_state, "under_evaluation")
        self.assertIn("qualification expired", self.supplier.bo_qualification_ids[:1].reason)

    def test_new_mandatory_type_puts_qualified_suppliers_under_evaluation(self):
        self._file_mandatory_documents()
        self._qualify("qualified")
        self.insurance.with_user(self.manager).mandatory = True
        self.assertEqual(self.supplier.bo_qualification_state, "under_evaluation")

    def test_partner_form_shows_documents_and_issues(self):
        self._file_document(self.durc)
        partner = self.supplier.with_user(self.clerk)
        self.assertEqual(partner.bo_document_count, 1)
        self.assertIn("Chamber of Commerce Extract", partner.bo_document_issues)
        action = partner.action_bo_view_documents()
        self.assertEqual(
            self.env[action["res_model"]].search(action["domain"]), partner.bo_document_ids
        )
        # editing the partner itself takes the partner rights (purchase manager)
        with Form(self.supplier.with_user(self.manager)) as form:
            form.bo_supplied_category_ids.add(
                self.env["product.category"].create({"name": "Lamiere"})
            )
        self.assertTrue(self.supplier.bo_supplied_category_ids)
