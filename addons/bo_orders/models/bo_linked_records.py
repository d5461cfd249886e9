"""What the order desk's records point to is not deleted under them.

Claims, agreements, requests and settlements refer to customers, products,
orders, deliveries, invoices and rates. Deleting one of those would fail on
the database's foreign key with a message that names no record, or, for
the documents a claim made (returns, replacements, credit notes), take them
out of the claim without a word. Each model below refuses the deletion
instead, naming the record that keeps it and what to do. A request's
quotation may be deleted: the request's chatter notes it (see
``sale.order``).
"""

from odoo import api, models
from odoo.exceptions import UserError

# The model deleted: the (model, field) of our records that point to it,
# and for a line, the field of the document it belongs to (named in the
# message).
LINKS = {
    "res.partner": (
        ("bo.customer.claim", "partner_id"),
        ("bo.customer.claim", "contact_id"),
        ("bo.sale.agreement", "partner_id"),
        ("bo.order.request", "partner_id"),
        ("bo.order.request", "contact_id"),
        ("bo.order.request", "agent_id"),
    ),
    "product.product": (
        ("bo.customer.claim", "product_id"),
        ("bo.sale.agreement.line", "product_id", "agreement_id"),
        ("bo.order.request.line", "product_id", "request_id"),
    ),
    "product.category": (("bo.sale.agreement.line", "categ_id", "agreement_id"),),
    "stock.lot": (("bo.customer.claim", "lot_id"),),
    "stock.picking": (
        ("bo.customer.claim", "picking_id"),
        ("bo.customer.claim", "return_picking_ids"),
    ),
    "sale.order": (
        ("bo.customer.claim", "sale_order_id"),
        ("bo.customer.claim", "replacement_order_ids"),
    ),
    "account.move": (
        ("bo.customer.claim", "invoice_id"),
        ("bo.customer.claim", "credit_note_ids"),
    ),
    "account.payment.term": (("bo.sale.agreement", "payment_term_id"),),
    "account.incoterms": (("bo.sale.agreement", "incoterm_id"),),
    "uom.uom": (("bo.order.request.line", "uom_id", "request_id"),),
    "bo.customer.claim.stage": (("bo.customer.claim", "stage_id"),),
    "bo.enasarco.rate": (("commission.settlement", "bo_enasarco_rate_id"),),
}


class BoLinkedRecord(models.AbstractModel):
    """A record the order desk's records point to: kept while they do."""

    _name = "bo.linked.record"
    _description = "Record Kept for the Order Desk"

    def _bo_link_targets(self):
        """The records deleted with these, whose links count (themselves, or
        what the database deletes with them)."""
        return self

    @api.ondelete(at_uninstall=False)
    def _bo_unlink_except_linked(self):
        targets = self._bo_link_targets()
        for model_name, fname, *document in LINKS.get(targets._name, ()):
            # sudo: a record the deleting user may not read keeps its link all the same
            Holder = self.env[model_name].sudo().with_context(active_test=False)
            holder = Holder.search([(fname, "in", targets.ids)], limit=1)
            if holder:
                target = (holder[fname] & targets.sudo())[:1]
                named = holder[document[0]] if document else holder
                raise UserError(
                    self.env._(
                        "%(record)s cannot be deleted: %(holder)s (%(model)s) refers to it "
                        "as %(field)s. Archive or cancel it instead.",
                        record=target.display_name,
                        holder=named.display_name,
                        model=self.env["ir.model"]._get(named._name).name,
                        field=Holder._fields[fname]._description_string(self.env),
                    )
                )


class ResPartner(models.Model):
    _name = "res.partner"
    _inherit = ["res.partner", "bo.linked.record"]


class ProductProduct(models.Model):
    _name = "product.product"
    _inherit = ["product.product", "bo.linked.record"]


class ProductTemplate(models.Model):
    _name = "product.template"
    _inherit = ["product.template", "bo.linked.record"]

    def _bo_link_targets(self):
        # the database deletes the variants with their template
        return self.with_context(active_test=False).product_variant_ids


class ProductCategory(models.Model):
    _name = "product.category"
    _inherit = ["product.category", "bo.linked.record"]

    def _bo_link_targets(self):
        # the database deletes the subcategories with their parent
        return self.search([("id", "child_of", self.ids)])


class StockLot(models.Model):
    _name = "stock.lot"
    _inherit = ["stock.lot", "bo.linked.record"]


class StockPicking(models.Model):
    _name = "stock.picking"
    _inherit = ["stock.picking", "bo.linked.record"]


class AccountMove(models.Model):
    _name = "account.move"
    _inherit = ["account.move", "bo.linked.record"]


class AccountPaymentTerm(models.Model):
    _name = "account.payment.term"
    _inherit = ["account.payment.term", "bo.linked.record"]


class AccountIncoterms(models.Model):
    _name = "account.incoterms"
    _inherit = ["account.incoterms", "bo.linked.record"]


class UomUom(models.Model):
    _name = "uom.uom"
    _inherit = ["uom.uom", "bo.linked.record"]


class BoCustomerClaimStage(models.Model):
    _name = "bo.customer.claim.stage"
    _inherit = ["bo.customer.claim.stage", "bo.linked.record"]


class BoEnasarcoRate(models.Model):
    _name = "bo.enasarco.rate"
    _inherit = ["bo.enasarco.rate", "bo.linked.record"]


class SaleOrder(models.Model):
    _name = "sale.order"
    _inherit = ["sale.order", "bo.linked.record"]

    @api.ondelete(at_uninstall=False)
    def _bo_unlink_noted_on_request(self):
        """A deleted quotation is noted on its request (the request follows
        its quotations: left with none, it is in progress again)."""
        # sudo: the request keeps the trail whoever deletes its quotation
        orders = self.sudo().filtered("bo_request_id")
        orders.bo_request_id._bo_quotations_deleted(orders)
