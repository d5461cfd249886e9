"""Order flow benchmark: stock Odoo against Odoo with bo_orders (all checks on).

Runs quotation -> confirm -> deliver -> invoice for N orders in two databases,
in the same process and interleaved in rounds (so that machine load hits both
alike), and prints the time and the number of SQL queries of each, with the
ratio with/without. Nothing is committed: each database is rolled back.

Usage (Odoo's python, from the repository root)::

    /opt/odoo19-venv/bin/python tests/bench/bench_orders.py \\
        --db-with ord_bench_with --db-without ord_bench_without [--orders 80] \\
        [--rounds 4] [--max-ratio 1.15] \\
        [--addons-path /opt/odoo19/addons,addons]

``--db-with`` must have ``bo_orders`` installed, ``--db-without`` the same
Odoo modules without ours and OCA's (e.g. both created from a template with
sale_management, sale_stock and account, then ``-i bo_orders`` on the first;
Odoo's own modules that our addons install, such as ``sale_margin``, are
installed in both, see ``test_benchmarks.py``): the ratio is what our
addons and the OCA modules they bring cost on top of the same Odoo. In the first
database every order check of the company is activated (as warnings, so that
no order stops) before the run. The query ratio's goal is
``QUERY_RATIO_GOAL`` (issue #20), also its gate (``--max-query-ratio``); the
time ratio's goal is ``--max-ratio``; the exit code is 1 when the query ratio
is above its gate, or the time ratio far above its goal (see ``figures.py``),
so CI can use it as a gate.

Every order costs the same queries, so the query ratio is the same for any
number of orders; 80 orders in 4 rounds keep the time ratio steady enough for
its gate (far past the goal only) and the run short.
"""

import argparse
import os
import sys
import time

from figures import Figures

import odoo
from odoo import SUPERUSER_ID, Command, api
from odoo.modules.registry import Registry

# At most 3% more queries than stock Odoo for the whole flow (issue #20).
# Measured 1.019 on 2026-12-03 (159.0 and 162.0 queries per order): the
# order checks' overdue receivables (1) and sale_stock's forecast for the
# stock check (3); the flow has one UPDATE statement fewer than stock Odoo's.
QUERY_RATIO_GOAL = 1.03
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db-with", required=True, help="database with bo_orders")
    parser.add_argument("--db-without", required=True, help="database without bo_orders")
    parser.add_argument("--orders", type=int, default=80, help="orders per database")
    parser.add_argument("--rounds", type=int, default=4, help="interleaved rounds")
    parser.add_argument("--max-ratio", type=float, default=1.15)
    parser.add_argument("--max-query-ratio", type=float, default=QUERY_RATIO_GOAL)
    parser.add_argument(
        "--addons-path",
        default=f"/opt/odoo19/addons,{os.path.join(ROOT, 'addons')}",
    )
    return parser.parse_args()


class Flow:
    """The order flow in one database, inside one never-committed transaction."""

    def __init__(self, db_name, with_checks):
        self.db_name = db_name
        self.registry = Registry(db_name)
        self.cr = self.registry.cursor()
        env = api.Environment(self.cr, SUPERUSER_ID, {})
        # work as the administrator, with access rights and record rules
        self.env = env(user=env.ref("base.user_admin"), context={"tracking_disable": False})
        if with_checks != ("bo.order.check" in self.env):
            sys.exit(f"{db_name}: bo_orders is {'not ' if with_checks else ''}installed")
        self.seconds = 0.0
        self.queries = 0
        self.done = 0
        self._setup(with_checks)

    def _setup(self, with_checks):
        env = self.env
        company = env.company
        if with_checks:
            checks = (
                env["bo.order.check"]
                .with_context(active_test=False)
                .search([("company_id", "=", company.id)])
            )
            checks.write({"active": True, "severity": "warn"})
            assert len(checks) >= 7, "expected the seven checks shipped by bo_orders"
        self.customer = env["res.partner"].create(
            {
                "name": "Bench Customer S.r.l.",
                "is_company": True,
                "vat": "IT01234560157",
                "street": "Via Roma 1",
                "city": "Milano",
                "country_id": company.country_id.id or env.ref("base.it").id,
                "property_payment_term_id": env.ref("account.account_payment_term_30days").id,
            }
        )
        stock = env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
        self.products = env["product.product"].create(
            [
                {
                    "name": "Bench Screws",
                    "is_storable": True,
                    "list_price": 100,
                    "standard_price": 40,
                },
                {"name": "Bench Plugs", "is_storable": True, "list_price": 10, "standard_price": 3},
            ]
        )
        for product in self.products:
            env["stock.quant"]._update_available_quantity(product, stock.lot_stock_id, 10**7)
        env.flush_all()

    def _one_order(self):
        env = self.env
        order = env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "order_line": [
                    Command.create({"product_id": product.id, "product_uom_qty": qty})
                    for product, qty in zip(self.products, (5, 40), strict=True)
                ],
            }
        )
        order.action_confirm()
        picking = order.picking_ids
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
        picking.move_ids.picked = True
        picking.button_validate()
        invoice = order._create_invoices()
        invoice.action_post()
        env.flush_all()
        assert order.invoice_status == "invoiced", order.invoice_status

    def run(self, count):
        start_queries = self.cr.sql_log_count
        start = time.perf_counter()
        for _i in range(count):
            self._one_order()
        self.seconds += time.perf_counter() - start
        self.queries += self.cr.sql_log_count - start_queries
        self.done += count

    def warm_up(self, count=5):
        for _i in range(count):
            self._one_order()

    def close(self):
        self.cr.rollback()
        self.cr.close()


def main():
    args = parse_args()
    odoo.tools.config.parse_config(
        [f"--addons-path={args.addons_path}", "--log-level=warn", "--http-interface=127.0.0.1"]
    )
    without = Flow(args.db_without, with_checks=False)
    with_bo = Flow(args.db_with, with_checks=True)
    try:
        without.warm_up()
        with_bo.warm_up()
        per_round = [args.orders // args.rounds] * args.rounds
        per_round[-1] += args.orders - sum(per_round)
        for count in per_round:
            without.run(count)
            with_bo.run(count)
    finally:
        without.close()
        with_bo.close()

    time_ratio = with_bo.seconds / without.seconds
    query_ratio = with_bo.queries / without.queries
    print(f"orders per database: {args.orders} (quotation -> confirm -> deliver -> invoice)")
    print(f"{'':22}{'time (s)':>10}{'ms/order':>10}{'queries':>10}{'q/order':>9}")
    for label, flow in (("without bo_orders", without), ("with bo_orders", with_bo)):
        print(
            f"{label:22}{flow.seconds:10.2f}{1000 * flow.seconds / flow.done:10.1f}"
            f"{flow.queries:10d}{flow.queries / flow.done:9.1f}"
        )
    figures = Figures("order flow")
    figures.add(
        "query ratio with/without bo_orders",
        query_ratio,
        QUERY_RATIO_GOAL,
        gate=args.max_query_ratio,
        digits=3,
    )
    figures.add(
        "time ratio with/without bo_orders", time_ratio, args.max_ratio, timed=True, digits=3
    )
    return figures.exit_status()


if __name__ == "__main__":
    sys.exit(main())
