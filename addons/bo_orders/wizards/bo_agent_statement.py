from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools.date_utils import start_of


class BoAgentStatement(models.TransientModel):
    """What an agent's customers ordered, were invoiced and paid in a period,
    and the commissions the agent earned, had settled and is due (after the
    Enasarco share withheld from Italian agents). Printed in the agent's
    language and sent to the agent by email."""

    _name = "bo.agent.statement"
    _description = "Agent Statement"

    agent_id = fields.Many2one("res.partner", required=True, domain=[("agent", "=", True)])
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    date_from = fields.Date(
        string="From",
        required=True,
        default=lambda self: start_of(fields.Date.context_today(self), "year"),
    )
    date_to = fields.Date(
        string="To", required=True, default=lambda self: fields.Date.context_today(self)
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    agent_currency_id = fields.Many2one(
        "res.currency", compute="_compute_agent_currency_id", string="Agent's Currency"
    )
    order_count = fields.Integer(string="Confirmed Orders", compute="_compute_totals")
    order_amount = fields.Monetary(string="Ordered", compute="_compute_totals")
    invoiced_amount = fields.Monetary(string="Invoiced", compute="_compute_totals")
    paid_amount = fields.Monetary(string="Paid", compute="_compute_totals")
    commission_amount = fields.Monetary(string="Commissions Earned", compute="_compute_totals")
    settled_amount = fields.Monetary(string="Commissions Settled", compute="_compute_totals")
    enasarco_agent_amount = fields.Monetary(string="Enasarco (Agent)", compute="_compute_totals")
    enasarco_principal_amount = fields.Monetary(
        string="Enasarco (Principal)", compute="_compute_totals"
    )
    firr_amount = fields.Monetary(string="FIRR", compute="_compute_totals")
    enasarco_topup_amount = fields.Monetary(
        string="Enasarco Top-up to the Yearly Minimum",
        compute="_compute_totals",
        help="For each year that ends in the period: what the principal pays on top "
        "when the year's contributions (agent's and principal's share) stay under "
        "the yearly minimum.",
    )
    commission_due = fields.Monetary(
        compute="_compute_totals",
        help="Settled commissions less the agent's Enasarco share withheld.",
    )

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for statement in self:
            if statement.date_from > statement.date_to:
                raise ValidationError(
                    self.env._("The statement's start date is after its end date.")
                )

    @api.constrains("agent_id")
    def _check_agent(self):
        for statement in self:
            if not statement.agent_id.agent:
                raise ValidationError(
                    self.env._(
                        "%(partner)s is not an agent: statements are for agents only.",
                        partner=statement.agent_id.display_name,
                    )
                )

    @api.depends("agent_id", "company_id")
    def _compute_agent_currency_id(self):
        for statement in self:
            statement.agent_currency_id = (
                statement.agent_id.bo_agent_currency_id or statement.currency_id
            )

    def _to_company(self, amount, currency, date):
        return currency._convert(amount, self.currency_id, self.company_id, date)

    def _in_agent_currency(self, amount):
        """``amount`` of the company currency in the agent's, at the period's end."""
        self.ensure_one()
        return self.currency_id._convert(
            amount, self.agent_currency_id, self.company_id, self.date_to
        )

    def _order_lines(self):
        return self.env["sale.order.line.agent"].search(
            [
                ("agent_id", "=", self.agent_id.id),
                ("object_id.order_id.state", "=", "sale"),
                ("object_id.order_id.company_id", "=", self.company_id.id),
                ("object_id.order_id.date_order", ">=", self.date_from),
                ("object_id.order_id.date_order", "<", fields.Date.add(self.date_to, days=1)),
            ]
        )

    def _invoice_lines(self):
        return self.env["account.invoice.line.agent"].search(
            [
                ("agent_id", "=", self.agent_id.id),
                ("company_id", "=", self.company_id.id),
                ("invoice_id.state", "=", "posted"),
                ("invoice_date", ">=", self.date_from),
                ("invoice_date", "<=", self.date_to),
            ]
        )

    def _settlements(self):
        return self.env["commission.settlement"].search(
            [
                ("agent_id", "=", self.agent_id.id),
                ("company_id", "=", self.company_id.id),
                ("state", "!=", "cancel"),
                ("date_to", ">=", self.date_from),
                ("date_to", "<=", self.date_to),
            ],
            order="date_from, id",
        )

    @api.depends("agent_id", "company_id", "date_from", "date_to")
    def _compute_totals(self):
        for statement in self:
            values = (
                statement._statement_values()
                if statement.agent_id and statement.date_from and statement.date_to
                else {}
            )
            for field in (
                "order_count",
                "order_amount",
                "invoiced_amount",
                "paid_amount",
                "commission_amount",
                "settled_amount",
                "enasarco_agent_amount",
                "enasarco_principal_amount",
                "firr_amount",
                "enasarco_topup_amount",
                "commission_due",
            ):
                statement[field] = values.get(field, 0)

    def _statement_values(self):
        """The statement's totals, all in the company currency."""
        self.ensure_one()
        order_lines = self._order_lines()
        order_amount = sum(
            self._to_company(
                line.object_id.price_subtotal,
                line.object_id.currency_id,
                line.object_id.order_id.date_order,
            )
            for line in order_lines
        )
        invoiced = paid = commission = 0.0
        for line in self._invoice_lines():
            move = line.invoice_id
            base = -line.object_id.balance
            invoiced += base
            if move.amount_total:
                paid += base * (1 - move.amount_residual / move.amount_total)
            commission += self._to_company(line.amount, line.currency_id, line.invoice_date)
        settlements = self._settlements()
        settled = sum(self._to_company(s.total, s.currency_id, s.date_to) for s in settlements)
        euro = self.env.ref("base.EUR")

        def from_euro(field):
            return round_(sum(self._to_company(s[field], euro, s.date_to) for s in settlements))

        round_ = self.currency_id.round
        enasarco_agent = from_euro("bo_enasarco_agent_amount")
        return {
            "order_count": len(order_lines.object_id.order_id),
            "order_amount": round_(order_amount),
            "invoiced_amount": round_(invoiced),
            "paid_amount": round_(paid),
            "commission_amount": round_(commission),
            "settled_amount": round_(settled),
            "enasarco_agent_amount": enasarco_agent,
            "enasarco_principal_amount": from_euro("bo_enasarco_principal_amount"),
            "firr_amount": from_euro("bo_firr_amount"),
            "enasarco_topup_amount": round_(self._enasarco_topup()),
            "commission_due": round_(settled - enasarco_agent),
        }

    def _enasarco_topup(self):
        """Top-up to the yearly minimum of each year closed in the period, in the
        company currency. A year without commissions owes no minimum."""
        euro = self.env.ref("base.EUR")
        topup = 0.0
        for year in range(self.date_from.year, self.date_to.year + 1):
            year_end = fields.Date.to_date(f"{year}-12-31")
            if year_end > self.date_to:
                continue
            settlements = self.env["commission.settlement"].search(
                [
                    ("agent_id", "=", self.agent_id.id),
                    ("company_id", "=", self.company_id.id),
                    ("state", "!=", "cancel"),
                    ("bo_enasarco_rate_id", "!=", False),
                    ("date_to", ">=", fields.Date.to_date(f"{year}-01-01")),
                    ("date_to", "<=", year_end),
                ]
            )
            if not settlements or sum(settlements.mapped("total")) <= 0:
                continue
            paid = sum(settlements.mapped("bo_enasarco_agent_amount")) + sum(
                settlements.mapped("bo_enasarco_principal_amount")
            )
            missing = settlements.bo_enasarco_rate_id[:1].minimum - paid
            if missing > 0:
                topup += self._to_company(missing, euro, year_end)
        return topup

    def action_print(self):
        self.ensure_one()
        return self.env.ref("bo_orders.action_report_bo_agent_statement").report_action(self)

    def action_send_email(self):
        """Send the statement's PDF to the agent, in the agent's language."""
        self.ensure_one()
        if not self.agent_id.email:
            raise UserError(
                self.env._(
                    "%(agent)s has no email address: add it to send the statement.",
                    agent=self.agent_id.display_name,
                )
            )
        template = self.env.ref("bo_orders.mail_template_bo_agent_statement")
        template.send_mail(self.id, email_layout_xmlid="mail.mail_notification_light")
        # sudo: the order desk sends statements without the right to edit partners;
        # the note only records the sending on the agent, in the sender's name
        self.agent_id.sudo().message_post(
            author_id=self.env.user.partner_id.id,
            body=self.env._(
                "Agent statement from %(date_from)s to %(date_to)s sent.",
                date_from=self.date_from,
                date_to=self.date_to,
            ),
        )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._("The statement was sent to %s.", self.agent_id.email),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
