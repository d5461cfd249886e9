"""The attack kit on a supplier's documents: the marks of the nightly
deadline job (the expiry reminder and the escalation, the deadline state)."""

from datetime import timedelta

from odoo import fields
from odoo.addons.bo_base.tests.common import GuardAttackKit
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestSupplierDocumentGuardAttacks(GuardAttackKit):
    guarded_model = "bo.supplier.document"

    @classmethod
    def _guard_record(cls):
        cls.supplier = cls.env["res.partner"].create(
            {"name": "Fornitore Documentato S.r.l.", "is_company": True, "supplier_rank": 1}
        )
        cls.document_type = cls.env["bo.supplier.document.type"].create({"name": "DURC"})
        today = fields.Date.context_today(cls.env.user)
        document = cls.env["bo.supplier.document"].create(
            {
                "partner_id": cls.supplier.id,
                "type_id": cls.document_type.id,
                "expiry_date": today - timedelta(days=1),
                "user_id": cls.users["bo_user"].id,
            }
        )
        # as the nightly job leaves it: reminded and escalated
        cls.env["bo.supplier.document"]._deadline_process()
        assert document.deadline_reminded_date == document.deadline_date
        return document

    @classmethod
    def _guard_create_values(cls):
        return {"partner_id": cls.supplier.id, "type_id": cls.document_type.id}
