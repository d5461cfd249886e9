from odoo import api, fields, models
from odoo.tools import email_normalize


class BoMailRoutingRule(models.Model):
    """How the mail gateway classifies and assigns what it registers.

    Rules are tried in sequence; the first one whose every filled-in
    condition matches the message applies.
    """

    _name = "bo.mail.routing.rule"
    _description = "Mailroom Routing Rule"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", index=True, default=lambda self: self.env.company)
    sender_pattern = fields.Char(
        string="Sender Address or Domain",
        help="A full address (info@example.com) or a domain (example.com).",
    )
    partner_id = fields.Many2one("res.partner", string="Sender Contact", check_company=True)
    recipient_pattern = fields.Char(
        string="Recipient Address",
        help="Matches when this text is part of one of the To/Cc addresses.",
    )
    subject_keywords = fields.Char(
        help="Comma-separated words; the rule matches when the subject contains any of them.",
    )
    category_id = fields.Many2one("bo.mail.category", string="Classification", check_company=True)
    user_id = fields.Many2one("res.users", string="Assignee")
    tag_ids = fields.Many2many("bo.mail.tag", string="Tags")
    confidentiality = fields.Selection(
        [("normal", "Normal"), ("confidential", "Confidential")], default="normal", required=True
    )
    reply_days = fields.Integer(
        string="Reply Within (Days)", help="Sets the reply deadline; 0 means no deadline."
    )
    register_at_once = fields.Boolean(
        default=True,
        help="Give matching messages their protocol number as they arrive. Otherwise "
        "they wait without a number in the triage list, as any message that matches "
        "no rule does, until a clerk registers them.",
    )
    send_acknowledgement = fields.Boolean(
        help="Email the sender an acknowledgement with the protocol number, in their "
        "language: only for messages registered at once, and only to a known contact "
        "or to the sender certified by a PEC provider.",
    )

    _check_reply_days = models.Constraint(
        "CHECK(reply_days >= 0)", "The reply delay cannot be negative."
    )

    def _matches(self, vals, msg_dict):
        self.ensure_one()
        sender = email_normalize(vals.get("email_from") or "") or ""
        if self.sender_pattern:
            pattern = self.sender_pattern.strip().lower().lstrip("@")
            if "@" in pattern:
                if sender != pattern:
                    return False
            elif not (sender.endswith(("@" + pattern, "." + pattern))):
                return False
        if self.partner_id:
            partner = self.env["res.partner"].browse(vals.get("partner_id"))
            if (
                not partner
                or partner.commercial_partner_id != self.partner_id.commercial_partner_id
            ):
                return False
        if self.recipient_pattern:
            recipients = " ".join(
                filter(None, [msg_dict.get("to"), msg_dict.get("cc"), msg_dict.get("recipients")])
            ).lower()
            if self.recipient_pattern.strip().lower() not in recipients:
                return False
        if self.subject_keywords:
            subject = (vals.get("subject") or "").lower()
            keywords = [k.strip().lower() for k in self.subject_keywords.split(",") if k.strip()]
            if keywords and not any(k in subject for k in keywords):
                return False
        return True

    @api.model
    def _bo_match(self, vals, msg_dict):
        """Return the first active rule of the entry's company matching the message."""
        # The rules and what matching and applying one reads, in one query.
        rules = self.search_fetch(
            [("company_id", "in", [False, vals.get("company_id")])],
            [
                "sender_pattern",
                "partner_id",
                "recipient_pattern",
                "subject_keywords",
                "confidentiality",
                "category_id",
                "user_id",
                "reply_days",
                "register_at_once",
                "send_acknowledgement",
            ],
        )
        for rule in rules:
            if rule._matches(vals, msg_dict):
                return rule
        return self.browse()

    def _prepare_register_vals(self):
        if not self:
            return {}
        self.ensure_one()
        vals = {"confidentiality": self.confidentiality}
        if self.category_id:
            vals["category_id"] = self.category_id.id
        if self.user_id:
            vals["user_id"] = self.user_id.id
        if self.tag_ids:
            vals["tag_ids"] = [fields.Command.set(self.tag_ids.ids)]
        if self.reply_days:
            vals["deadline_date"] = self.env["bo.mail.register"]._bo_deadline_from_days(
                self.reply_days
            )
        return vals
