from odoo import api, models


class BoCustomerClaim(models.Model):
    _name = "bo.customer.claim"
    _inherit = ["bo.customer.claim", "bo.mail.register.linked.mixin"]

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """A claim by email is also correspondence: register it in the protocol.

        The entry is made from the same message (the register keeps the bytes
        received) and linked to the claim. The claim's intake keeps what it
        cannot read, and the register's intake never fails: the message is
        kept in both, whatever it holds.
        """
        claim = super().message_new(msg_dict, custom_values=custom_values)
        # The register's intake rewrites the attachments of the dict it gets:
        # hand it a copy so the claim's chatter keeps its own.
        self.env["bo.mail.register"].message_new(
            dict(msg_dict),
            {
                "company_id": claim.company_id.id,
                "res_model": claim._name,
                "res_id": claim.id,
            },
        )
        return claim
