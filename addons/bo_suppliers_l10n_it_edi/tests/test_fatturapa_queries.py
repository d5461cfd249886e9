import logging

from odoo.addons.bo_base.tests.common import QueryGrowthMixin
from odoo.tests import tagged

from .common import NEW_IBAN, TRUSTED_IBAN, FatturaPACommon

_logger = logging.getLogger(__name__)


@tagged("post_install", "-at_install")
class TestFatturaPAQueries(QueryGrowthMixin, FatturaPACommon):
    """The match searches once per invoice, never once per line or per open
    order: a bill costs the same queries against 10 open orders as against 2."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.orders = [
            cls._order(f"PO-FPA-1{index:02d}", [(cls.sheet, 10, 40.0), (cls.rod, 5, 10.0)])
            for index in range(13)
        ]

    def _import_bills(self, names):
        """One bill per order name, each naming its own order."""
        return [
            self._import(
                "IT00743110157_FPA04.xml",
                replace={"PO-FPA-001": name, "FT-104/2026": f"FT-{name}", NEW_IBAN: TRUSTED_IBAN},
            )
            for name in names
        ]

    def test_importing_ten_bills_costs_the_same_per_bill_as_two(self):
        names = [order.name for order in self.orders]
        self._import_bills(names[:1])
        bills, on_two = self.count_queries(lambda: self._import_bills(names[1:3]))
        self.assertEqual(bills[0].invoice_line_ids.purchase_line_id.order_id.name, names[1])
        bills, on_ten = self.count_queries(lambda: self._import_bills(names[3:13]))
        self.assertEqual(len(bills), 10)
        _logger.info("FatturaPA import: %s queries for 2 bills, %s for 10", on_two, on_ten)
        self.assertLessEqual(
            on_ten / len(bills),
            on_two / 2 + 2,
            f"{on_ten} queries for {len(bills)} bills, {on_two} for 2: a query per open order?",
        )
