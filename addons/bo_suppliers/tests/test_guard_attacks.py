"""The attack kit on every guarded model of the supplier desk: each guarded
field, as each role and as OdooBot, through RPC create (with the value or a
``default_`` key), write (with or without a forged context), copy and import.
Each record is made as the real flow makes it."""

from datetime import date

from odoo import Command, fields
from odoo.addons.bo_base.models import bo_guard
from odoo.addons.bo_base.tests.common import GuardAttackKit
from odoo.tests import Form, tagged


class SupplierGuardRecords:
    """What the supplier desk's records are made of, for the attack kits: a
    named Back Office manager who buys and pays, a supplier and a product."""

    @classmethod
    def _decider(cls):
        decider = cls.__dict__.get("_bo_decider")
        if not decider:
            decider = cls._bo_user(
                "bo_guard_decider",
                "Diana Decider",
                "bo_base.group_bo_manager,purchase.group_purchase_manager,"
                "account.group_account_invoice",
            )
            cls._bo_decider = decider
        return decider

    @classmethod
    def _supplier(cls, name="Fonderia Attaccata S.r.l."):
        return cls.env["res.partner"].create({"name": name, "is_company": True, "supplier_rank": 1})

    @classmethod
    def _product(cls):
        return cls.env["product.product"].create(
            {
                "name": "Getto in ghisa",
                "is_storable": True,
                "standard_price": 40.0,
                "purchase_method": "purchase",
                "supplier_taxes_id": [Command.clear()],
            }
        )

    @classmethod
    def _order(cls, supplier, product, confirm=False):
        order = cls.env["purchase.order"].create(
            {
                "partner_id": supplier.id,
                "order_line": [
                    Command.create({"product_id": product.id, "product_qty": 10, "price_unit": 40})
                ],
            }
        )
        if confirm:
            order.button_confirm()
        return order

    @classmethod
    def _qualify(cls, partner, state, reason="Audit"):
        wizard = Form(
            cls.env["bo.supplier.qualification.wizard"]
            .with_user(cls._decider())
            .with_context(default_partner_id=partner.id)
        )
        wizard.new_state = state
        wizard.reason = reason
        wizard.save().action_apply()


@tagged("post_install", "-at_install")
class TestBillGuardAttacks(SupplierGuardRecords, GuardAttackKit):
    """The match, the payment block, the release and the "not a duplicate"
    confirmation of a vendor bill."""

    guarded_model = "account.move"

    @classmethod
    def _guard_record(cls):
        cls.env.company.write({"bo_three_way_match": True, "bo_duplicate_bill_check": False})
        cls.supplier = cls._supplier()
        order = cls._order(cls.supplier, cls._product(), confirm=True)
        # billed before anything was received: it does not match
        bill = cls.env["account.move"].browse(order.action_create_invoice()["res_id"])
        bill.write({"invoice_date": fields.Date.today(), "ref": f"GUARD-{bill.id}"})
        bill.action_post()
        assert bill.bo_payment_blocked
        release = Form(
            cls.env["bo.bill.payment.release"]
            .with_user(cls._decider())
            .with_context(default_move_ids=bill.ids)
        )
        release.reason = "Consegna confermata al telefono"
        release.save().action_release()
        return bill

    @classmethod
    def _guard_create_values(cls):
        return {"move_type": "in_invoice", "partner_id": cls.supplier.id}


@tagged("post_install", "-at_install")
class TestPurchaseOrderGuardAttacks(SupplierGuardRecords, GuardAttackKit):
    """A manager's override of an order's supplier block."""

    guarded_model = "purchase.order"

    @classmethod
    def _guard_record(cls):
        cls.supplier = cls._supplier()
        order = cls._order(cls.supplier, cls._product())
        cls._qualify(cls.supplier, "blocked", reason="Certificato falso")
        override = Form(
            cls.env["bo.purchase.supplier.override"]
            .with_user(cls._decider())
            .with_context(default_order_id=order.id)
        )
        override.reason = "Unico fornitore del getto"
        override.save().action_override()
        return order

    @classmethod
    def _guard_create_values(cls):
        return {"partner_id": cls.supplier.id}


@tagged("post_install", "-at_install")
class TestSupplierGuardAttacks(SupplierGuardRecords, GuardAttackKit):
    """A supplier's qualification and its evaluation class."""

    guarded_model = "res.partner"

    @classmethod
    def _guard_record(cls):
        supplier = cls._supplier()
        cls._qualify(supplier, "blocked", reason="Frode accertata")
        # as the evaluation leaves it (it writes the figures in SQL)
        bo_guard.grant(supplier.sudo(), "bo_evaluation_score", "bo_evaluation_class").write(
            {"bo_evaluation_score": 41.0, "bo_evaluation_class": "c"}
        )
        return supplier

    @classmethod
    def _guard_create_values(cls):
        return {"name": "Fornitore Nuovo S.r.l.", "is_company": True}


