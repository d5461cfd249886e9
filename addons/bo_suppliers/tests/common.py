from odoo.addons.bo_base.tests.common import BoUsersCommon
from odoo.tests import Form


class BoSuppliersCommon(BoUsersCommon):
    """A purchasing office in the main company: its users, a supplier and a
    product to buy, plus a second company with its own clerk."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=False))

        cls.clerk = cls._bo_user(
            "bo_sup_clerk", "Carla Clerk", "bo_base.group_bo_user,purchase.group_purchase_user"
        )
        cls.manager = cls._bo_user(
            "bo_sup_mgr",
            "Mario Manager",
            "bo_base.group_bo_manager,purchase.group_purchase_manager",
        )
        cls.accountant = cls.users["accountant"]
        cls.purchase_user = cls.users["purchase_user"]
        cls.internal_user = cls.users["internal"]
        cls.portal_user = cls.users["portal"]
        cls.other_clerk = cls._bo_user(
            "bo_sup_other_clerk",
            "Olga Other",
            "bo_base.group_bo_user,purchase.group_purchase_user",
            company=cls.other_company,
        )
        if "bo_escalation_user_id" in cls.company._fields:
            cls.company.bo_escalation_user_id = cls.manager

        home = cls.company.country_id or cls.env.ref("base.it")
        cls.supplier = cls.env["res.partner"].create(
            {
                "name": "Acciai Brianza S.p.A.",
                "is_company": True,
                "vat": "IT00743110157",
                "street": "Via dell'Industria 3",
                "city": "Monza",
                "country_id": home.id,
                "email": "vendite@acciaibrianza.example.it",
                "supplier_rank": 1,
            }
        )
        cls.product = cls.env["product.product"].create(
            {
                "name": "Lamiera zincata 2 mm",
                "default_code": "LAM-2",
                "is_storable": True,
                "standard_price": 40.0,
                "purchase_method": "purchase",
            }
        )

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    @classmethod
    def _bo_user(cls, login, name, groups, **values):
        # Everyone in the test's time zone: "today" (expiries, deadlines) is
        # then the same day for all of them, whatever the hour of the run.
        values.setdefault("tz", cls.env.user.tz or "UTC")
        return super()._bo_user(login, name, groups, **values)

    @classmethod
    def _other_company_manager(cls):
        """A back-office and purchase manager of the other company."""
        return cls._bo_user(
            "bo_sup_other_mgr",
            "Otto Other",
            "bo_base.group_bo_manager,purchase.group_purchase_manager",
            company=cls.other_company,
        )

    def _new_purchase_order(self, partner=None, lines=None, user=None):
        """A request for quotation made through the form, as a clerk would.

        ``lines`` is a list of ``(product, qty, price_unit)``; the price is left
        to Odoo when ``None``.
        """
        lines = lines or [(self.product, 10, 40.0)]
        form = Form(self.env["purchase.order"].with_user(user or self.clerk))
        form.partner_id = partner or self.supplier
        for product, qty, price in lines:
            with form.order_line.new() as line:
                line.product_id = product
                line.product_qty = qty
                if price is not None:
                    line.price_unit = price
        return form.save()
