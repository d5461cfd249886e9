from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import BoOrdersCommon


@tagged("post_install", "-at_install")
class TestAccess(BoOrdersCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.request = cls.env["bo.order.request"].create(
            {
                "title": "Offerta viti",
                "partner_id": cls.customer.id,
                "line_ids": [(0, 0, {"product_id": cls.screws.id, "quantity": 5})],
            }
        )
        cls.check = cls._check("discount")

    def _can(self, user, records, operation):
        return records.with_user(user).has_access(operation)

    def test_request_access_matrix(self):
        expected = {
            # user: (read, write, create, unlink)
            self.clerk: (True, True, True, False),
            self.manager: (True, True, True, True),
            self.salesman: (True, False, False, False),
            self.internal_user: (False, False, False, False),
            self.portal_user: (False, False, False, False),
            self.other_clerk: (False, False, False, False),
        }
        self.assertAccessMatrix(self.request, expected)
        for user, rights in expected.items():
            with self.subTest(user=user.login, lines="read"):
                self.assertEqual(self._can(user, self.request.line_ids, "read"), rights[0])

    def test_clerk_records_a_request_but_cannot_delete_it(self):
        request = (
            self.env["bo.order.request"]
            .with_user(self.clerk)
            .create({"title": "Telefonata", "partner_id": self.customer.id, "channel": "phone"})
        )
        request.line_ids = [(0, 0, {"name": "Bulloni", "quantity": 3})]
        with self.assertRaises(AccessError):
            request.unlink()
        request.with_user(self.manager).unlink()
        self.assertFalse(request.exists())

    def test_other_company_clerk_sees_only_own_company_requests(self):
        own = (
            self.env["bo.order.request"]
            .with_user(self.other_clerk)
            .create({"title": "Richiesta altra azienda", "company_id": self.other_company.id})
        )
        visible = self.env["bo.order.request"].with_user(self.other_clerk).search([])
        self.assertEqual(visible, own)

    def test_check_access_matrix(self):
        expected = {
            self.clerk: (True, False, False, False),
            self.manager: (True, True, True, True),
            self.salesman: (False, False, False, False),
            self.internal_user: (False, False, False, False),
            self.portal_user: (False, False, False, False),
            self.other_clerk: (False, False, False, False),
        }
        self.assertAccessMatrix(self.check, expected)

    def test_salesman_outside_the_back_office_still_runs_the_checks(self):
        self._activate("discount", severity="block")
        order = self._new_order(lines=[(self.screws, 5, 30.0)], user=self.salesman)
        self.assertEqual(order.with_user(self.salesman).bo_check_level, "block")
        order.with_user(self.salesman).action_bo_check()
        self.assertEqual(order.bo_check_state, "blocked")

    def test_only_managers_open_the_override_wizard(self):
        self.assertFalse(
            self.env["bo.order.check.override"].with_user(self.clerk).has_access("create")
        )
        self.assertTrue(
            self.env["bo.order.check.override"].with_user(self.manager).has_access("create")
        )
