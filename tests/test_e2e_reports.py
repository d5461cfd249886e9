"""Reports and the overview seen from outside: files downloaded as the web client
does, in the user's language, with the numbers Odoo shows."""

import http.cookiejar
import io
import json
import time
import urllib.request
from datetime import date

from openpyxl import load_workbook


def _web_session(server, login, password):
    """A browser-like session: the cookie of ``/web/session/authenticate``."""
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    body = json.dumps(
        {
            "jsonrpc": "2.0",
            "method": "call",
            "params": {"db": server.db, "login": login, "password": password},
        }
    ).encode()
    request = urllib.request.Request(
        f"{server.url}/web/session/authenticate", body, {"Content-Type": "application/json"}
    )
    with opener.open(request, timeout=60) as response:
        assert "error" not in json.loads(response.read())
    return opener


def _download_sales_report(server, login, password):
    client = server.login(login, password)
    year = date.today().year
    wizard_id = client.call(
        "bo.sales.report.wizard",
        "create",
        {"date_from": f"{year}-01-01", "date_to": f"{year}-12-31", "detail": True},
    )
    opener = _web_session(server, login, password)
    url = f"{server.url}/report/xlsx/bo_reports.sales_xlsx/{wizard_id}"
    with opener.open(url, timeout=300) as response:
        assert response.headers["Content-Type"].startswith(
            "application/vnd.openxmlformats-officedocument.spreadsheetml"
        )
        return client, load_workbook(io.BytesIO(response.read()), data_only=True)


def _rows(sheet):
    rows = sheet.iter_rows(min_row=4, values_only=True)
    return [row for row in rows if any(value not in (None, "") for value in row)]


def test_sales_performance_downloaded_matches_sales_analysis(odoo_server):
    client, workbook = _download_sales_report(odoo_server, "bomanager", "bomanager")
    assert workbook.sheetnames == [
        "By Month",
        "By Customer",
        "By Product",
        "By Category",
        "By Salesperson",
        "By Country",
        "Order Lines",
    ]
    total = _rows(workbook["By Customer"])[-1]
    assert total[0] == "Total"
    lines = _rows(workbook["Order Lines"])[1:]
    assert lines, "the demo data has confirmed orders this year"
    # Every sheet adds up to the same revenue, that of the order lines.
    revenue = round(sum(line[9] for line in lines), 2)
    assert round(total[1], 2) == revenue
    assert round(_rows(workbook["By Month"])[-1][1], 2) == revenue
    # and that is what Sales Analysis shows for the same orders.
    year = date.today().year
    names = sorted({line[0] for line in lines})
    groups = client.call_json(
        "sale.report",
        "formatted_read_group",
        [("name", "in", names), ("state", "=", "sale"), ("date", ">=", f"{year}-01-01")],
        groupby=[],
        aggregates=["price_subtotal:sum"],
    )
    assert round(groups[0]["price_subtotal:sum"], 2) == revenue


def test_italian_clerk_gets_the_report_in_italian(odoo_server):
    _client, workbook = _download_sales_report(odoo_server, "clerk", "clerk")
    assert workbook.sheetnames[:2] == ["Per mese", "Per cliente"]
    assert _rows(workbook["Per cliente"])[0][:2] == ("Cliente", "Fatturato")


def test_overview_counts_what_its_lists_show(odoo_server):
    clerk = odoo_server.login("clerk", "clerk")
    tiles = clerk.call(
        "bo.overview.tile", "search_read", [("is_available", "=", True)], fields=["count"]
    )
    assert tiles, "the clerk has counts on the overview"
    for tile in tiles:
        action = clerk.call_json("bo.overview.tile", "action_open", [tile["id"]])
        shown = clerk.call(action["res_model"], "search_count", action["domain"])
        assert shown == tile["count"], action["name"]


def test_report_run_in_the_background_by_the_job_runner_reaches_the_inbox(odoo_server):
    """The server loads queue_job as bin/bo-serve does: its runner runs the job."""
    client, foreground = _download_sales_report(odoo_server, "bomanager", "bomanager")
    year = date.today().year
    wizard_id = client.call(
        "bo.sales.report.wizard",
        "create",
        {"date_from": f"{year}-01-01", "date_to": f"{year}-12-31", "detail": True},
    )
    action = client.call_json("bo.sales.report.wizard", "action_run_in_background", [wizard_id])
    assert action["res_model"] == "bo.report.run"
    fields = ["state", "progress", "in_foreground", "attachment_id", "message_ids"]
    deadline = time.monotonic() + 120
    while True:
        [run] = client.call("bo.report.run", "read", [action["res_id"]], fields)
        if run["state"] in ("done", "failed") or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert (run["state"], run["progress"], run["in_foreground"]) == ("done", 100, False)
    opener = _web_session(odoo_server, "bomanager", "bomanager")
    url = f"{odoo_server.url}/web/content/{run['attachment_id'][0]}?download=true"
    with opener.open(url, timeout=60) as response:
        workbook = load_workbook(io.BytesIO(response.read()), data_only=True)
    assert _rows(workbook["Order Lines"]) == _rows(foreground["Order Lines"])
    # The file came to the manager's inbox with the message on the run.
    manager = client.call("res.users", "read", [client.uid], ["partner_id"])[0]
    [message] = client.call(
        "mail.message",
        "read",
        run["message_ids"][:1],
        ["attachment_ids", "notified_partner_ids"],
    )
    assert message["attachment_ids"] == [run["attachment_id"][0]]
    assert manager["partner_id"][0] in message["notified_partner_ids"]
