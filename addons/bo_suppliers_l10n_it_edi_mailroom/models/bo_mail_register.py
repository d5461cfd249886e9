from markupsafe import Markup

from odoo import models


class BoMailRegister(models.Model):
    _inherit = "bo.mail.register"

    def _bo_fpa_contest_letter_body(self):
        """The text of a letter contesting a FatturaPA invoice (this bridge's
        letter template): the bill's contest letter, in the recipient's
        language, listing the differences as the entry registered them."""
        self.ensure_one()
        lines = (self.summary or "").splitlines()
        bill = self.record_ref
        if not bill or bill._name != "account.move":
            return Markup().join(Markup("<p>%s</p>") % line for line in lines)
        # sudo: the letter prints the number and date of the invoice it was
        # registered for, whoever prints it again (a clerk of the mailroom)
        return bill.sudo()._bo_fpa_contest_letter(self.partner_id, lines)[1]
