"""The PEC mailbox as the SdI's channel, for real: a dovecot mailbox holding
the SdI's PEC messages, Odoo's incoming mail server marked as PEC fetching
them, the import job, and what a client then reads over RPC.

It runs on the server with the Italian e-invoicing bridges
(``italian_odoo_server``): ``bo_mailroom_l10n_it_edi`` brings Odoo's Italian
localisation along, which the other end-to-end tests' database has not.
"""

import base64
import imaplib
import uuid
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

import pytest
from test_e2e_mail_path import _act, imap_server  # noqa: F401 (a fixture)

DATA = Path(__file__).resolve().parent.parent / "addons/bo_mailroom_l10n_it_edi/tests/data"
INVOICE = "IT00465840031_0A001.xml"
RC = "IT01234560157_00A01_RC_001.xml"
SDI = "sdi02@pec.fatturapa.it"
DATICERT = """<?xml version="1.0" encoding="UTF-8"?>
<postacert tipo="posta-certificata" errore="nessuno">
  <intestazione><mittente>{sender}</mittente><oggetto>{subject}</oggetto></intestazione>
  <dati><msgid>{msgid}</msgid></dati>
</postacert>
"""


@pytest.fixture(scope="module")
def admin(italian_odoo_server):
    client = italian_odoo_server.login("admin", "admin")
    assert client, "admin cannot log in"
    return client


def _sdi_pec(tag, name, content, subject):
    """The SdI's message carrying the file ``name``, in its PEC envelope."""
    inner = EmailMessage()
    inner["From"] = SDI
    inner["To"] = f"fatture-{tag}@pec.example.it"
    inner["Subject"] = subject
    inner["Message-Id"] = make_msgid(domain="pec.fatturapa.it")
    inner.set_content("Il Sistema di Interscambio trasmette il file in allegato.")
    inner.add_attachment(content, maintype="application", subtype="xml", filename=name)
    envelope = EmailMessage()
    envelope["From"] = f"Per conto di: {SDI} <posta-certificata@pec.aruba.example.it>"
    envelope["To"] = inner["To"]
    envelope["Subject"] = f"POSTA CERTIFICATA: {subject}"
    envelope["Message-Id"] = make_msgid(domain="pec.aruba.example.it")
    envelope["X-Trasporto"] = "posta-certificata"
    envelope.set_content(f'Il messaggio "{subject}" è stato inviato da "{SDI}".')
    envelope.add_attachment(inner, filename="postacert.eml")
    msgid = inner["Message-Id"].replace("<", "&lt;").replace(">", "&gt;")
    daticert = DATICERT.format(sender=SDI, subject=subject, msgid=msgid)
    envelope.add_attachment(
        daticert.encode(), maintype="application", subtype="xml", filename="daticert.xml"
    )
    # The register keeps the Message-ID of the certified message itself.
    return envelope.as_bytes(), str(inner["Message-Id"])


def _italian_company(admin, tag):
    """An Italian company of the test (the ``it`` chart), admin working in it."""
    italy = admin.call("res.country", "search", [("code", "=", "IT")], limit=1)[0]
    company = admin.call(
        "res.company",
        "create",
        {
            "name": f"Officine Meccaniche Prova {tag} S.r.l.",
            "vat": "IT01234560157",
            "l10n_it_codice_fiscale": "01234560157",
            "l10n_it_tax_system": "RF01",
            "street": "1234 Test Street",
            "zip": "12345",
            "city": "Prova",
        },
    )
    # Its country set afterwards: a company created in Italy would have the
    # server install every Italian module there is.
    admin.call("res.company", "write", [company], {"country_id": italy})
    admin.call("res.users", "write", [admin.uid], {"company_ids": [(4, company)]})
    admin.call_json("account.chart.template", "try_loading", [], "it", company)
    return company


