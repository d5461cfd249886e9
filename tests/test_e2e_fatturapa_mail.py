"""FatturaPA bills by email, for real: the supplier's invoices mailed to the
bills journal's alias land in a dovecot mailbox, Odoo's incoming mail server
fetches them, ``l10n_it_edi`` makes the bills and the bridge matches each
line to its order and receipt. The one paid to the supplier's trusted account
passes; the one asking for payment to a new IBAN is blocked with its reason.
A bill charging more than the order is contested (the letter registered in
the protocol and sent through a real SMTP server), and the supplier's credit
note, mailed in turn, lifts its block.

It runs on the server with the Italian e-invoicing bridges
(``italian_odoo_server``).
"""

import imaplib
import uuid
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

import pytest
from test_e2e_mail_path import (  # noqa: F401 (fixtures)
    _act,
    _outgoing_server,
    imap_server,
    smtp_server,
)
from test_e2e_sdi_pec import _italian_company

DATA = Path(__file__).resolve().parent.parent / "addons/bo_suppliers_l10n_it_edi/tests/data"
INVOICE = "IT00743110157_FPA04.xml"
# An invoice charging 44 for what was ordered at 40, and the credit note of 4 a piece.
DEARER, CREDIT_NOTE = "IT00743110157_FPA06.xml", "IT00743110157_FPA07.xml"
NEW_IBAN = "IT42L1234512345123456789012"
TRUSTED_IBAN = "IT60X0542811101000000123456"


@pytest.fixture(scope="module")
def admin(italian_odoo_server):
    client = italian_odoo_server.login("admin", "admin")
    assert client, "admin cannot log in"
    return client


def _mail(tag, alias, filename, progressive, replace):
    """The supplier's email with its FatturaPA file ``progressive``: the test
    file ``filename``, its texts ``replace``d."""
    content = (DATA / filename).read_bytes()
    for old, new in replace.items():
        content = content.replace(old.encode(), new.encode())
    message = EmailMessage()
    message["From"] = f"Acciai Brianza <amministrazione-{tag}@acciaibrianza.example.it>"
    message["To"] = alias
    message["Subject"] = f"Fattura elettronica {progressive}"
    message["Message-Id"] = make_msgid(domain="acciaibrianza.example.it")
    message.set_content("In allegato la fattura elettronica.")
    # SdI's name of the file: the sender's code and a progressive of five.
    name = f"IT00743110157_{progressive:05d}.xml"
    message.add_attachment(content, maintype="application", subtype="xml", filename=name)
    return message.as_bytes()


def _deliver(imap_server, fetchmail, admin, *messages):  # noqa: F811
    """Drop ``messages`` in the mailbox, and have Odoo fetch them."""
    imap = imaplib.IMAP4("127.0.0.1", imap_server["port"])
    imap.login(imap_server["user"], imap_server["password"])
    for raw in messages:
        assert imap.append("INBOX", None, None, raw)[0] == "OK"
    imap.logout()
    _act(admin, "fetchmail.server", "fetch_mail", [fetchmail])