@tagged("post_install", "-at_install")
class TestQualificationHistoryGuardAttacks(SupplierGuardRecords, GuardAttackKit):
    """A step of a supplier's qualification history."""

    guarded_model = "bo.supplier.qualification"

    @classmethod
    def _guard_record(cls):
        cls.supplier = cls._supplier()
        cls._qualify(cls.supplier, "under_evaluation", reason="Prima visita")
        return cls.supplier.bo_qualification_ids

    @classmethod
    def _guard_create_values(cls):
        return {"partner_id": cls.supplier.id, "state": "qualified", "reason": "Fidati"}

    def test_guard_allows_an_ordinary_create(self):
        """Nobody registers a step by hand: the qualification action is the
        ordinary create, and it goes through."""
        self._qualify(self.supplier, "suspended", reason="Audit in corso")
        self.assertEqual(
            self.supplier.bo_qualification_ids.mapped("state"), ["suspended", "under_evaluation"]
        )


class EvaluationGuardRecords(SupplierGuardRecords):
    @classmethod
    def _evaluation(cls):
        """An evaluation computed for an order confirmed in January 2020."""
        if "_bo_evaluation" not in cls.__dict__:
            cls.supplier = cls._supplier()
            order = cls._order(cls.supplier, cls._product(), confirm=True)
            order.date_approve = "2020-01-15 10:00:00"
            cls._bo_evaluation = cls._evaluate(date(2020, 1, 1), date(2020, 1, 31))
        return cls._bo_evaluation

    @classmethod
    def _evaluate(cls, date_from, date_to):
        return cls.env["bo.supplier.evaluation"]._bo_evaluate(
            cls.env.company, date_from, date_to, partners=cls.supplier
        )


@tagged("post_install", "-at_install")
class TestEvaluationGuardAttacks(EvaluationGuardRecords, GuardAttackKit):
    guarded_model = "bo.supplier.evaluation"

    @classmethod
    def _guard_record(cls):
        return cls._evaluation()

    @classmethod
    def _guard_create_values(cls):
        return {
            "partner_id": cls.supplier.id,
            "company_id": cls.env.company.id,
            "date_from": "2019-01-01",
            "date_to": "2019-01-31",
            "period_type": "month",
            "score": 99.0,
            "evaluation_class": "a",
        }

    def test_guard_allows_an_ordinary_create(self):
        """Nobody creates an evaluation by hand: the computation is the
        ordinary create, and it goes through."""
        order = self._order(self.supplier, self._product(), confirm=True)
        order.date_approve = "2020-02-10 10:00:00"
        evaluation = self._evaluate(date(2020, 2, 1), date(2020, 2, 29))
        self.assertEqual(evaluation.partner_id, self.supplier)
        self.assertTrue(evaluation.line_ids)


@tagged("post_install", "-at_install")
class TestEvaluationLineGuardAttacks(EvaluationGuardRecords, GuardAttackKit):
    guarded_model = "bo.supplier.evaluation.line"

    @classmethod
    def _guard_record(cls):
        evaluation = cls._evaluation()
        # another month's evaluation: the attacks move a criterion to it
        order = cls._order(cls.supplier, cls._product(), confirm=True)
        order.date_approve = "2020-02-14 10:00:00"
        cls._evaluate(date(2020, 2, 1), date(2020, 2, 29))
        return evaluation.line_ids[:1]

    @classmethod
    def _guard_create_values(cls):
        return {"evaluation_id": cls._evaluation().id, "criterion": "price", "value": 100.0}

    def test_guard_allows_an_ordinary_create(self):
        """The computation writes the criteria, again when it runs again on
        new documents of the period."""
        evaluation = self._evaluation()
        order = self._order(self.supplier, self._product(), confirm=True)
        order.date_approve = "2020-01-20 10:00:00"
        recomputed = self._evaluate(evaluation.date_from, evaluation.date_to)
        self.assertEqual(recomputed, evaluation)
        self.assertEqual(len(evaluation.line_ids), 6)
        responsiveness = evaluation.line_ids.filtered(
            lambda line: line.criterion == "responsiveness"
        )
        self.assertEqual(responsiveness.denominator, 2)

    def test_attack_default_keys_do_not_reach_the_recomputed_criteria(self):
        """The computation is granted the criteria's fields: the default_ keys
        of whoever runs it (an RPC client's context) must not fill them."""
        evaluation = self._evaluation()
        order = self._order(self.supplier, self._product(), confirm=True)
        order.date_approve = "2020-01-21 10:00:00"
        self.env["bo.supplier.evaluation"].with_context(
            default_value=100.0, default_figure="forged", default_has_data=True
        )._bo_evaluate(self.env.company, evaluation.date_from, evaluation.date_to, self.supplier)
        no_data = evaluation.line_ids.filtered(lambda line: not line.has_data)
        self.assertTrue(no_data)
        self.assertFalse(no_data.filtered(lambda line: line.value or line.figure == "forged"))


@tagged("post_install", "-at_install")
class TestBankAccountGuardAttacks(SupplierGuardRecords, GuardAttackKit):
    """When a supplier's bank account last changed (the warning before paying)."""

    guarded_model = "res.partner.bank"

    @classmethod
    def _guard_record(cls):
        cls.supplier = cls._supplier()
        return cls.env["res.partner.bank"].create(
            {"partner_id": cls.supplier.id, "acc_number": "IT60X0542811101000000123456"}
        )

    @classmethod
    def _guard_create_values(cls):
        return {"partner_id": cls.supplier.id, "acc_number": "IT02L1234512345123456789012"}
