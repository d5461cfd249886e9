from odoo import api, models


class BoOrderRequest(models.Model):
    _name = "bo.order.request"
    _inherit = ["bo.order.request", "bo.mail.register.linked.mixin"]

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """A request by email is also correspondence: register it in the protocol.

        The register entry is made from the same message and linked to the
        request, so the request shows it and the entry opens the request.
        """
        request = super().message_new(msg_dict, custom_values=custom_values)
        # The register's intake rewrites the attachments of the dict it gets:
        # hand it a copy so the request's chatter keeps its own.
        self.env["bo.mail.register"].message_new(
            dict(msg_dict),
            {
                "company_id": request.company_id.id,
                "res_model": request._name,
                "res_id": request.id,
            },
        )
        return request
