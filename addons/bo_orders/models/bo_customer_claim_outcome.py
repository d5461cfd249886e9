from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.addons.bo_base.models import bo_guard
from odoo.exceptions import UserError

from .bo_customer_claim import CLOSED_STATES


class BoCustomerClaim(models.Model):
    """The outcomes of a claim: the return, the replacement quotation and the
    credit note made from it, each through its own action and kept on the
    claim (the documents are not deleted under it: see bo_linked_records)."""

    _inherit = "bo.customer.claim"

    return_picking_ids = fields.Many2many(
        "stock.picking",
        "bo_customer_claim_return_picking_rel",
        "claim_id",
        "picking_id",
        string="Returns",
        copy=False,
        readonly=True,
        ondelete="restrict",
        bo_guarded=True,
    )
    replacement_order_ids = fields.Many2many(
        "sale.order",
        "bo_customer_claim_replacement_order_rel",
        "claim_id",
        "order_id",
        string="Replacement Orders",
        copy=False,
        readonly=True,
        ondelete="restrict",
        bo_guarded=True,
    )
    credit_note_ids = fields.Many2many(
        "account.move",
        "bo_customer_claim_credit_note_rel",
        "claim_id",
        "move_id",
        string="Credit Notes",
        copy=False,
        readonly=True,
        ondelete="restrict",
        bo_guarded=True,
        groups="sales_team.group_sale_salesman,account.group_account_invoice,"
        "account.group_account_readonly",
    )
    return_count = fields.Integer(compute="_compute_outcome_counts")
    replacement_count = fields.Integer(compute="_compute_outcome_counts")
    credit_note_count = fields.Integer(compute="_compute_outcome_counts")

    @api.depends("return_picking_ids", "replacement_order_ids", "credit_note_ids")
    def _compute_outcome_counts(self):
        # sudo: how many documents the claim produced, whoever reads the
        # claim (a stock user may not read credit notes)
        for claim, claim_sudo in zip(self, self.sudo(), strict=True):
            claim.return_count = len(claim_sudo.return_picking_ids)
            claim.replacement_count = len(claim_sudo.replacement_order_ids)
            claim.credit_note_count = len(claim_sudo.credit_note_ids)

    def _check_open(self):
        for claim in self:
            if claim.state in CLOSED_STATES:
                raise UserError(self.env._("Claim %s is closed: reopen it first.", claim.name))

    def _bo_link_outcome(self, fname, records):
        """Link a document made from the claim, for whoever may work the claim."""
        self.ensure_one()
        self.check_access("write")
        bo_guard.grant(self, fname).write({fname: [Command.link(record.id) for record in records]})
        for record in records:
            self.message_post(
                body=Markup(self.env._("%(document)s made from this claim."))
                % {"document": record._get_html_link()},
                subtype_xmlid="mail.mt_note",
            )

    def action_create_return(self):
        self.ensure_one()
        self._check_open()
        if not self.picking_id or self.picking_id.state != "done":
            raise UserError(self.env._("Set a delivery that has been shipped to return its goods."))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Return of %s", self.picking_id.name),
            "res_model": "stock.return.picking",
            "view_mode": "form",
            "target": "new",
            "context": {
                "active_id": self.picking_id.id,
                "active_ids": self.picking_id.ids,
                "active_model": "stock.picking",
                "default_bo_claim_id": self.id,
            },
        }

    def action_create_credit_note(self):
        self.ensure_one()
        self._check_open()
        invoice = self.invoice_id
        if not invoice or invoice.state != "posted" or invoice.move_type != "out_invoice":
            raise UserError(self.env._("Set a posted customer invoice to credit."))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Credit Note"),
            "res_model": "account.move.reversal",
            "view_mode": "form",
            "target": "new",
            "context": {
                "active_model": "account.move",
                "active_ids": invoice.ids,
                "default_bo_claim_id": self.id,
            },
        }

    def _prepare_replacement_order_vals(self):
        self.ensure_one()
        return {
            "partner_id": self.partner_id.id,
            "company_id": self.company_id.id,
            "origin": self.name,
            "client_order_ref": self.title,
            "order_line": [
                Command.create(
                    {
                        "product_id": self.product_id.id,
                        "product_uom_qty": self.quantity or 1.0,
                        "price_unit": 0.0,
                    }
                )
            ],
        }

    def action_create_replacement(self):
        """A free replacement of the product, as a quotation for the desk to confirm."""
        self.ensure_one()
        self._check_open()
        if not (self.partner_id and self.product_id):
            raise UserError(self.env._("Set the customer and the product to replace."))
        order = self.env["sale.order"].create(self._prepare_replacement_order_vals())
        self._bo_link_outcome("replacement_order_ids", order)
        order.message_post(
            body=Markup(self.env._("Replacement for the claim %s.")) % self._get_html_link(),
            subtype_xmlid="mail.mt_note",
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "sale.order",
            "res_id": order.id,
            "view_mode": "form",
        }

    def _action_view(self, records, xmlid):
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        action.update({"domain": [("id", "in", records.ids)], "context": {"create": False}})
        if len(records) == 1:
            action.update({"view_mode": "form", "views": [(False, "form")], "res_id": records.id})
        return action

    def action_view_returns(self):
        self.ensure_one()
        return self._action_view(self.return_picking_ids, "stock.action_picking_tree_all")

    def action_view_replacements(self):
        self.ensure_one()
        return self._action_view(self.replacement_order_ids, "sale.action_orders")

    def action_view_credit_notes(self):
        self.ensure_one()
        return self._action_view(self.credit_note_ids, "account.action_move_out_refund_type")
