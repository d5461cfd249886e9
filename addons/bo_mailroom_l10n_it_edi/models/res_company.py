import fnmatch

from odoo import fields, models
from odoo.tools import email_normalize

from ..tools import sdi


class ResCompany(models.Model):
    _inherit = "res.company"

    bo_sdi_pec_senders = fields.Char(
        string="SdI PEC Senders",
        default=sdi.SDI_SENDER_PATTERNS_DEFAULT,
        groups="base.group_user",
        help="The certified senders whose PEC messages are the SdI's e-invoices and "
        "notifications, separated by commas; * stands for any characters. The SdI "
        "writes from sdi*@pec.fatturapa.it (sdi01@pec.fatturapa.it, ...). Only messages "
        "fetched from a mailbox marked as PEC and certified by the provider as sent from "
        "one of these addresses are read as the SdI's.",
    )

    def _bo_is_sdi_sender(self, sender):
        """Whether ``sender``, the certified sender of a PEC message, is the SdI's."""
        self.ensure_one()
        address = email_normalize(sender or "")
        if not address:
            return False
        patterns = (self.bo_sdi_pec_senders or "").split(",")
        return any(
            fnmatch.fnmatchcase(address, pattern.strip().lower())
            for pattern in patterns
            if pattern.strip()
        )
