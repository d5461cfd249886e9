from odoo import api, fields, models


class BoSupplierDocumentType(models.Model):
    _name = "bo.supplier.document.type"
    _description = "Supplier Document Type"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    mandatory = fields.Boolean(
        help="Every qualified supplier must hold a valid document of this type: "
        "when it is missing or expired the supplier goes back under evaluation."
    )
    description = fields.Text(translate=True)

    @api.model_create_multi
    def create(self, vals_list):
        types = super().create(vals_list)
        if any(types.mapped("mandatory")):
            self.env["res.partner"]._bo_review_all_qualified()
        return types

    def write(self, vals):
        res = super().write(vals)
        if vals.get("mandatory") or vals.get("active"):
            self.env["res.partner"]._bo_review_all_qualified()
        return res
