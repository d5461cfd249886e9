"""The blocking checks, tried by every path an attacker or a careless
integration would take: RPC writes of any field, orders created or copied as
confirmed, the line model, multi-record writes, the portal and online payment."""

from datetime import datetime, time, timedelta

from odoo import Command, fields
from odoo.addons.bo_base.tests.common import QueryGrowthMixin
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import BoOrdersCommon


@tagged("post_install", "-at_install")
class TestCheckHardening(BoOrdersCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._activate("discount", severity="block", max_discount=20)

    def _blocked_quotation(self, **kwargs):
        return self._new_order(lines=[(self.screws, 5, 30.0)], **kwargs)

    def _override(self, order, reason="Cliente storico, sconto concordato"):
        action = order.with_user(self.manager).action_bo_override()
        wizard = Form(
            self.env[action["res_model"]].with_user(self.manager).with_context(**action["context"])
        )
        wizard.reason = reason
        wizard.save().action_override()

    def _flush_tracking(self):
        self.env.flush_all()
        self.env.cr.precommit.run()

    def _pickings(self, partner):
        return self.env["stock.picking"].search([("partner_id", "=", partner.id)])

    # ------------------------------------------------------------------
    # The override: only the manager's action sets it
    # ------------------------------------------------------------------

    def test_rpc_write_of_the_override_is_refused_to_everyone_but_the_action(self):
        order = self._blocked_quotation()
        forged = {"bo_override_user_id": self.manager.id, "bo_override_reason": "x"}
        for user in (self.salesman, self.clerk, self.stock_user, self.invoicing_user, self.manager):
            for vals in (forged, {"bo_override_user_id": self.manager.id}):
                with self.subTest(user=user.login, vals=vals), self.assertRaises(AccessError):
                    order.with_user(user).write(vals)
        # a context key an RPC client could send opens nothing
        with self.assertRaises(AccessError):
            order.with_user(self.clerk).with_context(bo_orders_privileged=True).write(forged)
        # not even code running as superuser writes it outside the action
        for vals in (forged, {"bo_override_digest": order._bo_override_fingerprint()}):
            with self.subTest(sudo=vals), self.assertRaises(AccessError):
                order.sudo().write(vals)
        self.assertFalse(order.bo_override_user_id)
        self.assertEqual(order.bo_check_state, "blocked")
        with self.assertRaisesRegex(UserError, "Maximum discount"):
            order.with_user(self.clerk).action_confirm()

    def test_orders_are_not_created_copied_or_imported_with_an_override(self):
        vals = {
            "partner_id": self.customer.id,
            "bo_override_user_id": self.manager.id,
            "bo_override_reason": "x",
        }
        with self.assertRaises(AccessError):
            self.env["sale.order"].with_user(self.clerk).create(vals)
        order = self._blocked_quotation()
        with self.assertRaises(AccessError):
            order.with_user(self.clerk).copy({"bo_override_user_id": self.manager.id})
        result = (
            self.env["sale.order"]
            .with_user(self.clerk)
            .load(
                ["partner_id/.id", "bo_override_user_id/.id", "bo_override_reason"],
                [[str(self.customer.id), str(self.manager.id), "import"]],
            )
        )
        self.assertFalse(result["ids"])
        self.assertTrue(result["messages"])

    def test_the_override_is_tracked_in_the_chatter(self):
        order = self._blocked_quotation()
        self._flush_tracking()  # as if the quotation had been saved before
        self._override(order)
        self._flush_tracking()
        tracked = order.message_ids.sudo().tracking_value_ids.filtered(
            lambda t: t.field_id.name == "bo_override_user_id"
        )
        self.assertIn(self.manager.name, tracked.mapped("new_value_char"))
        self.assertEqual(order.bo_check_state, "overridden")
        self.assertEqual(order.bo_stage, "ready")

    def test_check_results_are_computed_never_typed(self):
        order = self._blocked_quotation()
        self.assertEqual(order.bo_stage, "blocked")
        for vals in ({"bo_check_state": "passed"}, {"bo_stage": "ready"}):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                order.with_user(self.clerk).write(vals)
        self.assertEqual(order.bo_stage, "blocked")
        with self.assertRaises(AccessError):
            self.env["sale.order"].with_user(self.clerk).create(
                {"partner_id": self.customer.id, "bo_check_state": "passed"}
            )

    # ------------------------------------------------------------------
    # Every way to confirm runs the checks on the order as confirmed
    # ------------------------------------------------------------------

    def test_order_created_directly_as_confirmed_is_checked(self):
        vals = {
            "partner_id": self.customer.id,
            "state": "sale",
            "order_line": [
                Command.create({"product_id": self.screws.id, "product_uom_qty": 5, "discount": 30})
            ],
        }
        with self.assertRaisesRegex(UserError, "Maximum discount"):
            self.env["sale.order"].with_user(self.clerk).create(vals)
        self.assertFalse(
            self.env["sale.order"].search([("partner_id", "=", self.customer.id)]),
            "nothing of the refused order is left",
        )
        self.assertFalse(self._pickings(self.customer), "and no delivery was made for it")

    def test_order_copied_as_confirmed_is_checked(self):
        order = self._blocked_quotation()
        with self.assertRaisesRegex(UserError, "Maximum discount"):
            order.with_user(self.clerk).copy({"state": "sale"})
        self.assertFalse(self._pickings(self.customer))

    def test_cancelled_order_written_back_to_sale_is_checked(self):
        order = self._blocked_quotation()
        order.with_user(self.clerk)._action_cancel()
        with self.assertRaisesRegex(UserError, "Maximum discount"):
            order.with_user(self.clerk).write({"state": "sale"})
        self.assertEqual(order.state, "cancel")

    def test_confirming_write_checks_the_new_lines_not_the_old_ones(self):
        order = self._new_order(lines=[(self.screws, 5, 0.0)])
        self.assertEqual(order.bo_check_state, "passed")
        with self.assertRaisesRegex(UserError, "Maximum discount"):
            order.with_user(self.clerk).write(
                {
                    "state": "sale",
                    "order_line": [Command.update(order.order_line.id, {"discount": 50})],
                }
            )

    # ------------------------------------------------------------------
    # An override covers exactly the order the manager released
    # ------------------------------------------------------------------

    def test_line_added_through_the_line_model_after_an_override_blocks_again(self):
        order = self._blocked_quotation()
        self._override(order)
        self.env["sale.order.line"].with_user(self.clerk).create(
            {"order_id": order.id, "product_id": self.plugs.id, "discount": 60}
        )
        self.assertEqual(order.bo_check_state, "blocked")
        with self.assertRaisesRegex(UserError, "Tasselli"):
            order.with_user(self.clerk).action_confirm()

    def test_line_changed_or_removed_through_the_line_model_ends_the_override(self):
        order = self._new_order(lines=[(self.screws, 5, 30.0), (self.plugs, 10, 25.0)])
        self._override(order)
        screws, plugs = order.order_line
        screws.with_user(self.clerk).write({"discount": 45})
        self.assertEqual(order.bo_check_state, "blocked", "a changed line")
        self._override(order)
        plugs.with_user(self.clerk).unlink()
        self.assertEqual(order.bo_check_state, "blocked", "a removed line")
        with self.assertRaisesRegex(UserError, "Maximum discount"):
            order.with_user(self.clerk).action_confirm()

    def test_multi_record_write_mixing_quotations_and_orders_ends_the_override(self):
        released = self._blocked_quotation()
        self._override(released)
        confirmed = self._new_order()
        confirmed.with_user(self.clerk).action_confirm()
        other_terms = self.env.ref("account.account_payment_term_immediate")
        (released | confirmed).with_user(self.clerk).write({"payment_term_id": other_terms.id})
        self.assertEqual(released.bo_check_state, "blocked")
        with self.assertRaisesRegex(UserError, "Maximum discount"):
            released.with_user(self.clerk).action_confirm()

    def test_unchanged_released_order_confirms(self):
        order = self._blocked_quotation()
        self._override(order)
        order.with_user(self.salesman).sudo().action_quotation_sent()
        order.with_user(self.clerk).action_confirm()
        self.assertEqual(order.state, "sale")

    # ------------------------------------------------------------------
    # Deliveries of every kind
    # ------------------------------------------------------------------

    def test_dropship_to_a_blocked_customer_is_held(self):
        self._activate("overdue", severity="block")
        order = self._new_order(lines=[(self.screws, 5, 0.0)])
        order.with_user(self.clerk).action_confirm()
        self._post_overdue_invoice(self.customer, days_overdue=40)
        # goods going from the supplier straight to the customer
        dropship = self.env["stock.picking"].create(
            {
                "partner_id": self.customer.id,
                "picking_type_id": self.warehouse.in_type_id.id,
                "location_id": self.env.ref("stock.stock_location_suppliers").id,
                "location_dest_id": self.env.ref("stock.stock_location_customers").id,
                "sale_id": order.id,
                "move_ids": [
                    Command.create(
                        {
                            "product_id": self.screws.id,
                            "product_uom_qty": 5,
                            "location_id": self.env.ref("stock.stock_location_suppliers").id,
                            "location_dest_id": self.env.ref("stock.stock_location_customers").id,
                        }
                    )
                ],
            }
        )
        dropship.action_confirm()
        dropship.move_ids.write({"quantity": 5, "picked": True})
        with self.assertRaisesRegex(UserError, "overdue receivables"):
            dropship.with_user(self.stock_user)._action_done()

    # ------------------------------------------------------------------
    # Groups
    # ------------------------------------------------------------------

    def test_mailroom_clerks_do_not_become_sales_users(self):
        self.assertFalse(self.mailroom_clerk.has_group("sales_team.group_sale_salesman"))
        self.assertTrue(self.clerk.has_group("sales_team.group_sale_salesman_all_leads"))
        self.assertTrue(self.manager.has_group("bo_orders.group_bo_order_desk"))
        with self.assertRaises(AccessError):
            self.env["sale.order"].with_user(self.mailroom_clerk).search([])
        with self.assertRaises(AccessError):
            self.env["bo.order.request"].with_user(self.mailroom_clerk).search([])

    def test_only_the_order_desk_links_an_order_to_a_request(self):
        request = self.env["bo.order.request"].create(
            {"partner_id": self.customer.id, "title": "Richiesta viti"}
        )
        order = self._new_order(user=self.salesman)
        with self.assertRaises(AccessError):
            order.with_user(self.salesman).write({"bo_request_id": request.id})
        order.with_user(self.clerk).write({"bo_request_id": request.id})
        self.assertEqual(order.bo_request_id, request)


@tagged("post_install", "-at_install")
class TestCheckCost(QueryGrowthMixin, BoOrdersCommon):
    def test_running_every_check_costs_the_same_on_50_quotations_as_on_5(self):
        self.checks.write({"active": True, "severity": "warn"})
        self.customer.with_company(self.company).credit_limit = 1000000
        self._post_overdue_invoice(self.customer, amount=10, days_overdue=30)
        lines = [(self.screws, 1, 25.0), (self.plugs, 2, 0.0)]
        orders = self.env["sale.order"].concat(*(self._new_order(lines=lines) for _i in range(50)))
        # Quotations made through a day, each at its own time: the pricelist
        # is looked up once for them, not once per order date.
        morning = datetime.combine(fields.Date.today(), time(8, 0))
        for index, order in enumerate(orders):
            order.date_order = morning + timedelta(minutes=7 * index)
        # the active checks are cached from the warm-up on
        results = self.assertQueriesDoNotGrow(
            lambda records: records._bo_run_checks(), orders[:5], orders, warm_up=orders[:1]
        )
        self.assertEqual(len(results[orders[0]]), 3, "discount, price and overdue warn")
        self.assertTrue(all(len(results[order]) == 3 for order in orders))

    def test_product_proposals_for_many_lines_take_one_search(self):
        request = self.env["bo.order.request"].create(
            {
                "partner_id": self.customer.id,
                "title": "Richiesta mista",
                "line_ids": [
                    Command.create({"name": name}) for name in ("VIT-M6", "tasselli") * 10
                ],
            }
        )
        proposals, queries = self.count_queries(
            lambda: request.line_ids.mapped("proposed_product_id")
        )
        self.assertEqual(proposals, self.screws | self.plugs)
        self.assertLessEqual(queries, 4, "one search for every line, whatever their number")
