from odoo import api, models
from odoo.addons.bo_base.models.bo_mail_intake import MailIntake


class MailThread(models.AbstractModel):
    """The register's part in the Back Office email intake (``bo_base``).

    The intake keeps every message our models receive; the register adds
    which mailbox fetched it (a PEC mailbox is believed, nothing else) and
    one entry per company, however many of its aliases a message reached.
    """

    _inherit = "mail.thread"

    @api.model
    def _bo_intake_new(self, raw, model):
        intake = super()._bo_intake_new(raw, model)
        intake.server = self.env["fetchmail.server"]._bo_fetching_server()
        return intake

    def _message_route_process(self, message, message_dict, routes):
        """Give a message one entry per company, however many aliases it reached.

        The gateway makes one route per alias the message is addressed to:
        the register takes only the first new-entry route of each company.
        """
        if MailIntake.of(self.env) and routes:
            kept, companies = [], set()
            for route in routes:
                if route[0] == "bo.mail.register" and not route[1]:
                    company = (route[2] or {}).get("company_id")
                    if company in companies:
                        continue
                    companies.add(company)
                kept.append(route)
            routes = kept
        return super()._message_route_process(message, message_dict, routes)
