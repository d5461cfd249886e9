"""The SdI state of an entry is the intake's alone to write; every field of
this addon reads for whoever may read the entry or the invoice."""

from datetime import datetime
from unittest.mock import patch

from odoo.addons.bo_base.tests import common as bo_common
from odoo.addons.bo_base.tests.common import FieldReadingMixin, GuardAttackKit, new_bo_user
from odoo.tests import tagged

from .common import INVOICE, METADATA, SdiPecCommon, data_file


@tagged("post_install", "-at_install")
class TestSdiRegisterGuard(GuardAttackKit):
    """The register's guarded fields, this addon's among them, attacked as
    every role: no one marks an entry as an SdI invoice to import, as
    delivered, or rewrites its problem."""

    guarded_model = "bo.mail.register"

    @classmethod
    def _guard_record(cls):
        # An emergency register: the attacks forge the register's link to one.
        cls.env["bo.mail.emergency.register"].create(
            {"start_datetime": datetime(2002, 3, 4, 9, 0), "cause": "Guasto"}
        )
        entry = (
            cls.env["bo.mail.register"]
            .with_user(cls.users["bo_user"])
            .create(cls._guard_create_values())
        )
        entry.action_register()
        return entry.with_env(cls.env)

    @classmethod
    def _guard_create_values(cls):
        return {
            "direction": "incoming",
            "channel": "pec",
            "partner_name": "Sistema di Interscambio",
            "subject": "Invio File 1234",
        }

    def test_the_sdi_fields_are_guarded(self):
        self.assertTrue({"bo_sdi_state", "bo_sdi_error"} <= set(self._guard_fields()))


@tagged("post_install", "-at_install")
class TestSdiFieldReading(FieldReadingMixin, SdiPecCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.it_company
        cls.readers = {
            "manager": cls.manager,
            "clerk": cls.clerk,
            "accountant": new_bo_user(
                cls.env,
                "sdi_accountant",
                "Anna Contabile",
                "account.group_account_invoice",
                company,
            ),
            "internal": new_bo_user(
                cls.env, "sdi_internal", "Ivo Interno", "base.group_user", company
            ),
            "portal": new_bo_user(
                cls.env, "sdi_portal", "Rita Portale", "base.group_portal", company
            ),
        }

    def _fixture_records(self):
        entry = self._receive_invoice(
            [(INVOICE, data_file(INVOICE)), (METADATA, data_file(METADATA))]
        )
        bill = self.Move.browse(entry.res_id)
        self.assertTrue(bill)
        return [entry, bill, self.it_company]

    def test_every_field_of_the_addon_reads_for_every_reader(self):
        with patch.object(bo_common, "FIELD_MODULES", frozenset({"bo_mailroom_l10n_it_edi"})):
            self.assertIn("bo_sdi_state", bo_common.module_fields(self.Register))
            self.assertEveryFieldReads(self.readers)
