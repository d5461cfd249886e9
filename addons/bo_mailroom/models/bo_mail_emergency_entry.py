from odoo import api, fields, models
from odoo.addons.bo_base.models import bo_guard
from odoo.exceptions import UserError, ValidationError

from .bo_mail_register import CHANNELS

DIRECTIONS = [
    ("incoming", "Incoming"),
    ("outgoing", "Outgoing"),
]


class BoMailEmergencyEntry(models.Model):
    """An entry of an emergency register, as the office wrote it on paper.

    Its emergency number is gap-free inside its register and starts at 1: it
    is given at creation, in order, and only the last entry of an open
    register may be deleted. Once the register is closed its entries are
    evidence: the recovery only links each one to the protocol entry it
    became (``register_entry_id``).
    """

    _name = "bo.mail.emergency.entry"
    _description = "Emergency Register Entry"
    _order = "emergency_register_id, sequence_number, id"
    _check_company_auto = True

    emergency_register_id = fields.Many2one(
        "bo.mail.emergency.register",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    company_id = fields.Many2one(
        related="emergency_register_id.company_id", store=True, index=True, precompute=True
    )
    state = fields.Selection(related="emergency_register_id.state")
    sequence_number = fields.Integer(
        string="Emergency Number",
        readonly=True,
        copy=False,
        aggregator=None,
        bo_guarded=True,
        help="Gap-free inside its emergency register, from 1.",
    )
    registered_at = fields.Datetime(
        required=True,
        help="Date and time written on the emergency register.",
    )
    direction = fields.Selection(DIRECTIONS, required=True, default="incoming")
    channel = fields.Selection(CHANNELS, required=True, default="post")
    correspondent = fields.Char(required=True, help="Sender of incoming, recipient of outgoing.")
    subject = fields.Char(required=True)
    notes = fields.Text()
    register_entry_id = fields.Many2one(
        "bo.mail.register",
        string="Protocol Entry",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="restrict",
        bo_guarded=True,
        help="The protocol entry this emergency entry became on recovery.",
    )

    _unique_number = models.UniqueIndex(
        "(emergency_register_id, sequence_number)",
        "This emergency number is already used in its register.",
    )

    @api.depends("emergency_register_id.name", "sequence_number", "subject")
    def _compute_display_name(self):
        for line in self:
            line.display_name = (
                f"{line.emergency_register_id.name or ''} #{line.sequence_number or ''} "
                f"- {line.subject or ''}"
            )

    @api.constrains("registered_at", "emergency_register_id")
    def _check_registered_at(self):
        for line in self:
            register = line.emergency_register_id
            end = register.end_datetime
            if line.registered_at < register.start_datetime or (end and line.registered_at > end):
                raise ValidationError(
                    self.env._(
                        "Emergency entry %(entry)s is dated outside the outage of "
                        "%(register)s: date it between its start and its end.",
                        entry=line.subject,
                        register=register.display_name,
                    )
                )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._bo_guard_check(vals)
        registers = self.env["bo.mail.emergency.register"].browse(
            {
                vals.get("emergency_register_id")
                for vals in vals_list
                if vals.get("emergency_register_id")
            }
        )
        registers._bo_check_open()
        next_numbers = registers._bo_lock_next_numbers()
        for vals in vals_list:
            register_id = vals.get("emergency_register_id")
            if register_id:
                vals["sequence_number"] = next_numbers[register_id]
                next_numbers[register_id] += 1
        lines = super(BoMailEmergencyEntry, bo_guard.grant(self, "sequence_number")).create(
            vals_list
        )
        return lines.with_env(self.env)

    def write(self, vals):
        if "emergency_register_id" in vals and any(
            line.emergency_register_id.id != vals["emergency_register_id"] for line in self
        ):
            raise UserError(self.env._("An emergency entry stays in its emergency register."))
        grant = bo_guard.Grant.of(self.env)
        recovering = grant and grant.covers(self._name, set(vals))
        if not recovering:
            self.emergency_register_id._bo_check_open()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_closed_or_numbered_after(self):
        self.emergency_register_id._bo_check_open()
        for register in self.emergency_register_id:
            deleted = self.filtered(lambda line, r=register: line.emergency_register_id == r)
            kept = register.line_ids - deleted
            if kept and max(kept.mapped("sequence_number")) > min(
                deleted.mapped("sequence_number")
            ):
                raise UserError(
                    self.env._(
                        "Emergency numbers of %s are gap-free: only its last entries can "
                        "be deleted.",
                        register.display_name,
                    )
                )

    # ------------------------------------------------------------------
    # Recovery
    # ------------------------------------------------------------------

    def _prepare_register_vals(self):
        """Values of the protocol entry this emergency entry becomes."""
        self.ensure_one()
        return {
            "company_id": self.company_id.id,
            "direction": self.direction,
            "channel": self.channel,
            "partner_name": self.correspondent,
            "subject": self.subject,
            "summary": self.notes,
            "emergency_register_id": self.emergency_register_id.id,
            "emergency_number": self.sequence_number,
            "emergency_date": self.registered_at,
        }

    def _bo_recover(self):
        """Register the entries in the protocol, in the order of ``self``.

        Created in that order and registered together, they take the next
        numbers of the normal sequence through the register's own
        registration, in that order.
        """
        Register = bo_guard.grant(
            self.env["bo.mail.register"],
            "emergency_register_id",
            "emergency_number",
            "emergency_date",
        )
        entries = Register.create([line._prepare_register_vals() for line in self])
        entries = entries.with_env(self.env)
        entries.action_register()
        granted = bo_guard.grant(self, "register_entry_id")
        for line, entry in zip(granted, entries, strict=True):
            line.register_entry_id = entry
        return entries
