import logging

from odoo import api, fields, models
from odoo.addons.bo_base.models import bo_guard
from odoo.addons.bo_base.models.bo_mail_intake import intake_reason
from odoo.addons.l10n_it_edi.models.account_move import get_text

from ..tools import sdi

_logger = logging.getLogger(__name__)

MIMETYPES = {".xml": "application/xml", ".p7m": "application/pkcs7-mime"}


class BoMailRegister(models.Model):
    """The PEC mailbox as the SdI's channel.

    A PEC message that the provider certifies as sent by the SdI (the
    company's SdI addresses) is registered as any PEC is; then what it
    carries is delivered where l10n_it_edi would have put it had it come
    through its proxy: a received invoice becomes a vendor bill through
    l10n_it_edi's own import, a notification about an invoice we sent moves
    that invoice's SdI state. The entry is linked to the bill or invoice.
    What cannot be delivered stays on the entry, flagged with its reason
    for the company's Back Office manager: nothing from the SdI waits as
    unknown mail, nothing is lost.

    A received invoice is imported by a job of its own, right after the
    intake: l10n_it_edi's import commits as it goes, which the gateway's
    intake, one transaction per message, must not do.
    """

    _inherit = "bo.mail.register"

    bo_sdi_state = fields.Selection(
        [
            ("pending", "Invoice to Import"),
            ("done", "Delivered"),
            ("failed", "Not Delivered"),
        ],
        string="SdI Message",
        readonly=True,
        copy=False,
        index="btree_not_null",
        tracking=True,
        bo_guarded=True,
        help="A message from the SdI received by PEC: its invoice is waiting to be imported "
        "as a vendor bill, was delivered to the bill or invoice linked, or could not be "
        "(the reason is given).",
    )
    bo_sdi_error = fields.Text(string="SdI Problem", readonly=True, copy=False, bo_guarded=True)

    # ------------------------------------------------------------------
    # Intake
    # ------------------------------------------------------------------

    def _bo_pec_envelope_received(self, envelope):
        """Deliver the SdI's certified messages; any other PEC is left as it is."""
        result = super()._bo_pec_envelope_received(envelope)
        if self.company_id._bo_is_sdi_sender(envelope["sender"]):
            self.with_context(lang=self._bo_sdi_lang())._bo_sdi_receive()
        return result

    def _bo_sdi_lang(self):
        """The language of the notes and problems of the entry: that of the
        company's Back Office manager, who handles what is not delivered."""
        self.ensure_one()
        manager = self.company_id._bo_escalation_user()
        return manager.lang or self.company_id.partner_id.lang or self.env.lang

    def _bo_sdi_receive(self):
        """Leave the invoices to the import job; deliver the notifications at once.

        The SdI sends one file a message: an invoice (with its metadata file,
        which stays in the register), or a notification.
        """
        files = self._bo_sdi_files()
        if files["invoice"]:
            self._bo_sdi_set_state("pending")
            self.env.ref("bo_mailroom_l10n_it_edi.ir_cron_bo_sdi_import")._trigger()
        elif files["notification"]:
            self._bo_sdi_deliver_notifications(files["notification"])
        else:
            self._bo_sdi_fail(
                self.env._("The SdI's message carries no invoice nor notification file.")
            )

    def _bo_sdi_files(self):
        """The entry's invoice files, and its notifications ``(attachment, type)``."""
        self.ensure_one()
        files = {"invoice": [], "notification": []}
        for attachment in self.attachment_ids.sorted("id"):
            kind, code = sdi.classify(attachment.name)
            if kind == "notification":
                files[kind].append((attachment, code))
            elif kind == "invoice":
                files[kind].append(attachment)
        return files

    @bo_guard.writes("bo_sdi_state", "bo_sdi_error")
    def _bo_sdi_set_state(self, state, error=False):
        self.write({"bo_sdi_state": state, "bo_sdi_error": error})

    def _bo_sdi_fail(self, reason):
        """Keep the entry as it is, flagged with the reason, and tell the
        company's Back Office manager."""
        self.ensure_one()
        self._bo_sdi_set_state("failed", reason)
        self.message_post(body=reason, subtype_xmlid="mail.mt_note")
        manager = self.company_id._bo_escalation_user()
        if manager:
            self.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=self.env._("SdI message not delivered"),
                note=reason,
                user_id=manager.id,
            )

    def _bo_sdi_delivered(self, record, note):
        """Link the entry to the document its SdI message went to; an
        invoice still to import is delivered once all its bills are made."""
        self.ensure_one()
        if not self.res_model:
            self.write({"res_model": record._name, "res_id": record.id})
        if not self.bo_sdi_state:
            self._bo_sdi_set_state("done")
        self.message_post(body=note, subtype_xmlid="mail.mt_note")

    # ------------------------------------------------------------------
    # Notifications about the invoices we sent
    # ------------------------------------------------------------------

    def _bo_sdi_deliver_notifications(self, notifications):
        for attachment, code in notifications:
            try:
                with self.env.cr.savepoint():
                    reason = self._bo_sdi_deliver_notification(attachment, code)
            except Exception as error:  # the entry keeps the notification whatever fails
                _logger.warning("SdI notification %s not delivered", attachment.name, exc_info=True)
                reason = intake_reason(self.env, error)
            if reason:
                self._bo_sdi_fail(
                    self.env._(
                        "The SdI notification %(file)s was not delivered: %(reason)s",
                        file=attachment.name,
                        reason=reason,
                    )
                )

    def _bo_sdi_deliver_notification(self, attachment, code):
        """Post the notification on the invoice it is about and move the
        invoice's SdI state as l10n_it_edi does for its own channel.

        Return the reason why it could not be delivered, or None.
        """
        try:
            notification = sdi.parse_notification(attachment.raw, code)
        except ValueError:
            return self.env._("the file is not a notification the SdI writes.")
        invoice = self._bo_sdi_sent_invoice(notification["filename"])
        if not invoice:
            return self.env._(
                "no invoice of %(company)s was sent to the SdI as %(file)s.",
                company=self.company_id.name,
                file=notification["filename"],
            )
        # The invoice's history is written in the language of its salesperson.
        lang = invoice.invoice_user_id.lang or invoice.company_id.partner_id.lang
        invoice = invoice.with_context(lang=lang)
        transformed = invoice._l10n_it_edi_transform_notification(notification)
        new_state = transformed["l10n_it_edi_state"]
        states = invoice._fields["l10n_it_edi_state"]._description_selection
        # l10n_it_edi explains some states only for public administrations.
        message = invoice._l10n_it_edi_get_message(transformed) or invoice.env._(
            "The SdI notified %(file)s about the e-invoice file %(sent)s: %(state)s.",
            file=attachment.name,
            sent=notification["filename"],
            state=dict(states(invoice.env)).get(new_state, "-"),
        )
        invoice._bo_sdi_write_send_state(transformed, message, attachment)
        self._bo_sdi_delivered(
            invoice,
            self.env._(
                "SdI notification delivered to %(invoice)s: %(state)s.",
                invoice=invoice.display_name,
                state=dict(states(self.env)).get(new_state, "-"),
            ),
        )
        return None

    def _bo_sdi_sent_invoice(self, filename):
        """The company's customer invoice sent to the SdI as ``filename``."""
        # sudo: the gateway finds the invoice among the entry's company's own,
        # whoever runs it; the company is the one of the PEC mailbox
        return (
            self.env["account.move"]
            .sudo()
            .search(
                [
                    ("company_id", "=", self.company_id.id),
                    ("move_type", "in", self.env["account.move"].get_sale_types()),
                    ("l10n_it_edi_attachment_name", "in", sdi.sent_file_names(filename)),
                ],
                order="id desc",
                limit=1,
            )
        )

    # ------------------------------------------------------------------
    # Invoices received: vendor bills through l10n_it_edi's import
    # ------------------------------------------------------------------

    @api.model
    def _cron_bo_sdi_import(self):
        """Import the invoices the SdI sent by PEC, one entry at a time."""
        for entry in self.search([("bo_sdi_state", "=", "pending")], order="id"):
            entry.with_context(lang=entry._bo_sdi_lang())._bo_sdi_import_invoices()

    def _bo_sdi_import_invoices(self):
        """Make the vendor bills of the entry's invoice files, as l10n_it_edi
        does with the invoices its proxy downloads from the SdI: a move per
        invoice of the file, the file its FatturaPA attachment, then decoded.

        A file already imported for the company (the SdI sends it again) is
        not imported twice: the entry is linked to the bill made of it.
        """
        self.ensure_one()
        # The bills are made on the company whose mailbox received them,
        # whoever runs the job.
        Move = self.env["account.move"].with_company(self.company_id)
        Move = Move.with_context(default_move_type="in_invoice")
        reasons = []
        to_import = []
        for attachment in self._bo_sdi_files()["invoice"]:
            bill = self._bo_sdi_imported_bill(attachment.name)
            if bill:
                self._bo_sdi_delivered(
                    bill,
                    self.env._(
                        "The SdI sent %(file)s again: it is already the vendor bill %(bill)s.",
                        file=attachment.name,
                        bill=bill.display_name,
                    ),
                )
                continue
            file_data = {
                "name": attachment.name,
                "raw": attachment.raw,
                "mimetype": MIMETYPES[attachment.name[-4:].lower()],
            }
            reason = self._bo_sdi_unreadable_reason(Move, file_data)
            if reason:
                reasons.append(
                    self.env._(
                        "%(file)s was not imported: %(reason)s",
                        file=attachment.name,
                        reason=reason,
                    )
                )
                continue
            to_import.append(file_data)
        to_decode = []
        for file_data in to_import:
            try:
                with self.env.cr.savepoint():
                    to_decode += self._bo_sdi_new_bills(Move, file_data)
            except Exception as error:  # the entry keeps the file whatever fails
                _logger.warning("SdI invoice %s not imported", file_data["name"], exc_info=True)
                reasons.append(
                    self.env._(
                        "%(file)s was not imported: %(reason)s",
                        file=file_data["name"],
                        reason=intake_reason(self.env, error),
                    )
                )
        # l10n_it_edi's import commits as it goes (outside tests): the bills
        # and their links are saved before, a failure of the import is written
        # on the bill.
        bills = Move.browse()
        for bill, data in to_decode:
            bill._extend_with_attachments([data], new=True)
            bills |= bill
        for bill in bills.filtered(lambda b: not b.invoice_line_ids):
            reasons.append(
                self.env._(
                    "The vendor bill %(bill)s was made but l10n_it_edi could not import the "
                    "file: see the bill's history.",
                    bill=bill.display_name,
                )
            )
        if reasons:
            self._bo_sdi_fail("\n".join(reasons))
        elif self.bo_sdi_state == "pending":
            self._bo_sdi_set_state("done")

    def _bo_sdi_imported_bill(self, filename):
        """The bill already imported from the SdI's file ``filename``: the
        company's move whose FatturaPA attachment has that name, as
        l10n_it_edi's proxy channel checks it."""
        # sudo: the job compares with every bill of the company, whoever runs it
        attachment = (
            self.env["ir.attachment"]
            .sudo()
            .search(
                [
                    ("name", "=", filename),
                    ("res_model", "=", "account.move"),
                    ("res_field", "=", "l10n_it_edi_attachment_file"),
                    ("company_id", "=", self.company_id.id),
                ],
                limit=1,
            )
        )
        return self.env["account.move"].browse(attachment.res_id).exists()

    def _bo_sdi_unreadable_reason(self, Move, file_data):
        """Why l10n_it_edi cannot make a bill of the company of ``file_data``, or None."""
        file_data["xml_tree"] = Move._get_xml_tree(file_data)
        file_data["import_file_type"] = Move._get_import_file_type(file_data)
        tree = file_data["xml_tree"]
        if (
            file_data["import_file_type"] != "l10n_it.fatturapa"
            or tree.find(".//FatturaElettronicaBody") is None
        ):
            return self.env._("it is not a readable FatturaPA file (broken, or badly signed).")
        buyer = Move._l10n_it_buyer_seller_info()["buyer"]
        company = self.company_id
        vat = get_text(tree, buyer["vat_xpath"])
        codice_fiscale = get_text(tree, buyer["codice_fiscale_xpath"])
        # The buyer is the company as l10n_it_edi recognises it.
        if (vat and vat.casefold() in (company.vat or "").casefold()) or (
            codice_fiscale
            and codice_fiscale.casefold() in (company.l10n_it_codice_fiscale or "").casefold()
        ):
            return None
        return self.env._(
            "the buyer of the invoice (VAT %(vat)s, fiscal code %(code)s) is not %(company)s.",
            vat=vat or "-",
            code=codice_fiscale or "-",
            company=company.name,
        )

    def _bo_sdi_new_bills(self, Move, file_data):
        """The new bills of one invoice file, each with the part of the file
        it is made of as its FatturaPA attachment, linked to the entry:
        ``[(bill, file_data)]`` for l10n_it_edi to decode."""
        attachment = self.env["ir.attachment"].create(
            {"name": file_data["name"], "raw": file_data["raw"], "mimetype": file_data["mimetype"]}
        )
        files_data = Move._to_files_data(attachment)
        files_data.extend(Move._unwrap_attachments(files_data))
        bills = Move.create([{}] * len(files_data))
        for bill, data in zip(bills, files_data, strict=True):
            data["attachment"].write(
                {
                    "res_model": bill._name,
                    "res_id": bill.id,
                    "res_field": "l10n_it_edi_attachment_file",
                }
            )
            bill.message_post(
                body=self.env._(
                    "This invoice was received from the SdI by PEC, registered as %(entry)s.",
                    entry=self._get_html_link(),
                ),
                attachment_ids=data["attachment"].ids,
            )
            self._bo_sdi_delivered(
                bill,
                self.env._(
                    "%(file)s imported as the vendor bill %(bill)s.",
                    file=file_data["name"],
                    bill=bill.display_name,
                ),
            )
        bills.invalidate_recordset(["l10n_it_edi_attachment_file"])
        return list(zip(bills, files_data, strict=True))