def test_sdi_pec_becomes_a_bill_and_notifies_the_invoice_sent(admin, imap_server):  # noqa: F811
    tag = uuid.uuid4().hex[:8]
    company = _italian_company(admin, tag)
    context = {"allowed_company_ids": [company]}
    supplier = admin.call(
        "res.partner",
        "create",
        {"name": f"Trafilerie Lombarde {tag}", "is_company": True, "vat": "IT00465840031"},
    )
    customer = admin.call("res.partner", "create", {"name": f"Cliente {tag}", "is_company": True})
    journal = admin.call(
        "account.journal", "search", [("company_id", "=", company), ("type", "=", "sale")], limit=1
    )[0]
    invoice = admin.call(
        "account.move",
        "create",
        {
            "move_type": "out_invoice",
            "partner_id": customer,
            "journal_id": journal,
            "invoice_date": "2026-11-20",
            "invoice_line_ids": [(0, 0, {"name": "Carpenteria", "quantity": 1, "price_unit": 100})],
        },
        context=context,
    )
    _act(admin, "account.move", "action_post", [invoice])
    # As l10n_it_edi records the FatturaPA it made and sent.
    admin.call(
        "account.move",
        "write",
        [invoice],
        {
            "l10n_it_edi_attachment_name": "IT01234560157_00A01.xml",
            "l10n_it_edi_attachment_file": base64.b64encode(b"<FatturaElettronica/>").decode(),
            "l10n_it_edi_state": "processing",
        },
        context=context,
    )
    register_model = admin.call("ir.model", "search", [("model", "=", "bo.mail.register")])[0]
    fetchmail = admin.call(
        "fetchmail.server",
        "create",
        {
            "name": f"PEC SdI {tag}",
            "server_type": "imap",
            "server": "127.0.0.1",
            "port": imap_server["port"],
            "is_ssl": False,
            "user": imap_server["user"],
            "password": imap_server["password"],
            "object_id": register_model,
            "bo_is_pec": True,
            "bo_company_id": company,
        },
    )
    try:
        _act(admin, "fetchmail.server", "button_confirm_login", [fetchmail])
        messages = {
            "invoice": _sdi_pec(tag, INVOICE, (DATA / INVOICE).read_bytes(), "Invio File 1"),
            "receipt": _sdi_pec(tag, RC, (DATA / RC).read_bytes(), "Ricevuta di consegna 1"),
        }
        imap = imaplib.IMAP4("127.0.0.1", imap_server["port"])
        imap.login(imap_server["user"], imap_server["password"])
        for raw, _msgid in messages.values():
            assert imap.append("INBOX", None, None, raw)[0] == "OK"

        _act(admin, "fetchmail.server", "fetch_mail", [fetchmail])
        # The import job, as the trigger the intake left runs it.
        cron = admin.call(
            "ir.model.data",
            "search_read",
            [("module", "=", "bo_mailroom_l10n_it_edi"), ("name", "=", "ir_cron_bo_sdi_import")],
            fields=["res_id"],
        )[0]["res_id"]
        _act(admin, "ir.cron", "method_direct_trigger", [cron])

        imap.select("INBOX")
        assert imap.search(None, "UNSEEN")[1][0] == b"", "every message is handled"
        imap.logout()

        entries = {}
        for kind, (_raw, msgid) in messages.items():
            found = admin.call(
                "bo.mail.register",
                "search_read",
                [("email_message_id", "=", msgid)],
                fields=["name", "state", "channel", "bo_sdi_state", "res_model", "res_id"],
                context=context,
            )
            assert len(found) == 1, f"{kind}: one entry, got {found}"
            entries[kind] = found[0]
            assert found[0]["state"] == "registered", kind
            assert found[0]["channel"] == "pec", kind
            assert found[0]["bo_sdi_state"] == "done", kind

        bill = admin.call(
            "account.move",
            "search_read",
            [("company_id", "=", company), ("move_type", "=", "in_invoice")],
            fields=["id", "ref", "partner_id", "amount_total", "bo_mail_register_count"],
            context=context,
        )
        assert len(bill) == 1, bill
        assert bill[0]["ref"] == "TL-2026/0815"
        assert bill[0]["partner_id"][0] == supplier
        assert bill[0]["amount_total"] == 305.0
        assert bill[0]["bo_mail_register_count"] == 1
        assert (entries["invoice"]["res_model"], entries["invoice"]["res_id"]) == (
            "account.move",
            bill[0]["id"],
        )
        sent = admin.call(
            "account.move", "read", [invoice], ["l10n_it_edi_state"], context=context
        )[0]
        assert sent["l10n_it_edi_state"] == "forwarded"
        assert entries["receipt"]["res_id"] == invoice
    finally:
        admin.call("fetchmail.server", "unlink", [fetchmail])
        # The database is shared with other tests: they find no supplier of ours.
        admin.call("res.partner", "write", [supplier, customer], {"active": False})
