"""What the period's documents say of each supplier: one aggregate SQL query
per kind of document (receipts, quantities, returns, bills, orders,
certificates) for all the suppliers of the evaluation, grouped by commercial
entity. Each returns {supplier id: row as a dict}."""

from odoo import models
from odoo.tools import SQL


class BoSupplierEvaluation(models.Model):
    _inherit = "bo.supplier.evaluation"

    def _bo_partner_filter(self, params, column):
        if params["partner_ids"] is None:
            return SQL()
        return SQL("AND %s IN %s", column, params["partner_ids"])

    def _bo_query(self, query):
        self.env.cr.execute(query)
        columns = [desc[0] for desc in self.env.cr.description]
        return {row[0]: dict(zip(columns, row, strict=True)) for row in self.env.cr.fetchall()}

    def _bo_query_receipts(self, params):
        """Receipt lines (stock moves from a supplier location) done in the
        period, per supplier: each move counts once, whatever its move lines.
        On time: done on or before the day of its deadline (the order line's
        expected arrival) or, without one, the receipt's scheduled date."""
        late = SQL("m.date::date > COALESCE(m.date_deadline, sp.scheduled_date)::date")
        return self._bo_query(
            SQL(
                """
                SELECT rp.commercial_partner_id AS partner_id,
                       count(*) AS lines,
                       count(*) FILTER (WHERE NOT (%(late)s)) AS on_time,
                       sum(m.quantity * u.factor) AS qty,
                       array_agg(DISTINCT sp.id) AS picking_ids,
                       array_agg(DISTINCT sp.name) AS picking_names,
                       array_agg(DISTINCT sp.name) FILTER (WHERE %(late)s) AS late_names
                  FROM stock_move m
                  JOIN stock_picking sp ON sp.id = m.picking_id
                  JOIN res_partner rp ON rp.id = sp.partner_id
                  JOIN stock_location sl ON sl.id = m.location_id
                  JOIN uom_uom u ON u.id = m.product_uom
                 WHERE m.state = 'done' AND sl.usage = 'supplier'
                   AND m.company_id = %(company)s
                   AND m.date >= %(start)s AND m.date < %(stop)s
                   %(partners)s
              GROUP BY rp.commercial_partner_id
                """,
                late=late,
                partners=self._bo_partner_filter(params, SQL("rp.commercial_partner_id")),
                **params,
            )
        )

    def _bo_query_quantities(self, params):
        """Order lines whose last receipt was done in the period and that await
        no other receipt: quantity received (returns excluded) against ordered,
        both in the product's reference unit."""
        return self._bo_query(
            SQL(
                """
                WITH received AS (
                    SELECT m.purchase_line_id, sum(m.quantity * u.factor) AS qty
                      FROM stock_move m
                      JOIN stock_location sl ON sl.id = m.location_id
                      JOIN uom_uom u ON u.id = m.product_uom
                     WHERE m.state = 'done' AND sl.usage = 'supplier'
                       AND m.company_id = %(company)s
                       AND m.purchase_line_id IN (
                           SELECT purchase_line_id FROM stock_move
                            WHERE state = 'done' AND company_id = %(company)s
                              AND date >= %(start)s AND date < %(stop)s
                              AND purchase_line_id IS NOT NULL)
                  GROUP BY m.purchase_line_id
                    HAVING max(m.date) >= %(start)s AND max(m.date) < %(stop)s
                ), line AS (
                    SELECT rp.commercial_partner_id AS partner_id, po.id AS order_id,
                           po.name AS order_name, r.qty AS received,
                           pol.product_qty * u.factor AS ordered
                      FROM received r
                      JOIN purchase_order_line pol ON pol.id = r.purchase_line_id
                      JOIN purchase_order po ON po.id = pol.order_id
                      JOIN res_partner rp ON rp.id = po.partner_id
                      JOIN uom_uom u ON u.id = pol.product_uom_id
                     WHERE pol.product_qty > 0
                       AND NOT EXISTS (
                           SELECT 1 FROM stock_move p
                            WHERE p.purchase_line_id = pol.id
                              AND p.state NOT IN ('done', 'cancel'))
                       %(partners)s
                )
                SELECT partner_id,
                       count(*) AS lines,
                       sum(GREATEST(0, 1 - abs(received - ordered) / ordered)) AS accuracy,
                       count(*) FILTER (WHERE received < ordered * 0.99999) AS short,
                       count(*) FILTER (WHERE received > ordered * 1.00001) AS over,
                       array_agg(DISTINCT order_id) AS order_ids,
                       array_agg(DISTINCT order_name) FILTER (
                           WHERE abs(received - ordered) > ordered * 0.00001) AS off_names
                  FROM line
              GROUP BY partner_id
                """,
                partners=self._bo_partner_filter(params, SQL("rp.commercial_partner_id")),
                **params,
            )
        )

    def _bo_query_returns(self, params):
        """Returns to the supplier of the receipt lines done in the period,
        whenever the return was done."""
        return self._bo_query(
            SQL(
                """
                SELECT rp.commercial_partner_id AS partner_id,
                       sum(r.quantity * ru.factor) AS qty,
                       array_agg(DISTINCT rsp.id) AS picking_ids,
                       array_agg(DISTINCT rsp.name) AS picking_names
                  FROM stock_move r
                  JOIN stock_location rl ON rl.id = r.location_dest_id
                  JOIN uom_uom ru ON ru.id = r.product_uom
                  JOIN stock_picking rsp ON rsp.id = r.picking_id
                  JOIN stock_move m ON m.id = r.origin_returned_move_id
                  JOIN stock_picking sp ON sp.id = m.picking_id
                  JOIN res_partner rp ON rp.id = sp.partner_id
                  JOIN stock_location sl ON sl.id = m.location_id
                 WHERE r.state = 'done' AND rl.usage = 'supplier'
                   AND m.state = 'done' AND sl.usage = 'supplier'
                   AND m.company_id = %(company)s
                   AND m.date >= %(start)s AND m.date < %(stop)s
                   %(partners)s
              GROUP BY rp.commercial_partner_id
                """,
                partners=self._bo_partner_filter(params, SQL("rp.commercial_partner_id")),
                **params,
            )
        )

    def _bo_query_bills(self, params):
        """Lines of the posted vendor bills dated in the period, against their
        order line: unit prices net of discount, per reference unit, in company
        currency (at the order's rate; bills in the order's currency are
        compared in that currency first, so exchange moves are no variance)."""
        return self._bo_query(
            SQL(
                """
                WITH line AS (
                    SELECT rp.commercial_partner_id AS partner_id, am.id AS bill_id,
                           am.name AS bill_name,
                           aml.quantity * bu.factor AS qty,
                           pol.price_unit * (1 - COALESCE(pol.discount, 0) / 100)
                               / NULLIF(po.currency_rate, 0) / pu.factor AS ordered_price,
                           CASE WHEN aml.currency_id = po.currency_id
                                THEN aml.price_subtotal / NULLIF(po.currency_rate, 0)
                                ELSE abs(aml.balance)
                           END / NULLIF(aml.quantity * bu.factor, 0) AS billed_price
                      FROM account_move_line aml
                      JOIN account_move am ON am.id = aml.move_id
                      JOIN purchase_order_line pol ON pol.id = aml.purchase_line_id
                      JOIN purchase_order po ON po.id = pol.order_id
                      JOIN res_partner rp ON rp.id = am.commercial_partner_id
                      JOIN uom_uom bu ON bu.id = COALESCE(aml.product_uom_id, pol.product_uom_id)
                      JOIN uom_uom pu ON pu.id = pol.product_uom_id
                     WHERE am.move_type = 'in_invoice' AND am.state = 'posted'
                       AND am.company_id = %(company)s
                       AND COALESCE(am.invoice_date, am.date) >= %(start)s::date
                       AND COALESCE(am.invoice_date, am.date) < %(stop)s::date
                       AND aml.display_type = 'product' AND aml.quantity > 0
                       %(partners)s
                )
                SELECT partner_id,
                       count(*) AS lines,
                       sum(ordered_price * qty) AS ordered,
                       sum(billed_price * qty) AS billed,
                       sum(GREATEST(0, billed_price - ordered_price) * qty) AS extra,
                       array_agg(DISTINCT bill_id) AS bill_ids,
                       array_agg(DISTINCT bill_name) AS bill_names,
                       array_agg(DISTINCT bill_name) FILTER (
                           WHERE billed_price > ordered_price * 1.00001) AS over_names
                  FROM line
                 WHERE ordered_price IS NOT NULL AND billed_price IS NOT NULL
              GROUP BY partner_id
                """,
                partners=self._bo_partner_filter(params, SQL("rp.id")),
                **params,
            )
        )

    def _bo_query_orders(self, params):
        """Orders confirmed in the period: days from the request for quotation
        (its creation) to its confirmation, the only answer date Odoo keeps."""
        return self._bo_query(
            SQL(
                """
                SELECT rp.commercial_partner_id AS partner_id,
                       count(*) AS orders,
                       avg(GREATEST(0, EXTRACT(EPOCH FROM po.date_approve - po.create_date))
                           / 86400.0) AS days,
                       array_agg(po.id) AS order_ids,
                       array_agg(po.name) AS order_names
                  FROM purchase_order po
                  JOIN res_partner rp ON rp.id = po.partner_id
                 WHERE po.state = 'purchase' AND po.company_id = %(company)s
                   AND po.date_approve >= %(start)s AND po.date_approve < %(stop)s
                   %(partners)s
              GROUP BY rp.commercial_partner_id
                """,
                partners=self._bo_partner_filter(params, SQL("rp.commercial_partner_id")),
                **params,
            )
        )

    def _bo_query_certificates(self, partner_ids, date_to):
        """Mandatory document types each supplier holds valid at the period's end."""
        types = self.env["bo.supplier.document.type"].search_fetch(
            [("mandatory", "=", True)], ["name"]
        )
        held = {}
        if types:
            held = self._bo_query(
                SQL(
                    """
                    SELECT rp.commercial_partner_id AS partner_id,
                           array_agg(DISTINCT d.type_id) AS type_ids,
                           array_agg(DISTINCT d.id) AS document_ids
                      FROM bo_supplier_document d
                      JOIN res_partner rp ON rp.id = d.partner_id
                     WHERE d.active AND d.type_id IN %(types)s
                       AND rp.commercial_partner_id IN %(partners)s
                       AND (d.issue_date IS NULL OR d.issue_date <= %(date)s)
                       AND (d.expiry_date IS NULL OR d.expiry_date >= %(date)s)
                  GROUP BY rp.commercial_partner_id
                    """,
                    types=tuple(types.ids),
                    partners=tuple(partner_ids),
                    date=date_to,
                )
            )
        return {"types": types, "held": held, "date": date_to}
