from odoo import api, fields, models


class BoMailRegisterLinkedMixin(models.AbstractModel):
    """Give a business document a smart button with its register entries.

    Inherit it from another addon (``_inherit = ["sale.order",
    "bo.mail.register.linked.mixin"]``) and add a button calling
    ``action_view_bo_mail_register`` that shows ``bo_mail_register_count``.
    """

    _name = "bo.mail.register.linked.mixin"
    _description = "Document Linked to the Correspondence Register"

    bo_mail_register_count = fields.Integer(
        string="Correspondence", compute="_compute_bo_mail_register_count"
    )

    def _bo_mail_register_domain(self):
        return [("res_model", "=", self._name), ("res_id", "in", self.ids)]

    @api.depends_context("uid")
    def _compute_bo_mail_register_count(self):
        # Computed for whoever reads the document (a salesperson, a portal
        # customer): the entries they may read are counted, none for those
        # outside the back office.
        Register = self.env["bo.mail.register"]
        counts = {}
        if Register.has_access("read"):
            counts = dict(
                Register._read_group(self._bo_mail_register_domain(), ["res_id"], ["__count"])
            )
        for record in self:
            record.bo_mail_register_count = counts.get(record.id, 0)

    def action_view_bo_mail_register(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "bo_mailroom.action_bo_mail_register"
        )
        action["domain"] = self._bo_mail_register_domain()
        action["context"] = {
            "default_res_model": self._name,
            "default_res_id": self.id,
        }
        return action

    def action_bo_register_outgoing(self):
        """Open the 'Register outgoing' wizard on this document."""
        self.ensure_one()
        return self.env["bo.mail.register.outgoing"]._action_open_for(self)
