"""Supplier evaluation benchmark: the query count must not grow with suppliers.

Builds, inside one never-committed transaction, N suppliers (default 500) with
their confirmed orders, done receipts (default 20,000 receipt lines), some
returns and posted bills, all dated in one past quarter; then evaluates that
quarter once for 50 of the suppliers and once for all of them (rolling back
to a savepoint in between, so that both runs create their evaluations from
scratch), and prints the time and the number of SQL queries of each.

The data is inserted with a few set-based SQL statements (``odoo.tools.SQL``,
parameters only): going through the stock flow for 20,000 lines would measure
the stock flow, not the evaluation. Its time is printed apart.

Usage (Odoo's python, from the repository root)::

    /opt/odoo19-venv/bin/python tests/bench/bench_supplier_evaluation.py \\
        --db bench_db [--suppliers 500] [--lines 20000] [--small 50] \\
        [--max-extra-queries 5] [--addons-path /opt/odoo19/addons,addons]

The database needs ``bo_suppliers`` installed. The exit code is 1 when the
run over all suppliers takes more than ``--max-extra-queries`` queries more
than the run over ``--small`` suppliers, so CI can use it as a gate.
"""

import argparse
import os
import sys
import time
from datetime import date

from figures import Figures

import odoo
from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry
from odoo.tools import SQL

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
# a quarter long gone: no real document of the database falls in it
DATE_FROM, DATE_TO = date(2001, 1, 1), date(2001, 3, 31)
LINES_PER_ORDER = 10


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True, help="database with bo_suppliers")
    parser.add_argument("--suppliers", type=int, default=500)
    parser.add_argument("--lines", type=int, default=20000, help="receipt lines in all")
    parser.add_argument("--small", type=int, default=50, help="suppliers of the first run")
    parser.add_argument("--max-extra-queries", type=int, default=5)
    parser.add_argument(
        "--addons-path", default=f"/opt/odoo19/addons,{os.path.join(ROOT, 'addons')}"
    )
    return parser.parse_args()


