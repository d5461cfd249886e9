"""The foundation seen from outside: login page, demo users, Back Office menu."""

import urllib.request


def _menu_xmlids(client):
    """The xml ids of the menus the web client would show this user."""
    roots = client.call("ir.ui.menu", "load_menus_root")
    menus = client.call_json("ir.ui.menu", "load_menus", False)
    return {root["xmlid"] for root in roots["children"]} | {
        menu.get("xmlid") for menu in menus.values() if isinstance(menu, dict)
    }


def test_login_page_is_served(odoo_server):
    with urllib.request.urlopen(f"{odoo_server.url}/web/login", timeout=30) as response:
        body = response.read().decode()
    assert response.status == 200
    assert 'name="login"' in body


def test_demo_clerk_logs_in_and_sees_back_office_menu(odoo_server):
    clerk = odoo_server.login("clerk", "clerk")
    assert clerk, "the demo clerk cannot log in"
    user = clerk.call("res.users", "read", [clerk.uid], fields=["lang", "name"])[0]
    assert user["lang"] == "it_IT"
    xmlids = _menu_xmlids(clerk)
    assert "bo_base.menu_bo_root" in xmlids
    assert "bo_base.menu_bo_follow_up" in xmlids
    assert "bo_base.menu_bo_configuration" not in xmlids, "configuration is for managers"


def test_demo_manager_sees_back_office_configuration(odoo_server):
    manager = odoo_server.login("bomanager", "bomanager")
    assert manager
    assert "bo_base.menu_bo_configuration" in _menu_xmlids(manager)


def test_wrong_password_is_refused(odoo_server):
    assert odoo_server.login("clerk", "not-the-password") is None
