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
        self.env["bo.mail.register"]._bo_register_document_mail(msg_dict, request)
        return request

    @api.model
    def _bo_intake_keep(self, intake, error):
        """A message that could not become a request is kept in both: as a
        request and as an entry in error of the register, linked to it."""
        request = super()._bo_intake_keep(intake, error)
        self.env["bo.mail.register"]._bo_keep_document_mail(intake, error, request)
        return request
