"""The purchasing desk seen from outside, over XML-RPC: find suppliers → requests for
quotation → a suspended supplier refused on every path → the best offer chosen → a bill
billing more than received blocked for payment until a manager releases it."""

import uuid
import xmlrpc.client

import pytest


@pytest.fixture
def three_way_match(odoo_server):
    """Turn the company's three-way match on, and back as it was afterwards."""
    admin = odoo_server.login("admin", "admin")
    company_id = admin.call("res.users", "read", [admin.uid], fields=["company_id"])[0][
        "company_id"
    ][0]
    before = admin.call("res.company", "read", [company_id], fields=["bo_three_way_match"])[0]
    admin.call("res.company", "write", [company_id], {"bo_three_way_match": True})
    yield admin
    admin.call(
        "res.company",
        "write",
        [company_id],
        {"bo_three_way_match": before["bo_three_way_match"]},
    )


def _group_id(admin, xmlid):
    module, name = xmlid.split(".")
    return admin.call(
        "ir.model.data", "search_read", [("module", "=", module), ("name", "=", name)], ["res_id"]
    )[0]["res_id"]


def _buyer(odoo_server, admin, suffix):
    """A purchase user and invoicing clerk outside the back office, the way an
    administrator makes one."""
    login = f"buyer_{suffix}"
    groups = ("base.group_user", "purchase.group_purchase_user", "account.group_account_invoice")
    admin.call(
        "res.users",
        "create",
        {
            "name": f"Buyer {suffix}",
            "login": login,
            "password": f"pw-{suffix}-secret",
            "group_ids": [(4, _group_id(admin, xmlid)) for xmlid in groups],
        },
    )
    return odoo_server.login(login, f"pw-{suffix}-secret")


