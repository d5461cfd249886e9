from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    bo_three_way_match = fields.Boolean(
        string="Three-Way Match of Vendor Bills",
        help="Match each vendor bill line with its purchase order line and the quantity "
        "received: a bill that does not match is blocked for payment until a Back Office "
        "manager releases it.",
        groups="base.group_user",
    )
    bo_duplicate_bill_check = fields.Boolean(
        string="Refuse Likely Duplicate Bills",
        help="Posting a vendor bill that looks like a duplicate needs a Back Office "
        "manager's confirmation that it is not one.",
        groups="base.group_user",
    )
    bo_match_price_tolerance_pct = fields.Float(
        string="Price Tolerance (%)",
        default=2.0,
        help="A bill line's unit price may exceed the order's by this percentage.",
        groups="base.group_user",
    )
    bo_match_price_tolerance_amount = fields.Float(
        string="Price Tolerance (Amount)",
        help="A bill line's unit price may exceed the order's by this amount "
        "(the larger of the two tolerances applies).",
        groups="base.group_user",
    )
    bo_match_qty_tolerance_pct = fields.Float(
        string="Quantity Tolerance (%)",
        help="The quantity billed may exceed the quantity received by this percentage.",
        groups="base.group_user",
    )
    bo_match_qty_tolerance_qty = fields.Float(
        string="Quantity Tolerance (Units)",
        help="The quantity billed may exceed the quantity received by this quantity "
        "(the larger of the two tolerances applies).",
        groups="base.group_user",
    )
    bo_duplicate_bill_days = fields.Integer(
        string="Duplicate Bill Window (Days)",
        default=7,
        help="Two bills of a supplier for the same amount within this many days are "
        "likely duplicates.",
        groups="base.group_user",
    )
    bo_bank_change_days = fields.Integer(
        string="Recent Bank Account Change (Days)",
        default=30,
        help="Warn before paying a supplier whose bank account was created or changed "
        "within this many days (0: no warning).",
        groups="base.group_user",
    )

    bo_evaluation_period = fields.Selection(
        [("month", "Monthly"), ("quarter", "Quarterly")],
        string="Supplier Evaluation Period",
        default="quarter",
        required=True,
        help="Suppliers are evaluated each month or each quarter, for the period just ended.",
        groups="base.group_user",
    )
    bo_evaluation_class_a_min = fields.Float(
        string="Class A from Score",
        default=85.0,
        help="An evaluation scoring at least this much puts the supplier in class A.",
        groups="base.group_user",
    )
    bo_evaluation_class_b_min = fields.Float(
        string="Class B from Score",
        default=65.0,
        help="An evaluation scoring at least this much (and less than class A) puts the "
        "supplier in class B; below it, class C.",
        groups="base.group_user",
    )
    bo_evaluation_class_c_policy = fields.Selection(
        [("none", "Nothing"), ("warn", "Warn"), ("block", "Block")],
        string="Class C Suppliers",
        default="warn",
        required=True,
        help="What a new request for quotation or purchase order to a class C supplier "
        "does: nothing, a warning, or a refusal a Back Office manager can override.",
        groups="base.group_user",
    )
    bo_offer_weight_price = fields.Float(
        string="Offer Weight: Price",
        default=60.0,
        help="Weight of the price in the score of compared offers.",
        groups="base.group_user",
    )
    bo_offer_weight_lead_time = fields.Float(
        string="Offer Weight: Lead Time",
        default=20.0,
        help="Weight of the lead time in the score of compared offers.",
        groups="base.group_user",
    )
    bo_offer_weight_evaluation = fields.Float(
        string="Offer Weight: Evaluation",
        default=20.0,
        help="Weight of the supplier's last evaluation in the score of compared offers.",
        groups="base.group_user",
    )

    _bo_tolerances_positive = models.Constraint(
        "CHECK(bo_match_price_tolerance_pct >= 0 AND bo_match_price_tolerance_amount >= 0 "
        "AND bo_match_qty_tolerance_pct >= 0 AND bo_match_qty_tolerance_qty >= 0 "
        "AND bo_duplicate_bill_days >= 0 AND bo_bank_change_days >= 0)",
        "Tolerances and day counts of the payment checks cannot be negative.",
    )
    _bo_evaluation_thresholds = models.Constraint(
        "CHECK(bo_evaluation_class_b_min >= 0 AND bo_evaluation_class_b_min "
        "<= bo_evaluation_class_a_min AND bo_evaluation_class_a_min <= 100)",
        "Class thresholds must satisfy 0 <= class B <= class A <= 100.",
    )
    _bo_offer_weights_positive = models.Constraint(
        "CHECK(bo_offer_weight_price >= 0 AND bo_offer_weight_lead_time >= 0 "
        "AND bo_offer_weight_evaluation >= 0)",
        "The weights of the offer comparison cannot be negative.",
    )
