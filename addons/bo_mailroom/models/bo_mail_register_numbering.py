import pytz
from markupsafe import escape

from odoo import fields, models
from odoo.addons.bo_base.models import bo_guard
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import SQL

REGISTERED_SUBTYPE = "bo_mailroom.mt_bo_mail_register_registered"

# Give the entry ``entry_id`` the number ``first_seq`` of ``company`` and
# ``year`` (the last one + 1 when NULL), or the next free one; return the
# number and the name written. A number that another transaction holds is
# waited for, and the next one is tried only when that transaction commits
# (the unique indexes are the arbiter). Each try runs in the block's own
# subtransaction, as a savepoint would; only a conflict on the number or on
# the name is tried again, anything else is raised. The name is the year, a
# slash and the number on seven digits at least.
_NUMBER_FUNCTION = SQL(
    """
    CREATE OR REPLACE FUNCTION bo_mail_register_assign_number(
        entry_id integer, company integer, year integer, first_seq integer,
        registered timestamp, OUT new_seq integer, OUT new_name varchar
    ) LANGUAGE plpgsql AS $$
    DECLARE
        conflict text;
    BEGIN
        new_seq := first_seq;
        IF new_seq IS NULL THEN
            SELECT COALESCE(MAX(protocol_seq), 0) + 1 INTO new_seq FROM bo_mail_register
             WHERE company_id = company AND protocol_year = year;
        END IF;
        LOOP
            new_name := year || '/' || CASE WHEN new_seq < 10000000
                THEN lpad(new_seq::text, 7, '0') ELSE new_seq::text END;
            BEGIN
                UPDATE bo_mail_register
                   SET protocol_year = year, protocol_seq = new_seq, name = new_name,
                       registration_date = registered
                 WHERE id = entry_id;
                RETURN;
            EXCEPTION WHEN unique_violation THEN
                GET STACKED DIAGNOSTICS conflict = CONSTRAINT_NAME;
                IF conflict NOT IN ('bo_mail_register_unique_protocol',
                                    'bo_mail_register_unique_name') THEN
                    RAISE;
                END IF;
                new_seq := new_seq + 1;
            END;
        END LOOP;
    END;
    $$
    """
)


