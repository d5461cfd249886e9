from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    bo_three_way_match = fields.Boolean(
        string="Three-Way Match of Vendor Bills",
        help="Match each vendor bill line with its purchase order line and the quantity "
        "received: a bill that does not match is blocked for payment until a Back Office "
        "manager releases it.",
    )
    bo_duplicate_bill_check = fields.Boolean(
        string="Refuse Likely Duplicate Bills",
        help="Posting a vendor bill that looks like a duplicate needs a Back Office "
        "manager's confirmation that it is not one.",
    )
    bo_match_price_tolerance_pct = fields.Float(
        string="Price Tolerance (%)",
        default=2.0,
        help="A bill line's unit price may exceed the order's by this percentage.",
    )
    bo_match_price_tolerance_amount = fields.Float(
        string="Price Tolerance (Amount)",
        help="A bill line's unit price may exceed the order's by this amount "
        "(the larger of the two tolerances applies).",
    )
    bo_match_qty_tolerance_pct = fields.Float(
        string="Quantity Tolerance (%)",
        help="The quantity billed may exceed the quantity received by this percentage.",
    )
    bo_match_qty_tolerance_qty = fields.Float(
        string="Quantity Tolerance (Units)",
        help="The quantity billed may exceed the quantity received by this quantity "
        "(the larger of the two tolerances applies).",
    )
    bo_duplicate_bill_days = fields.Integer(
        string="Duplicate Bill Window (Days)",
        default=7,
        help="Two bills of a supplier for the same amount within this many days are "
        "likely duplicates.",
    )
    bo_bank_change_days = fields.Integer(
        string="Recent Bank Account Change (Days)",
        default=30,
        help="Warn before paying a supplier whose bank account was created or changed "
        "within this many days (0: no warning).",
    )

    _bo_tolerances_positive = models.Constraint(
        "CHECK(bo_match_price_tolerance_pct >= 0 AND bo_match_price_tolerance_amount >= 0 "
        "AND bo_match_qty_tolerance_pct >= 0 AND bo_match_qty_tolerance_qty >= 0 "
        "AND bo_duplicate_bill_days >= 0 AND bo_bank_change_days >= 0)",
        "Tolerances and day counts of the payment checks cannot be negative.",
    )
