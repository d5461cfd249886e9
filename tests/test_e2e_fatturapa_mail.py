"""FatturaPA bills by email, for real: the supplier's invoices mailed to the
bills journal's alias land in a dovecot mailbox, Odoo's incoming mail server
fetches them, ``l10n_it_edi`` makes the bills and the bridge matches each
line to its order and receipt. The one paid to the supplier's trusted account
passes; the one asking for payment to a new IBAN is blocked with its reason.

It runs on the server with the Italian e-invoicing bridges
(``italian_odoo_server``).
"""

import imaplib
import uuid
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

import pytest
from test_e2e_mail_path import _act, imap_server  # noqa: F401 (a fixture)
from test_e2e_sdi_pec import _italian_company

DATA = Path(__file__).resolve().parent.parent / "addons/bo_suppliers_l10n_it_edi/tests/data"
INVOICE = "IT00743110157_FPA04.xml"
NEW_IBAN = "IT42L1234512345123456789012"
TRUSTED_IBAN = "IT60X0542811101000000123456"


@pytest.fixture(scope="module")
def admin(italian_odoo_server):
    client = italian_odoo_server.login("admin", "admin")
    assert client, "admin cannot log in"
    return client


def _invoice_mail(tag, alias, order, number, iban, progressive):
    """The supplier's email with its FatturaPA file ``progressive``: the
    invoice ``number``, naming ``order``, to be paid to ``iban``."""
    content = (
        (DATA / INVOICE)
        .read_bytes()
        .replace(b"PO-FPA-001", order.encode())
        .replace(b"FT-104/2026", number.encode())
        .replace(NEW_IBAN.encode(), iban.encode())
    )
    message = EmailMessage()
    message["From"] = f"Acciai Brianza <amministrazione-{tag}@acciaibrianza.example.it>"
    message["To"] = alias
    message["Subject"] = f"Fattura {number}"
    message["Message-Id"] = make_msgid(domain="acciaibrianza.example.it")
    message.set_content("In allegato la fattura elettronica.")
    # SdI's name of the file: the sender's code and a progressive of five.
    name = f"IT00743110157_{progressive:05d}.xml"
    message.add_attachment(content, maintype="application", subtype="xml", filename=name)
    return message.as_bytes()


def test_fatturapa_mailed_to_the_bills_alias_is_matched_and_checked(admin, imap_server):  # noqa: F811
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
    orders = {}
    for key in ("trusted", "new"):
        orders[key] = admin.call(
            "purchase.order",
            "create",
            {
                "name": f"PO-{tag}-{key}",
                "partner_id": supplier,
                "company_id": company,
                "order_line": [
                    (0, 0, {"product_id": product, "product_qty": 10, "price_unit": 40.0})
                ],
            },
            context=context,
        )
        _act(admin, "purchase.order", "button_confirm", [orders[key]])
        # Received in full, as the supplier's DDT says.
        picking = admin.call(
            "purchase.order", "read", [orders[key]], ["picking_ids"], context=context
        )[0]["picking_ids"]
        moves = admin.call("stock.move", "search", [("picking_id", "in", picking)])
        admin.call("stock.move", "write", moves, {"quantity": 10, "picked": True}, context=context)
        _act(admin, "stock.picking", "button_validate", picking)
    journal = admin.call(
        "account.journal",
        "search",
        [("company_id", "=", company), ("type", "=", "purchase")],
        limit=1,
    )[0]
    admin.call("account.journal", "write", [journal], {"alias_name": f"fatture-{tag}"})
    alias_id = admin.call("account.journal", "read", [journal], ["alias_id"])[0]["alias_id"][0]
    admin.call("mail.alias", "write", [alias_id], {"alias_domain_id": domain})
    alias = f"fatture-{tag}@fatture-{tag}.example.com"
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
    try:
        _act(admin, "fetchmail.server", "button_confirm_login", [fetchmail])
        imap = imaplib.IMAP4("127.0.0.1", imap_server["port"])
        imap.login(imap_server["user"], imap_server["password"])
        for progressive, (key, iban) in enumerate((("trusted", TRUSTED_IBAN), ("new", NEW_IBAN))):
            order_name = f"PO-{tag}-{key}"
            raw = _invoice_mail(tag, alias, order_name, f"FT-{tag}-{key}", iban, progressive)
            assert imap.append("INBOX", None, None, raw)[0] == "OK"
        imap.logout()

        _act(admin, "fetchmail.server", "fetch_mail", [fetchmail])

        bills = {}
        for key in orders:
            found = admin.call(
                "account.move",
                "search_read",
                [("company_id", "=", company), ("ref", "=", f"FT-{tag}-{key}")],
                fields=["partner_id", "invoice_line_ids", "bo_payment_blocked", "bo_fpa_findings"],
                context=context,
            )
            assert len(found) == 1, f"{key}: one bill, got {found}"
            bills[key] = found[0]
            assert bills[key]["partner_id"][0] == supplier
            lines = admin.call(
                "account.move.line",
                "read",
                bills[key]["invoice_line_ids"],
                ["purchase_line_id", "bo_fpa_findings"],
                context=context,
            )
            order_lines = admin.call(
                "purchase.order", "read", [orders[key]], ["order_line"], context=context
            )[0]["order_line"]
            assert [line["purchase_line_id"][0] for line in lines] == order_lines, key

        assert not bills["trusted"]["bo_payment_blocked"], bills["trusted"]["bo_fpa_findings"]
        assert bills["new"]["bo_payment_blocked"]
        assert NEW_IBAN[-4:] in (bills["new"]["bo_fpa_findings"] or ""), bills["new"]
    finally:
        admin.call("fetchmail.server", "unlink", [fetchmail])
        # The database is shared with other tests: they find no supplier of ours.
        admin.call("res.partner", "write", [supplier], {"active": False})
