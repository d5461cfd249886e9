"""The order desk seen from outside: request → quotation → blocked → override → confirmed."""

import uuid
import xmlrpc.client

import pytest


@pytest.fixture
def blocking_master_data_check(odoo_server):
    """Turn the company's master-data check on as a block, and off again afterwards."""
    admin = odoo_server.login("admin", "admin")
    check_ids = admin.call(
        "bo.order.check",
        "search",
        [("check_type", "=", "master_data"), ("active", "in", [True, False])],
    )
    states = admin.call("bo.order.check", "read", check_ids, fields=["active", "severity"])
    admin.call("bo.order.check", "write", check_ids, {"active": True, "severity": "block"})
    yield admin
    for state in states:
        admin.call(
            "bo.order.check",
            "write",
            [state["id"]],
            {"active": state["active"], "severity": state["severity"]},
        )


def test_clerk_request_is_blocked_until_a_manager_overrides(
    odoo_server, blocking_master_data_check
):
    admin = blocking_master_data_check
    suffix = uuid.uuid4().hex[:6]
    product_id = admin.call(
        "product.product", "create", {"name": f"Viti M8 {suffix}", "list_price": 1.2}
    )
    customer_id = admin.call(
        "res.partner", "create", {"name": f"Cliente Senza Partita IVA {suffix}", "is_company": True}
    )

    clerk = odoo_server.login("clerk", "clerk")
    request_id = clerk.call(
        "bo.order.request",
        "create",
        {
            "title": "Offerta viti",
            "partner_id": customer_id,
            "channel": "phone",
            "line_ids": [(0, 0, {"product_id": product_id, "quantity": 200})],
        },
    )
    action = clerk.call("bo.order.request", "action_create_quotation", [request_id])
    order_id = action["res_id"]
    order = clerk.call("sale.order", "read", [order_id], fields=["order_line", "partner_id"])[0]
    assert order["partner_id"][0] == customer_id
    assert len(order["order_line"]) == 1

    with pytest.raises(xmlrpc.client.Fault, match=r"VAT number|partita IVA"):
        clerk.call("sale.order", "action_confirm", [order_id])
    with pytest.raises(xmlrpc.client.Fault, match=r"bo\.order\.check\.override"):
        clerk.call("bo.order.check.override", "create", {"order_id": order_id, "reason": "Urgente"})
    assert not clerk.call("sale.order", "read", [order_id], fields=["bo_override_user_id"])[0][
        "bo_override_user_id"
    ], "a clerk cannot release a blocked order"
    with pytest.raises(xmlrpc.client.Fault, match=r"never directly|mai direttamente"):
        clerk.call(
            "sale.order",
            "write",
            [order_id],
            {"bo_override_user_id": 2, "bo_override_reason": "scritto via RPC"},
        )
    with pytest.raises(xmlrpc.client.Fault, match=r"never directly|mai direttamente"):
        clerk.call("sale.order", "write", [order_id], {"bo_check_state": "passed"})

    manager = odoo_server.login("bomanager", "bomanager")
    wizard_id = manager.call(
        "bo.order.check.override",
        "create",
        {"order_id": order_id, "reason": "Cliente storico, P.IVA in arrivo"},
    )
    manager.call("bo.order.check.override", "action_override", [wizard_id])

    clerk.call("sale.order", "action_confirm", [order_id])
    order = clerk.call("sale.order", "read", [order_id], fields=["state", "bo_override_reason"])[0]
    assert order["state"] == "sale"
    assert order["bo_override_reason"] == "Cliente storico, P.IVA in arrivo"
    request = clerk.call("bo.order.request", "read", [request_id], fields=["state"])[0]
    assert request["state"] == "won"
