from datetime import date, timedelta

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, TransactionCase, tagged

from .common import BoOrdersCommon


class BoAgreementCommon(BoOrdersCommon):
    """A price agreement of the customer: screws at 80 instead of the
    pricelist's 90, 10% off every fastener (plugs are in a subcategory)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.reminder_type = cls.env.ref("bo_base.mail_activity_type_bo_deadline")
        cls.escalation_type = cls.env.ref("bo_base.mail_activity_type_bo_escalation")
        cls.fasteners = cls.env["product.category"].create({"name": "Fissaggi"})
        cls.plug_category = cls.env["product.category"].create(
            {"name": "Tasselli", "parent_id": cls.fasteners.id}
        )
        cls.plugs.categ_id = cls.plug_category
        cls.screws.categ_id = cls.fasteners
        # pricelists are a feature to switch on
        cls.env.ref("base.group_user").implied_ids = [
            Command.link(cls.env.ref("product.group_product_pricelist").id)
        ]
        cls.pricelist = cls.env["product.pricelist"].create(
            {
                "name": "Listino rivenditori",
                "currency_id": cls.company.currency_id.id,
                "item_ids": [
                    Command.create(
                        {
                            "applied_on": "0_product_variant",
                            "product_id": cls.screws.id,
                            "compute_price": "fixed",
                            "fixed_price": 90.0,
                        }
                    )
                ],
            }
        )
        (cls.customer | cls.foreign_customer).property_product_pricelist = cls.pricelist
        cls.today = fields.Date.context_today(cls.env.user)
        cls.agreement = cls._new_agreement(
            cls.today - timedelta(days=30), cls.today + timedelta(days=300)
        )
        cls.agreement.with_user(cls.clerk).action_activate()

    @classmethod
    def _new_agreement(cls, start, end, partner=None, user=None, **values):
        form = Form(cls.env["bo.sale.agreement"].with_user(user or cls.clerk))
        form.name = "Accordo prezzi 2026"
        form.partner_id = partner or cls.customer
        form.agreement_type = values.pop("agreement_type", "price")
        form.date_start = start
        form.date_end = end
        form.reminder_days = values.pop("reminder_days", 30)
        form.volume_target = values.pop("volume_target", 0.0)
        with form.line_ids.new() as line:
            line.product_id = cls.screws
            line.price_unit = 80.0
        with form.line_ids.new() as line:
            line.categ_id = cls.fasteners
            line.discount = 10.0
        return form.save()

    def _activities(self, record, activity_type):
        return record.activity_ids.filtered(lambda a: a.activity_type_id == activity_type)


@tagged("post_install", "-at_install")
class TestAgreementPrices(BoAgreementCommon):
    def test_agreed_price_wins_over_the_pricelist(self):
        order = self._new_order(lines=[(self.screws, 5, 0.0), (self.plugs, 100, 0.0)])
        screws, plugs = order.order_line
        self.assertEqual(order.pricelist_id, self.pricelist)
        self.assertEqual(screws.price_unit, 80.0, "the agreement, not the pricelist's 90")
        self.assertEqual(screws.discount, 0.0)
        self.assertEqual(plugs.price_unit, 10.0, "no agreed price: the pricelist price")
        self.assertEqual(plugs.discount, 10.0, "the discount agreed for the parent category")
        with Form(order.with_user(self.clerk)) as form:
            self.assertEqual(form.bo_agreement_id, self.agreement)

    def test_a_product_is_agreed_once_per_agreement(self):
        form = Form(self.env["bo.sale.agreement"].with_user(self.clerk))
        form.name = "Doppione"
        form.partner_id = self.foreign_customer
        form.date_end = self.today + timedelta(days=10)
        for price in (70.0, 75.0):
            with form.line_ids.new() as line:
                line.product_id = self.screws
                line.price_unit = price
        with self.assertRaisesRegex(ValidationError, "twice"):
            form.save()

    def test_customer_without_agreement_keeps_the_pricelist(self):
        order = self._new_order(partner=self.foreign_customer)
        self.assertEqual(order.order_line.price_unit, 90.0)
        self.assertFalse(order.bo_agreement_id)

    def test_expired_or_future_agreement_does_not_price_the_order(self):
        with freeze_time(self.today + timedelta(days=400)):
            order = self._new_order()
        self.assertEqual(order.order_line.price_unit, 90.0)
        self.assertFalse(order.bo_agreement_id)

    def test_other_company_agreement_never_prices_an_order(self):
        self.agreement.with_user(self.manager).action_terminate()
        other = self._new_agreement(
            self.today - timedelta(days=1),
            self.today + timedelta(days=30),
            user=self.other_clerk,
        )
        other.with_user(self.other_clerk).action_activate()
        self.assertEqual(other.company_id, self.other_company)
        order = self._new_order()
        self.assertEqual(order.order_line.price_unit, 90.0)
        self.assertFalse(order.bo_agreement_id)
        with self.assertRaises(AccessError):
            other.with_user(self.clerk).read(["name"])

    def test_check_blocks_a_line_priced_off_the_agreement(self):
        self._activate("agreement", severity="block")
        order = self._new_order(lines=[(self.screws, 5, 0.0), (self.plugs, 100, 0.0)])
        self.assertEqual(order.bo_check_state, "passed")
        with Form(order.with_user(self.clerk)) as form, form.order_line.edit(0) as line:
            line.price_unit = 85.0
        self.assertEqual(order.bo_check_state, "blocked")
        self.assertIn("Viti inox M6", order.bo_check_banner)
        with self.assertRaisesRegex(UserError, "differs from the price"):
            order.with_user(self.clerk).action_confirm()
        with Form(order.with_user(self.clerk)) as form, form.order_line.edit(1) as line:
            line.price_unit = 80.0
            line.discount = 0.0
        with Form(order.with_user(self.clerk)) as form, form.order_line.edit(0) as line:
            line.price_unit = 80.0
        self.assertEqual(order.bo_check_state, "blocked", "plugs: 10% off the pricelist agreed")
        with Form(order.with_user(self.clerk)) as form, form.order_line.edit(1) as line:
            line.price_unit = 10.0
            line.discount = 10.0
        self.assertEqual(order.bo_check_state, "passed")
        order.with_user(self.clerk).action_confirm()
        self.assertEqual(order.state, "sale")

    def test_check_warning_is_noted_on_confirmation(self):
        self._activate("agreement", severity="warn")
        order = self._new_order()
        with Form(order.with_user(self.clerk)) as form, form.order_line.edit(0) as line:
            line.discount = 5.0
        self.assertEqual(order.bo_check_state, "warning")
        order.with_user(self.clerk).action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertTrue(
            any(
                "differs from the price" in (body or "")
                for body in order.message_ids.mapped("body")
            )
        )

    def test_volume_progress_counts_confirmed_sales_only(self):
        agreement = self.agreement.with_user(self.manager)
        agreement.action_terminate()
        volume = self._new_agreement(
            self.today - timedelta(days=10),
            self.today + timedelta(days=100),
            agreement_type="volume",
            volume_target=4000.0,
        )
        volume.with_user(self.clerk).action_activate()
        confirmed = self._new_order(lines=[(self.screws, 5, 0.0)])
        confirmed.with_user(self.clerk).action_confirm()
        self._new_order(lines=[(self.screws, 50, 0.0)])  # a quotation only
        volume.invalidate_recordset(["volume_achieved", "volume_progress"])
        self.assertEqual(volume.with_user(self.salesman).volume_achieved, 400.0)
        self.assertAlmostEqual(volume.volume_progress, 10.0)


@tagged("post_install", "-at_install", "bo_dates")
class TestAgreementExpiry(BoAgreementCommon):
    def _run_cron(self, day):
        with freeze_time(day):
            self.env["bo.deadline.mixin"]._cron_deadline_check()

    def _expiring(self, start=date(2026, 1, 1), end=date(2026, 6, 30)):
        self.agreement.with_user(self.manager).action_terminate()
        with freeze_time(start):
            agreement = self._new_agreement(start, end, reminder_days=20)
            agreement.with_user(self.clerk).action_activate()
        return agreement

    def test_expiring_agreement_reminds_then_escalates(self):
        agreement = self._expiring()
        self._run_cron("2026-06-01")
        self.assertFalse(self._activities(agreement, self.reminder_type))
        self._run_cron("2026-06-12")
        reminder = self._activities(agreement, self.reminder_type)
        self.assertEqual(reminder.user_id, self.clerk, "the salesperson, 20 days before the end")
        self.assertEqual(agreement.deadline_state, "due_soon")
        self._run_cron("2026-07-01")
        self.assertEqual(agreement.state, "expired")
        self.assertEqual(agreement.deadline_state, "overdue")
        escalation = self._activities(agreement, self.escalation_type)
        self.assertEqual(escalation.user_id, self.manager)
        self._run_cron("2026-07-02")
        self.assertEqual(len(self._activities(agreement, self.escalation_type)), 1)

    def test_renewal_wizard_creates_the_next_version_and_stops_escalation(self):
        agreement = self._expiring()
        with freeze_time("2026-06-15"):
            action = agreement.with_user(self.clerk).action_renew()
            wizard = Form(
                self.env[action["res_model"]]
                .with_user(self.clerk)
                .with_context(**action["context"])
            )
            self.assertEqual(wizard.date_start, date(2026, 7, 1))
            self.assertEqual(wizard.date_end, date(2026, 12, 30))
            result = wizard.save().action_renew()
        renewal = self.env["bo.sale.agreement"].browse(result["res_id"])
        self.assertEqual(renewal.state, "draft")
        self.assertEqual(renewal.previous_id, agreement)
        self.assertEqual(agreement.next_id, renewal)
        self.assertEqual(
            renewal.line_ids.mapped(lambda line: (line.product_id, line.categ_id, line.price_unit)),
            agreement.line_ids.mapped(
                lambda line: (line.product_id, line.categ_id, line.price_unit)
            ),
        )
        with freeze_time("2026-06-15"):
            renewal.with_user(self.clerk).action_activate()
        self.assertEqual(agreement.state, "active", "the renewal starts in July")
        self.assertEqual(agreement.deadline_state, "done", "renewed: nothing to remind")
        self._run_cron("2026-07-01")
        self.assertEqual(agreement.state, "expired")
        self.assertEqual(renewal.state, "active")
        self.assertFalse(self._activities(agreement, self.escalation_type))
        with self.assertRaisesRegex(UserError, "not been renewed"):
            agreement._bo_renew(date(2027, 1, 1), date(2027, 6, 30))

    def test_renewal_already_started_expires_the_previous_on_activation(self):
        agreement = self._expiring()
        with freeze_time("2026-07-03"):
            renewal = agreement.with_user(self.clerk)._bo_renew(
                date(2026, 7, 1), date(2026, 12, 31)
            )
            renewal.with_user(self.clerk).action_activate()
        self.assertEqual(agreement.state, "expired")


@tagged("post_install", "-at_install")
class TestAgreementSecurity(BoAgreementCommon):
    def test_agreement_access_matrix(self):
        expected = {
            # user: (read, write, create, unlink)
            self.mailroom_clerk: (True, False, False, False),
            self.clerk: (True, True, True, False),
            self.manager: (True, True, True, True),
            self.salesman: (True, False, False, False),
            self.internal_user: (False, False, False, False),
            self.portal_user: (False, False, False, False),
            self.other_clerk: (False, False, False, False),
        }
        self.assertAccessMatrix(self.agreement, expected)
        lines = {**expected, self.clerk: (True, True, True, True)}
        self.assertAccessMatrix(self.agreement.line_ids, lines)

    def test_state_is_set_by_actions_only(self):
        agreement = self.agreement.with_user(self.manager)
        for vals in (
            {"state": "draft"},
            {"previous_id": agreement.id},
            {"next_id": agreement.id},
            {"deadline_date": self.today + timedelta(days=999)},
            {"deadline_escalated_date": self.agreement.date_end},
        ):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                agreement.write(vals)
        with self.assertRaises(AccessError):
            self.env["bo.sale.agreement"].with_user(self.manager).create(
                {
                    "name": "Attivo subito",
                    "partner_id": self.customer.id,
                    "date_end": self.today,
                    "state": "active",
                }
            )
        with self.assertRaises(AccessError):
            agreement.copy({"state": "active"})
        with self.assertRaisesRegex(UserError, "current state"):
            agreement.action_activate()
        with self.assertRaises(AccessError):
            self.agreement.with_user(self.clerk).action_terminate()
        self.assertEqual(self.agreement.state, "active")

    def test_customer_smart_button_lists_its_agreements(self):
        action = self.contact.with_user(self.salesman).action_view_bo_agreements()
        agreements = self.env["bo.sale.agreement"].with_user(self.salesman).search(action["domain"])
        self.assertEqual(agreements, self.agreement, "the contact's company's agreements")
        self.assertEqual(self.contact.with_user(self.salesman).bo_agreement_count, 1)

    def test_copy_is_a_new_draft(self):
        copy = self.agreement.with_user(self.clerk).copy()
        self.assertEqual(copy.state, "draft")
        self.assertFalse(copy.previous_id)
        self.assertEqual(len(copy.line_ids), 2)
        with self.assertRaisesRegex(UserError, "overlaps"):
            copy.action_activate()

    def test_import_cannot_set_the_state(self):
        result = (
            self.env["bo.sale.agreement"]
            .with_user(self.manager)
            .load(
                ["name", "partner_id/.id", "date_end", "state"],
                [["Importato", str(self.customer.id), "2026-12-31", "active"]],
            )
        )
        self.assertFalse(result["ids"])
        self.assertTrue(result["messages"])
        self.assertFalse(self.env["bo.sale.agreement"].search([("name", "=", "Importato")]))

    def test_active_agreement_keeps_what_was_agreed(self):
        agreement = self.agreement.with_user(self.manager)
        with self.assertRaisesRegex(UserError, "Renew the agreement"):
            agreement.date_end = self.today + timedelta(days=900)
        with self.assertRaisesRegex(UserError, "Renew the agreement"):
            agreement.line_ids[0].price_unit = 1.0
        with self.assertRaisesRegex(UserError, "Renew the agreement"):
            agreement.line_ids[0].unlink()
        with self.assertRaisesRegex(UserError, "Renew the agreement"):
            self.env["bo.sale.agreement.line"].with_user(self.manager).create(
                {"agreement_id": agreement.id, "product_id": self.plugs.id, "price_unit": 1.0}
            )
        with self.assertRaisesRegex(UserError, "Renew the agreement"):
            agreement.unlink()
        agreement.write({"user_id": self.manager.id, "reminder_days": 10})
        self.assertEqual(agreement.line_ids[0].price_unit, 80.0)

    def test_added_fields_read_by_every_user_of_orders_and_customers(self):
        portal = self._bo_user("bo_portal_reader", "Cliente Portale", "base.group_portal")
        agreement = self._new_agreement(
            self.today - timedelta(days=5),
            self.today + timedelta(days=50),
            partner=portal.partner_id,
        )
        agreement.with_user(self.clerk).action_activate()
        order = self._new_order(partner=portal.partner_id)
        order.user_id = self.salesman
        order.message_subscribe(partner_ids=portal.partner_id.ids)
        order.with_user(self.clerk).action_confirm()
        for user in (self.salesman, self.stock_user, self.invoicing_user, portal):
            with self.subTest(user=user.login):
                values = order.with_user(user).read()[0]
                partner = portal.partner_id.with_user(user)
                if user == self.salesman:
                    self.assertEqual(values["bo_agreement_id"][0], agreement.id)
                    self.assertEqual(
                        partner.read(["bo_agreement_count"])[0]["bo_agreement_count"], 1
                    )
                else:
                    self.assertNotIn("bo_agreement_id", values)
                    self.assertNotIn("bo_agreement_count", partner.fields_get())
        self.assertEqual(order.order_line.price_unit, 80.0)


@tagged("post_install", "-at_install")
class TestAgreementLabels(TransactionCase):
    def test_agreement_reads_in_italian(self):
        self.env["res.lang"]._activate_lang("it_IT")
        self.env["ir.module.module"]._load_module_terms(
            ["bo_base", "bo_orders"], ["it_IT"], overwrite=True
        )
        agreement = self.env["bo.sale.agreement"].with_context(lang="it_IT")
        fields_info = agreement.fields_get(["deadline_state", "state", "agreement_type"])
        self.assertEqual(
            dict(fields_info["deadline_state"]["selection"]),
            {
                "on_time": "In tempo",
                "due_soon": "In scadenza",
                "overdue": "Scaduta",
                "done": "Completato",
            },
        )
        self.assertEqual(dict(fields_info["state"]["selection"])["expired"], "Scaduto")
        self.assertEqual(
            dict(fields_info["agreement_type"]["selection"])["framework"], "Accordo quadro"
        )
