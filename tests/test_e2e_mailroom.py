"""The mailroom seen from outside: gateway intake over XML-RPC, evidence, benchmark."""

import subprocess
import sys
import uuid
import xmlrpc.client
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent / "bench" / "bench_mailroom.py"


def _email(subject, sender="ordini@ferramentarossi.example.it"):
    message = EmailMessage()
    message["From"] = f"Ferramenta Rossi <{sender}>"
    message["To"] = "protocollo@example.com"
    message["Subject"] = subject
    message["Message-Id"] = make_msgid(domain="e2e.example.it")
    message.set_content("Buongiorno, vi inviamo l'ordine in allegato.")
    message.add_attachment(b"%PDF-1.4 ordine", maintype="application", subtype="pdf",
                           filename="ordine.pdf")  # fmt: skip
    return message.as_string()


@pytest.fixture(scope="module")
def admin(odoo_server):
    client = odoo_server.login("admin", "admin")
    assert client, "admin cannot log in"
    # Mail that matches no rule waits unnumbered for triage: this customer's
    # mail is registered as it arrives.
    rule_id = client.call(
        "bo.mail.routing.rule",
        "create",
        {
            "name": f"e2e {uuid.uuid4().hex[:6]}",
            "company_id": False,
            "sequence": 1,
            "sender_pattern": "ferramentarossi.example.it",
            "register_at_once": True,
        },
    )
    yield client
    client.call("bo.mail.routing.rule", "unlink", [rule_id])


def test_email_through_the_gateway_is_registered_and_readable_by_the_clerk(odoo_server, admin):
    subject = f"Ordine e2e {uuid.uuid4().hex[:6]}"
    entry_id = admin.call("mail.thread", "message_process", "bo.mail.register", _email(subject))
    entry = admin.call(
        "bo.mail.register", "read", [entry_id],
        fields=["name", "state", "partner_id", "attachment_ids", "hash_ids"],
    )[0]  # fmt: skip
    assert entry["state"] == "registered"
    assert len(entry["name"]) == 12 and entry["name"][4] == "/"
    assert entry["partner_id"], "the sender is matched to the demo partner"
    assert len(entry["attachment_ids"]) == 2  # ordine.pdf and the original .eml
    assert len(entry["hash_ids"]) == 2
    clerk = odoo_server.login("clerk", "clerk")
    found = clerk.call("bo.mail.register", "search_read", [("subject", "=", subject)],
                       fields=["name"])  # fmt: skip
    assert [row["name"] for row in found] == [entry["name"]]


def test_registered_entry_cannot_be_deleted_or_rewritten_over_rpc(admin):
    entry_id = admin.call(
        "mail.thread", "message_process", "bo.mail.register", _email("Da non cancellare")
    )
    with pytest.raises(xmlrpc.client.Fault, match="evidence"):
        admin.call("bo.mail.register", "unlink", [entry_id])
    with pytest.raises(xmlrpc.client.Fault, match="evidence"):
        admin.call("bo.mail.register", "write", [entry_id], {"subject": "Riscritto"})
    result = admin.call("bo.mail.register", "action_verify_integrity", [entry_id])
    assert result["params"]["type"] == "success"


def test_clerk_sees_the_mailroom_menu_but_not_intake_errors(odoo_server):
    clerk = odoo_server.login("clerk", "clerk")
    menus = clerk.call_json("ir.ui.menu", "load_menus", False)
    xmlids = {menu.get("xmlid") for menu in menus.values() if isinstance(menu, dict)}
    assert "bo_mailroom.menu_bo_mail_register" in xmlids
    assert "bo_mailroom.menu_bo_mail_register_errors" not in xmlids


def test_benchmark_registers_in_parallel_without_gaps_or_duplicates(odoo_server):
    result = subprocess.run(
        [
            sys.executable, str(BENCH), "--url", odoo_server.url, "--db", odoo_server.db,
            "--login", "admin", "--password", "admin", "--count", "40", "--workers", "4",
        ],
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "registered: 40 " in result.stdout
    assert "gaps: 0, duplicates: 0" in result.stdout
