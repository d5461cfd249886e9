from datetime import datetime, time, timedelta

from freezegun import freeze_time

from odoo.addons.bo_base.tests.common import QueryGrowthMixin
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .test_qualification import BoQualificationCommon


class BoEvaluationCommon(BoQualificationCommon):
    """Receipts, returns and bills made through the real purchase flow, dated
    inside the last month that ended."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Evaluation = cls.env["bo.supplier.evaluation"]
        cls.date_from, cls.date_to = cls.Evaluation._bo_last_period("month")
        cls.product_b = cls.env["product.product"].create(
            {"name": "Tondino 12 mm", "is_storable": True, "standard_price": 10.0}
        )
        cls.company.write(
            {
                "bo_evaluation_class_a_min": 85.0,
                "bo_evaluation_class_b_min": 65.0,
                "bo_evaluation_class_c_policy": "none",
                "bo_evaluation_period": "month",
            }
        )

    def _day(self, day, hour=10):
        """A moment in the evaluated month."""
        return datetime.combine(self.date_from + timedelta(days=day - 1), time(hour))

    def _order(self, lines=None, partner=None, planned_day=10, confirm_day=1):
        with freeze_time(self._day(confirm_day, 9)):
            order = self._new_purchase_order(partner=partner, lines=lines)
            order.order_line.date_planned = self._day(planned_day)
            order.with_user(self.clerk).button_confirm()
        return order.with_env(self.env)

    def _receive(self, order, day, quantities=None, backorder=False):
        """Validate the open receipt of ``order`` on ``day``; ``quantities`` maps
        products to the quantity received (all of it by default)."""
        picking = order.picking_ids.filtered(lambda p: p.state not in ("done", "cancel"))
        quantities = quantities or {}
        with freeze_time(self._day(day)):
            for move in picking.move_ids:
                move.quantity = quantities.get(move.product_id, move.product_uom_qty)
            picking.move_ids.picked = True
            result = picking.button_validate()
            if isinstance(result, dict):
                wizard = Form.from_action(self.env, result).save()
                if backorder:
                    wizard.process()
                else:
                    wizard.process_cancel_backorder()
        self.assertEqual(picking.state, "done")
        return picking

    def _return(self, picking, qty, day):
        with freeze_time(self._day(day)):
            form = Form(
                self.env["stock.return.picking"].with_context(
                    active_ids=picking.ids, active_id=picking.id, active_model="stock.picking"
                )
            )
            wizard = form.save()
            wizard.product_return_moves.quantity = qty
            action = wizard.action_create_returns()
            returned = self.env["stock.picking"].browse(action["res_id"])
            returned.move_ids.quantity = qty
            returned.move_ids.picked = True
            returned.button_validate()
        self.assertEqual(returned.state, "done")
        return returned

    def _bill(self, order, day, price=None):
        action = order.with_user(self.clerk).action_create_invoice()
        bill = self.env["account.move"].browse(action["res_id"])
        with Form(bill.with_user(self.accountant)) as form:
            form.invoice_date = self._day(day).date()
            form.ref = f"FT-{bill.id}"
            if price is not None:
                for index in range(len(form.invoice_line_ids)):
                    with form.invoice_line_ids.edit(index) as line:
                        line.price_unit = price
        bill.with_user(self.accountant).action_post()
        return bill

    def _evaluate(self, partners=None, user=None):
        """Evaluate the month through the wizard, in the user's company."""
        form = Form(self.env["bo.supplier.evaluation.wizard"].with_user(user or self.clerk))
        form.period_type = "month"
        for partner in partners or []:
            form.partner_ids.add(partner)
        form.save().action_evaluate()
        return self._evaluation(partners[0] if partners else self.supplier)

    def _evaluation(self, partner=None, company=None):
        return self.Evaluation.search(
            [
                ("partner_id", "=", (partner or self.supplier).id),
                ("company_id", "=", (company or self.company).id),
                ("date_from", "=", self.date_from),
            ]
        )

    def _line(self, evaluation, criterion):
        return evaluation.line_ids.filtered(lambda line: line.criterion == criterion)


