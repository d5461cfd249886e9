"""Every field this bridge adds reads for everyone who may read the record:
the accountant, the buyer, the stock user, a plain internal user, a Back
Office manager, and the supplier's contact on the portal."""

from unittest.mock import patch

from odoo.addons.bo_base.tests import common as bo_common
from odoo.addons.bo_base.tests.common import FieldReadingMixin, new_bo_user
from odoo.tests import tagged

from .common import FatturaPACommon


@tagged("post_install", "-at_install")
class TestFatturaPAFieldReading(FieldReadingMixin, FatturaPACommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        order = cls._order("PO-FPA-010", [(cls.sheet, 10, 40.0)])
        cls.picking = cls._receive(order, {cls.sheet: 6}, ddt="DDT-77", ddt_date="2026-11-15")
        cls.readers = {
            "accountant": cls.accountant,
            "buyer": cls.buyer,
            "manager": cls.manager,
            "stock_user": new_bo_user(
                cls.env, "fpa_stock", "Stella Stock", "stock.group_stock_user", cls.it_company
            ),
            "internal": new_bo_user(
                cls.env, "fpa_internal", "Ivo Interno", "base.group_user", cls.it_company
            ),
            "portal": new_bo_user(
                cls.env, "fpa_portal", "Rita Vendite", "base.group_portal", cls.it_company
            ),
        }
        cls.readers["portal"].partner_id.parent_id = cls.supplier

    def _fixture_records(self):
        bill = self._import("IT00743110157_FPA02.xml")
        self.assertTrue(bill.invoice_line_ids.bo_fpa_findings)
        return [bill, bill.invoice_line_ids, self.picking]

    def test_every_field_of_the_bridge_reads_for_every_reader(self):
        with patch.object(bo_common, "FIELD_MODULES", frozenset({"bo_suppliers_l10n_it_edi"})):
            self.assertIn("bo_fpa_iban", bo_common.module_fields(self.env["account.move"]))
            self.assertEveryFieldReads(self.readers)
