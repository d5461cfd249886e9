"""The demo seen by a newcomer after the first run: every desk has records in the
states a clerk meets, so that every screen of the Back Office shows something real."""

# The overview tiles the demo must fill (external ids in bo_reports).
TILES = (
    "bo_overview_tile_requests",
    "bo_overview_tile_blocked_orders",
    "bo_overview_tile_late_deliveries",
    "bo_overview_tile_replies_overdue",
    "bo_overview_tile_bills_blocked",
)


def test_first_run_gives_every_desk_records_in_the_states_a_clerk_meets(odoo_server):
    admin = odoo_server.login("admin", "admin")
    manager = odoo_server.login("bomanager", "bomanager")
    assert manager, "the demo Back Office manager cannot log in"

    # The overview: something to do on each desk, counted as the manager.
    rows = admin.call(
        "ir.model.data",
        "search_read",
        [("module", "=", "bo_reports"), ("name", "in", TILES)],
        ["res_id"],
    )
    tile_ids = [row["res_id"] for row in rows]
    tiles = manager.call("bo.overview.tile", "read", tile_ids, ["name", "is_available", "count"])
    assert len(tiles) == len(TILES)
    for tile in tiles:
        assert tile["is_available"], f"{tile['name']} is not shown to the manager"
        assert tile["count"] >= 1, f"{tile['name']}: nothing in the demo"

    # A customer claim close to (or past) its SLA.
    assert manager.call(
        "bo.customer.claim", "search_count", [("deadline_state", "in", ["due_soon", "overdue"])]
    ), "no claim near its SLA"

    # Suppliers evaluated, one of them under evaluation.
    assert manager.call("bo.supplier.evaluation", "search_count", []), "no supplier evaluation"
    assert manager.call(
        "res.partner", "search_count", [("bo_qualification_state", "=", "under_evaluation")]
    ), "no supplier under evaluation"

    # An agent with a settlement, which the agent's statement shows.
    settlements = manager.call(
        "commission.settlement",
        "search_read",
        [("state", "!=", "cancel"), ("agent_id.agent", "=", True)],
        fields=["agent_id", "date_from", "date_to", "total"],
        limit=1,
    )
    assert settlements, "no agent has a settlement"
    [settlement] = settlements
    statement_id = manager.call(
        "bo.agent.statement",
        "create",
        {
            "agent_id": settlement["agent_id"][0],
            "date_from": settlement["date_from"],
            "date_to": settlement["date_to"],
        },
    )
    [statement] = manager.call(
        "bo.agent.statement", "read", [statement_id], fields=["settled_amount", "commission_due"]
    )
    assert statement["settled_amount"] > 0, f"{settlement['agent_id'][1]}'s statement is empty"
