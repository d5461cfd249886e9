import base64

import psycopg2

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .test_qualification import BoQualificationCommon


@tagged("post_install", "-at_install")
class TestAccessQualification(BoQualificationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.document = cls.env["bo.supplier.document"].create(
            {"partner_id": cls.supplier.id, "type_id": cls.durc.id}
        )
        cls.own_supplier = cls.env["res.partner"].create(
            {"name": "Fornitore Locale", "is_company": True, "company_id": cls.company.id}
        )
        cls.own_document = cls.env["bo.supplier.document"].create(
            {"partner_id": cls.own_supplier.id, "type_id": cls.durc.id}
        )

    # --- qualification state on the partner --------------------------------

    def test_merging_suppliers_keeps_the_surviving_qualification(self):
        """Odoo's merge wizard writes every field of the surviving contact back."""
        self._qualify("blocked", reason="Frode accertata")
        duplicate = self.env["res.partner"].create(
            {"name": "Fornitore doppione", "is_company": True}
        )
        wizard = self.env["base.partner.merge.automatic.wizard"]
        wizard._merge(
            (duplicate | self.supplier).ids, dst_partner=self.supplier, extra_checks=False
        )
        self.assertFalse(duplicate.exists())
        self.assertEqual(self.supplier.bo_qualification_state, "blocked")

    def test_attack_write_qualification_state_refused_for_everyone(self):
        for partner in (
            self.supplier.with_user(self.clerk),
            self.supplier.with_user(self.manager),
            self.supplier.sudo(),
        ):
            with self.assertRaises(AccessError):
                partner.write({"bo_qualification_state": "qualified"})
            with self.assertRaises(AccessError):
                partner.write({"bo_qualification_valid_until": "2099-01-01"})
        self.assertEqual(self.supplier.bo_qualification_state, "prospect")

    def test_attack_create_copy_import_qualified_supplier_refused(self):
        partners = self.env["res.partner"].with_user(self.manager)
        with self.assertRaises(AccessError):
            partners.create({"name": "Finto Qualificato", "bo_qualification_state": "qualified"})
        with self.assertRaises(AccessError):
            self.supplier.with_user(self.manager).copy({"bo_qualification_state": "qualified"})
        result = partners.load(
            ["name", "bo_qualification_state"], [["Importato S.p.A.", "qualified"]]
        )
        self.assertFalse(result["ids"])
        self.assertTrue(result["messages"])

    def test_copy_of_blocked_supplier_starts_as_prospect(self):
        self._qualify("blocked", reason="Fraud")
        copied = self.supplier.copy()
        self.assertEqual(copied.bo_qualification_state, "prospect")

    def test_attack_forged_privilege_context_refused(self):
        partner = self.supplier.with_user(self.manager).with_context(
            bo_suppliers_privileged=True, bo_guard_grant={"res.partner": ["*"]}
        )
        with self.assertRaises(AccessError):
            partner.write({"bo_qualification_state": "qualified"})

    # --- history -------------------------------------------------------------

    def test_attack_history_created_edited_or_deleted_refused(self):
        self._qualify("under_evaluation", reason="Check")
        line = self.supplier.bo_qualification_ids
        values = {"partner_id": self.supplier.id, "state": "qualified", "reason": "forged"}
        for user in (self.clerk, self.manager):
            with self.assertRaises(AccessError):
                self.env["bo.supplier.qualification"].with_user(user).create(values)
            with self.assertRaises(UserError):
                line.with_user(user).write({"reason": "changed"})
            with self.assertRaises(UserError):
                line.with_user(user).unlink()
        with self.assertRaises(AccessError):
            self.env["bo.supplier.qualification"].sudo().create(values)
        with self.assertRaises(UserError):
            line.sudo().write({"reason": "changed"})
        with self.assertRaises(UserError):
            line.sudo().unlink()
        with self.assertRaises(UserError):
            line.sudo().copy()
        self.assertEqual(line.reason, "Check")

    def test_attack_default_keys_through_the_qualification_action_are_ignored(self):
        """The action is granted the history's fields: an RPC client's default_
        keys must not write the step's date, author or previous state."""
        wizard = (
            self.env["bo.supplier.qualification.wizard"]
            .with_user(self.manager)
            .create({"partner_id": self.supplier.id, "new_state": "blocked", "reason": "Frode"})
        )
        wizard.with_context(
            default_date="2001-02-03 04:05:06",
            default_user_id=self.clerk.id,
            default_state_from="qualified",
            default_valid_until="2099-01-01",
        ).action_apply()
        step = self.supplier.bo_qualification_ids
        self.assertRecordValues(
            step,
            [
                {
                    "user_id": self.manager.id,
                    "state_from": "prospect",
                    "state": "blocked",
                    "valid_until": False,
                }
            ],
        )
        self.assertNotEqual(step.date.year, 2001)

    def test_supplier_with_history_cannot_be_deleted(self):
        self._qualify("blocked", reason="Fraud")
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(psycopg2.IntegrityError),
            self.env.cr.savepoint(),
        ):
            self.supplier.unlink()
            self.env.flush_all()

    # --- access matrix -------------------------------------------------------

    def test_document_access_matrix(self):
        model = "bo.supplier.document"
        expected = {
            self.clerk: {"read": True, "write": True, "create": True, "unlink": False},
            self.manager: {"read": True, "write": True, "create": True, "unlink": True},
            self.accountant: dict.fromkeys(("read", "write", "create", "unlink"), False),
            self.purchase_user: dict.fromkeys(("read", "write", "create", "unlink"), False),
            self.internal_user: dict.fromkeys(("read", "write", "create", "unlink"), False),
            self.portal_user: dict.fromkeys(("read", "write", "create", "unlink"), False),
        }
        for user, rights in expected.items():
            for operation, allowed in rights.items():
                self.assertEqual(
                    self.env[model].with_user(user).has_access(operation),
                    allowed,
                    f"{user.login} {operation}",
                )

    def test_evaluation_search_and_offer_access_matrix(self):
        """Who may read evaluations and run the evaluation, search and choice wizards.

        Evaluations are written by their computation only: nobody holds write,
        create or unlink rights on them."""
        nobody = dict.fromkeys(("read", "write", "create", "unlink"), False)
        read_only = dict(nobody, read=True)
        wizard = {"read": True, "write": True, "create": True, "unlink": False}
        expected = {
            "bo.supplier.evaluation": {
                self.clerk: read_only,
                self.manager: read_only,
                self.purchase_user: read_only,
            },
            "bo.supplier.evaluation.line": {
                self.clerk: read_only,
                self.manager: read_only,
                self.purchase_user: read_only,
            },
            "bo.supplier.evaluation.wizard": {self.clerk: wizard, self.manager: wizard},
            "bo.find.suppliers": {
                self.clerk: wizard,
                self.manager: wizard,
                self.purchase_user: wizard,
            },
            "bo.offer.choose": {
                self.clerk: wizard,
                self.manager: wizard,
                self.purchase_user: wizard,
            },
        }
        users = (
            self.clerk,
            self.manager,
            self.purchase_user,
            self.accountant,
            self.internal_user,
            self.portal_user,
        )
        for model, rights_of in expected.items():
            for user in users:
                for operation, allowed in rights_of.get(user, nobody).items():
                    self.assertEqual(
                        self.env[model].with_user(user).has_access(operation),
                        allowed,
                        f"{model}: {user.login} {operation}",
                    )

    def test_history_and_types_access_matrix(self):
        for user, read in (
            (self.clerk, True),
            (self.manager, True),
            (self.accountant, False),
            (self.portal_user, False),
        ):
            history = self.env["bo.supplier.qualification"].with_user(user)
            self.assertEqual(history.has_access("read"), read, user.login)
            self.assertFalse(history.has_access("create"), user.login)
            self.assertFalse(history.has_access("write"), user.login)
            self.assertFalse(history.has_access("unlink"), user.login)
            types = self.env["bo.supplier.document.type"].with_user(user)
            self.assertEqual(types.has_access("read"), read, user.login)
        types = self.env["bo.supplier.document.type"]
        self.assertFalse(types.with_user(self.clerk).has_access("write"))
        self.assertTrue(types.with_user(self.manager).has_access("write"))

    def test_clerk_files_document_but_cannot_delete_it(self):
        document = (
            self.env["bo.supplier.document"]
            .with_user(self.clerk)
            .create(
                {
                    "partner_id": self.supplier.id,
                    "type_id": self.chamber.id,
                    "file": base64.b64encode(b"visura"),
                    "file_name": "visura.pdf",
                }
            )
        )
        document.expiry_date = "2099-12-31"
        with self.assertRaises(AccessError):
            document.unlink()
        document.with_user(self.manager).unlink()

    def test_other_company_clerk_sees_no_documents_of_our_own_suppliers(self):
        documents = self.env["bo.supplier.document"].with_user(self.other_clerk)
        self.assertIn(self.document, documents.search([]))
        self.assertNotIn(self.own_document, documents.search([]))
        with self.assertRaises(AccessError):
            self.own_document.with_user(self.other_clerk).read(["name"])

    def test_every_reader_of_a_partner_computes_its_fields(self):
        self.env.invalidate_all()
        for user in (self.purchase_user, self.accountant, self.internal_user):
            partner = self.supplier.with_user(user)
            self.assertEqual(partner.bo_qualification_state, "prospect")
            partner.read(["bo_qualification_state", "bo_supplied_category_ids"])
            partner.web_read({"bo_qualification_state": {}, "bo_qualification_valid_until": {}})
        portal_partner = self.portal_user.partner_id.with_user(self.portal_user)
        self.assertEqual(portal_partner.bo_qualification_state, "prospect")
        portal_partner.read(["bo_qualification_state"])

    def test_portal_vendor_reads_own_purchase_order(self):
        vendor = self.portal_user.partner_id
        order = self._new_purchase_order(partner=vendor, user=self.manager)
        order.message_subscribe([vendor.id])
        self.env.invalidate_all()
        order = order.with_user(self.portal_user)
        order.read(["name", "bo_supplier_state"])
        self.assertEqual(order.bo_supplier_state, "prospect")

    def test_other_company_buyer_cannot_qualify_our_own_supplier(self):
        other_manager = self._other_company_manager()
        wizard = self.env["bo.supplier.qualification.wizard"].with_user(other_manager)
        with self.assertRaises(AccessError):
            wizard.create(
                {"partner_id": self.own_supplier.id, "new_state": "blocked", "reason": "x"}
            ).action_apply()
        self.assertEqual(self.own_supplier.bo_qualification_state, "prospect")
