from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    bo_request_answer_days = fields.Integer(
        string="Order Request Answer Days",
        default=2,
        help="Working days (Monday to Friday) the order desk has to answer a new "
        "order request; sets the default answer deadline.",
        groups="base.group_user",
    )
    bo_quotation_reminder = fields.Boolean(
        string="Remind Customers of Expiring Quotations",
        help="When a quotation becomes due soon, also email the customer, in the "
        "customer's language, that the offer is about to expire.",
        groups="base.group_user",
    )

    _check_bo_request_answer_days = models.Constraint(
        "CHECK(bo_request_answer_days >= 0)",
        "The number of days to answer an order request cannot be negative.",
    )
