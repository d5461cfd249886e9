from psycopg2 import IntegrityError

from odoo.tests import Form, TransactionCase, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestSettings(TransactionCase):
    def test_settings_form_sets_escalation_manager(self):
        manager = self.env.ref("base.user_admin")
        with Form(self.env["res.config.settings"]) as settings:
            settings.bo_due_soon_days = 6
            settings.bo_escalation_user_id = manager
        self.assertEqual(self.env.company.bo_due_soon_days, 6)
        self.assertEqual(self.env.company.bo_escalation_user_id, manager)
        self.assertEqual(self.env.company._bo_escalation_user(), manager)

    @mute_logger("odoo.sql_db")
    def test_negative_due_soon_days_are_refused(self):
        with self.assertRaises(IntegrityError):
            self.env.company.bo_due_soon_days = -1
            self.env.flush_all()
