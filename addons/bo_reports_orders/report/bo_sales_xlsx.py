from odoo import models


class BoSalesXlsx(models.AbstractModel):
    _inherit = "report.bo_reports.sales_xlsx"

    def _dimension_label(self, key):
        if key == "agent":
            return self.env._("Agent")
        return super()._dimension_label(key)
