from odoo import api, models


class BoMailCompanySequenceMixin(models.AbstractModel):
    """Names from a yearly sequence of the record's company, made on first use.

    Each company numbers its own case files and emergency registers. The
    sequence (code ``_bo_sequence_code``) is made from
    ``_prepare_sequence_vals`` the first time a record of the company is
    named, not shipped as data: a company created later gets its own too.
    The uninstall hook removes these sequences.
    """

    _name = "bo.mail.company.sequence.mixin"
    _description = "Back Office Per-Company Sequence"

    _bo_sequence_code = None

    @api.model
    def _bo_next_name(self, company, day):
        """The next name of ``company``'s records, in the year of ``day``."""
        # sudo: the company's sequence belongs to these records, clerks do
        # not manage sequences
        Sequence = self.env["ir.sequence"].sudo()
        sequence = Sequence.search(
            [("code", "=", self._bo_sequence_code), ("company_id", "=", company.id)], limit=1
        )
        if not sequence:
            sequence = Sequence.create(self._prepare_sequence_vals(company))
        return sequence.next_by_id(sequence_date=day)

    @api.model
    def _prepare_sequence_vals(self, company):
        """The values of ``company``'s sequence (name, prefix, padding...)."""
        raise NotImplementedError()
