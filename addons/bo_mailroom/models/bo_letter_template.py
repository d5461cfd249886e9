from odoo import api, fields, models
from odoo.exceptions import UserError


class BoLetterTemplate(models.Model):
    """The text of an outgoing letter, rendered on its register entry.

    Built on ``mail.render.mixin`` as mail templates are: the body is QWeb
    (``object`` is the register entry), editing code in it needs the Mail
    Template Editor group, and each letter is rendered in the language of
    its recipient (the body is translatable).
    """

    _name = "bo.letter.template"
    _inherit = ["mail.render.mixin"]
    _description = "Letter Template"
    _order = "sequence, name"
    _unrestricted_rendering = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", index=True)
    lang = fields.Char(default="{{ object.partner_id.lang or object.company_id.partner_id.lang }}")
    body_html = fields.Html(
        string="Body",
        render_engine="qweb",
        render_options={"post_process": True},
        translate=True,
        sanitize="email_outgoing",
        help='QWeb: write <t t-out="object.partner_id.name"/> to print a field '
        "of the register entry.",
    )

    def _compute_render_model(self):
        self.render_model = "bo.mail.register"

    def _render_letter(self, entry):
        self.ensure_one()
        return self._render_field("body_html", entry.ids, engine="qweb", compute_lang=True)[
            entry.id
        ]

    @api.ondelete(at_uninstall=False)
    def _unlink_except_used(self):
        """A template that register entries print stays: archive it instead."""
        # sudo: every entry counts, confidential or of another company
        entries = (
            self.env["bo.mail.register"]
            .sudo()
            .search([("letter_template_id", "in", self.ids)], limit=1)
        )
        if entries:
            raise UserError(
                self.env._(
                    "%(template)s is the letter of register entries (%(entry)s): archive "
                    "it instead of deleting it.",
                    template=entries.letter_template_id.display_name,
                    entry=entries.display_name,
                )
            )
