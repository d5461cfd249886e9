from markupsafe import Markup

from odoo import fields, models
from odoo.exceptions import AccessError, UserError

from ..models.purchase_order_group import OPEN_OFFER_STATES


class BoOfferChoose(models.TransientModel):
    """Choose one offer of a need: confirm it and cancel the others, with the
    reason kept in each request's chatter."""

    _name = "bo.offer.choose"
    _description = "Choose Offer"

    order_id = fields.Many2one(
        "purchase.order", string="Offer Chosen", required=True, ondelete="cascade"
    )
    group_id = fields.Many2one(related="order_id.purchase_group_id")
    partner_id = fields.Many2one(related="order_id.partner_id")
    other_order_ids = fields.Many2many(
        "purchase.order",
        string="Offers Cancelled",
        compute="_compute_other_order_ids",
    )
    reason = fields.Text(required=True)

    def _compute_other_order_ids(self):
        for wizard in self:
            wizard.other_order_ids = (
                wizard.order_id._origin.alternative_po_ids.filtered(
                    lambda o: o.state in (*OPEN_OFFER_STATES, "to approve")
                )
                - wizard.order_id._origin
            )

    def action_choose(self):
        self.ensure_one()
        if not self.env.user.has_group("purchase.group_purchase_user"):
            raise AccessError(self.env._("Only purchase users can choose an offer."))
        reason = (self.reason or "").strip()
        if not reason:
            raise UserError(self.env._("Give the reason for choosing this offer."))
        order = self.order_id
        order.check_access("write")
        if order.state not in OPEN_OFFER_STATES:
            state = dict(order._fields["state"]._description_selection(self.env))[order.state]
            raise UserError(
                self.env._(
                    "%(order)s is already %(state)s: only an open request for quotation "
                    "can be chosen.",
                    order=order.name,
                    state=state,
                )
            )
        others = self.other_order_ids
        others.check_access("write")
        # We cancel the alternatives ourselves, with the reason: skip stock's
        # question about them. The supplier checks of the confirmation apply.
        order.with_context(skip_alternative_check=True).button_confirm()
        if order.state not in ("to approve", "purchase"):
            raise UserError(self.env._("%(order)s could not be confirmed.", order=order.name))
        others.button_cancel()
        order.message_post(
            body=Markup("%s<br/>%s")
            % (
                self.env._(
                    "Offer chosen among %(count)s offers; cancelled: %(others)s.",
                    count=len(others) + 1,
                    others=", ".join(others.mapped("name")) or "-",
                ),
                self.env._("Reason: %s", reason),
            ),
            subtype_xmlid="mail.mt_note",
        )
        for other in others:
            other.message_post(
                body=Markup("%s<br/>%s")
                % (
                    self.env._(
                        "Offer not chosen: %(order)s of %(supplier)s was chosen instead.",
                        order=order.name,
                        supplier=order.partner_id.display_name,
                    ),
                    self.env._("Reason: %s", reason),
                ),
                subtype_xmlid="mail.mt_note",
            )
        return {"type": "ir.actions.act_window_close"}
