"""Every field our addons add reads for everyone who may read the record,
on the purchasing side: the vendor on the portal (their own request for
quotation and bill), a buyer, a clerk, a manager, an accountant, a stock
user, a plain internal user and another company's clerk. What the company
thinks of a supplier (its class, the class C policy, the overrides) is not
the vendor's to read.

The fields are taken from the models, so a field added tomorrow that some
reader cannot read fails this test."""

from datetime import date

from odoo.addons.bo_base.models import bo_guard
from odoo.addons.bo_base.tests.common import FieldReadingMixin
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged

from .common import BoSuppliersCommon

# The company's judgement of a supplier, on the vendor's own request for quotation.
JUDGEMENT_FIELDS = ("bo_supplier_class", "bo_class_c_policy", "bo_class_c_blocked")


class FieldReadingCommon(FieldReadingMixin, BoSuppliersCommon):
    """A class C supplier with a contact on the portal, an order and a bill of
    it, and a request for quotation waiting for its answer."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.stock_user = cls.users["stock_user"]
        cls.vendor_portal = cls._bo_user("bo_sup_vendor", "Rita Vendite", "base.group_portal")
        cls.vendor_portal.partner_id.parent_id = cls.supplier
        # as the evaluation leaves it
        bo_guard.grant(cls.supplier.sudo(), "bo_evaluation_score", "bo_evaluation_class").write(
            {"bo_evaluation_score": 42.0, "bo_evaluation_class": "c"}
        )
        cls.company.bo_evaluation_class_c_policy = "warn"
        cls.order = cls._order()
        cls.order.button_confirm()
        cls.order.action_create_invoice()
        cls.bill = cls.order.invoice_ids
        cls.bill.invoice_date = date(2025, 2, 10)
        cls.bill.action_post()
        cls.rfq = cls._order()
        cls.rfq.write({"state": "sent"})
        cls.company.bo_evaluation_class_c_policy = "block"

    @classmethod
    def _order(cls):
        return cls.env["purchase.order"].create(
            {
                "partner_id": cls.supplier.id,
                "order_line": [
                    (0, 0, {"product_id": cls.product.id, "product_qty": 10, "price_unit": 40.0})
                ],
            }
        )


@tagged("post_install", "-at_install")
class TestFieldReading(FieldReadingCommon):
    def _readers(self):
        return {
            "vendor on the portal": self.vendor_portal,
            "another portal user": self.portal_user,
            "buyer": self.purchase_user,
            "back-office clerk": self.clerk,
            "back-office manager": self.manager,
            "accountant": self.accountant,
            "stock user": self.stock_user,
            "plain internal user": self.internal_user,
            "another company's clerk": self.other_clerk,
        }

    def _fixture_records(self):
        orders = self.order | self.rfq
        return [
            orders,
            orders.order_line,
            self.bill,
            self.bill.line_ids,
            self.supplier | self.vendor_portal.partner_id,
            self.product,
            self.product.product_tmpl_id,
            self.company | self.other_company,
        ]

    def test_every_role_reads_every_field_of_what_it_may_read(self):
        self.assertEveryFieldReads(self._readers())

    def test_vendor_does_not_read_what_the_company_thinks_of_it(self):
        self.assertTrue(self.rfq.bo_class_c_blocked, "the fixture is a blocked class C order")
        rfq = self.rfq.with_env(self._env_of(self.vendor_portal))
        visible = rfq.fields_get(attributes=["type"])
        for fname in JUDGEMENT_FIELDS:
            with self.subTest(field=fname):
                self.assertNotIn(fname, visible)
                with self.assertRaises(AccessError):
                    rfq.read([fname])
        values = rfq.read(["name", "state"])[0]
        self.assertEqual(values["state"], "sent")
        company = self.company.with_env(self._env_of(self.vendor_portal))
        self.assertNotIn("bo_match_price_tolerance_pct", company.fields_get())
        self.assertNotIn("bo_evaluation_class_c_policy", company.fields_get())
        supplier = self.supplier.with_env(self._env_of(self.vendor_portal))
        self.assertNotIn("bo_evaluation_class", supplier.fields_get())

    def test_buyer_reads_the_class_c_block(self):
        rfq = self.rfq.with_env(self._env_of(self.purchase_user))
        values = rfq.read(list(JUDGEMENT_FIELDS))[0]
        self.assertEqual(values["bo_supplier_class"], "c")
        self.assertEqual(values["bo_class_c_policy"], "block")
        self.assertTrue(values["bo_class_c_blocked"])


@tagged("post_install", "-at_install")
class TestVendorPortal(FieldReadingCommon, HttpCase):
    def test_vendor_opens_own_request_for_quotation_and_order_on_the_portal(self):
        self.authenticate(self.vendor_portal.login, self.vendor_portal.login)
        for order in (self.rfq, self.order):
            with self.subTest(order=order.name):
                response = self.url_open(f"/my/purchase/{order.id}")
                self.assertEqual(response.status_code, 200)
                self.assertIn(order.name, response.text)
