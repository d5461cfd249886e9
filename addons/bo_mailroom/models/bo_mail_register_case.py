from odoo import api, fields, models
from odoo.exceptions import ValidationError


class BoMailRegister(models.Model):
    """Filing an entry into a case file (*fascicolo*).

    An entry goes into an open case of its company whose classification is
    the entry's or one above it. Its case is set or changed while the case is
    open, registered entry or not, and never silently: the change is tracked
    in the entry's history.
    """

    _inherit = "bo.mail.register"

    case_id = fields.Many2one(
        "bo.mail.case",
        string="Case File",
        index="btree_not_null",
        copy=False,
        tracking=True,
        check_company=True,
        ondelete="restrict",
        domain="[('state', '=', 'open')]",
    )

    @api.onchange("case_id")
    def _onchange_case_id(self):
        if self.case_id and not self.category_id:
            self.category_id = self.case_id.category_id

    @api.model_create_multi
    def create(self, vals_list):
        case_ids = {vals["case_id"] for vals in vals_list if vals.get("case_id")}
        self.env["bo.mail.case"].browse(case_ids)._bo_check_open()
        return super().create(vals_list)

    def write(self, vals):
        if "case_id" in vals:
            new_case = self.env["bo.mail.case"].browse(vals["case_id"] or ())
            # Taking an entry out of a closed case changes that case too.
            if self.filtered(lambda e: e.case_id != new_case):
                (self.case_id | new_case)._bo_check_open()
        return super().write(vals)

    @api.constrains("case_id", "category_id")
    def _check_case_category(self):
        for entry in self.filtered("case_id"):
            if not entry.case_id.category_id._bo_covers(entry.category_id):
                raise ValidationError(
                    self.env._(
                        "%(entry)s cannot be filed into %(case)s: the case file is classified "
                        "%(category)s, the entry must be classified there or below.",
                        entry=entry.display_name,
                        case=entry.case_id.display_name,
                        category=entry.case_id.category_id.display_name,
                    )
                )
