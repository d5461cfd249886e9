from odoo import api, models
from odoo.exceptions import AccessError


class ReportBoMailRegisterDay(models.AbstractModel):
    """Renders the daily register, only while it is being sealed.

    Printing a day serves its sealed file. A rendering asked for through the
    report routes (``/report/pdf/...``) would list the current data, every
    confidential entry included: it is refused. The sealing renders as
    superuser, with the lines it computed.
    """

    _name = "report.bo_mailroom.report_bo_mail_register_day"
    _description = "Daily Protocol Register Rendering"

    @api.model
    def _get_report_values(self, docids, data=None):
        register = (data or {}).get("bo_register")
        if not self.env.su or not register:
            raise AccessError(
                self.env._(
                    "A daily register is printed from its sealed file: open it "
                    "from the Daily Registers menu."
                )
            )
        return {"register": register, "company": self.env.company}