class BoMailRegister(models.Model):
    """Registration: the protocol number, the files' fingerprints, the
    correspondent as registered and the line in the entry's history."""

    _inherit = "bo.mail.register"

    def action_register(self):
        """Give the entries their protocol number and fingerprint their files.

        The entries are registered together, in the order they were created:
        what does not depend on the entry (the company's year, the last
        number, the fingerprints, the history lines) is read or written once
        for all of them.
        """
        self._bo_check_transition("register")
        for entry in self:
            if entry.state == "error" and not self.env.user.has_group("bo_base.group_bo_manager"):
                raise AccessError(
                    self.env._("Only a Back Office manager can register a message kept in error.")
                )
            if not (entry.partner_id or entry.partner_name or entry.email_from):
                raise ValidationError(
                    self.env._(
                        "Say who sent or receives %s: choose a contact or type a name.",
                        entry.subject,
                    )
                )
            # Only an entry the user may read can be answered by their reply.
            entry.reply_to_id.check_access("read")
        entries = self.sorted("id")
        entries._assign_protocol_numbers()
        for entry in entries:
            if entry.letter_template_id and entry.direction == "outgoing":
                entry._bo_attach_letter()
        entries._store_fingerprints()
        for entry in entries:
            entry._bo_transition(
                "register",
                {
                    "state": "assigned" if entry.user_id else "registered",
                    "error_reason": False,
                    **entry._bo_correspondent_snapshot(),
                },
            )
        entries._bo_log_registration()
        for entry in entries:
            original = entry.reply_to_id
            if (
                entry.direction == "outgoing"
                and original.direction == "incoming"
                and original._bo_can_transition("answer")
            ):
                # sudo: registering the reply answers the letter whoever it is
                # assigned to; the clerk who replies to a colleague's letter may
                # read it (checked above) but not edit it
                original.sudo()._bo_transition("answer", {"state": "answered"})
        return True

    def _bo_correspondent_snapshot(self):
        """The correspondent's name and address as they are at registration."""
        self.ensure_one()
        partner = self.partner_id.sudo()
        if not partner:
            return {"partner_address": False}
        return {
            "partner_name": partner.display_name,
            "partner_address": partner._display_address(without_company=False).strip() or False,
        }

    @bo_guard.writes("partner_name", "partner_address")
    def _bo_snapshot_correspondent(self):
        """Keep the correspondent of registered entries as the contact is now
        (for entries registered before the register kept it)."""
        for entry in self:
            entry.write(entry._bo_correspondent_snapshot())

    def init(self):
        res = super().init()
        self.env.cr.execute(_NUMBER_FUNCTION)
        return res

    def _assign_protocol_numbers(self):
        """Give each entry the next free number of its company and year, in order.

        The year is the one of the company's time zone, the one the daily
        register uses, whoever registers (the gateway in UTC, a clerk, an RPC
        client with its own ``tz`` in the context).

        The unique index on (company, year, number) is the arbiter: a number
        is tried and, when another transaction got it first, PostgreSQL makes
        us wait for it and reports the conflict only if that transaction
        commits; then the next number is tried. A number is thus never
        skipped (a rolled back registration frees it for the waiting one) nor
        given twice, and registering transactions never fail with a
        serialization error, whatever their isolation level.

        The tries run in the database (:data:`_NUMBER_FUNCTION`): one query
        per entry however many registrations run at once, where a savepoint
        per try cost three. The last number of a company and year is read
        once for the entries registered together.
        """
        now = fields.Datetime.now()
        self.flush_recordset()
        cr = self.env.cr
        years = {}
        next_seqs = {}
        for entry in self:
            company = entry.company_id
            if company not in years:
                company_tz = pytz.timezone(company._bo_mailroom_tz())
                years[company] = pytz.utc.localize(now).astimezone(company_tz).year
            year = years[company]
            cr.execute(
                SQL(
                    "SELECT new_seq, new_name "
                    "FROM bo_mail_register_assign_number(%s, %s, %s, %s, %s)",
                    entry.id,
                    company.id,
                    year,
                    next_seqs.get((company, year)),
                    now,
                )
            )
            seq, name = cr.fetchone()
            next_seqs[(company, year)] = seq + 1
            # What was just written goes into the cache: reading it back would
            # cost a query per registration.
            entry._update_cache(
                {
                    "protocol_year": year,
                    "protocol_seq": seq,
                    "name": name,
                    "registration_date": now,
                },
                validate=False,
            )
        self.env.add_to_compute(self._fields["retention_date"], self)
        self.modified(["name", "registration_date"])

    def _bo_log_registration(self):
        """Write "Registered with protocol number ..." in each entry's history.

        Written explicitly: tracking ignores changes made in the transaction
        that created the record, which is how the gateway registers. An entry
        whose followers are to be told gets a regular post; the others (the
        gateway's entries, a clerk's own) get the same message in one insert
        for all of them, without the lookups of the notification machinery
        (parent message, reply-to address, recipients).
        """
        if not self:
            return
        author = self.env.user.partner_id
        # Read through the ORM: an entry the gateway has just created has its
        # followers in the cache already, and costs no query.
        # sudo: who follows an entry, whoever registers it
        followed = self.filtered(
            lambda entry: entry.sudo().message_follower_ids.partner_id - author
        )
        for entry in followed:
            entry.message_post(
                body=self.env._("Registered with protocol number %s.", entry.name),
                subtype_xmlid=REGISTERED_SUBTYPE,
            )
        quiet = self - followed
        if not quiet:
            return
        author_id, email_from = quiet._message_compute_author()
        subtype_id = self.env["ir.model.data"]._xmlid_to_res_id(REGISTERED_SUBTYPE)
        # sudo: the history line of the register's own action, as message_post writes it
        quiet.sudo()._message_create(
            [
                {
                    "author_id": author_id,
                    "email_from": email_from,
                    "model": self._name,
                    "res_id": entry.id,
                    "body": escape(self.env._("Registered with protocol number %s.", entry.name)),
                    "message_type": "notification",
                    "subtype_id": subtype_id,
                    "record_company_id": entry.company_id.id,
                    # Nobody is notified: no email goes out, with no reply address.
                    "reply_to": False,
                    "email_add_signature": False,
                }
                for entry in quiet
            ]
        )