@pytest.fixture
def buyer(admin, imap_server):  # noqa: F811
    """An Italian company of the test with its bills journal's alias, its
    supplier (a trusted account, an email), the sheet it buys, a way to order
    and receive it, and Odoo's incoming mail server on the mailbox."""
    tag = uuid.uuid4().hex[:8]
    company = _italian_company(admin, tag)
    context = {"allowed_company_ids": [company]}
    admin.call(
        "res.company",
        "write",
        [company],
        {
            "bo_three_way_match": True,
            "bo_match_price_tolerance_pct": 0.0,
            "bo_match_qty_tolerance_pct": 0.0,
        },
    )
    # Odoo makes a new company's warehouse in its onboarding, not at creation.
    admin.call("stock.warehouse", "create", {"name": tag, "code": "E2E", "company_id": company})
    domain = admin.call("mail.alias.domain", "create", {"name": f"fatture-{tag}.example.com"})
    admin.call("res.company", "write", [company], {"alias_domain_id": domain})
    supplier = admin.call(
        "res.partner",
        "create",
        {
            "name": f"Acciai Brianza {tag}",
            "is_company": True,
            "vat": "IT00743110157",
            "email": f"amministrazione-{tag}@acciaibrianza.example.it",
            "lang": "it_IT",
            "company_id": company,
            "bank_ids": [(0, 0, {"acc_number": TRUSTED_IBAN, "allow_out_payment": True})],
        },
    )
    product = admin.call(
        "product.product",
        "create",
        {
            "name": f"Lamiera zincata 2 mm {tag}",
            "is_storable": True,
            "purchase_method": "purchase",
            "supplier_taxes_id": [(5, 0, 0)],
            "company_id": company,
            "seller_ids": [(0, 0, {"partner_id": supplier, "product_code": "AB-LAM2"})],
        },
    )
    journal = admin.call(
        "account.journal",
        "search",
        [("company_id", "=", company), ("type", "=", "purchase")],
        limit=1,
    )[0]
    admin.call("account.journal", "write", [journal], {"alias_name": f"fatture-{tag}"})
    alias_id = admin.call("account.journal", "read", [journal], ["alias_id"])[0]["alias_id"][0]
    admin.call("mail.alias", "write", [alias_id], {"alias_domain_id": domain})
    fetchmail = admin.call(
        "fetchmail.server",
        "create",
        {
            "name": f"Fatture {tag}",
            "server_type": "imap",
            "server": "127.0.0.1",
            "port": imap_server["port"],
            "is_ssl": False,
            "user": imap_server["user"],
            "password": imap_server["password"],
        },
    )
    _act(admin, "fetchmail.server", "button_confirm_login", [fetchmail])

    def received_order(name):
        """A confirmed order of 10 sheets at 40, received in full."""
        order = admin.call(
            "purchase.order",
            "create",
            {
                "name": name,
                "partner_id": supplier,
                "company_id": company,
                "order_line": [
                    (0, 0, {"product_id": product, "product_qty": 10, "price_unit": 40.0})
                ],
            },
            context=context,
        )
        _act(admin, "purchase.order", "button_confirm", [order])
        picking = admin.call("purchase.order", "read", [order], ["picking_ids"], context=context)[
            0
        ]["picking_ids"]
        moves = admin.call("stock.move", "search", [("picking_id", "in", picking)])
        admin.call("stock.move", "write", moves, {"quantity": 10, "picked": True}, context=context)
        _act(admin, "stock.picking", "button_validate", picking)
        return order

    yield {
        "tag": tag,
        "company": company,
        "context": context,
        "supplier": supplier,
        "alias": f"fatture-{tag}@fatture-{tag}.example.com",
        "fetchmail": fetchmail,
        "received_order": received_order,
    }
    admin.call("fetchmail.server", "unlink", [fetchmail])
    # The database is shared with other tests: they find no supplier of ours.
    admin.call("res.partner", "write", [supplier], {"active": False})


def _bill(admin, buyer, ref):
    found = admin.call(
        "account.move",
        "search_read",
        [("company_id", "=", buyer["company"]), ("ref", "=", ref)],
        fields=["partner_id", "invoice_line_ids", "bo_payment_blocked", "bo_fpa_findings"],
        context=buyer["context"],
    )
    assert len(found) == 1, f"{ref}: one bill, got {found}"
    return found[0]


