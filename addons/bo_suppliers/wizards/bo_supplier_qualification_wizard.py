from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..models.bo_supplier_qualification import QUALIFICATION_STATES, REVIEWED_STATES

# What a purchasing clerk may do alone: put a supplier under review. Anything
# else (qualify, suspend, block, release) is a manager's decision: the clerk's
# request becomes a proposal for the manager.
CLERK_TRANSITIONS = {
    ("prospect", "under_evaluation"),
    ("qualified", "under_evaluation"),
    ("conditionally_qualified", "under_evaluation"),
}


class BoSupplierQualificationWizard(models.TransientModel):
    _name = "bo.supplier.qualification.wizard"
    _description = "Change Supplier Qualification"

    partner_id = fields.Many2one("res.partner", string="Supplier", required=True)
    current_state = fields.Selection(
        related="partner_id.bo_qualification_state", string="Current State"
    )
    new_state = fields.Selection(QUALIFICATION_STATES, required=True)
    reason = fields.Text(required=True)
    valid_until = fields.Date(string="Qualified Until")
    is_manager = fields.Boolean(compute="_compute_is_manager")
    document_issues = fields.Text(compute="_compute_document_issues")

    def _compute_is_manager(self):
        self.is_manager = self.env.user.has_group("bo_base.group_bo_manager")

    @api.depends("partner_id")
    def _compute_document_issues(self):
        for wizard in self:
            issues = wizard.partner_id._bo_mandatory_document_issues().get(wizard.partner_id)
            wizard.document_issues = "\n".join(issues) if issues else False

    def action_apply(self):
        """Apply the change (manager, or a clerk putting a supplier under
        review), or send the clerk's proposal to a manager."""
        self.ensure_one()
        if not self.env.user.has_group("bo_base.group_bo_user"):
            raise AccessError(
                self.env._("Only the back office changes a supplier's qualification.")
            )
        partner = self.partner_id.commercial_partner_id
        partner.check_access("read")
        reason = (self.reason or "").strip()
        if not reason:
            raise UserError(self.env._("Give the reason for the change."))
        if self.new_state == partner.bo_qualification_state:
            raise UserError(self.env._("The supplier is already in this state."))
        if self.new_state in REVIEWED_STATES and self.document_issues:
            raise UserError(
                self.env._(
                    "%(supplier)s cannot be qualified while mandatory documents are "
                    "missing or expired:\n%(issues)s",
                    supplier=partner.display_name,
                    issues=self.document_issues,
                )
            )
        if self.valid_until and self.valid_until < fields.Date.context_today(self):
            raise UserError(self.env._("The qualification cannot end in the past."))
        if self.is_manager or (partner.bo_qualification_state, self.new_state) in CLERK_TRANSITIONS:
            valid_until = self.new_state in REVIEWED_STATES and self.valid_until
            partner._bo_set_qualification(self.new_state, reason, valid_until or False)
        else:
            self._propose(partner, reason)
        return {"type": "ir.actions.act_window_close"}

    def _propose(self, partner, reason):
        summary = self.env._(
            "Qualification proposal: %(state)s",
            state=dict(self._fields["new_state"]._description_selection(self.env))[self.new_state],
        )
        note = Markup("%s<br/>%s") % (
            self.env._("Proposed by %s.", self.env.user.name),
            self.env._("Reason: %s", reason),
        )
        manager = (partner.company_id or self.env.company)._bo_escalation_user()
        # sudo: a clerk may not write the supplier; the proposal is an
        # activity and a note for the manager, nothing more.
        partner = partner.sudo()
        partner.activity_schedule(
            "mail.mail_activity_data_todo",
            summary=summary,
            note=note,
            user_id=(manager or self.env.user).id,
        )
        partner.message_post(
            body=Markup("%s<br/>%s") % (summary, note),
            subtype_xmlid="mail.mt_note",
            author_id=self.env.user.partner_id.id,
        )
