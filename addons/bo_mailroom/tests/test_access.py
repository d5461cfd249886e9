from odoo.addons.bo_base.tests.common import new_bo_user
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import MailroomCommon


@tagged("post_install", "-at_install")
class TestAccess(MailroomCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.normal = cls.Register.create(
            {"partner_id": cls.partner.id, "subject": "Offerta", "channel": "post"}
        )
        cls.mine = cls.Register.create(
            {"partner_id": cls.partner.id, "subject": "Mia", "user_id": cls.clerk.id}
        )
        cls.confidential_mine = cls.Register.create(
            {
                "partner_id": cls.partner.id,
                "subject": "Riservata mia",
                "confidentiality": "confidential",
                "user_id": cls.clerk.id,
            }
        )
        cls.confidential_other = cls.Register.create(
            {
                "partner_id": cls.partner.id,
                "subject": "Riservata altrui",
                "confidentiality": "confidential",
                "user_id": cls.clerk2.id,
            }
        )
        cls.others = cls.Register.create(
            {"partner_id": cls.partner.id, "subject": "Altrui", "user_id": cls.clerk2.id}
        )
        cls.all_entries = (
            cls.normal | cls.mine | cls.confidential_mine | cls.confidential_other | cls.others
        )
        cls.all_entries.action_register()
        cls.other_company = cls.env["res.company"].create({"name": "Altra Società"})
        cls.foreign = cls.Register.create(
            {
                "partner_name": "Fornitore estero",
                "subject": "Estera",
                "company_id": cls.other_company.id,
            }
        )
        cls.foreign.action_register()
        cls.foreign_user = new_bo_user(
            cls.env,
            "mr_foreign",
            "Foreign Clerk",
            "bo_base.group_bo_manager",
            company=cls.other_company,
        )

    def _visible(self, user):
        return self.Register.with_user(user).search(
            [("id", "in", (self.all_entries | self.foreign).ids)]
        )

    def test_user_reads_normal_entries_and_own_confidential_ones(self):
        visible = self._visible(self.clerk)
        self.assertEqual(visible, self.normal | self.mine | self.confidential_mine | self.others)
        with self.assertRaises(AccessError):
            self.confidential_other.with_user(self.clerk).read(["subject"])

    def test_user_works_entries_assigned_to_them_only(self):
        self.mine.with_user(self.clerk).write({"deadline_date": "2030-01-31"})
        self.mine.with_user(self.clerk).action_mark_answered()
        self.assertEqual(self.mine.state, "answered")
        self.normal.with_user(self.clerk).write({"user_id": self.clerk.id})
        self.assertEqual(self.normal.state, "assigned")
        with self.assertRaises(AccessError):
            self.others.with_user(self.clerk).write({"deadline_date": "2030-01-31"})

    def test_user_registers_new_entries(self):
        entry = self.Register.with_user(self.clerk).create(
            {"partner_id": self.partner.id, "subject": "Consegna a mano", "channel": "hand"}
        )
        entry.action_register()
        self.assertTrue(entry.name)

    def test_manager_sees_and_works_everything_of_their_companies(self):
        visible = self._visible(self.manager)
        self.assertEqual(visible, self.all_entries)
        self.confidential_other.with_user(self.manager).write({"deadline_date": "2030-01-31"})

    def test_other_company_user_sees_only_their_company(self):
        visible = self._visible(self.foreign_user)
        self.assertEqual(visible, self.foreign)

    def test_plain_and_portal_users_have_no_access(self):
        for user in (self.internal, self.portal):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.Register.with_user(user).search([])
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.Register.with_user(user).create(
                    {"partner_id": self.partner.id, "subject": "X"}
                )

    def test_configuration_is_for_managers(self):
        Category = self.env["bo.mail.category"]
        self.assertTrue(Category.with_user(self.clerk).search([]))
        with self.assertRaises(AccessError):
            Category.with_user(self.clerk).create({"code": "99", "name": "Nuova"})
        Category.with_user(self.manager).create({"code": "99", "name": "Nuova"})
        with self.assertRaises(AccessError):
            self.env["bo.mail.routing.rule"].with_user(self.clerk).search([])
        self.env["bo.mail.routing.rule"].with_user(self.manager).create({"name": "Regola"})

    def test_only_the_registration_can_write_fingerprints(self):
        fingerprint_model = self.env["bo.mail.register.hash"]
        for user in (self.clerk, self.manager):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                fingerprint_model.with_user(user).create(
                    {"register_id": self.normal.id, "name": "falso.pdf", "sha256": "0" * 64}
                )
