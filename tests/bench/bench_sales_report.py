"""Sales performance XLSX against Odoo's own XLSX export over 100,000 order lines.

Makes a database of its own from ``--template`` (stock sales with demo data),
installs ``bo_reports`` on it and adds ``--lines`` confirmed sale order lines
(default 100,000, in orders of 100 lines spread over the year 2026): one order
is made through the ORM and copied with set-based SQL (``odoo.tools.SQL``),
as going through the sales flow 100,000 times would measure the flow, not the
reports. Then, each on a freshly started server of its own (threaded, one
process) after a small warm-up request, taking turns over three rounds:

- Odoo's export: ``/web/export/xlsx`` of the same lines, 7 columns, as the
  list view's Export does;
- our report: the Sales Performance XLSX of 2026 with every sheet and the
  order lines sheet (one row per line, 11 columns), downloaded from
  ``/report/xlsx/...`` as the web client does.

It prints the time of each request (the best of three) and the growth of the
server's peak memory during the first (``VmHWM`` less ``VmRSS`` before the request, from
``/proc``), and their ratios. Exit code 1 when our report grows the memory by
more than ``--max-memory-ratio`` of the export's growth, or is slower than the
export far past ``--max-time-ratio`` (see ``figures.py``; the goals: no
slower, at most half the memory).

Usage (Odoo's python, from the repository root)::

    /opt/odoo19-venv/bin/python tests/bench/bench_sales_report.py \\
        --template bo_tmpl_xxx [--lines 100000] \\
        [--addons-path /opt/odoo19/addons,addons]
"""

import argparse
import http.cookiejar
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import uuid

from figures import Figures

import odoo
from odoo import SUPERUSER_ID, Command, api
from odoo.modules.registry import Registry
from odoo.tools import SQL

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
LINES_PER_ORDER = 100
EXPORT_FIELDS = [
    ("order_id", "Order Reference", "many2one"),
    ("order_partner_id", "Customer", "many2one"),
    ("product_id", "Product", "many2one"),
    ("product_uom_qty", "Quantity", "float"),
    ("price_unit", "Unit Price", "float"),
    ("price_subtotal", "Subtotal", "monetary"),
    ("salesman_id", "Salesperson", "many2one"),
]
BENCH_DOMAIN = [["order_id.name", "=like", "BENCH/%"]]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--template", required=True, help="database with stock sales and demo")
    parser.add_argument("--lines", type=int, default=100000)
    parser.add_argument("--max-time-ratio", type=float, default=1.0)
    parser.add_argument("--max-memory-ratio", type=float, default=0.5)
    parser.add_argument(
        "--addons-path", default=f"/opt/odoo19/addons,{os.path.join(ROOT, 'addons')}"
    )
    return parser.parse_args()


