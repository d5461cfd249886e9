from num2words import num2words

from odoo import api, fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    bo_amount_total_words = fields.Char(
        string="Total in Words",
        compute="_compute_bo_amount_total_words",
        help="The total of the order in words, in the customer's language, as "
        "printed on quotations and order confirmations.",
    )

    @api.depends("amount_total", "currency_id", "partner_id.lang")
    @api.depends_context("lang")
    def _compute_bo_amount_total_words(self):
        for order in self:
            # The customer's language is not sensitive: sudo so that whoever
            # may read the order (a salesperson, a portal customer, a report
            # run for several companies) gets the words, whatever the record
            # rules on partners let them read.
            lang = order.sudo().partner_id.lang or self.env.lang or "en_US"
            order.bo_amount_total_words = order._bo_amount_to_words(
                order.amount_total, order.currency_id, lang
            )

    @api.model
    def _bo_amount_to_words(self, amount, currency, lang):
        """Return ``amount`` of ``currency`` in words in the language ``lang``.

        Italian documents use the style of cheques and contracts: the currency
        name, the integer part in words written as one word, then the cents
        as digits ("euro milleduecentotrentaquattro/56"). Other languages use
        Odoo's own ``res.currency.amount_to_text``, in that language.
        """
        if not currency:
            return ""
        currency = currency.with_context(lang=lang)
        if lang.split("_")[0] != "it":
            return currency.amount_to_text(amount)
        return self._bo_amount_to_words_italian(amount, currency)

    @api.model
    def _bo_amount_to_words_italian(self, amount, currency):
        """Italian style "euro milleduecentotrentaquattro/56".

        The currency's unit label in Italian ("euro", "dollari"), or its ISO
        code when it has none; a negative amount starts with "meno"; a
        currency without decimals (JPY) has no "/..." part.
        """
        # ``amount_to_text`` splits the amount the same way: formatting at the
        # currency's precision rounds it as the document shows it.
        digits = currency.decimal_places
        integral, _sep, fractional = f"{abs(amount):.{digits}f}".partition(".")
        unit = (currency.currency_unit_label or "").lower() or currency.name
        words = f"{unit} {num2words(int(integral), lang='it')}"
        if fractional:
            words = f"{words}/{fractional}"
        if currency.round(amount) < 0:
            words = f"meno {words}"
        return words
