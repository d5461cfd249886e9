from odoo import api, fields, models


class FetchmailServer(models.Model):
    """Which incoming mailboxes the register trusts for certified email."""

    _inherit = "fetchmail.server"

    bo_is_pec = fields.Boolean(
        string="PEC Mailbox",
        help="This mailbox is a certified email (PEC) mailbox: only what it fetches "
        "is read as PEC envelopes and receipts. The same headers in mail fetched "
        "from any other mailbox are ignored.",
    )
    bo_company_id = fields.Many2one(
        "res.company",
        string="Register Company",
        default=lambda self: self.env.company,
        help="The company whose register receives this mailbox's mail; PEC receipts "
        "fetched here update only this company's outgoing entries.",
    )

    @api.model
    def _bo_fetching_server(self):
        """The mailbox whose fetching job is processing a message now, if any.

        Only the fetching job runs the gateway as the superuser: a client that
        calls ``message_process`` over RPC with the same context key is not
        believed.
        """
        server_id = self.env.context.get("default_fetchmail_server_id")
        if not isinstance(server_id, int) or not self.env.is_superuser():
            return self.browse()
        return self.browse(server_id).exists()
