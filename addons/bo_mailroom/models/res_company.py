import pytz

from odoo import api, fields, models
from odoo.tools import SQL


class ResCompany(models.Model):
    _inherit = "res.company"

    bo_mailroom_alias_id = fields.Many2one(
        "mail.alias",
        string="Protocol Alias",
        copy=False,
        help="Every message sent to this address is registered as incoming correspondence.",
        groups="base.group_user",
    )
    bo_segnatura_certificate_id = fields.Many2one(
        "certificate.certificate",
        string="Segnatura Certificate",
        domain="[('company_id', 'in', [id, False])]",
        groups="bo_base.group_bo_manager",
        help="Signs the Segnatura.xml of the letters sent by PEC. Without it letters "
        "are sent without a Segnatura: an unsigned one would not be valid.",
    )
    bo_segnatura_aoo_code = fields.Char(
        string="AOO Code",
        default="AOO",
        help="Code of the company's protocol office in the Segnatura (CodiceAOO). A "
        "public administration uses its IPA code; a company any short code of its own.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        companies._bo_mailroom_ensure_alias()
        return companies

    def _bo_mailroom_ensure_alias(self):
        """Give each company its protocol alias (``protocollo@``)."""
        # sudo: aliases are technical records created for the company
        Alias = self.env["mail.alias"].sudo()
        model = self.env["ir.model"]._get("bo.mail.register")
        for company in self.filtered(lambda c: not c.bo_mailroom_alias_id).sorted("id"):
            domain = company.alias_domain_id
            name = "protocollo"
            if Alias.search_count(
                [("alias_name", "=", name), ("alias_domain_id", "=", domain.id)], limit=1
            ):
                name = f"protocollo-{company.id}"
            company.bo_mailroom_alias_id = Alias.create(
                {
                    "alias_name": name,
                    "alias_model_id": model.id,
                    "alias_defaults": repr({"company_id": company.id}),
                    "alias_contact": "everyone",
                    "alias_domain_id": domain.id,
                }
            )

    def _bo_segnatura_company_code(self):
        """The company in a Segnatura's CodiceAmministrazione: its VAT number
        without the country prefix, else its fiscal code; empty if neither."""
        self.ensure_one()
        vat = (self.vat or "").replace(" ", "").upper()
        if len(vat) > 2 and vat[:2].isalpha() and vat[2:].isalnum():
            vat = vat[2:]
        fiscal_code = ""
        if "l10n_it_codice_fiscale" in self.partner_id._fields:
            fiscal_code = self.partner_id.l10n_it_codice_fiscale or ""
        return vat or fiscal_code.replace(" ", "").upper()

    def _bo_mailroom_tz(self):
        """The time zone of the company's register: it decides the protocol year
        and the days of the daily register, whoever registers.

        The company's own time zone, else the one of its country when the
        country has only one, else UTC; never the user's or the caller's.
        """
        self.ensure_one()
        # One query for every registration: through the ORM it would read the
        # company, its partner (every column) and its country, up to three.
        self.flush_recordset(["partner_id"])
        self.env["res.partner"].flush_model(["tz", "country_id"])
        self.env["res.country"].flush_model(["code"])
        self.env.cr.execute(
            SQL(
                "SELECT partner.tz, country.code FROM res_company company "
                "JOIN res_partner partner ON partner.id = company.partner_id "
                "LEFT JOIN res_country country ON country.id = partner.country_id "
                "WHERE company.id = %s",
                self.id,
            )
        )
        tz, code = self.env.cr.fetchone()
        if tz:
            return tz
        country_zones = pytz.country_timezones.get(code, []) if code else []
        return country_zones[0] if len(country_zones) == 1 else "UTC"
