from odoo import fields, models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    # Entered at reception from the supplier's delivery note: an incoming
    # FatturaPA names it (DatiDDT) and is matched against what this receipt
    # brought in.
    bo_supplier_ddt_number = fields.Char(
        string="Supplier DDT Number",
        copy=False,
        tracking=True,
        index="btree_not_null",
        help="The number of the supplier's transport document (DDT) that came with the goods.",
    )
    bo_supplier_ddt_date = fields.Date(
        string="Supplier DDT Date",
        copy=False,
        tracking=True,
        help="The date of the supplier's transport document (DDT).",
    )
