from odoo import Command, fields
from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.bo_base.tests.common import new_bo_user
from odoo.tools import file_open

DATA = "bo_suppliers_l10n_it_edi/tests/data"
TRUSTED_IBAN = "IT60X0542811101000000123456"
NEW_IBAN = "IT42L1234512345123456789012"


class FatturaPACommon(AccountTestInvoicingCommon):
    """An Italian company (the ``it`` chart, as l10n_it_edi's own tests make
    it) with the payment checks on, its buyer, accountant and Back Office
    manager, a supplier with a trusted bank account and the products it sells."""

    @classmethod
    @AccountTestInvoicingCommon.setup_country("it")
    def setUpClass(cls):
        super().setUpClass()
        cls.company_data_2 = cls.setup_other_company(
            name="Officine Meccaniche Prova S.r.l.",
            vat="IT01234560157",
            l10n_it_codice_fiscale="01234560157",
            l10n_it_tax_system="RF01",
            street="1234 Test Street",
            zip="12345",
            city="Prova",
        )
        cls.it_company = cls.company_data_2["company"]
        cls.it_company.write(
            {
                "bo_three_way_match": True,
                "bo_duplicate_bill_check": True,
                "bo_match_price_tolerance_pct": 0.0,
                "bo_match_price_tolerance_amount": 0.0,
                "bo_match_qty_tolerance_pct": 0.0,
                "bo_match_qty_tolerance_qty": 0.0,
            }
        )
        cls.env = cls.env(
            context=dict(
                cls.env.context,
                allowed_company_ids=cls.it_company.ids,
                tracking_disable=False,
                mail_notrack=False,
            )
        )
        groups = "account.group_account_invoice,purchase.group_purchase_user"
        cls.accountant = new_bo_user(
            cls.env, "fpa_accountant", "Anna Contabile", groups, company=cls.it_company
        )
        cls.buyer = new_bo_user(
            cls.env,
            "fpa_buyer",
            "Bruno Buyer",
            "bo_base.group_bo_user,purchase.group_purchase_user,stock.group_stock_user",
            company=cls.it_company,
        )
        cls.manager = new_bo_user(
            cls.env,
            "fpa_manager",
            "Mario Manager",
            "bo_base.group_bo_manager,purchase.group_purchase_manager,"
            "account.group_account_invoice",
            company=cls.it_company,
        )
        italy = cls.env.ref("base.it")
        cls.supplier = cls.env["res.partner"].create(
            {
                "name": "Acciai Brianza S.p.A.",
                "is_company": True,
                "vat": "IT00743110157",
                "country_id": italy.id,
                "supplier_rank": 1,
            }
        )
        cls.trusted_bank = cls.env["res.partner.bank"].create(
            {
                "partner_id": cls.supplier.id,
                "acc_number": TRUSTED_IBAN,
                "allow_out_payment": True,
            }
        )
        cls.other_supplier = cls.env["res.partner"].create(
            {
                "name": "Trafilerie Lombarde S.r.l.",
                "is_company": True,
                "vat": "IT00465840031",
                "country_id": italy.id,
                "supplier_rank": 1,
            }
        )
        cls.sheet = cls._storable("Lamiera zincata 2 mm", "LAM-2")
        cls.rod = cls._storable("Tondino 12 mm", "TON-12")
        cls.bolt = cls._storable("Bulloni M8 zincati", "BUL-M8")
        cls.env["product.supplierinfo"].create(
            {
                "partner_id": cls.supplier.id,
                "product_tmpl_id": cls.sheet.product_tmpl_id.id,
                "product_code": "AB-LAM2",
                "price": 40.0,
            }
        )

    @classmethod
    def _storable(cls, name, code):
        return cls.env["product.product"].create(
            {
                "name": name,
                "default_code": code,
                "is_storable": True,
                "purchase_method": "purchase",
                "supplier_taxes_id": [Command.clear()],
                "company_id": False,
            }
        )

    @classmethod
    def _order(cls, name, lines, partner=None):
        """A confirmed purchase order ``name`` of ``lines`` [(product, qty, price)]."""
        order = (
            cls.env["purchase.order"]
            .with_company(cls.it_company)
            .create(
                {
                    "name": name,
                    "partner_id": (partner or cls.supplier).id,
                    "company_id": cls.it_company.id,
                    "order_line": [
                        Command.create(
                            {"product_id": product.id, "product_qty": qty, "price_unit": price}
                        )
                        for product, qty, price in lines
                    ],
                }
            )
        )
        order.button_confirm()
        return order

    @classmethod
    def _receive(cls, order, quantities, ddt=None, ddt_date=None):
        """Receive ``quantities`` ({product: qty}) of ``order`` with the
        supplier's DDT ``ddt``, entered at reception; the rest stays back."""
        picking = order.picking_ids.filtered(lambda p: p.state not in ("done", "cancel"))
        picking.write(
            {
                "bo_supplier_ddt_number": ddt,
                "bo_supplier_ddt_date": ddt_date and fields.Date.to_date(ddt_date),
            }
        )
        for move in picking.move_ids:
            move.quantity = quantities.get(move.product_id, 0.0)
            move.picked = True
        picking.with_context(cancel_backorder=False)._action_done()
        return picking

    def _import(self, filename, user=None, replace=None, journal=None):
        """The bill (or credit note) l10n_it_edi makes of the FatturaPA
        ``filename`` (with its texts ``replace``d), uploaded to the purchase
        journal (of the Italian company, or ``journal``) by ``user``."""
        with file_open(f"{DATA}/{filename}", "rb") as fd:
            content = fd.read()
        for old, new in (replace or {}).items():
            content = content.replace(old.encode(), new.encode())
        user = user or self.accountant
        attachment = (
            self.env["ir.attachment"].with_user(user).create({"name": filename, "raw": content})
        )
        journal = journal or self.company_data_2["default_journal_purchase"]
        journal = (
            journal.with_user(user)
            .with_company(journal.company_id)
            .with_context(default_move_type="in_invoice")
        )
        return journal._create_document_from_attachment(attachment.ids).with_env(self.env)

    @staticmethod
    def _line(bill, number):
        return bill.invoice_line_ids.filtered(lambda line: line.sequence == number)
