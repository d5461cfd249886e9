from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    bo_three_way_match = fields.Boolean(related="company_id.bo_three_way_match", readonly=False)
    bo_duplicate_bill_check = fields.Boolean(
        related="company_id.bo_duplicate_bill_check", readonly=False
    )
    bo_match_price_tolerance_pct = fields.Float(
        related="company_id.bo_match_price_tolerance_pct", readonly=False
    )
    bo_match_price_tolerance_amount = fields.Float(
        related="company_id.bo_match_price_tolerance_amount", readonly=False
    )
    bo_match_qty_tolerance_pct = fields.Float(
        related="company_id.bo_match_qty_tolerance_pct", readonly=False
    )
    bo_match_qty_tolerance_qty = fields.Float(
        related="company_id.bo_match_qty_tolerance_qty", readonly=False
    )
    bo_duplicate_bill_days = fields.Integer(
        related="company_id.bo_duplicate_bill_days", readonly=False
    )
    bo_bank_change_days = fields.Integer(related="company_id.bo_bank_change_days", readonly=False)
    bo_evaluation_period = fields.Selection(
        related="company_id.bo_evaluation_period", readonly=False
    )
    bo_evaluation_class_a_min = fields.Float(
        related="company_id.bo_evaluation_class_a_min", readonly=False
    )
    bo_evaluation_class_b_min = fields.Float(
        related="company_id.bo_evaluation_class_b_min", readonly=False
    )
    bo_evaluation_class_c_policy = fields.Selection(
        related="company_id.bo_evaluation_class_c_policy", readonly=False
    )
    bo_offer_weight_price = fields.Float(related="company_id.bo_offer_weight_price", readonly=False)
    bo_offer_weight_lead_time = fields.Float(
        related="company_id.bo_offer_weight_lead_time", readonly=False
    )
    bo_offer_weight_evaluation = fields.Float(
        related="company_id.bo_offer_weight_evaluation", readonly=False
    )
