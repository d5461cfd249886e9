"""The same party under another record: a block belongs to the commercial
entity and survives re-parenting and merging. Written as the attacks: a
blocked supplier made a contact of a clean company, a contact moved out of a
blocked supplier, a blocked supplier merged into a clean contact with Odoo's
merge wizard."""

from odoo import SUPERUSER_ID
from odoo.addons.bo_base.models import bo_guard
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .test_qualification import BoQualificationCommon


@tagged("post_install", "-at_install")
class TestSameParty(BoQualificationCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.blocked = cls.env["res.partner"].create(
            {"name": "Fonderie Bloccate S.r.l.", "is_company": True, "supplier_rank": 1}
        )
        cls.blocked_contact = cls.env["res.partner"].create(
            {"name": "Bruno Bloccato", "parent_id": cls.blocked.id}
        )
        cls.clean = cls.env["res.partner"].create(
            {"name": "Officine Pulite S.p.A.", "is_company": True, "supplier_rank": 1}
        )
        cls.clean_contact = cls.env["res.partner"].create(
            {"name": "Paola Pulita", "parent_id": cls.clean.id}
        )

    def setUp(self):
        super().setUp()
        self._qualify("blocked", reason="Certificati falsi", partner=self.blocked)

    def _merge(self, partners, destination):
        wizard = self.env["base.partner.merge.automatic.wizard"]
        wizard._merge(partners.ids, dst_partner=destination, extra_checks=False)

    def _assert_refused(self, order):
        with self.assertRaisesRegex(UserError, "Blocked"):
            order.with_user(self.clerk).button_confirm()
        self.assertEqual(order.state, "draft")

    # -- re-parenting ------------------------------------------------------

    def test_attack_blocked_supplier_made_contact_of_clean_company_is_refused(self):
        order = self._new_purchase_order(partner=self.blocked)
        for partner in (
            self.blocked.with_user(self.clerk),
            self.blocked.with_user(self.manager),
            self.blocked.sudo(),
        ):
            for vals in (
                {"parent_id": self.clean.id, "is_company": False},
                {"parent_id": self.clean.id, "company_type": "person"},
            ):
                with (
                    self.subTest(user=partner.env.user.login, vals=vals),
                    self.assertRaisesRegex(ValidationError, "Fonderie Bloccate"),
                ):
                    partner.write(vals)
        self.assertEqual(order.partner_id.commercial_partner_id, self.blocked)
        self._assert_refused(order)

    def test_attack_blocked_supplier_made_contact_by_import_is_refused(self):
        result = (
            self.env["res.partner"]
            .with_user(self.manager)
            .load(
                [".id", "parent_id/.id", "is_company"],
                [[str(self.blocked.id), str(self.clean.id), "False"]],
            )
        )
        self.assertFalse(result["ids"])
        self.assertEqual(self.blocked.commercial_partner_id, self.blocked)

    def test_attack_contact_of_blocked_supplier_moved_to_clean_company_is_refused(self):
        order = self._new_purchase_order(partner=self.blocked_contact)
        with self.assertRaisesRegex(ValidationError, "Create a new contact"):
            self.blocked_contact.with_user(self.manager).write({"parent_id": self.clean.id})
        with self.assertRaises(ValidationError):
            self.blocked_contact.with_user(self.manager).write(
                {"parent_id": False, "is_company": True}
            )
        self.assertEqual(self.blocked_contact.commercial_partner_id, self.blocked)
        self._assert_refused(order)

    def test_clean_contact_moved_under_blocked_supplier_takes_its_block(self):
        """Joining a blocked supplier is no escape: the orders are blocked."""
        order = self._new_purchase_order(partner=self.clean_contact)
        self.clean_contact.with_user(self.manager).parent_id = self.blocked
        self._assert_refused(order)

    def test_attack_class_c_supplier_made_contact_of_clean_company_is_refused(self):
        self.company.bo_evaluation_class_c_policy = "block"
        class_c = self.env["res.partner"].create({"name": "Classe C S.r.l.", "is_company": True})
        bo_guard.grant(class_c.sudo(), "bo_evaluation_score", "bo_evaluation_class").write(
            {"bo_evaluation_score": 30.0, "bo_evaluation_class": "c"}
        )
        with self.assertRaisesRegex(ValidationError, "class C"):
            class_c.write({"parent_id": self.clean.id, "is_company": False})

    # -- merging -------------------------------------------------------------

    def test_attack_blocked_supplier_merged_into_clean_contact_carries_the_block(self):
        """A blocked supplier of its own (a person) merged into the contact of a
        clean company: its orders become the clean company's, and so does its
        block, with a note in the chatter."""
        person = self.env["res.partner"].create(
            {"name": "Ugo Artigiano", "supplier_rank": 1, "email": "ugo@example.com"}
        )
        self._qualify("blocked", reason="Frode accertata", partner=person)
        order = self._new_purchase_order(partner=person)
        self._merge(person | self.clean_contact, self.clean_contact)
        self.assertFalse(person.exists())
        self.assertEqual(order.partner_id, self.clean_contact)
        self.assertEqual(self.clean.bo_qualification_state, "blocked")
        self._assert_refused(order)
        note = self.clean.message_ids.filtered(lambda m: "Ugo Artigiano" in str(m.body))
        self.assertTrue(note, "the chatter says where the block came from")
        self.assertEqual(self.clean.bo_qualification_ids[:1].state, "blocked")

    def test_attack_blocked_company_merged_into_clean_contact_carries_the_block(self):
        order = self._new_purchase_order(partner=self.blocked)
        self._merge(self.blocked | self.clean_contact, self.clean_contact)
        self.assertFalse(self.blocked.exists())
        self.assertEqual(order.partner_id, self.clean_contact)
        entity = self.clean_contact.commercial_partner_id
        self.assertEqual(entity.bo_qualification_state, "blocked")
        self._assert_refused(order)

    def test_attack_override_given_before_the_merge_does_not_follow_the_orders(self):
        order = self._new_purchase_order(partner=self.blocked)
        order.with_user(self.manager)._bo_set_supplier_override("Unico fornitore")
        self.assertTrue(order._bo_override_covers())
        self._merge(self.blocked_contact | self.clean_contact, self.clean_contact)
        # the contact's orders moved; the supplier's override covered the other entity
        order.partner_id = self.clean_contact
        self.assertFalse(order._bo_override_covers())

    def test_merging_clean_duplicates_keeps_the_qualification(self):
        self._file_mandatory_documents(partner=self.clean)
        self._qualify("qualified", reason="Audit superato", partner=self.clean)
        duplicate = self.env["res.partner"].create(
            {"name": "Officine Pulite (doppione)", "is_company": True}
        )
        self._merge(duplicate | self.clean, self.clean)
        self.assertEqual(self.clean.bo_qualification_state, "qualified")

    def test_merge_keeps_the_worst_class_of_each_company(self):
        self.company.bo_evaluation_class_c_policy = "block"
        grant = ("bo_evaluation_score", "bo_evaluation_class")
        bo_guard.grant(self.blocked.sudo(), *grant).write(
            {"bo_evaluation_score": 35.0, "bo_evaluation_class": "c"}
        )
        bo_guard.grant(self.clean.sudo(), *grant).write(
            {"bo_evaluation_score": 92.0, "bo_evaluation_class": "a"}
        )
        self._merge(self.blocked | self.clean, self.clean)
        self.assertEqual(self.clean.bo_evaluation_class, "c")
        self.assertEqual(self.clean.bo_evaluation_score, 35.0)

    def test_merge_that_would_delete_evaluations_is_refused(self):
        Evaluation = bo_guard.grant(self.env["bo.supplier.evaluation"].sudo())
        for partner in (self.blocked, self.clean):
            Evaluation.create(
                {
                    "partner_id": partner.id,
                    "company_id": self.company.id,
                    "date_from": "2024-01-01",
                    "date_to": "2024-03-31",
                    "period_type": "quarter",
                    "score": 70.0,
                    "evaluation_class": "b",
                }
            )
        with self.assertRaisesRegex(UserError, "evidence"):
            self._merge(self.blocked | self.clean, self.clean)
        self.assertTrue(self.blocked.exists())

    def test_merge_as_odoobot_carries_the_block_too(self):
        person = self.env["res.partner"].create({"name": "Ada Artigiana", "supplier_rank": 1})
        self._qualify("suspended", reason="Audit in corso", partner=person)
        wizard = self.env["base.partner.merge.automatic.wizard"].with_user(SUPERUSER_ID)
        wizard._merge((person | self.clean_contact).ids, dst_partner=self.clean_contact)
        self.assertEqual(self.clean.bo_qualification_state, "suspended")
