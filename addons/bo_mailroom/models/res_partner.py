from odoo import api, fields, models
from odoo.exceptions import UserError


class ResPartner(models.Model):
    _inherit = "res.partner"

    bo_mail_register_ids = fields.One2many(
        "bo.mail.register",
        "partner_id",
        string="Correspondence",
        groups="bo_base.group_bo_user",
    )
    bo_mail_register_count = fields.Integer(
        string="Correspondence Count",
        compute="_compute_bo_mail_register_count",
        groups="bo_base.group_bo_user",
    )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_registered_correspondent(self):
        """A contact named by registered entries stays: archive it instead.

        Entries not registered yet (drafts, messages kept in error) keep the
        contact's name as free text, and say in their history that the
        contact was deleted: they do not lose their correspondent silently.
        """
        # sudo: the check must see every entry, confidential or of another company
        entries = self.env["bo.mail.register"].sudo().search([("partner_id", "in", self.ids)])
        registered = entries.filtered("name")
        if registered:
            raise UserError(
                self.env._(
                    "%(partner)s is the correspondent of registered entries (%(entry)s): "
                    "archive the contact instead of deleting it.",
                    partner=registered[0].partner_id.display_name,
                    entry=registered[0].name,
                )
            )
        for entry in entries:
            partner = entry.partner_id
            if not entry.partner_name:
                entry.partner_name = partner.display_name
            entry.message_post(
                body=self.env._(
                    "The contact %(partner)s was deleted by %(user)s; the entry keeps "
                    "its name as the correspondent.",
                    partner=partner.display_name,
                    user=self.env.user.display_name,
                ),
                subtype_xmlid="mail.mt_note",
            )

    def _compute_bo_mail_register_count(self):
        counts = dict(
            self.env["bo.mail.register"]._read_group(
                [("partner_id", "child_of", self.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.bo_mail_register_count = sum(
                count
                for p, count in counts.items()
                if p.commercial_partner_id == partner or p == partner
            )

    def action_view_bo_mail_register(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "bo_mailroom.action_bo_mail_register"
        )
        action["domain"] = [("partner_id", "child_of", self.id)]
        action["context"] = {"default_partner_id": self.id}
        return action
