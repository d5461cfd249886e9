"""FatturaPA import benchmark: the queries per bill must not grow with the bills.

On a throwaway copy of the given database (Odoo's import commits after each
file, as it must in production), builds an Italian company (the ``it``
chart), a supplier with its trusted bank account and N + 11 (default
N = 1,000) confirmed and received purchase orders; then imports, through
``l10n_it_edi``'s own upload to the purchase journal, one FatturaPA bill per
order, each naming its own order: one to warm up, 10, then N, with the caches
emptied after each bill as at the end of a request. It prints the queries and
the time per bill of the 10 and of the N.

The bills are the bridge's test invoice ``IT00743110157_FPA04.xml`` with the
order, the invoice number and the IBAN of each: the bridge matches each one
to its order among N open orders, checks its IBAN and its quantities.

Usage (Odoo's python, from the repository root)::

    /opt/odoo19-venv/bin/python tests/bench/bench_fatturapa.py --db italian_db \\
        [--bills 1000] [--max-extra-queries-per-bill 1] \\
        [--addons-path /opt/odoo19/addons,addons]

The database needs ``bo_suppliers_l10n_it_edi`` installed; it is left as
it was. The exit code is 1 when a bill of the N costs more than
``--max-extra-queries-per-bill`` queries more than a bill of the 10, or when
a bill is not matched to its order, so CI can use it as a gate.
"""

import argparse
import os
import subprocess
import sys
import time
import uuid

from figures import Figures

import odoo
from odoo import SUPERUSER_ID, Command, api
from odoo.modules.registry import Registry
from odoo.tools import file_open

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
INVOICE = "bo_suppliers_l10n_it_edi/tests/data/IT00743110157_FPA04.xml"
# What the invoice says that differs from one bill to the next.
INVOICE_ORDER, INVOICE_NUMBER, INVOICE_IBAN = (
    "PO-FPA-001",
    "FT-104/2026",
    "IT42L1234512345123456789012",
)
TRUSTED_IBAN = "IT60X0542811101000000123456"
SMALL = 10


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True, help="database with bo_suppliers_l10n_it_edi")
    parser.add_argument("--bills", type=int, default=1000)
    parser.add_argument("--max-extra-queries-per-bill", type=float, default=1.0)
    parser.add_argument(
        "--addons-path", default=f"/opt/odoo19/addons,{os.path.join(ROOT, 'addons')}"
    )
    return parser.parse_args()


