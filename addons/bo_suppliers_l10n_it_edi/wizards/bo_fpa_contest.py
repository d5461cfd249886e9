from odoo import api, fields, models
from odoo.exceptions import UserError


class BoFpaContest(models.TransientModel):
    """The letter contesting a FatturaPA bill, shown to the Back Office user
    before it is sent, in the language of its recipient."""

    _name = "bo.fpa.contest"
    _description = "Contest a FatturaPA Invoice"

    move_id = fields.Many2one("account.move", string="Bill", required=True, readonly=True)
    supplier_id = fields.Many2one(related="move_id.commercial_partner_id", string="Supplier")
    partner_id = fields.Many2one(
        "res.partner",
        string="Recipient",
        compute="_compute_partner_id",
        store=True,
        precompute=True,
        readonly=False,
        required=True,
        domain="[('commercial_partner_id', '=', supplier_id)]",
        help="The contact of the supplier the letter is sent to, in their language.",
    )
    lang = fields.Selection(related="partner_id.lang", string="Language")
    subject = fields.Char(compute="_compute_letter")
    body = fields.Html(string="Letter", compute="_compute_letter", sanitize=False)

    @api.model_create_multi
    def create(self, vals_list):
        wizards = super().create(vals_list)
        # Not a constraint: constraints run as superuser, this checks the user.
        for wizard in wizards:
            wizard.move_id._bo_fpa_check_contest()
        return wizards

    @api.depends("move_id")
    def _compute_partner_id(self):
        for wizard in self:
            partner = wizard.move_id.partner_id
            if partner and not partner.email:
                invoice = partner.commercial_partner_id.address_get(["invoice"])["invoice"]
                partner = self.env["res.partner"].browse(invoice).exists() or partner
            wizard.partner_id = partner

    @api.depends("move_id", "partner_id")
    def _compute_letter(self):
        for wizard in self:
            if wizard.move_id and wizard.partner_id:
                wizard.subject, wizard.body = wizard.move_id._bo_fpa_contest_letter(
                    wizard.partner_id
                )
            else:
                wizard.subject = wizard.body = False

    def _prepare_send_options(self):
        """Options of the way the letter is sent (see ``_bo_fpa_contest_send``)."""
        return {}

    def action_send(self):
        self.ensure_one()
        if not self.partner_id:
            raise UserError(self.env._("Choose the contact of the supplier to write to."))
        self.move_id._bo_fpa_contest(self.partner_id, **self._prepare_send_options())
        return {"type": "ir.actions.act_window_close"}
