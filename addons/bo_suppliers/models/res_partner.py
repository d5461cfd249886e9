from odoo import api, fields, models
from odoo.exceptions import AccessError

from .bo_supplier_qualification import (
    QUALIFICATION_STATES,
    REVIEWED_STATES,
    bo_is_privileged,
    bo_privileged,
)

PROTECTED_FIELDS = {
    "bo_qualification_state",
    "bo_qualification_valid_until",
    "bo_evaluation_score",
    "bo_evaluation_class",
}
EVALUATION_CLASSES = [("a", "A"), ("b", "B"), ("c", "C")]


class ResPartner(models.Model):
    _inherit = "res.partner"

    bo_qualification_state = fields.Selection(
        QUALIFICATION_STATES,
        string="Qualification",
        default="prospect",
        copy=False,
        index=True,
        tracking=True,
        help="Set by 'Change Qualification' only. Orders to suspended or blocked "
        "suppliers cannot be confirmed.",
    )
    bo_qualification_valid_until = fields.Date(
        string="Qualified Until",
        copy=False,
        tracking=True,
        help="After this date the supplier goes back under evaluation.",
    )
    bo_qualification_ids = fields.One2many(
        "bo.supplier.qualification",
        "partner_id",
        string="Qualification History",
        groups="bo_base.group_bo_user",
    )
    # Per company, as the evaluations are: a class earned with one company
    # neither warns nor blocks the orders of another.
    bo_evaluation_score = fields.Float(
        string="Evaluation Score",
        company_dependent=True,
        copy=False,
        readonly=True,
        digits=(5, 1),
        groups="base.group_user",
        help="Score (0-100) of the supplier's latest evaluation in this company.",
    )
    bo_evaluation_class = fields.Selection(
        EVALUATION_CLASSES,
        string="Evaluation Class",
        company_dependent=True,
        copy=False,
        readonly=True,
        groups="base.group_user",
        help="Class of the supplier's latest evaluation in this company; set by the "
        "evaluation only.",
    )
    bo_evaluation_ids = fields.One2many(
        "bo.supplier.evaluation",
        "partner_id",
        string="Evaluations",
        groups="bo_base.group_bo_user,purchase.group_purchase_user",
    )
    bo_evaluation_count = fields.Integer(
        string="Evaluation Count",
        compute="_compute_bo_evaluation_count",
        groups="bo_base.group_bo_user,purchase.group_purchase_user",
    )
    bo_supplied_category_ids = fields.Many2many(
        "product.category",
        "bo_supplier_product_category_rel",
        "partner_id",
        "category_id",
        string="Categories Supplied",
        groups="base.group_user",
    )
    bo_document_ids = fields.One2many(
        "bo.supplier.document",
        "partner_id",
        string="Supplier Documents",
        groups="bo_base.group_bo_user",
    )
    bo_document_count = fields.Integer(
        string="Documents",
        compute="_compute_bo_document_count",
        groups="bo_base.group_bo_user",
    )
    bo_document_issues = fields.Text(
        string="Document Issues",
        compute="_compute_bo_document_issues",
        groups="bo_base.group_bo_user",
        help="Mandatory documents missing or expired.",
    )

    def _compute_bo_document_count(self):
        counts = dict(
            self.env["bo.supplier.document"]._read_group(
                [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.bo_document_count = counts.get(partner, 0)

    def _compute_bo_evaluation_count(self):
        counts = dict(
            self.env["bo.supplier.evaluation"]._read_group(
                [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.bo_evaluation_count = counts.get(partner, 0)

    def action_bo_view_evaluations(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "bo_suppliers.action_bo_supplier_evaluation"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"search_default_partner_id": self.commercial_partner_id.id}
        return action

    def _compute_bo_document_issues(self):
        issues = self._bo_mandatory_document_issues()
        for partner in self:
            partner.bo_document_issues = "\n".join(issues.get(partner, [])) or False

    # ------------------------------------------------------------------
    # Qualification
    # ------------------------------------------------------------------

    def _bo_mandatory_document_issues(self):
        """The mandatory documents each supplier lacks: {partner: [messages]}."""
        partners = self.filtered("id").commercial_partner_id
        if not partners:
            return {}
        # sudo: a supplier is qualified once for all companies; the review
        # sees each of its documents, whoever filed them.
        types = self.env["bo.supplier.document.type"].sudo().search([("mandatory", "=", True)])
        if not types:
            return {}
        documents = (
            self.env["bo.supplier.document"]
            .sudo()
            .search([("partner_id", "in", partners.ids), ("type_id", "in", types.ids)])
        )
        today = fields.Date.context_today(self)
        issues = {}
        for partner in self.filtered("id"):
            held = documents.filtered(lambda d, p=partner: d.partner_id == p.commercial_partner_id)
            messages = []
            for doc_type in types:
                of_type = held.filtered(lambda d, t=doc_type: d.type_id == t)
                if not of_type:
                    messages.append(self.env._("%(type)s: missing", type=doc_type.name))
                elif all(d.expiry_date and d.expiry_date < today for d in of_type):
                    messages.append(
                        self.env._(
                            "%(type)s: expired on %(date)s",
                            type=doc_type.name,
                            date=max(of_type.mapped("expiry_date")),
                        )
                    )
            if messages:
                issues[partner] = messages
        return issues

    def _bo_set_qualification(self, state, reason, valid_until=False):
        """Move the suppliers to ``state`` and register the step in their history.

        The only way the qualification changes; the callers (the qualification
        wizard, the review of documents) decide who may do it.
        """
        history = [
            {
                "partner_id": partner.id,
                "state_from": partner.bo_qualification_state,
                "state": state,
                "reason": reason,
                "valid_until": valid_until,
                "user_id": self.env.uid,
            }
            for partner in self
        ]
        # sudo: nobody holds the rights to write the state or the history
        # directly; the callers checked who is asking.
        bo_privileged(self.sudo()).write(
            {"bo_qualification_state": state, "bo_qualification_valid_until": valid_until}
        )
        return bo_privileged(self.env["bo.supplier.qualification"].sudo()).create(history)

    def _bo_review_qualification(self):
        """Put back under evaluation the qualified suppliers whose mandatory
        documents are missing or expired, or whose qualification ran out."""
        partners = self.commercial_partner_id.filtered(
            lambda p: p.bo_qualification_state in REVIEWED_STATES
        )
        if not partners:
            return
        issues = partners._bo_mandatory_document_issues()
        today = fields.Date.context_today(self)
        for partner in partners:
            messages = list(issues.get(partner, []))
            valid_until = partner.bo_qualification_valid_until
            if valid_until and valid_until < today:
                messages.append(self.env._("qualification expired on %(date)s", date=valid_until))
            if messages:
                partner._bo_set_qualification(
                    "under_evaluation",
                    self.env._("Back under evaluation: %(issues)s", issues="; ".join(messages)),
                )

    @api.model
    def _bo_review_all_qualified(self):
        # sudo: the review covers every qualified supplier of every company
        self.sudo().search(
            [("bo_qualification_state", "in", REVIEWED_STATES)]
        )._bo_review_qualification()

    def action_bo_change_qualification(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Change Qualification"),
            "res_model": "bo.supplier.qualification.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_partner_id": self.commercial_partner_id.id},
        }

    def action_bo_view_documents(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "bo_suppliers.action_bo_supplier_document"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.commercial_partner_id.id}
        return action

    # ------------------------------------------------------------------
    # Protected values
    # ------------------------------------------------------------------

    def _bo_check_protected_values(self, vals, creating=False):
        if bo_is_privileged(self.env):
            return
        protected = PROTECTED_FIELDS.intersection(vals)
        if not creating:
            # Writing the value a supplier already has is no change (the partner
            # merge wizard writes every field of the surviving contact back).
            protected = {fname for fname in protected if self._bo_value_changes(fname, vals)}
        if creating:
            # new suppliers start as prospects; forms send that default
            protected = {
                fname
                for fname in protected
                if vals[fname]
                and not (fname == "bo_qualification_state" and vals[fname] == "prospect")
            }
        if protected:
            raise AccessError(
                self.env._(
                    "The qualification of a supplier is changed only through 'Change "
                    "Qualification', which keeps its history; %(fields)s cannot be "
                    "written directly.",
                    fields=", ".join(
                        self._fields[fname].get_description(self.env)["string"]
                        for fname in sorted(protected)
                    ),
                )
            )

    def _bo_value_changes(self, fname, vals):
        field = self._fields[fname]
        new = field.convert_to_record(field.convert_to_cache(vals[fname], self), self)
        return any(partner[fname] != new for partner in self)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._bo_check_protected_values(vals, creating=True)
        return super().create(vals_list)

    def write(self, vals):
        self._bo_check_protected_values(vals)
        return super().write(vals)