def odoo_cli(args, *cli):
    cmd = [sys.executable, "-m", "odoo", *cli]
    if cli[0] != "db":
        cmd.append(f"--addons-path={args.addons_path}")
    subprocess.run(cmd, check=True, capture_output=True, text=True)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def make_lines(args, db):
    """The benchmark's order lines, committed."""
    odoo.tools.config.parse_config(
        [f"--addons-path={args.addons_path}", "--log-level=warn", "--http-interface=127.0.0.1"]
    )
    started = time.perf_counter()
    with Registry(db).cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
        customer = env["res.partner"].create({"name": "Bench Customer S.p.A."})
        products = env["product.product"].create(
            [
                {"name": f"Bench Product {n}", "list_price": 10 + n, "standard_price": 5 + n}
                for n in range(5)
            ]
        )
        template = env["sale.order"].create(
            {
                "partner_id": customer.id,
                "order_line": [
                    Command.create({"product_id": product.id, "product_uom_qty": 2})
                    for product in products
                ],
            }
        )
        template.action_confirm()
        env.flush_all()
        orders = -(-args.lines // LINES_PER_ORDER)
        copies = LINES_PER_ORDER // len(products)

        def columns(table, skip):
            rows = env.execute_query(
                SQL(
                    "SELECT column_name FROM information_schema.columns "
                    "WHERE table_name = %s AND column_name NOT IN %s ORDER BY ordinal_position",
                    table,
                    tuple(skip),
                )
            )
            return [SQL.identifier(name) for (name,) in rows]

        order_columns = columns("sale_order", ["id", "name", "date_order"])
        new_orders = env.execute_query(
            SQL(
                """
                INSERT INTO sale_order (name, date_order, %(columns)s)
                SELECT 'BENCH/' || lpad(n::text, 6, '0'),
                       timestamp '2026-01-05 09:00' + (n %% 290) * interval '1 day',
                       %(columns)s
                  FROM sale_order, generate_series(1, %(orders)s) n
                 WHERE sale_order.id = %(template)s
             RETURNING id
                """,
                columns=SQL(", ").join(order_columns),
                orders=orders,
                template=template.id,
            )
        )
        line_columns = columns("sale_order_line", ["id", "order_id"])
        cr.execute(
            SQL(
                """
                INSERT INTO sale_order_line (order_id, %(columns)s)
                SELECT new_order.id, %(line_columns)s
                  FROM sale_order_line line,
                       unnest(%(orders)s::int[]) new_order(id),
                       generate_series(1, %(copies)s)
                 WHERE line.order_id = %(template)s
                """,
                columns=SQL(", ").join(line_columns),
                line_columns=SQL(", ").join(SQL("line.%s", column) for column in line_columns),
                orders=[order_id for (order_id,) in new_orders],
                copies=copies,
                template=template.id,
            )
        )
        count = cr.rowcount
        cr.commit()
        # Fresh planner statistics for both sides: otherwise the tables' first
        # automatic analyze may fall in the middle of one side's requests.
        cr.execute(SQL("ANALYZE sale_order, sale_order_line"))
        cr.commit()
    print(f"data: {count} order lines in {orders} orders, {time.perf_counter() - started:.1f} s")


class Server:
    """A fresh threaded Odoo server on the benchmark database."""

    def __init__(self, args, db):
        self.url = f"http://127.0.0.1:{free_port()}"
        self.log_path = f"/tmp/{db}_{uuid.uuid4().hex[:6]}.log"
        port = self.url.rsplit(":", 1)[1]
        self.process = subprocess.Popen(
            [
                sys.executable, "-m", "odoo", "server",
                f"--addons-path={args.addons_path}", "-d", db, f"--db-filter=^{db}$",
                "--http-interface=127.0.0.1", f"--http-port={port}",
                "--max-cron-threads=0", "--workers=0", "--log-level=warn",
                "--limit-time-real=0", f"--logfile={self.log_path}",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        deadline = time.monotonic() + 120
        while True:
            try:
                with self.opener.open(f"{self.url}/web/health", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise RuntimeError("the benchmark server did not start") from None
                time.sleep(0.5)
        self.json("/web/session/authenticate", {"db": db, "login": "admin", "password": "admin"})
        page = self.opener.open(f"{self.url}/odoo").read().decode()
        self.csrf = re.search(r'csrf_token: "([^"]+)"', page).group(1)

    def json(self, path, params):
        body = json.dumps({"jsonrpc": "2.0", "method": "call", "params": params}).encode()
        request = urllib.request.Request(
            self.url + path, body, {"Content-Type": "application/json"}
        )
        reply = json.loads(self.opener.open(request).read())
        if "error" in reply:
            raise RuntimeError(reply["error"])
        return reply["result"]

    def call(self, model, method, *args, **kwargs):
        return self.json(
            "/web/dataset/call_kw",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )

    def memory(self, key):
        with open(f"/proc/{self.process.pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(key):
                    return int(line.split()[1]) / 1024
        raise RuntimeError(f"no {key} for the server")

    def measure(self, request):
        """Time of the request and growth of the server's peak memory (MB)."""
        before = self.memory("VmRSS")
        started = time.perf_counter()
        with self.opener.open(request, timeout=3600) as response:
            size = len(response.read())
        elapsed = time.perf_counter() - started
        return elapsed, max(self.memory("VmHWM") - before, 0.0), size

    def export_request(self, domain):
        data = {
            "model": "sale.order.line",
            "fields": [
                {"name": name, "label": label, "type": ftype}
                for name, label, ftype in EXPORT_FIELDS
            ],
            "ids": False,
            "domain": domain,
            "groupby": [],
            "context": {},
            "import_compat": False,
        }
        body = urllib.parse.urlencode({"data": json.dumps(data), "csrf_token": self.csrf})
        return urllib.request.Request(f"{self.url}/web/export/xlsx", body.encode())

    def report_request(self, date_from, date_to):
        wizard_id = self.call(
            "bo.sales.report.wizard",
            "create",
            {"date_from": date_from, "date_to": date_to, "detail": True},
        )
        return f"{self.url}/report/xlsx/bo_reports.sales_xlsx/{wizard_id}"

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=60)


def run(args, db, sides):
    """Measure the sides, each ``(name, warm_up, measured)`` on a server of its
    own, taking turns: round after round each side makes its request, the
    order alternating, so that a slower spell of the machine falls on both.

    The peak memory is that of each side's first measured request; the time
    the best of three, so that a hiccup of the machine decides nothing (runs
    of the same request vary by up to a fifth here). Returns
    ``[(time, memory growth)]`` in the order of ``sides``.
    """
    servers = []
    try:
        for _name, warm_up, _measured in sides:
            server = Server(args, db)
            servers.append(server)
            server.measure(warm_up(server))
        results = [None] * len(sides)
        for round_number in range(3):
            turns = list(enumerate(sides))
            if round_number % 2:
                turns.reverse()
            for index, (_name, _warm_up, measured) in turns:
                server = servers[index]
                elapsed, growth, size = server.measure(measured(server))
                if results[index] is None:
                    results[index] = [elapsed, growth, size]
                else:
                    results[index][0] = min(results[index][0], elapsed)
    except Exception:
        for server in servers:
            with open(server.log_path, encoding="utf-8") as log:
                print(log.read()[-4000:])
        raise
    finally:
        for server in servers:
            server.stop()
    for (name, _warm_up, _measured), (elapsed, growth, size) in zip(sides, results, strict=True):
        print(f"{name}: {elapsed:.2f} s, peak memory +{growth:.0f} MB, file {size / 1e6:.1f} MB")
    return [(elapsed, growth) for elapsed, growth, _size in results]


def main():
    args = parse_args()
    db = f"bo_bench_sales_{uuid.uuid4().hex[:8]}"
    odoo_cli(args, "db", "duplicate", args.template, db)
    try:
        odoo_cli(args, "-d", db, "-i", "bo_reports", "--stop-after-init", "--log-level=warn")
        make_lines(args, db)
        (export_time, export_memory), (report_time, report_memory) = run(
            args,
            db,
            [
                (
                    "Odoo export /web/export/xlsx (7 columns)",
                    lambda s: s.export_request([["id", "<", 50]]),
                    lambda s: s.export_request(BENCH_DOMAIN),
                ),
                (
                    "Sales Performance XLSX with order lines",
                    lambda s: s.report_request("2025-01-01", "2025-01-31"),
                    lambda s: s.report_request("2026-01-01", "2026-12-31"),
                ),
            ],
        )
    finally:
        odoo_cli(args, "db", "drop", db)
    time_ratio = report_time / export_time
    memory_ratio = report_memory / export_memory if export_memory else 0.0
    figures = Figures("sales report, 100,000 lines")
    figures.add("memory growth ratio report/export", memory_ratio, args.max_memory_ratio)
    figures.add("time ratio report/export", time_ratio, args.max_time_ratio, timed=True)
    return figures.exit_status()


if __name__ == "__main__":
    sys.exit(main())
