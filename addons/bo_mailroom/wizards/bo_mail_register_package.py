import base64
from datetime import timedelta

from odoo import fields, models
from odoo.exceptions import AccessError

MANAGER_GROUP = "bo_base.group_bo_manager"


class BoMailRegisterPackage(models.TransientModel):
    """Export a period of one company's register as a package anyone can verify.

    The content is the register's (``bo_mail_register_day_package.py``);
    the wizard asks for the period and hands the ZIP over.
    """

    _name = "bo.mail.register.package"
    _description = "Verifiable Register Package"

    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        domain=lambda self: [("id", "in", self.env.user.company_ids.ids)],
    )
    date_from = fields.Date(
        string="From",
        required=True,
        default=lambda self: self._default_date_to().replace(day=1),
    )
    date_to = fields.Date(string="To", required=True, default=lambda self: self._default_date_to())
    package_file = fields.Binary(string="Package", readonly=True, attachment=False)
    package_file_name = fields.Char(readonly=True)

    def _default_date_to(self):
        """Yesterday: the last day the nightly job has sealed."""
        return fields.Date.context_today(self) - timedelta(days=1)

    def action_export(self):
        """Build the package and download it."""
        self.ensure_one()
        if not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(self.env._("Only a Back Office manager can export the register."))
        if self.company_id not in self.env.user.company_ids:
            raise AccessError(self.env._("You cannot export the register of this company."))
        content, name = self.env["bo.mail.register.day"]._bo_export_package(
            self.company_id, self.date_from, self.date_to
        )
        self.write({"package_file": base64.b64encode(content), "package_file_name": name})
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self._name}/{self.id}/package_file/{name}?download=true",
            "target": "self",
        }
