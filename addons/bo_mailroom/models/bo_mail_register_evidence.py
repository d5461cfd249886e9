from odoo import Command, api, models
from odoo.addons.bo_base.models import bo_guard
from odoo.exceptions import AccessError, UserError

# Once an entry has a protocol number these fields are evidence: only an
# action granted them (the registration, a PEC receipt) writes them again.
EVIDENCE_FIELDS = frozenset(
    {
        "name",
        "protocol_year",
        "protocol_seq",
        "registration_date",
        "direction",
        "partner_id",
        "partner_name",
        "partner_address",
        "email_from",
        "subject",
        "summary",
        "attachment_ids",
        "hash_ids",
        "company_id",
        "document_date",
        "document_ref",
        "channel",
        "reply_to_id",
        "corrected_entry_id",
        "letter_template_id",
        "email_message_id",
        "delivery_state",
    }
)


class BoMailRegister(models.Model):
    """What a registered entry keeps: its content, its files, its history.

    The guard keeps the register's own fields (number, state...) to its
    actions; this file keeps what a clerk wrote on a draft as it was
    registered, the messages of its history, and what a mailbox received.
    """

    _inherit = "bo.mail.register"

    @api.model
    @bo_guard.writes("email_message_id")
    def _bo_create_received(self, vals_list):
        """Create draft entries from a received message, with its Message-ID.

        For the mail intake only: ``email_message_id`` is evidence that no
        user may type, it tells which entry PEC receipts belong to. Every
        other field that only the register's actions set is refused as in
        ``create``.
        """
        return self.create(vals_list)

    def _bo_granted_fields(self, field_names):
        """The fields, among ``field_names``, that the running action is granted."""
        grant = bo_guard.Grant.of(self.env)
        if grant is None:
            return frozenset()
        return frozenset(name for name in field_names if grant.covers(self._name, {name}))

    def _bo_check_evidence(self, vals):
        """Refuse changes of evidence: what a registered entry says, and the
        files of a message received by mail or kept in error."""
        granted = self._bo_granted_fields(vals)
        changed = EVIDENCE_FIELDS.intersection(vals) - granted
        registered = self.filtered("name") if changed else self.browse()
        if registered:
            fields_desc = ", ".join(
                self._fields[fname].get_description(self.env)["string"] for fname in sorted(changed)
            )
            raise UserError(
                self.env._(
                    "Registered entries are evidence: %(fields)s of %(entries)s "
                    "cannot be changed. Register a correction linked to the "
                    "original instead.",
                    fields=fields_desc,
                    entries=", ".join(registered.mapped("name")),
                )
            )
        if "attachment_ids" in vals and "attachment_ids" not in granted:
            received = self.filtered(lambda e: e.email_message_id or e.state != "draft")
            for entry in received:
                if entry._bo_dropped_attachments(vals["attachment_ids"]):
                    raise UserError(
                        self.env._(
                            "The files of %s are what was received: they can be added "
                            "to, not taken away. A manager can discard the whole message.",
                            entry.display_name,
                        )
                    )

    def _bo_dropped_attachments(self, commands):
        """The files of the entry that ``commands`` would take away from it."""
        self.ensure_one()
        current = set(self.attachment_ids.ids)
        kept = set(current)
        for command in commands or ():
            if not isinstance(command, (list, tuple)):
                kept.add(command)
            elif command[0] in (Command.DELETE, Command.UNLINK):
                kept.discard(command[1])
            elif command[0] == Command.LINK:
                kept.add(command[1])
            elif command[0] == Command.CLEAR:
                kept.clear()
            elif command[0] == Command.SET:
                kept = set(command[2])
        return current - kept

    @api.model
    def _bo_frozen_ids(self, ids):
        """The ids, among ``ids``, of entries that are no longer drafts.

        Their files and their history are evidence, as they were at
        registration (or as received, for a message kept in error).
        """
        # sudo: the evidence checks must see every entry, whoever asks
        entries = self.sudo().search([("id", "in", list(ids)), ("state", "!=", "draft")])
        return set(entries.ids)

    @api.model
    def _bo_frozen_file_ids(self, ids):
        """The ids, among ``ids``, of entries whose files are evidence: those
        that are no longer drafts, and drafts received by mail (their files
        are what the mailbox received, waiting for triage)."""
        # sudo: the evidence checks must see every entry, whoever asks
        entries = self.sudo().search(
            [
                ("id", "in", list(ids)),
                "|",
                ("state", "!=", "draft"),
                ("email_message_id", "!=", False),
            ]
        )
        return set(entries.ids)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_registered(self):
        registered = self.filtered("name")
        if registered:
            raise UserError(
                self.env._(
                    "Registered entries are evidence and can never be deleted: %s. "
                    "A manager can cancel them with a reason.",
                    ", ".join(registered.mapped("name")),
                )
            )
        kept = self.filtered(lambda e: e.state == "error")
        if kept:
            raise UserError(
                self.env._(
                    "Messages kept in error are the only copy of what was received and "
                    "can never be deleted: %s. A manager registers them.",
                    ", ".join(kept.mapped("subject")),
                )
            )
        received = self.filtered("email_message_id")
        if received and not self.env.user.has_group("bo_base.group_bo_manager"):
            raise AccessError(
                self.env._(
                    "Mail waiting for triage is what was received: only a Back Office "
                    "manager can discard it (%s). Register it instead.",
                    ", ".join(received.mapped("subject")),
                )
            )

    def _message_update_content(self, message, /, *args, **kwargs):
        """The chatter's edit and delete path: the history of a registered entry stays."""
        self.ensure_one()
        if self.state != "draft":
            raise UserError(
                self.env._(
                    "The history of %s is evidence: its messages cannot be edited or "
                    "deleted. Post a new message instead.",
                    self.display_name,
                )
            )
        return super()._message_update_content(message, *args, **kwargs)
