from markupsafe import Markup

from odoo import api, fields, models
from odoo.addons.bo_base.models import bo_guard
from odoo.exceptions import ValidationError

from .bo_supplier_qualification import BLOCKING_STATES, QUALIFICATION_STATES, REVIEWED_STATES

EVALUATION_CLASSES = [("a", "A"), ("b", "B"), ("c", "C")]
# The supplier's standing, written by the qualification and the evaluation only.
QUALIFICATION_FIELDS = ("bo_qualification_state", "bo_qualification_valid_until")
EVALUATION_FIELDS = ("bo_evaluation_score", "bo_evaluation_class")
# What makes a partner belong to another commercial entity.
COMMERCIAL_KEYS = ("parent_id", "is_company", "company_type")


class ResPartner(models.Model):
    _inherit = "res.partner"

    bo_qualification_state = fields.Selection(
        QUALIFICATION_STATES,
        string="Qualification",
        default="prospect",
        copy=False,
        readonly=True,
        index=True,
        tracking=True,
        bo_guarded=True,
        help="Set by 'Change Qualification' only. Orders to suspended or blocked "
        "suppliers cannot be confirmed.",
    )
    bo_qualification_valid_until = fields.Date(
        string="Qualified Until",
        copy=False,
        readonly=True,
        tracking=True,
        bo_guarded=True,
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
        bo_guarded=True,
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
        bo_guarded=True,
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

    @bo_guard.writes(*QUALIFICATION_FIELDS)
    @bo_guard.writes(
        "partner_id",
        "date",
        "user_id",
        "state_from",
        "state",
        "reason",
        "valid_until",
        model="bo.supplier.qualification",
    )
    def _bo_set_qualification(self, state, reason, valid_until=False):
        """Move the suppliers to ``state`` and register the step in their history.

        The only way the qualification changes; the callers (the qualification
        wizard, the review of documents and evaluations, the merge of a
        blocked supplier) decide who may do it.
        """
        now = fields.Datetime.now()
        history = [
            {
                "partner_id": partner.id,
                "state_from": partner.bo_qualification_state,
                "state": state,
                "reason": reason,
                "valid_until": valid_until,
                "user_id": self.env.uid,
                # every value given: a granted create would take a client's default_ key
                "date": now,
            }
            for partner in self
        ]
        # sudo: nobody holds the rights to write the state or the history
        # directly; the callers checked who is asking.
        self.sudo().write(
            {"bo_qualification_state": state, "bo_qualification_valid_until": valid_until}
        )
        return self.env["bo.supplier.qualification"].sudo().create(history)

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
    # The same party under another record
    # ------------------------------------------------------------------

    def _bo_supplier_blocks(self):
        """What stops orders to this commercial entity, as plain values:
        ``{"state": state or False, "class_c": {company id: score}}`` (class C
        counts only in the companies that block such orders)."""
        self.ensure_one()
        partner = self.sudo()
        blocks = {
            "state": partner.bo_qualification_state
            if partner.bo_qualification_state in BLOCKING_STATES
            else False,
            "class_c": {},
        }
        # sudo: every company's class, whoever moves or merges the supplier
        companies = self.env["res.company"].sudo().search([])
        for company in companies.filtered(lambda c: c.bo_evaluation_class_c_policy == "block"):
            in_company = partner.with_company(company)
            if in_company.bo_evaluation_class == "c":
                blocks["class_c"][company.id] = in_company.bo_evaluation_score
        return blocks

    @api.model
    def _bo_blocks_missing(self, blocks, held):
        """The part of ``blocks`` that ``held`` (another entity's) lacks."""
        rank = {state: index for index, state in enumerate(BLOCKING_STATES, start=1)}
        missing = {"state": False, "class_c": {}}
        if rank.get(blocks["state"], 0) > rank.get(held["state"], 0):
            missing["state"] = blocks["state"]
        missing["class_c"] = {
            company_id: score
            for company_id, score in blocks["class_c"].items()
            if company_id not in held["class_c"]
        }
        return missing if missing["state"] or missing["class_c"] else None

    def _bo_describe_blocks(self, blocks):
        states = dict(self._fields["bo_qualification_state"]._description_selection(self.env))
        parts = []
        if blocks["state"]:
            parts.append(states[blocks["state"]])
        for company in self.env["res.company"].sudo().browse(sorted(blocks["class_c"])):
            parts.append(self.env._("class C for %(company)s", company=company.name))
        return ", ".join(parts)

    def _bo_check_commercial_move(self, vals):
        """Refuse to move a partner whose commercial entity is blocked (suspended,
        blocked, or class C where the company blocks such orders) under another
        commercial entity that is not: its orders would then pass as the new
        entity's. Re-parenting is a clerk's edit, not a decision about the
        supplier: it neither lifts a block nor puts one on a clean company.
        (The merge wizard, which declares two records the same party, carries
        the block to the survivor instead.)"""
        new_parent = self.browse(vals["parent_id"]) if vals.get("parent_id") else None
        for partner in self.filtered("id"):
            old_entity = partner.commercial_partner_id
            parent = partner.parent_id if "parent_id" not in vals else new_parent
            is_company = partner.is_company
            if "is_company" in vals:
                is_company = bool(vals["is_company"])
            elif "company_type" in vals:
                is_company = vals["company_type"] == "company"
            new_entity = partner if is_company or not parent else parent.commercial_partner_id
            if new_entity == old_entity:
                continue
            missing = self._bo_blocks_missing(
                old_entity._bo_supplier_blocks(), new_entity._bo_supplier_blocks()
            )
            if missing:
                raise ValidationError(
                    self.env._(
                        "%(partner)s belongs to %(entity)s, which is %(blocks)s: it cannot "
                        "become part of %(new)s, whose orders it would then pass as. Create "
                        "a new contact under %(new)s instead, or ask a Back Office manager "
                        "to decide on %(entity)s first.",
                        partner=partner.display_name,
                        entity=old_entity.display_name,
                        blocks=self._bo_describe_blocks(missing),
                        new=new_entity.display_name,
                    )
                )

    @bo_guard.writes(*EVALUATION_FIELDS)
    def _bo_take_blocks(self, blocks, origin):
        """Give this commercial entity the ``blocks`` of the supplier(s) merged
        into it (``origin``: their names), with a note in its chatter."""
        self.ensure_one()
        described = self._bo_describe_blocks(blocks)
        reason = self.env._(
            "Block of %(origin)s (%(blocks)s) carried over: merged into this partner.",
            origin=origin,
            blocks=described,
        )
        if blocks["state"]:
            self._bo_set_qualification(blocks["state"], reason)
        companies = self.env["res.company"].sudo().browse(sorted(blocks["class_c"]))
        for company in companies:
            # sudo: the class is set by the evaluation only; the merge keeps it
            self.sudo().with_company(company).write(
                {"bo_evaluation_class": "c", "bo_evaluation_score": blocks["class_c"][company.id]}
            )
        # sudo: whoever merges leaves the note (they may not write the partner)
        self.sudo().message_post(
            body=Markup("<strong>%s</strong>") % reason, subtype_xmlid="mail.mt_note"
        )

    def write(self, vals):
        if any(key in vals for key in COMMERCIAL_KEYS):
            self._bo_check_commercial_move(vals)
        return super().write(vals)