def test_buyer_finds_suppliers_compares_offers_and_cannot_get_around_a_block(
    odoo_server, three_way_match
):
    admin = three_way_match
    suffix = uuid.uuid4().hex[:6]
    cheap, dear, suspended = (
        admin.call(
            "res.partner",
            "create",
            {
                "name": f"{name} {suffix}",
                "is_company": True,
                "email": f"{name.lower().replace(' ', '.')}.{suffix}@example.com",
                "lang": lang,
            },
        )
        for name, lang in (
            ("Fornitore Economico", "it_IT"),
            ("Expensive Supplier", "en_US"),
            ("Sospeso Forniture", "it_IT"),
        )
    )
    product_id = admin.call(
        "product.product",
        "create",
        {
            "name": f"Guarnizione {suffix}",
            "type": "consu",
            "is_storable": True,
            "purchase_method": "purchase",
            "seller_ids": [
                (0, 0, {"partner_id": cheap, "price": 10.0, "delay": 5}),
                (0, 0, {"partner_id": dear, "price": 14.0, "delay": 2}),
                (0, 0, {"partner_id": suspended, "price": 8.0, "delay": 1}),
            ],
        },
    )
    manager = odoo_server.login("bomanager", "bomanager")
    wizard = manager.call(
        "bo.supplier.qualification.wizard",
        "create",
        {"partner_id": suspended, "new_state": "suspended", "reason": "Non-conformità ripetute"},
    )
    manager.call("bo.supplier.qualification.wizard", "action_apply", [wizard])

    buyer = _buyer(odoo_server, admin, suffix)
    with pytest.raises(xmlrpc.client.Fault, match="Qualification"):
        buyer.call("res.partner", "write", [suspended], {"bo_qualification_state": "qualified"})

    # Find suppliers: the suspended one is left out, the others ranked.
    finder = buyer.call(
        "bo.find.suppliers",
        "create",
        {"need_line_ids": [(0, 0, {"product_id": product_id, "product_qty": 100})]},
    )
    result_ids = buyer.call("bo.find.suppliers", "read", [finder], fields=["result_ids"])[0][
        "result_ids"
    ]
    results = buyer.call(
        "bo.find.suppliers.result", "read", result_ids, fields=["partner_id", "rank"]
    )
    found = {r["partner_id"][0]: r for r in results}
    assert set(found) == {cheap, dear}, "the suspended supplier is not proposed"
    buyer.call("bo.find.suppliers.result", "write", result_ids, {"selected": True})
    action = buyer.call("bo.find.suppliers", "action_request_quotations", [finder])
    rfq_ids = buyer.call("purchase.order", "search", action["domain"])
    rfqs = {
        rfq["partner_id"][0]: rfq
        for rfq in buyer.call(
            "purchase.order",
            "read",
            rfq_ids,
            fields=["partner_id", "state", "purchase_group_id", "amount_untaxed"],
        )
    }
    assert set(rfqs) == {cheap, dear}
    assert {rfq["state"] for rfq in rfqs.values()} == {"sent"}
    assert len({rfq["purchase_group_id"][0] for rfq in rfqs.values()}) == 1
    assert rfqs[cheap]["amount_untaxed"] == pytest.approx(1000.0)

    # A request to the suspended supplier cannot be confirmed on any path.
    blocked_id = buyer.call(
        "purchase.order",
        "create",
        {"partner_id": suspended, "order_line": [(0, 0, {"product_id": product_id})]},
    )
    for method, args in (
        ("button_confirm", [[blocked_id]]),
        ("write", [[blocked_id], {"state": "purchase"}]),
        ("copy", [[blocked_id], {"state": "purchase"}]),
    ):
        with pytest.raises(xmlrpc.client.Fault, match="Back Office manager"):
            buyer.call("purchase.order", method, *args)
    # the override is the guard's: written by a manager's action only
    with pytest.raises(xmlrpc.client.Fault, match="Back Office"):
        buyer.call(
            "purchase.order",
            "write",
            [blocked_id],
            {"bo_override_user_id": buyer.uid, "bo_override_reason": "x"},
        )
    state = buyer.call("purchase.order", "read", [blocked_id], fields=["state"])[0]["state"]
    assert state == "draft"

    # The proposed offer is chosen: confirmed, the other cancelled with the reason.
    group_id = rfqs[cheap]["purchase_group_id"][0]
    proposed = buyer.call(
        "purchase.order.group", "read", [group_id], fields=["bo_proposed_order_id"]
    )[0]["bo_proposed_order_id"][0]
    assert proposed == rfqs[cheap]["id"]
    choose = buyer.call(
        "bo.offer.choose", "create", {"order_id": proposed, "reason": "Prezzo migliore"}
    )
    buyer.call("bo.offer.choose", "action_choose", [choose])
    states = {
        rfq["id"]: rfq["state"]
        for rfq in buyer.call("purchase.order", "read", rfq_ids, fields=["state"])
    }
    assert states == {rfqs[cheap]["id"]: "purchase", rfqs[dear]["id"]: "cancel"}

    # Billed before anything was received: blocked for payment, on every path.
    buyer.call("purchase.order", "action_create_invoice", [proposed])
    bill_id = buyer.call("purchase.order", "read", [proposed], fields=["invoice_ids"])[0][
        "invoice_ids"
    ]
    assert len(bill_id) == 1
    buyer.call("account.move", "write", bill_id, {"invoice_date": "2026-11-20"})
    buyer.call("account.move", "action_post", bill_id)
    bill = buyer.call(
        "account.move", "read", bill_id, fields=["state", "bo_payment_blocked", "bo_match_reasons"]
    )[0]
    assert bill["state"] == "posted"
    assert bill["bo_payment_blocked"], bill["bo_match_reasons"]
    with pytest.raises(xmlrpc.client.Fault, match=r"blocked|bloccat"):
        register = buyer.call(
            "account.payment.register",
            "create",
            {},
            context={"active_model": "account.move", "active_ids": bill_id},
        )
        buyer.call("account.payment.register", "action_create_payments", [register])
    with pytest.raises(xmlrpc.client.Fault):
        buyer.call("account.move", "write", bill_id, {"bo_payment_blocked": False})

    # a Back Office manager who may read bills (the administrator here)
    release = admin.call(
        "bo.bill.payment.release",
        "create",
        {"move_ids": [(6, 0, bill_id)], "reason": "Merce in arrivo, pagamento concordato"},
    )
    admin.call("bo.bill.payment.release", "action_release", [release])
    register = buyer.call(
        "account.payment.register",
        "create",
        {},
        context={"active_model": "account.move", "active_ids": bill_id},
    )
    buyer.call("account.payment.register", "action_create_payments", [register])
    payment_state = buyer.call("account.move", "read", bill_id, fields=["payment_state"])[0][
        "payment_state"
    ]
    assert payment_state in ("in_payment", "paid")
