"""The bill's correspondence (the mailroom's smart button this bridge gives
bills) reads for everyone who may read the bill: the accountant, the buyer,
a plain internal user and the supplier's contact on the portal, who count
the entries they may read (none, outside the back office)."""

from odoo.addons.bo_base.tests.common import new_bo_user
from odoo.addons.bo_suppliers_l10n_it_edi.tests.test_contest import ContestCommon
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestContestRegisterFieldReading(ContestCommon):
    def test_the_correspondence_of_a_bill_reads_for_every_reader(self):
        bill = self._blocked_bill()
        bill.with_user(self.accountant).action_post()
        self._contest_form(bill).save().action_send()
        portal = new_bo_user(
            self.env, "fpa_mr_portal", "Rita Vendite", "base.group_portal", self.it_company
        )
        portal.partner_id.parent_id = self.supplier
        internal = new_bo_user(
            self.env, "fpa_mr_internal", "Ivo Interno", "base.group_user", self.it_company
        )
        expected = {self.buyer: 1, self.manager: 1, self.accountant: 0, internal: 0, portal: 0}
        for user, count in expected.items():
            with self.subTest(user=user.login):
                readable = bill.with_user(user)._filtered_access("read")
                if not readable:
                    self.assertIn(user, (internal, portal))
                    continue
                self.env.invalidate_all()
                self.assertEqual(
                    readable.read(["bo_mail_register_count"])[0]["bo_mail_register_count"], count
                )
                self.env.invalidate_all()
                readable.web_read({"bo_mail_register_count": {}})
