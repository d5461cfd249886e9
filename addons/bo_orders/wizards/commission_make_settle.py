from odoo import models


class CommissionMakeSettle(models.TransientModel):
    _inherit = "commission.make.settle"

    def action_settle(self):
        """Accrue Enasarco and FIRR on the settlements made, over their agent's year."""
        res = super().action_settle()
        if isinstance(res, dict) and res.get("domain"):
            settlement_ids = res["domain"][0][2]
            self.env["commission.settlement"].browse(settlement_ids)._bo_compute_enasarco()
        return res
