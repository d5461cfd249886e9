from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class BoMailCategory(models.Model):
    """A node of the filing plan (*titolario*): ``3``, ``3.2``, ``3.2.1``."""

    _name = "bo.mail.category"
    _description = "Correspondence Classification"
    _parent_store = True
    _order = "complete_code, id"
    _rec_names_search = ["code", "name"]

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, help="Code of this node under its parent, e.g. 2 for 3.2.")
    complete_code = fields.Char(
        compute="_compute_complete_code", store=True, recursive=True, index=True
    )
    parent_id = fields.Many2one("bo.mail.category", index=True, ondelete="restrict")
    parent_path = fields.Char(index=True)
    child_ids = fields.One2many("bo.mail.category", "parent_id", string="Children")
    retention_years = fields.Integer(
        string="Retention (Years)",
        help="How long entries of this class are kept; 0 means forever. "
        "Entries past their retention are listed, never deleted automatically.",
    )
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", index=True)
    description = fields.Text()

    _check_retention_years = models.Constraint(
        "CHECK(retention_years >= 0)",
        "The retention period cannot be negative.",
    )
    _unique_code = models.UniqueIndex(
        "(complete_code, COALESCE(company_id, 0))",
        "Another classification already has this code.",
    )

    @api.depends("code", "parent_id.complete_code")
    def _compute_complete_code(self):
        for category in self:
            if category.parent_id:
                category.complete_code = f"{category.parent_id.complete_code}.{category.code}"
            else:
                category.complete_code = category.code

    @api.depends("complete_code", "name")
    def _compute_display_name(self):
        for category in self:
            category.display_name = f"{category.complete_code} {category.name}"

    @api.constrains("parent_id")
    def _check_parent_id(self):
        if self._has_cycle():
            raise ValidationError(self.env._("A classification cannot be its own ancestor."))

    @api.ondelete(at_uninstall=False)
    def _unlink_except_used(self):
        """A classification given to entries stays: it sets how long they are
        kept. Archive it instead."""
        # sudo: every entry counts, confidential or of another company
        entries = (
            self.env["bo.mail.register"].sudo().search([("category_id", "in", self.ids)], limit=1)
        )
        if entries:
            raise UserError(
                self.env._(
                    "%(category)s classifies register entries (%(entry)s) and sets how long "
                    "they are kept: archive it instead of deleting it.",
                    category=entries.category_id.display_name,
                    entry=entries.display_name,
                )
            )

    def _bo_covers(self, category):
        """Whether ``category`` is this classification or one below it."""
        self.ensure_one()
        return bool(category) and (category.parent_path or "").startswith(self.parent_path or "")