class BenchData:
    """Suppliers, orders, receipts, returns and bills of the benchmark quarter."""

    def __init__(self, env, suppliers, lines):
        self.env = env
        self.company = env.company
        self.orders_per_supplier = max(1, lines // suppliers // LINES_PER_ORDER)
        self.suppliers = env["res.partner"].create(
            [
                {"name": f"Bench Supplier {i:04d}", "is_company": True, "supplier_rank": 1}
                for i in range(suppliers)
            ]
        )
        self.product = env["product.product"].create(
            {"name": "Bench Bolt", "is_storable": True, "standard_price": 5.0}
        )
        self.picking_type = env["stock.picking.type"].search(
            [("code", "=", "incoming"), ("company_id", "=", self.company.id)], limit=1
        )
        self.supplier_location = env.ref("stock.stock_location_suppliers")
        self.stock_location = self.picking_type.default_location_dest_id
        self.journal = env["account.journal"].search(
            [("type", "=", "purchase"), ("company_id", "=", self.company.id)], limit=1
        )
        self.account = self.product.categ_id.property_account_expense_categ_id or (
            self.journal.default_account_id
        )
        env.flush_all()
        self._orders()
        self._receipts()
        self._returns()
        self._bills()
        env.invalidate_all()

    def _execute(self, query):
        self.env.cr.execute(query)

    def _common(self):
        return {
            "company": self.company.id,
            "currency": self.company.currency_id.id,
            "uid": SUPERUSER_ID,
            "product": self.product.id,
            "uom": self.product.uom_id.id,
            "type": self.picking_type.id,
            "supplier_loc": self.supplier_location.id,
            "stock_loc": self.stock_location.id,
            "start": DATE_FROM,
        }

    def _orders(self):
        # orders confirmed 0-5 days after their RFQ, spread over two months
        self._execute(
            SQL(
                """
                INSERT INTO purchase_order (
                    name, partner_id, company_id, currency_id, currency_rate,
                    picking_type_id, state, date_order, create_date, date_approve,
                    create_uid, write_uid, write_date)
                SELECT 'BENCH/PO/' || p.idx || '/' || o, p.id, %(company)s, %(currency)s,
                       1.0, %(type)s, 'purchase',
                       %(start)s::timestamp + ((p.idx * 7 + o * 13) %% 50 + 2) * interval '1 day',
                       %(start)s::timestamp + ((p.idx * 7 + o * 13) %% 50) * interval '1 day',
                       %(start)s::timestamp + ((p.idx * 7 + o * 13) %% 50 + (p.idx %% 6))
                           * interval '1 day',
                       %(uid)s, %(uid)s, now()
                  FROM unnest(%(partners)s::int[]) WITH ORDINALITY AS p(id, idx),
                       generate_series(1, %(per_supplier)s) AS o
                """,
                partners=self.suppliers.ids,
                per_supplier=self.orders_per_supplier,
                **self._common(),
            )
        )
        self._execute(
            SQL(
                """
                INSERT INTO purchase_order_line (
                    order_id, name, product_id, product_uom_id, product_qty, product_uom_qty,
                    price_unit, qty_received, date_planned, company_id, partner_id,
                    create_uid, write_uid, write_date)
                SELECT po.id, 'Bench Bolt', %(product)s, %(uom)s, 10, 10, 5.0,
                       CASE WHEN l %% 9 = 0 THEN 9 ELSE 10 END,
                       po.date_order + interval '10 days', %(company)s, po.partner_id,
                       %(uid)s, %(uid)s, now()
                  FROM purchase_order po, generate_series(1, %(per_order)s) AS l
                 WHERE po.name LIKE 'BENCH/PO/%%'
                """,
                per_order=LINES_PER_ORDER,
                **self._common(),
            )
        )

    def _receipts(self):
        self._execute(
            SQL(
                """
                INSERT INTO stock_picking (
                    name, origin, partner_id, picking_type_id, location_id, location_dest_id,
                    company_id, scheduled_date, date_done, state, move_type,
                    create_uid, write_uid, write_date)
                SELECT 'BENCH/IN/' || po.id, po.name, po.partner_id, %(type)s,
                       %(supplier_loc)s, %(stock_loc)s, %(company)s,
                       po.date_order + interval '10 days', po.date_order + interval '11 days',
                       'done', 'direct', %(uid)s, %(uid)s, now()
                  FROM purchase_order po
                 WHERE po.name LIKE 'BENCH/PO/%%'
                """,
                **self._common(),
            )
        )
        # one done move per order line: some late, some short
        self._execute(
            SQL(
                """
                INSERT INTO stock_move (
                    company_id, product_id, product_uom, location_id, location_dest_id,
                    procure_method, product_uom_qty, product_qty, quantity, date,
                    date_deadline, state, picking_id, picking_type_id, purchase_line_id,
                    create_uid, write_uid, write_date)
                SELECT %(company)s, %(product)s, %(uom)s, %(supplier_loc)s, %(stock_loc)s,
                       'make_to_stock', pol.qty_received, pol.qty_received, pol.qty_received,
                       pol.date_planned + ((pol.id %% 7) - 4) * interval '1 day',
                       pol.date_planned, 'done', sp.id, %(type)s, pol.id,
                       %(uid)s, %(uid)s, now()
                  FROM purchase_order_line pol
                  JOIN purchase_order po ON po.id = pol.order_id
                  JOIN stock_picking sp ON sp.origin = po.name AND sp.name LIKE 'BENCH/IN/%%'
                 WHERE po.name LIKE 'BENCH/PO/%%'
                """,
                **self._common(),
            )
        )

    def _returns(self):
        # one return per supplier, giving back one unit of every 20th receipt line
        self._execute(
            SQL(
                """
                INSERT INTO stock_picking (
                    name, partner_id, picking_type_id, location_id, location_dest_id,
                    company_id, scheduled_date, date_done, state, move_type,
                    create_uid, write_uid, write_date)
                SELECT 'BENCH/RET/' || p.id, p.id, %(type)s, %(stock_loc)s, %(supplier_loc)s,
                       %(company)s, %(start)s::timestamp + interval '80 days',
                       %(start)s::timestamp + interval '80 days', 'done', 'direct',
                       %(uid)s, %(uid)s, now()
                  FROM unnest(%(partners)s::int[]) AS p(id)
                """,
                partners=self.suppliers.ids,
                **self._common(),
            )
        )
        self._execute(
            SQL(
                """
                INSERT INTO stock_move (
                    company_id, product_id, product_uom, location_id, location_dest_id,
                    procure_method, product_uom_qty, product_qty, quantity, date, state,
                    picking_id, origin_returned_move_id, create_uid, write_uid, write_date)
                SELECT %(company)s, %(product)s, %(uom)s, %(stock_loc)s, %(supplier_loc)s,
                       'make_to_stock', 1, 1, 1, rsp.date_done, 'done', rsp.id, m.id,
                       %(uid)s, %(uid)s, now()
                  FROM stock_move m
                  JOIN stock_picking sp ON sp.id = m.picking_id AND sp.name LIKE 'BENCH/IN/%%'
                  JOIN stock_picking rsp ON rsp.name = 'BENCH/RET/' || sp.partner_id
                 WHERE m.id %% 20 = 0
                """,
                **self._common(),
            )
        )

    def _bills(self):
        # one posted bill per order; every tenth line billed 10% above the order
        self._execute(
            SQL(
                """
                INSERT INTO account_move (
                    name, ref, journal_id, currency_id, company_id, partner_id,
                    commercial_partner_id, state, move_type, auto_post, date, invoice_date,
                    create_uid, write_uid, write_date)
                SELECT 'BENCH/BILL/' || po.id, po.name, %(journal)s, %(currency)s,
                       %(company)s, po.partner_id, po.partner_id, 'posted', 'in_invoice',
                       'no', (po.date_order + interval '20 days')::date,
                       (po.date_order + interval '20 days')::date,
                       %(uid)s, %(uid)s, now()
                  FROM purchase_order po
                 WHERE po.name LIKE 'BENCH/PO/%%'
                """,
                journal=self.journal.id,
                **self._common(),
            )
        )
        self._execute(
            SQL(
                """
                INSERT INTO account_move_line (
                    move_id, journal_id, company_id, company_currency_id, currency_id,
                    partner_id, account_id, display_type, name, product_id, product_uom_id,
                    quantity, price_unit, price_subtotal, price_total, balance,
                    amount_currency, debit, credit, date, parent_state, purchase_line_id,
                    create_uid, write_uid, write_date)
                SELECT am.id, am.journal_id, %(company)s, %(currency)s, %(currency)s,
                       am.partner_id, %(account)s, 'product', 'Bench Bolt', %(product)s,
                       %(uom)s, pol.qty_received, price, price * pol.qty_received,
                       price * pol.qty_received, price * pol.qty_received,
                       price * pol.qty_received, price * pol.qty_received, 0, am.date,
                       'posted', pol.id, %(uid)s, %(uid)s, now()
                  FROM purchase_order_line pol
                  JOIN purchase_order po ON po.id = pol.order_id
                  JOIN account_move am ON am.ref = po.name AND am.name LIKE 'BENCH/BILL/%%'
                  CROSS JOIN LATERAL (
                      SELECT CASE WHEN pol.id %% 10 = 0 THEN 5.5 ELSE 5.0 END AS price
                  ) AS p
                 WHERE po.name LIKE 'BENCH/PO/%%'
                """,
                account=self.account.id,
                **self._common(),
            )
        )

    def count(self, table, pattern):
        self.env.cr.execute(
            SQL("SELECT count(*) FROM %s WHERE name LIKE %s", SQL.identifier(table), pattern)
        )
        return self.env.cr.fetchone()[0]


def evaluate(env, company, partners):
    env.flush_all()
    env.cr.flush()
    env.invalidate_all()
    queries0, start = env.cr.sql_log_count, time.perf_counter()
    evaluations = env["bo.supplier.evaluation"]._bo_evaluate(
        company, DATE_FROM, DATE_TO, partners=partners, period_type="quarter"
    )
    env.flush_all()
    env.cr.flush()
    return len(evaluations), time.perf_counter() - start, env.cr.sql_log_count - queries0


def main():
    args = parse_args()
    odoo.tools.config.parse_config(
        [f"--addons-path={args.addons_path}", "--log-level=warn", "--http-interface=127.0.0.1"]
    )
    registry = Registry(args.db)
    cr = registry.cursor()
    try:
        env = api.Environment(cr, SUPERUSER_ID, {})
        if "bo.supplier.evaluation" not in env:
            sys.exit(f"{args.db}: bo_suppliers is not installed")
        start = time.perf_counter()
        data = BenchData(env, args.suppliers, args.lines)
        created = time.perf_counter() - start
        cr.execute(
            SQL(
                "SELECT count(*) FROM stock_move m JOIN stock_picking sp ON sp.id = m.picking_id"
                " WHERE sp.name LIKE %s",
                "BENCH/IN/%",
            )
        )
        receipt_lines = cr.fetchone()[0]
        print(
            f"data: {len(data.suppliers)} suppliers, {receipt_lines} receipt lines, "
            f"{data.count('stock_picking', 'BENCH/RET/%')} returns, "
            f"{data.count('account_move', 'BENCH/BILL/%')} bills "
            f"(created in {created:.1f} s)"
        )
        company = env.company
        cr.execute("SAVEPOINT bench_evaluation")
        small = evaluate(env, company, data.suppliers[: args.small])
        cr.execute("ROLLBACK TO SAVEPOINT bench_evaluation")
        env.invalidate_all()
        env.transaction.clear()
        # all the suppliers with activity in the quarter, as the scheduled job does
        full = evaluate(env, company, None)
    finally:
        cr.rollback()
        cr.close()

    print(f"{'suppliers':>10}{'evaluated':>11}{'time (s)':>10}{'queries':>9}")
    for label, (count, seconds, queries) in ((args.small, small), (args.suppliers, full)):
        print(f"{label:>10}{count:>11}{seconds:>10.2f}{queries:>9}")
    extra = full[2] - small[2]
    print(f"extra queries for {args.suppliers} suppliers: {extra}")
    figures = Figures("supplier evaluation")
    figures.add(
        f"extra queries, {args.suppliers} suppliers against {args.small}",
        extra,
        args.max_extra_queries,
        digits=0,
    )
    figures.add(
        f"suppliers evaluated of {args.suppliers}", full[0], args.suppliers, at_least=True, digits=0
    )
    return figures.exit_status() if small[0] == args.small else 1


if __name__ == "__main__":
    sys.exit(main())