def test_fatturapa_mailed_to_the_bills_alias_is_matched_and_checked(admin, buyer, imap_server):  # noqa: F811
    tag, context = buyer["tag"], buyer["context"]
    orders = {key: buyer["received_order"](f"PO-{tag}-{key}") for key in ("trusted", "new")}
    _deliver(
        imap_server,
        buyer["fetchmail"],
        admin,
        *(
            _mail(
                tag,
                buyer["alias"],
                INVOICE,
                progressive,
                {"PO-FPA-001": f"PO-{tag}-{key}", "FT-104/2026": f"FT-{tag}-{key}", NEW_IBAN: iban},
            )
            for progressive, (key, iban) in enumerate(
                (("trusted", TRUSTED_IBAN), ("new", NEW_IBAN))
            )
        ),
    )

    bills = {key: _bill(admin, buyer, f"FT-{tag}-{key}") for key in orders}
    for key, bill in bills.items():
        assert bill["partner_id"][0] == buyer["supplier"]
        lines = admin.call(
            "account.move.line",
            "read",
            bill["invoice_line_ids"],
            ["purchase_line_id"],
            context=context,
        )
        order_lines = admin.call(
            "purchase.order", "read", [orders[key]], ["order_line"], context=context
        )[0]["order_line"]
        assert [line["purchase_line_id"][0] for line in lines] == order_lines, key
    assert not bills["trusted"]["bo_payment_blocked"], bills["trusted"]["bo_fpa_findings"]
    assert bills["new"]["bo_payment_blocked"]
    assert NEW_IBAN[-4:] in (bills["new"]["bo_fpa_findings"] or ""), bills["new"]


def test_dearer_bill_is_contested_and_the_credit_note_lifts_its_block(
    admin,
    buyer,
    imap_server,  # noqa: F811
    smtp_server,  # noqa: F811
):
    tag, context = buyer["tag"], buyer["context"]
    buyer["received_order"](f"PO-{tag}-dear")
    number = f"FT-{tag}-dear"
    _deliver(
        imap_server,
        buyer["fetchmail"],
        admin,
        _mail(
            tag, buyer["alias"], DEARER, 7, {"PO-FPA-060": f"PO-{tag}-dear", "FT-106/2026": number}
        ),
    )
    bill = _bill(admin, buyer, number)
    assert bill["bo_payment_blocked"], bill
    assert "44" in bill["bo_fpa_findings"], bill

    # Contest: the letter to the supplier, registered in the protocol and sent.
    smtp = _outgoing_server(admin, smtp_server, tag)
    try:
        action = admin.call_json("account.move", "action_bo_fpa_contest", [bill["id"]])
        wizard = admin.call(
            "bo.fpa.contest", "create", {"move_id": bill["id"]}, context=action["context"]
        )
        _act(admin, "bo.fpa.contest", "action_send", [wizard])
        entries = admin.call(
            "bo.mail.register",
            "search_read",
            [("res_model", "=", "account.move"), ("res_id", "=", bill["id"])],
            fields=["name", "direction", "state"],
            context=context,
        )
        assert len(entries) == 1, entries
        assert entries[0]["direction"] == "outgoing"
        assert entries[0]["name"], "a protocol number"
        assert entries[0]["state"] not in ("draft", "error"), entries
        queued = admin.call(
            "mail.mail",
            "search",
            [("model", "=", "bo.mail.register"), ("res_id", "=", entries[0]["id"])],
        )
        assert queued, "the letter is queued for the supplier"
        _act(admin, "mail.mail", "process_email_queue", queued)
        letters = [
            m
            for m in smtp_server["sink"].messages
            if f"amministrazione-{tag}@" in " ".join(m["to"])
        ]
        assert len(letters) == 1, smtp_server["sink"].messages
    finally:
        admin.call("ir.mail_server", "unlink", [smtp])
    assert _bill(admin, buyer, number)["bo_payment_blocked"], "contested, still blocked"

    # The supplier's credit note of 4 a piece, naming the invoice: the block lifts.
    _deliver(
        imap_server,
        buyer["fetchmail"],
        admin,
        _mail(
            tag, buyer["alias"], CREDIT_NOTE, 8, {"FT-106/2026": number, "NC-7/2026": f"NC-{tag}"}
        ),
    )
    bill = _bill(admin, buyer, number)
    assert not bill["bo_payment_blocked"], bill["bo_fpa_findings"]
    notes = admin.call(
        "mail.message",
        "search_count",
        [
            ("model", "=", "bo.mail.register"),
            ("res_id", "=", entries[0]["id"]),
            ("body", "ilike", f"NC-{tag}"),
        ],
    )
    assert notes, "the credit note is noted on the letter's entry"
