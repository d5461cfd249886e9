"""The attack kit on what only the import of a FatturaPA writes: the bill's
IBAN and findings, and each line's findings and DDT receipts."""

from odoo import Command, fields
from odoo.addons.bo_base.models import bo_guard
from odoo.addons.bo_base.tests.common import GuardAttackKit
from odoo.tests import tagged


class FatturaPAGuardRecords:
    @classmethod
    def _bill(cls):
        supplier = cls.env["res.partner"].create(
            {"name": "Fonderia Attaccata S.r.l.", "is_company": True, "supplier_rank": 1}
        )
        picking_type = cls.env["stock.picking.type"].search(
            [("code", "=", "incoming"), ("company_id", "=", cls.env.company.id)], limit=1
        )
        cls.picking = cls.env["stock.picking"].create(
            {
                "partner_id": supplier.id,
                "picking_type_id": picking_type.id,
                "bo_supplier_ddt_number": "DDT-ATT-1",
            }
        )
        bill = cls.env["account.move"].create(
            {
                "move_type": "in_invoice",
                "partner_id": supplier.id,
                "invoice_date": fields.Date.today(),
                "invoice_line_ids": [
                    Command.create({"name": "Getto in ghisa", "quantity": 1, "price_unit": 40})
                ],
            }
        )
        # as the import leaves them
        granted = bo_guard.grant(
            bill, "bo_fpa_notes", "bo_fpa_picking_ids", model="account.move.line"
        )
        granted.invoice_line_ids.write(
            {
                "bo_fpa_notes": '[{"code": "ddt_missing", "ddt": "DDT-X", "date": ""}]',
                "bo_fpa_picking_ids": [Command.set(cls.picking.ids)],
            }
        )
        bo_guard.grant(bill, "bo_fpa_imported", "bo_fpa_iban", "bo_fpa_notes").write(
            {
                "bo_fpa_imported": True,
                "bo_fpa_iban": "IT42L1234512345123456789012",
                "bo_fpa_notes": '[{"code": "supplier_unknown", "name": "X", "vat": "Y"}]',
            }
        )
        return bill


@tagged("post_install", "-at_install")
class TestFatturaPABillGuardAttacks(FatturaPAGuardRecords, GuardAttackKit):
    guarded_model = "account.move"

    @classmethod
    def _guard_record(cls):
        cls.bill = cls._bill()
        return cls.bill

    @classmethod
    def _guard_create_values(cls):
        return {"move_type": "in_invoice", "partner_id": cls.bill.partner_id.id}


@tagged("post_install", "-at_install")
class TestFatturaPALineGuardAttacks(FatturaPAGuardRecords, GuardAttackKit):
    guarded_model = "account.move.line"

    @classmethod
    def _guard_record(cls):
        cls.bill = cls._bill()
        return cls.bill.invoice_line_ids

    @classmethod
    def _guard_create_values(cls):
        return {"move_id": cls.bill.id, "name": "Riga aggiunta", "quantity": 1, "price_unit": 5}
