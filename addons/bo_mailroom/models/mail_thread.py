from odoo import models


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    def _message_route_process(self, message, message_dict, routes):
        """Hand the original message to the register.

        The register keeps it as an ``.eml`` attachment and reads PEC
        envelopes and receipts from its MIME parts, which the parsed
        ``message_dict`` does not carry.
        """
        if routes and all(route[0] == "bo.mail.register" for route in routes):
            message_dict["bo_original"] = message
        return super()._message_route_process(message, message_dict, routes)