@tagged("post_install", "-at_install", "bo_dates")
class TestSupplierEvaluation(QueryGrowthMixin, BoEvaluationCommon):
    def test_on_time_counts_each_receipt_line_once(self):
        early = self._order(lines=[(self.product, 10, 40.0), (self.product_b, 5, 10.0)])
        late = self._order(lines=[(self.product, 4, 40.0)])
        # one receipt line done in two operations still counts once
        move = early.picking_ids.move_ids.filtered(lambda m: m.product_id == self.product)
        move.move_line_ids.quantity = 6
        self.env["stock.move.line"].create(
            {
                "move_id": move.id,
                "picking_id": move.picking_id.id,
                "product_id": self.product.id,
                "product_uom_id": move.product_uom.id,
                "location_id": move.location_id.id,
                "location_dest_id": move.location_dest_id.id,
                "quantity": 4,
            }
        )
        self.assertEqual(len(move.move_line_ids), 2)
        self._receive(early, day=8)
        late_receipt = self._receive(late, day=15)

        evaluation = self._evaluate()

        on_time = self._line(evaluation, "on_time")
        self.assertEqual((on_time.numerator, on_time.denominator), (2, 3))
        self.assertAlmostEqual(evaluation.on_time_rate, 66.7)
        self.assertIn("2 of 3", on_time.figure)
        self.assertIn(late_receipt.name, on_time.explanation)
        self.assertEqual(on_time.picking_ids, (early | late).picking_ids)

    def test_on_time_rate_never_above_hundred(self):
        order = self._order(lines=[(self.product, 10, 40.0), (self.product_b, 5, 10.0)])
        move = order.picking_ids.move_ids.filtered(lambda m: m.product_id == self.product)
        move.move_line_ids.quantity = 5
        move.move_line_ids.copy({"quantity": 5})
        self._receive(order, day=2)
        evaluation = self._evaluate()
        self.assertEqual(evaluation.on_time_rate, 100.0)
        self.assertEqual(self._line(evaluation, "on_time").denominator, 2)

    def test_short_receipt_lowers_quantity_accuracy(self):
        short = self._order(lines=[(self.product, 10, 40.0)])
        full = self._order(lines=[(self.product_b, 5, 10.0)])
        pending = self._order(lines=[(self.product_b, 10, 10.0)])
        self._receive(short, day=5, quantities={self.product: 8})
        self._receive(full, day=5)
        # a partial delivery still awaiting its backorder is not judged yet
        self._receive(pending, day=5, quantities={self.product_b: 3}, backorder=True)

        evaluation = self._evaluate()

        quantity = self._line(evaluation, "quantity")
        self.assertEqual(quantity.denominator, 2)
        self.assertAlmostEqual(evaluation.quantity_accuracy, 90.0)
        self.assertIn("1 short", quantity.figure)
        self.assertIn(short.name, quantity.explanation)
        self.assertNotIn(pending.name, quantity.explanation)

    def test_returns_to_supplier_lower_quality(self):
        order = self._order(lines=[(self.product, 10, 40.0)])
        receipt = self._receive(order, day=5)
        evaluation = self._evaluate()
        self.assertEqual(evaluation.quality_rate, 100.0)

        returned = self._return(receipt, 2, day=7)
        self._evaluate()

        quality = self._line(evaluation, "quality")
        self.assertAlmostEqual(evaluation.quality_rate, 80.0)
        self.assertIn(returned.name, quality.explanation)
        self.assertEqual(quality.picking_ids, returned)
        # recomputed in place, not duplicated; the change is in the chatter
        self.assertEqual(self._evaluation(), evaluation)

    def test_bill_above_order_price_lowers_price_adherence(self):
        order = self._order(lines=[(self.product, 10, 40.0)])
        self._receive(order, day=5)
        bill = self._bill(order, day=6, price=44.0)

        evaluation = self._evaluate()

        price = self._line(evaluation, "price")
        self.assertAlmostEqual(evaluation.price_adherence, 90.0)
        self.assertAlmostEqual(price.numerator, 40.0)
        self.assertAlmostEqual(price.denominator, 400.0)
        self.assertIn("+10.0%", price.figure)
        self.assertIn(bill.name, price.explanation)
        self.assertEqual(price.invoice_ids, bill)

    def test_bill_at_or_below_order_price_keeps_full_marks(self):
        order = self._order(lines=[(self.product, 10, 40.0)])
        self._receive(order, day=5)
        self._bill(order, day=6, price=38.0)
        self.assertEqual(self._evaluate().price_adherence, 100.0)

    def test_responsiveness_from_rfq_to_confirmation(self):
        order = self._order(lines=[(self.product, 10, 40.0)], confirm_day=8)
        self.env.cr.execute(
            "UPDATE purchase_order SET create_date = %s WHERE id = %s",
            (self._day(2, 9), order.id),
        )
        evaluation = self._evaluate()
        responsiveness = self._line(evaluation, "responsiveness")
        self.assertAlmostEqual(evaluation.response_days, 6.0)
        self.assertAlmostEqual(evaluation.responsiveness, 50.0)
        self.assertEqual(responsiveness.order_ids, order)

    def test_certificates_valid_at_period_end(self):
        issue = self.date_from - timedelta(days=60)
        self._file_document(self.durc, expiry=self.date_to + timedelta(days=30), issue=issue)
        self._file_document(self.chamber, expiry=self.date_to - timedelta(days=1), issue=issue)
        self._order(lines=[(self.product, 10, 40.0)])
        evaluation = self._evaluate()
        certificates = self._line(evaluation, "certificates")
        self.assertEqual(evaluation.certificate_rate, 50.0)
        self.assertIn(self.chamber.name, certificates.explanation)

    def test_score_averages_only_criteria_with_data(self):
        self.env["bo.supplier.document.type"].search([]).mandatory = False
        order = self._order(lines=[(self.product, 10, 40.0)], planned_day=3)
        self.env.cr.execute(
            "UPDATE purchase_order SET create_date = date_approve WHERE id = %s", (order.id,)
        )
        self._receive(order, day=9, quantities={self.product: 8})
        evaluation = self._evaluate()
        # late (0), 80% of the quantity, nothing returned (100), answered at once
        # (100); no bill and no mandatory document: left out, not zero
        self.assertEqual(evaluation.criteria_count, 4)
        self.assertAlmostEqual(evaluation.score, 70.0)
        self.assertEqual(evaluation.evaluation_class, "b")
        self.assertFalse(self._line(evaluation, "price").has_data)
        self.assertEqual(self.supplier.bo_evaluation_score, 70.0)
        self.assertEqual(self.supplier.bo_evaluation_class, "b")

    def test_class_follows_company_thresholds(self):
        self.env["bo.supplier.document.type"].search([]).mandatory = False
        order = self._order(lines=[(self.product, 10, 40.0)], planned_day=3)
        self._receive(order, day=2, quantities={self.product: 7})
        evaluation = self._evaluate()
        self.assertEqual(evaluation.evaluation_class, "a")  # (100 + 70 + 100 + 100) / 4
        with Form(self.env["res.config.settings"]) as settings:
            settings.bo_evaluation_class_a_min = 95.0
            settings.bo_evaluation_class_b_min = 93.0
        self._evaluate()
        self.assertEqual(evaluation.evaluation_class, "c")
        self.assertEqual(self.supplier.bo_evaluation_class, "c")
        self.assertEqual(len(self._evaluation()), 1)

    def test_evaluating_a_few_good_days_does_not_lift_the_class(self):
        """A clerk evaluating a chosen period gets an evaluation, for information;
        the supplier's class stays the one of the company's own period."""
        self.env["bo.supplier.document.type"].search([]).mandatory = False
        late = self._order(lines=[(self.product, 10, 40.0)], planned_day=2)
        self._receive(late, day=20, quantities={self.product: 4})
        monthly = self._evaluate()
        self.assertEqual(monthly.evaluation_class, "c")
        on_time = self._order(lines=[(self.product_b, 5, 10.0)], planned_day=27)
        self._receive(on_time, day=26)
        form = Form(self.env["bo.supplier.evaluation.wizard"].with_user(self.clerk))
        form.period_type = "custom"
        form.date_from = self.date_from + timedelta(days=25)
        form.date_to = self.date_to
        form.partner_ids.add(self.supplier)
        form.save().action_evaluate()
        chosen = self.Evaluation.search(
            [("partner_id", "=", self.supplier.id), ("period_type", "=", "custom")]
        )
        self.assertEqual(chosen.evaluation_class, "a")
        self.assertEqual(self.supplier.bo_evaluation_class, "c")
        self.assertEqual(self.supplier.bo_evaluation_score, monthly.score)

    def test_period_without_activity_is_skipped(self):
        self._file_mandatory_documents()
        # this supplier only: others (the demo's among them) may have had
        # receipts in the month that ended
        with self.assertRaisesRegex(UserError, "nothing to evaluate"):
            self._evaluate(partners=[self.supplier])
        self.assertFalse(self._evaluation())
        # a draft RFQ is no activity either
        with freeze_time(self._day(3)):
            self._new_purchase_order()
        self.Evaluation._cron_evaluate_suppliers()
        self.assertFalse(self.Evaluation.search([("partner_id", "=", self.supplier.id)]))

    def test_class_c_puts_qualified_supplier_under_review(self):
        self._file_mandatory_documents()
        self._qualify("qualified")
        self.supplier.buyer_id = self.clerk
        order = self._order(lines=[(self.product, 10, 40.0)], planned_day=2)
        self._receive(order, day=20, quantities={self.product: 2})
        self._bill(order, day=21, price=80.0)
        evaluation = self._evaluate()
        self.assertEqual(evaluation.evaluation_class, "c")
        self.assertEqual(self.supplier.bo_qualification_state, "under_evaluation")
        self.assertIn("Class C", self.supplier.bo_qualification_ids[0].reason)
        activity = self.supplier.activity_ids.filtered(lambda a: "class C" in a.summary)
        self.assertEqual(activity.user_id, self.clerk)
        # computed again, still class C: no second activity
        self._evaluate()
        self.assertEqual(
            len(self.supplier.activity_ids.filtered(lambda a: "class C" in a.summary)), 1
        )

    def test_cron_evaluates_last_period_once(self):
        self.company.bo_evaluation_period = "month"
        order = self._order(lines=[(self.product, 10, 40.0)])
        self._receive(order, day=5)
        self.Evaluation._cron_evaluate_suppliers()
        self.Evaluation._cron_evaluate_suppliers()
        evaluation = self._evaluation()
        self.assertEqual(len(evaluation), 1)
        self.assertEqual(evaluation.period_type, "month")
        self.assertEqual(evaluation.date_to, self.date_to)

    def test_evaluation_is_a_registered_fact(self):
        order = self._order(lines=[(self.product, 10, 40.0)])
        self._receive(order, day=5)
        evaluation = self._evaluate()
        for user in (self.purchase_user, self.clerk, self.manager):
            with self.assertRaises(AccessError):
                evaluation.with_user(user).write({"score": 100.0})
            with self.assertRaises(AccessError):
                self.env["bo.supplier.evaluation.line"].with_user(user).create(
                    {"evaluation_id": evaluation.id, "criterion": "price", "value": 100.0}
                )
            with self.assertRaises(AccessError):
                evaluation.line_ids[0].with_user(user).write({"value": 100.0})
            with self.assertRaises(AccessError):
                evaluation.with_user(user).unlink()
            with self.assertRaises(AccessError):
                self.Evaluation.with_user(user).create(
                    {
                        "partner_id": self.supplier.id,
                        "company_id": self.company.id,
                        "date_from": "2020-01-01",
                        "date_to": "2020-01-31",
                        "period_type": "month",
                        "score": 100.0,
                        "evaluation_class": "a",
                    }
                )
        # not even with sudo or a forged context
        with self.assertRaises(AccessError):
            evaluation.sudo().write({"evaluation_class": "a"})
        with self.assertRaises(AccessError):
            evaluation.sudo().with_context(bo_suppliers_privileged=True).write({"score": 1})
        with self.assertRaises(UserError):
            evaluation.sudo().copy()
        with self.assertRaises(UserError):
            evaluation.sudo().unlink()
        # comments are welcome
        evaluation.with_user(self.clerk).message_post(body="Checked with the warehouse")

    def test_attack_supplier_class_written_by_rpc_refused(self):
        for user in (self.purchase_user, self.clerk, self.manager):
            with self.assertRaises(AccessError):
                self.supplier.with_user(user).write({"bo_evaluation_class": "a"})
            with self.assertRaises(AccessError):
                self.supplier.with_user(user).write({"bo_evaluation_score": 99.0})
        with self.assertRaises(AccessError):
            self.env["res.partner"].with_user(self.manager).create(
                {"name": "Fornitore Perfetto", "bo_evaluation_class": "a"}
            )
        self.assertFalse(self.supplier.bo_evaluation_class)

    def test_purchase_user_cannot_run_the_evaluation_wizard(self):
        with self.assertRaises(AccessError):
            self._evaluate(user=self.purchase_user)

    def test_evaluations_are_per_company(self):
        order = self._order(lines=[(self.product, 10, 40.0)])
        self._receive(order, day=5)
        evaluation = self._evaluate()
        self.assertFalse(
            self.Evaluation.with_user(self.other_clerk).search([("id", "=", evaluation.id)])
        )
        # the supplier's class is the main company's only
        self.assertEqual(
            self.supplier.with_company(self.company).bo_evaluation_class,
            evaluation.evaluation_class,
        )
        self.assertFalse(self.supplier.with_company(self.other_company).bo_evaluation_class)
        with self.assertRaises(AccessError):
            evaluation.with_user(self.other_clerk).read(["score"])
        # the other company's evaluation only counts its own documents
        with self.assertRaisesRegex(UserError, "nothing to evaluate"):
            self._evaluate(user=self.other_clerk)
        # and nobody evaluates a company that is not theirs
        with self.assertRaises(AccessError):
            self.env["bo.supplier.evaluation.wizard"].with_user(self.clerk).create(
                {"company_id": self.other_company.id, "period_type": "month"}
            ).action_evaluate()

    def test_supplier_form_shows_trend(self):
        order = self._order(lines=[(self.product, 10, 40.0)])
        self._receive(order, day=5)
        evaluation = self._evaluate()
        partner = self.supplier.with_user(self.clerk)
        self.assertEqual(partner.bo_evaluation_count, 1)
        self.assertEqual(partner.bo_evaluation_ids, evaluation)
        action = partner.action_bo_view_evaluations()
        self.assertEqual(self.Evaluation.search(action["domain"]), evaluation)

    def test_query_count_does_not_grow_with_suppliers(self):
        suppliers = self.env["res.partner"].create(
            [{"name": f"Fornitore {i}", "is_company": True} for i in range(9)]
        )
        for supplier in suppliers:
            order = self._order(lines=[(self.product, 10, 40.0)], partner=supplier)
            self._receive(order, day=5)

        def evaluate(partners):
            return self.Evaluation._bo_evaluate(
                self.company, self.date_from, self.date_to, partners=partners
            )

        # each run evaluates other suppliers: an evaluation is made once
        evaluations = self.assertQueriesDoNotGrow(
            evaluate, suppliers[1:3], suppliers[3:], warm_up=suppliers[:1]
        )
        self.assertEqual(len(evaluations), 6)
