"""Every field our addons add reads for everyone who may read the record,
on the purchasing side: the vendor on the portal (their own request for
quotation and bill), a buyer, a clerk, a manager, an accountant, a stock
user, a plain internal user and another company's clerk. What the company
thinks of a supplier (its class, the class C policy, the overrides) is not
the vendor's to read.

The fields are taken from the models, so a field added tomorrow that some
reader cannot read fails this test."""

from datetime import date

from lxml import etree

from odoo.addons.bo_base.models import bo_guard
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged
from odoo.tools.view_validation import get_expression_field_names

from .common import BoSuppliersCommon

# Addons whose fields are read: ours, and OCA's commission addons we bring in.
FIELD_MODULES = frozenset(
    {
        "bo_base",
        "bo_mailroom",
        "bo_orders",
        "bo_orders_mailroom",
        "bo_reports",
        "bo_reports_mailroom",
        "bo_reports_orders",
        "bo_reports_suppliers",
        "bo_suppliers",
        "commission_oca",
        "account_commission_oca",
        "sale_commission_oca",
    }
)
# The company's judgement of a supplier, on the vendor's own request for quotation.
JUDGEMENT_FIELDS = ("bo_supplier_class", "bo_class_c_policy", "bo_class_c_blocked")

MODIFIERS = ("invisible", "readonly", "required", "column_invisible")


def module_fields(model):
    """Names of the fields of ``model`` that one of FIELD_MODULES defines or extends."""
    return [
        name for name, field in model._fields.items() if FIELD_MODULES.intersection(field._modules)
    ]


def view_field_names(records):
    """Names of the fields the user's list and form views of ``records`` show
    or depend on (modifiers), as the web client reads them."""
    names = set()
    views = records.get_views([(False, "list"), (False, "form")])
    for view in views["views"].values():
        for node in etree.fromstring(view["arch"]).iter(tag=etree.Element):
            if node.tag == "field":
                names.add(node.get("name"))
            for attribute in MODIFIERS:
                if node.get(attribute):
                    names |= get_expression_field_names(node.get(attribute))
    return names


def read_models(env):
    """Models, stock or ours, that carry at least one of those fields."""
    return sorted(
        name
        for name, model in env.registry.items()
        if not model._abstract and not model._transient and module_fields(env[name])
    )


class FieldReadingCommon(BoSuppliersCommon):
    """A class C supplier with a contact on the portal, an order and a bill of
    it, and a request for quotation waiting for its answer."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.stock_user = cls._user("bo_sup_stock", "Stella Stock", "stock.group_stock_user")
        cls.vendor_portal = cls._user("bo_sup_vendor", "Rita Vendite", "base.group_portal")
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

    def _env_of(self, user):
        """``user``'s environment in all of its companies, as the web client has it."""
        companies = user.company_id | user.company_ids
        return self.env(user=user, su=False, context={"allowed_company_ids": companies.ids})


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

    def _records_to_read(self, user):
        """Per model, the records ``user`` may read: the fixture's and a few more."""
        env = self._env_of(user)
        records = {}
        for fixture in self._fixture_records():
            readable = fixture.with_env(env)._filtered_access("read")
            if readable:
                records[fixture._name] = records.get(fixture._name, readable.browse()) | readable
        for name in read_models(env):
            model = env[name]
            if not model.has_access("read"):
                continue
            found = model.search([], limit=3, order="id desc")
            if found:
                records[name] = records.get(name, model.browse()) | found
        return records

    def _unreadable_fields(self, user):
        """``model.field: error`` for each of our fields ``user`` cannot read on a
        record ``user`` may read: through ``read``, as an RPC client reads it,
        and, for the fields the user's list and form show, as the web client
        reads them (``web_read``, with the names of linked records). Fields the
        user is not meant to see (``groups``) are left out by ``fields_get``,
        as they are from the user's views, but a view of the user's must not
        depend on one (a modifier would fail)."""
        failures = []
        for name, records in self._records_to_read(user).items():
            visible = records.fields_get(attributes=["type"])
            # the portal has no back-office views
            shown = set() if user.share else view_field_names(records)
            for fname in module_fields(records):
                if fname not in visible:
                    if fname in shown:
                        failures.append(f"{name}.{fname}: the user's views depend on it")
                    continue
                field = records._fields[fname]
                try:
                    self.env.invalidate_all()
                    records.read([fname])
                    if fname in shown:
                        spec = {"fields": {"display_name": {}}} if field.relational else {}
                        self.env.invalidate_all()
                        records.web_read({fname: spec})
                except AccessError as error:
                    failures.append(f"{name}.{fname}: {str(error).splitlines()[0]}")
        return failures

    def test_every_role_reads_every_field_of_what_it_may_read(self):
        for role, user in self._readers().items():
            with self.subTest(role=role):
                failures = self._unreadable_fields(user)
                self.assertFalse(failures, "\n".join(failures))

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
