from odoo import api, fields, models


class BoSupplierDocument(models.Model):
    """A document a supplier must hold (certificate, insurance, DURC...).

    Its deadline is its expiry date: the responsible buyer is reminded before
    it expires and a manager is told once it has expired. Archived documents
    (replaced by a newer one) are done.
    """

    _name = "bo.supplier.document"
    _inherit = ["bo.deadline.mixin"]
    _description = "Supplier Document"
    _order = "expiry_date, id"
    _check_company_auto = True

    _deadline_user_field = "user_id"
    _deadline_state_field = "active"
    _deadline_done_states = (False,)

    name = fields.Char(
        compute="_compute_name", store=True, readonly=False, precompute=True, required=True
    )
    active = fields.Boolean(default=True, tracking=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Supplier",
        required=True,
        index=True,
        ondelete="cascade",
        tracking=True,
        domain=[("parent_id", "=", False)],
    )
    company_id = fields.Many2one(related="partner_id.company_id", store=True, index=True)
    type_id = fields.Many2one("bo.supplier.document.type", required=True, tracking=True)
    mandatory = fields.Boolean(related="type_id.mandatory")
    issue_date = fields.Date(tracking=True)
    expiry_date = fields.Date(tracking=True, help="Leave empty if the document does not expire.")
    deadline_date = fields.Date(compute="_compute_deadline_date", store=True)
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        default=lambda self: self.env.user,
        domain=[("share", "=", False)],
        tracking=True,
        help="The buyer reminded before the document expires.",
    )
    file = fields.Binary(attachment=True)
    file_name = fields.Char()
    notes = fields.Text()

    _check_dates = models.Constraint(
        "CHECK(expiry_date IS NULL OR issue_date IS NULL OR expiry_date >= issue_date)",
        "A document cannot expire before it is issued.",
    )

    @api.depends("type_id", "partner_id")
    def _compute_name(self):
        for document in self:
            if document.type_id and document.partner_id:
                document.name = f"{document.type_id.name} - {document.partner_id.name}"
            else:
                document.name = document.name or False

    @api.depends("expiry_date")
    def _compute_deadline_date(self):
        for document in self:
            document.deadline_date = document.expiry_date

    @api.model_create_multi
    def create(self, vals_list):
        documents = super().create(vals_list)
        documents.partner_id._bo_review_qualification()
        return documents

    def write(self, vals):
        partners = self.partner_id
        res = super().write(vals)
        if {"partner_id", "type_id", "expiry_date", "active"}.intersection(vals):
            (partners | self.partner_id)._bo_review_qualification()
        return res

    def unlink(self):
        partners = self.partner_id
        res = super().unlink()
        partners.exists()._bo_review_qualification()
        return res

    @api.model
    def _deadline_process(self):
        """Nightly, after the reminders: review the qualified suppliers."""
        res = super()._deadline_process()
        self.env["res.partner"]._bo_review_all_qualified()
        return res
