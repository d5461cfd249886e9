from odoo import api, fields, models

from .sale_order_checks import BO_CHECKED_LINE_FIELDS


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    # OCA's commission status of a line, computed for whoever reads the order
    # (a stock user may not read commission lines): how many agents, never
    # the commission amounts.
    commission_status = fields.Char(compute_sudo=True, groups="base.group_user")
    # internal users read the agents of the lines their role reads (record rules)
    agent_ids = fields.One2many(groups="base.group_user")

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines._bo_product_lines().order_id._bo_check_changed_after_confirm()
        return lines

    def write(self, vals):
        res = super().write(vals)
        if not vals.keys().isdisjoint(BO_CHECKED_LINE_FIELDS):
            self._bo_product_lines().order_id._bo_check_changed_after_confirm()
        return res

    def _compute_agent_ids(self):
        # see commission.mixin's _bo_lines_agents_to_compute
        lines = self._bo_lines_agents_to_compute(lambda line: line.order_id.partner_id)
        return super(SaleOrderLine, lines)._compute_agent_ids()

    def _bo_product_lines(self):
        """The lines the checks read: products, not sections, notes or down
        payments."""
        return self.filtered(
            lambda line: line.product_id and not line.display_type and not line.is_downpayment
        )

    def _bo_with_agreement_lines(self):
        """These lines, with the agreement line of each in the context: the
        lookup runs once for all of them, not once per line priced."""
        found = self.env["bo.sale.agreement"]._bo_lines_for_sale_lines(self)
        pairs = tuple((line.id, agreed.id) for line, agreed in found.items())
        return self.with_context(bo_agreement_lines=pairs)

    def _bo_agreement_line(self):
        self.ensure_one()
        pairs = self.env.context.get("bo_agreement_lines")
        if pairs is None:
            return self.env["bo.sale.agreement"]._bo_lines_for_sale_lines(self).get(self)
        agreed_id = dict(pairs).get(self.id)
        # sudo: see bo.sale.agreement._bo_lines_for_sale_lines
        return self.env["bo.sale.agreement.line"].sudo().browse(agreed_id) if agreed_id else None

    def _compute_price_unit(self):
        return super(SaleOrderLine, self._bo_with_agreement_lines())._compute_price_unit()

    def _get_display_price(self):
        """The agreed price wins over the pricelist; an agreed discount applies
        to the pricelist's net price, in place of the pricelist's discount."""
        agreed = self._bo_agreement_line() if self.product_type != "combo" else None
        if not agreed or self.combo_item_id:
            return super()._get_display_price()
        price = agreed._bo_price(self)
        return self._get_pricelist_price() if price is None else price

    def _compute_discount(self):
        lines = self._bo_with_agreement_lines()
        res = super(SaleOrderLine, lines)._compute_discount()
        for line in lines:
            if line.display_type or line.combo_item_id:
                continue
            agreed = line._bo_agreement_line()
            if agreed:
                # the agreement replaces the pricelist's discounts: an agreed
                # price is net of them, an agreed discount takes their place
                line.discount = agreed.discount
        return res
