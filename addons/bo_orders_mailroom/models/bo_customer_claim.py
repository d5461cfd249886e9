from odoo import api, models


class BoCustomerClaim(models.Model):
    _name = "bo.customer.claim"
    _inherit = ["bo.customer.claim", "bo.mail.register.linked.mixin"]

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """A claim by email is also correspondence: register it in the protocol.

        The entry is made from the same message (the register keeps the bytes
        received) and linked to the claim.
        """
        claim = super().message_new(msg_dict, custom_values=custom_values)
        self.env["bo.mail.register"]._bo_register_document_mail(msg_dict, claim)
        return claim

    @api.model
    def _bo_intake_keep(self, intake, error):
        """A message that could not become a claim is kept in both: as a claim
        and as an entry in error of the register, linked to it."""
        claim = super()._bo_intake_keep(intake, error)
        self.env["bo.mail.register"]._bo_keep_document_mail(intake, error, claim)
        return claim