class BenchData:
    """The buyer (the invoice's ``CessionarioCommittente``), its supplier
    and the orders the bills name."""

    def __init__(self, env, orders):
        italy = env.ref("base.it")
        # The chart is loaded here: Odoo's installing the country's modules
        # for a new company (and committing) is what this context skips.
        self.company = (
            env["res.company"]
            .with_context(chart_template_load=True)
            .create(
                {
                    "name": "Officine Meccaniche Prova S.r.l.",
                    "country_id": italy.id,
                    "vat": "IT01234560157",
                    "l10n_it_codice_fiscale": "01234560157",
                    "l10n_it_tax_system": "RF01",
                    "street": "1234 Test Street",
                    "zip": "12345",
                    "city": "Prova",
                    "bo_three_way_match": True,
                    "bo_duplicate_bill_check": True,
                }
            )
        )
        env.user.company_ids = [Command.link(self.company.id)]
        self.env = env = env(context={"allowed_company_ids": self.company.ids})
        env["account.chart.template"].try_loading("it", company=self.company, install_demo=False)
        # Odoo makes a new company's warehouse in its onboarding, not at creation.
        env["stock.warehouse"].create(
            {"name": "Prova", "code": "PROVA", "company_id": self.company.id}
        )
        self.journal = env["account.journal"].search(
            [("type", "=", "purchase"), ("company_id", "=", self.company.id)], limit=1
        )
        self.supplier = env["res.partner"].create(
            {
                "name": "Acciai Brianza S.p.A.",
                "is_company": True,
                "vat": "IT00743110157",
                "country_id": italy.id,
                "supplier_rank": 1,
                "company_id": self.company.id,
                "bank_ids": [
                    Command.create({"acc_number": TRUSTED_IBAN, "allow_out_payment": True})
                ],
            }
        )
        sheet = env["product.product"].create(
            {
                "name": "Lamiera zincata 2 mm",
                "default_code": "LAM-2",
                "is_storable": True,
                "purchase_method": "purchase",
                "supplier_taxes_id": [Command.clear()],
                "company_id": self.company.id,
                "seller_ids": [
                    Command.create(
                        {"partner_id": self.supplier.id, "product_code": "AB-LAM2", "price": 40.0}
                    )
                ],
            }
        )
        self.orders = env["purchase.order"].create(
            [
                {
                    "name": f"PO-BENCH-{index:05d}",
                    "partner_id": self.supplier.id,
                    "company_id": self.company.id,
                    "order_line": [
                        Command.create(
                            {"product_id": sheet.id, "product_qty": 10, "price_unit": 40.0}
                        )
                    ],
                }
                for index in range(orders)
            ]
        )
        self.orders.button_confirm()
        pickings = self.orders.picking_ids
        for move in pickings.move_ids:
            move.quantity = move.product_uom_qty
            move.picked = True
        pickings._action_done()
        with file_open(INVOICE, "rb") as invoice:
            self.invoice = invoice.read()

    def import_bill(self, order):
        """The bill l10n_it_edi makes of the invoice naming ``order``, flushed,
        with the caches emptied after it as at the end of a request."""
        content = (
            self.invoice.replace(INVOICE_ORDER.encode(), order.name.encode())
            .replace(INVOICE_NUMBER.encode(), f"FT-{order.name}".encode())
            .replace(INVOICE_IBAN.encode(), TRUSTED_IBAN.encode())
        )
        attachment = self.env["ir.attachment"].create(
            # SdI's name of the file: the sender's code, a progressive of five.
            {"name": f"IT00743110157_{order.name[-5:]}.xml", "raw": content}
        )
        bill = self.journal.with_context(
            default_move_type="in_invoice"
        )._create_document_from_attachment(attachment.ids)
        self.env.flush_all()
        self.env.invalidate_all()
        return bill

    def import_bills(self, orders):
        """Import one bill per order: (bills not matched to their order,
        seconds, queries)."""
        cr = self.env.cr
        queries0, start = cr.sql_log_count, time.perf_counter()
        bills = [self.import_bill(order) for order in orders]
        seconds, queries = time.perf_counter() - start, cr.sql_log_count - queries0
        unmatched = [
            bill.ref
            for bill, order in zip(bills, orders, strict=True)
            if bill.invoice_line_ids.purchase_line_id.order_id != order
        ]
        return unmatched, seconds, queries


def measure(args, db):
    """Build the data on ``db`` and import the bills: the runs of the 10 and
    of the N, as ``import_bills`` returns them."""
    registry = Registry(db)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        if "bo_fpa_imported" not in env["account.move"]._fields:
            sys.exit(f"{args.db}: bo_suppliers_l10n_it_edi is not installed")
        start = time.perf_counter()
        data = BenchData(env, 1 + SMALL + args.bills)
        print(
            f"data: {len(data.orders)} confirmed and received orders "
            f"(created in {time.perf_counter() - start:.1f} s)"
        )
        orders = data.orders
        data.import_bill(orders[0])
        return data.import_bills(orders[1 : 1 + SMALL]), data.import_bills(orders[1 + SMALL :])


def main():
    args = parse_args()
    odoo.tools.config.parse_config(
        [f"--addons-path={args.addons_path}", "--log-level=warn", "--http-interface=127.0.0.1"]
    )
    db = f"bo_bench_fatturapa_{uuid.uuid4().hex[:8]}"
    odoo_db = [sys.executable, "-m", "odoo", "db"]
    subprocess.run([*odoo_db, "duplicate", args.db, db], check=True, capture_output=True)
    try:
        small, full = measure(args, db)
    finally:
        Registry.delete(db)
        subprocess.run([*odoo_db, "drop", db], check=False, capture_output=True)

    print(f"{'bills':>7}{'time (s)':>10}{'queries':>9}{'per bill':>10}{'unmatched':>11}")
    for label, (unmatched, seconds, queries) in ((SMALL, small), (args.bills, full)):
        print(f"{label:>7}{seconds:>10.2f}{queries:>9}{queries / label:>10.1f}{len(unmatched):>11}")
    extra = full[2] / args.bills - small[2] / SMALL
    print(f"extra queries per bill for {args.bills} bills against {SMALL}: {extra:.2f}")
    figures = Figures("FatturaPA import")
    figures.add(
        f"extra queries per bill, {args.bills} bills against {SMALL}",
        extra,
        args.max_extra_queries_per_bill,
    )
    figures.add(
        f"bills not matched to their order, of {args.bills + SMALL}",
        len(small[0]) + len(full[0]),
        0,
        digits=0,
    )
    return figures.exit_status()


if __name__ == "__main__":
    sys.exit(main())
