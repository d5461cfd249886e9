from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestStockUsersReadOrders(TransactionCase):
    """The correspondence count on sale orders computes for everyone who can
    read the order, inside the back office or not (Odoo's own sale tests read
    orders whole as salespeople)."""

    def test_users_outside_the_back_office_read_an_order_whole(self):
        def user(login, groups):
            return new_test_user(self.env, login=login, groups=groups)

        clerk = user("bridge_desk", "bo_orders.group_bo_order_desk")
        salesman = user("bridge_salesman", "sales_team.group_sale_salesman_all_leads")
        stock_user = user("bridge_stock", "stock.group_stock_user")
        invoicing = user("bridge_invoicing", "account.group_account_invoice")
        portal = user("bridge_portal", "base.group_portal")
        order = self.env["sale.order"].create(
            {"partner_id": portal.partner_id.id, "user_id": salesman.id}
        )
        order.message_subscribe(partner_ids=portal.partner_id.ids)
        self.env["bo.mail.register"].create(
            {
                "subject": "Conferma d'ordine firmata",
                "partner_id": portal.partner_id.id,
                "res_model": "sale.order",
                "res_id": order.id,
            }
        )
        self.assertEqual(order.with_user(clerk).bo_mail_register_count, 1)
        for reader in (salesman, stock_user, invoicing, portal):
            with self.subTest(user=reader.login):
                values = order.with_user(reader).read()[0]
                self.assertEqual(values["bo_mail_register_count"], 0)
