import base64
import logging
import re

import pytz
from markupsafe import Markup

from odoo import Command, fields, models
from odoo.addons.bo_base.models import bo_guard
from odoo.exceptions import UserError

from ..tools import segnatura
from .bo_mail_register_integrity import FINGERPRINT_FIELDS

_logger = logging.getLogger(__name__)

SEGNATURA_STATES = [
    ("sent", "Sent"),
    ("missing", "Sent Without Segnatura"),
    ("valid", "Valid"),
    ("mismatch", "Fingerprint Mismatch"),
    ("invalid", "Invalid"),
]
# An 11-digit number: the only VAT or fiscal code of a company the schema takes.
ITALIAN_COMPANY_CODE = re.compile(r"[0-9]{11}")


class BoMailRegister(models.Model):
    """The *Segnatura* of protocol interoperability (AgID, Allegato 6).

    An outgoing letter sent by PEC carries ``Segnatura.xml``, signed with
    the company's certificate: its number, date, subject, classification and
    the SHA-256 of each file. An incoming PEC carrying one is checked: the
    schema, the signature, each file against its declared fingerprint; what
    the sender declares fills the entry only when the Segnatura can be
    trusted. The mapping of a private company onto AgID's public codes is
    explained in the readme; the XML itself is ``tools/segnatura.py``.
    """

    _inherit = "bo.mail.register"

    segnatura_state = fields.Selection(
        SEGNATURA_STATES,
        string="Segnatura",
        readonly=True,
        copy=False,
        tracking=True,
        bo_guarded=True,
        help="Outgoing PEC: whether the letter carried a signed Segnatura.xml. "
        "Incoming PEC: the result of checking the Segnatura.xml it carried "
        "(schema, signature and fingerprint of each file).",
    )

    @bo_guard.writes("segnatura_state")
    def _bo_segnatura_set_state(self, state):
        self.segnatura_state = state

    # ------------------------------------------------------------------
    # Outgoing: the Segnatura of a letter sent by PEC
    # ------------------------------------------------------------------

    def _bo_send_by_email(self, body=None):
        """A letter sent by PEC carries its Segnatura, among its files."""
        self.ensure_one()
        if self.direction == "outgoing" and self.channel == "pec":
            self._bo_attach_segnatura()
        return super()._bo_send_by_email(body=body)

    def _bo_segnatura_certificate(self):
        """The company's signing certificate, or None."""
        self.ensure_one()
        # sudo: certificates are for administrators; the clerk sending the
        # letter signs with the company's one without reading it
        certificate = self.company_id.sudo().bo_segnatura_certificate_id
        return certificate or None

    def _bo_segnatura_unavailable(self):
        """Why this letter cannot carry a Segnatura, or None.

        Each reason is a setting or the letter itself: the letter is sent
        anyway, as before, and the reason is written on it. A Segnatura
        without a signature, or without a document, would not be valid.
        """
        self.ensure_one()
        if not self.name:
            return self.env._("the letter has no protocol number yet.")
        certificate = self._bo_segnatura_certificate()
        if not certificate:
            return self.env._(
                "the company has no certificate to sign it (Settings, Mailroom); "
                "an unsigned Segnatura is not valid."
            )
        if not certificate.is_valid or not certificate.private_key_id:
            return self.env._(
                "the company's certificate %s is expired or has no private key.",
                certificate.display_name,
            )
        if not self.company_id._bo_segnatura_company_code():
            return self.env._("the company has neither a VAT number nor a fiscal code.")
        if not self._bo_segnatura_files():
            return self.env._("the letter has no document to describe.")
        return None

    def _bo_segnatura_files(self):
        """The files the Segnatura describes: the primary document first.

        The primary document is the printed letter when there is one, else
        the first file of the entry.
        """
        self.ensure_one()
        files = self.attachment_ids.filtered(
            lambda a: (a.name or "").lower() != segnatura.FILENAME.lower()
        ).sorted("id")
        if self.letter_template_id and self.name:
            prefix = f"{self.name.replace('/', '-')}."
            letter = files.filtered(lambda a: (a.name or "").startswith(prefix))[:1]
            files = letter + (files - letter)
        return files

    def _bo_segnatura_party(self, partner, name=None):
        """A correspondent as the schema describes it: a company or a person."""
        if not partner:
            return {"name": name or self.env._("Unknown")}
        commercial = partner.commercial_partner_id
        if not commercial.is_company and " " in (commercial.name or "").strip():
            first_name, last_name = commercial.name.strip().rsplit(" ", 1)
            return {
                "person": True,
                "first_name": first_name,
                "last_name": last_name,
                "email": partner.email_normalized or None,
            }
        vat = re.sub(r"^[A-Z]{2}", "", (commercial.vat or "").replace(" ", "").upper())
        return {
            "name": commercial.name,
            "vat": vat if ITALIAN_COMPANY_CODE.fullmatch(vat) else None,
            "email": partner.email_normalized or None,
        }

    def _bo_segnatura_values(self):
        """What the Segnatura of this registered letter says (see the readme)."""
        self.ensure_one()
        company = self.company_id
        if not self.category_id:
            raise UserError(
                self.env._(
                    "Classify %s before sending it by PEC: its Segnatura states the "
                    "classification.",
                    self.display_name,
                )
            )
        local = pytz.utc.localize(self.registration_date).astimezone(
            pytz.timezone(company._bo_mailroom_tz())
        )
        sender = self._bo_segnatura_party(company.partner_id)
        sender.pop("person", None)
        sender["name"] = company.name
        code = company._bo_segnatura_company_code()
        sender["vat"] = code if ITALIAN_COMPANY_CODE.fullmatch(code) else None
        return {
            "administration_code": code,
            "aoo_code": company.bo_segnatura_aoo_code or "AOO",
            # Entry 2026/0000012 is NumeroRegistrazione 0000012; the year is the
            # one of DataRegistrazione, in the company's time zone as the number.
            "number": f"{self.protocol_seq:07d}",
            "date": local.date(),
            "time": local.isoformat(timespec="seconds")[11:],
            "subject": self.subject,
            "classification": {
                "name": self.category_id.name,
                "code": self.category_id.complete_code,
            },
            "case": {"name": self.case_id.subject, "code": self.case_id.name}
            if self.case_id
            else None,
            "confidential": self.confidentiality == "confidential",
            "sender": sender,
            "recipients": [self._bo_segnatura_party(self.partner_id, self.partner_name)],
            "documents": [
                {
                    "name": attachment.name,
                    "mimetype": attachment.mimetype or "application/octet-stream",
                    "content": attachment.raw or b"",
                }
                for attachment in self._bo_segnatura_files()
            ],
        }

    def _bo_segnatura_content(self):
        """The signed Segnatura of this letter, checked against AgID's schema."""
        self.ensure_one()
        certificate = self._bo_segnatura_certificate()
        root = segnatura.build(self._bo_segnatura_values())
        der = base64.b64decode(certificate._get_der_certificate_bytes(formatting="base64"))
        segnatura.sign(root, der, lambda data: certificate._sign(data, formatting="base64"))
        content = segnatura.tostring(root)
        errors = segnatura.schema_errors(segnatura.parse(content))
        if errors:
            raise UserError(
                self.env._(
                    "The Segnatura of %(entry)s does not follow AgID's schema, the letter "
                    "was not sent: %(errors)s",
                    entry=self.display_name,
                    errors="; ".join(errors[:5]),
                )
            )
        return content

    def _bo_attach_segnatura(self):
        """Add the signed ``Segnatura.xml`` to the letter's files, or say why not."""
        self.ensure_one()
        reason = self._bo_segnatura_unavailable()
        if reason:
            self._bo_segnatura_set_state("missing")
            self.message_post(
                body=self.env._("Sent without a Segnatura: %s", reason),
                subtype_xmlid="mail.mt_note",
            )
            return None
        existing = self.attachment_ids.filtered(
            lambda a: (a.name or "").lower() == segnatura.FILENAME.lower()
        )
        if existing and self.segnatura_state == "sent":
            return existing[:1]  # sent again: the Segnatura is the one registered
        if existing:
            raise UserError(
                self.env._(
                    "%(entry)s already has a file named %(name)s: rename it, the "
                    "Segnatura of the letter takes that name.",
                    entry=self.display_name,
                    name=existing[0].name,
                )
            )
        content = self._bo_segnatura_content()
        attachment = self.env["ir.attachment"].create(
            {
                "name": segnatura.FILENAME,
                "raw": content,
                "mimetype": "application/xml",
                "res_model": self._name,
                "res_id": self.id,
            }
        )
        # The letter is registered: the Segnatura joins its files past the
        # evidence rule, and its fingerprint is taken at once, as the letter's.
        bo_guard.grant(self, "attachment_ids").write(
            {"attachment_ids": [Command.link(attachment.id)]}
        )
        self._bo_fingerprint_file(attachment)
        self._bo_segnatura_set_state("sent")
        return attachment

    @bo_guard.writes(*FINGERPRINT_FIELDS, model="bo.mail.register.hash")
    def _bo_fingerprint_file(self, attachment):
        """Fingerprint a file added to a registered entry by our own action."""
        self.ensure_one()
        # sudo: the fingerprints are written by the register's actions only
        return (
            self.env["bo.mail.register.hash"]
            .sudo()
            .create(
                {
                    "register_id": self.id,
                    "attachment_id": attachment.id,
                    "name": attachment.name,
                    "sha256": base64.b64decode(segnatura.fingerprint(attachment.raw)).hex(),
                    "file_size": attachment.file_size,
                }
            )
        )

    # ------------------------------------------------------------------
    # Incoming: the Segnatura of a PEC received
    # ------------------------------------------------------------------

    def _bo_segnatura_receive(self, attachments):
        """Check the Segnatura a PEC carries and fill the draft entry from it.

        Called by the intake on the new entry, before it is registered. The
        Segnatura is the sender's word: it fills the sender's number and
        date and the subject only when it follows the schema and its
        signature verifies. Whatever goes wrong is written on the entry;
        the message itself is always registered.
        """
        self.ensure_one()
        found = attachments.filtered(lambda a: (a.name or "").lower() == segnatura.FILENAME.lower())
        if not found:
            return None
        try:
            with self.env.cr.savepoint():
                state, lines, vals = self._bo_segnatura_check(found[:1], attachments - found)
                if len(found) > 1:
                    lines.append(
                        self.env._("Only the first of %s Segnatura files was read.", len(found))
                    )
                if vals:
                    self.write(vals)
        except Exception as error:  # whatever the sender wrote, the message is kept
            _logger.warning("Mailroom could not read the Segnatura of %s", self.id, exc_info=True)
            state, lines = "invalid", [self.env._("It could not be read: %s", error)]
        self._bo_segnatura_set_state(state)
        headlines = {
            "valid": self.env._("The Segnatura is valid: every file matches its fingerprint."),
            "mismatch": self.env._(
                "The Segnatura does not match the files received: check them with the sender."
            ),
            "invalid": self.env._(
                "The Segnatura is not valid and was not trusted: nothing was taken from it."
            ),
        }
        self.message_post(
            body=Markup("<p>%s</p><ul>%s</ul>")
            % (
                headlines[state],
                Markup().join(Markup("<li>%s</li>") % line for line in lines),
            ),
            subtype_xmlid="mail.mt_note",
        )
        return state

    def _bo_segnatura_check(self, attachment, others):
        """Return ``(state, lines, vals)``: the verdict on a received Segnatura,
        what the note says, what the entry takes from it."""
        try:
            root = segnatura.parse(attachment.raw or b"")
        except segnatura.SegnaturaError as error:
            return "invalid", [self.env._("It is not well-formed XML: %s", error)], {}
        errors = segnatura.schema_errors(root)
        if errors:
            return (
                "invalid",
                [self.env._("It does not follow AgID's schema: %s", error) for error in errors[:5]],
                {},
            )
        signed, reason, certificate = segnatura.verify_signature(root)
        if not signed:
            return "invalid", [self.env._("Its signature does not verify: %s", reason)], {}
        lines = [
            self.env._(
                "Its signature verifies with the certificate it carries (%s); who "
                "that certificate belongs to is not checked.",
                certificate.subject.rfc4514_string(),
            )
        ]
        declared = segnatura.read(root)
        by_name = {a.name: a for a in others}
        by_lower_name = {(a.name or "").lower(): a for a in others}
        state = "valid"
        for name, _mimetype, digest, algorithm in declared["documents"]:
            received = by_name.get(name) or by_lower_name.get(name.lower())
            if not received:
                state = "mismatch"
                lines.append(self.env._("%s: declared in the Segnatura, not received.", name))
            elif algorithm.replace("-", "").upper() != "SHA256":
                state = "mismatch"
                lines.append(
                    self.env._(
                        "%(file)s: fingerprint in %(algorithm)s, which is not checked.",
                        file=name,
                        algorithm=algorithm,
                    )
                )
            elif segnatura.fingerprint(received.raw) != digest:
                state = "mismatch"
                lines.append(
                    self.env._("%s: the file received does NOT match its fingerprint.", name)
                )
            else:
                lines.append(self.env._("%s: matches its fingerprint.", name))
        ident = declared["identifier"]
        vals = {
            "document_ref": "/".join(
                ident[key] for key in ("administration_code", "aoo_code", "register_code", "number")
            ),
            "document_date": ident["date"] or self.document_date,
        }
        if declared["subject"]:
            vals["subject"] = declared["subject"]
        return state, lines, vals
