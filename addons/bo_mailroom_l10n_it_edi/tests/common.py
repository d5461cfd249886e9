import base64
import datetime
from email.message import EmailMessage
from email.utils import make_msgid

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs7
from cryptography.x509.oid import NameOID

from odoo import Command
from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.bo_base.tests.common import make_email, new_bo_user
from odoo.addons.bo_mailroom.tests.test_pec import DATICERT
from odoo.tools import file_open

DATA = "bo_mailroom_l10n_it_edi/tests/data"
INVOICE = "IT00465840031_0A001.xml"
METADATA = "IT00465840031_0A001_MT_001.xml"
SDI = "sdi01@pec.fatturapa.it"
PEC_BOX = "fatture@pec.officineprova.example.it"


def data_file(name, replace=None):
    """The test file ``name``, with its texts ``replace``d."""
    with file_open(f"{DATA}/{name}", "rb") as fd:
        content = fd.read()
    for old, new in (replace or {}).items():
        content = content.replace(old.encode(), new.encode())
    return content


def sign_p7m(content):
    """``content`` signed as a CAdES ``.p7m`` (PKCS#7 signed data, the
    content inside), with a certificate made for the test."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Trafilerie Lombarde S.r.l.")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(7)
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    return (
        pkcs7.PKCS7SignatureBuilder()
        .set_data(content)
        .add_signer(cert, key, hashes.SHA256())
        .sign(serialization.Encoding.DER, [pkcs7.PKCS7Options.Binary])
    )


class SdiPecCommon(AccountTestInvoicingCommon):
    """An Italian company (the ``it`` chart, as l10n_it_edi's own tests make
    it) whose PEC mailbox receives the SdI's messages, its Back Office users,
    and PEC envelopes as a provider writes them."""

    @classmethod
    @AccountTestInvoicingCommon.setup_country("it")
    def setUpClass(cls):
        super().setUpClass()
        cls.company_data_2 = cls.setup_other_company(
            name="Officine Meccaniche Prova S.r.l.",
            vat="IT01234560157",
            l10n_it_codice_fiscale="01234560157",
            l10n_it_tax_system="RF01",
            street="1234 Test Street",
            zip="12345",
            city="Prova",
        )
        cls.it_company = cls.company_data_2["company"]
        cls.env = cls.env(
            context=dict(
                cls.env.context,
                allowed_company_ids=cls.it_company.ids,
                tracking_disable=False,
                mail_notrack=False,
            )
        )
        cls.manager = new_bo_user(
            cls.env,
            "sdi_manager",
            "Mario Manager",
            "bo_base.group_bo_manager,account.group_account_invoice",
            company=cls.it_company,
        )
        cls.clerk = new_bo_user(
            cls.env, "sdi_clerk", "Carla Clerk", "bo_base.group_bo_user", company=cls.it_company
        )
        cls.it_company.bo_escalation_user_id = cls.manager
        cls.supplier = cls.env["res.partner"].create(
            {
                "name": "Trafilerie Lombarde S.r.l.",
                "is_company": True,
                "vat": "IT00465840031",
                "country_id": cls.env.ref("base.it").id,
            }
        )
        model = cls.env["ir.model"]._get("bo.mail.register")
        mailbox = {
            "server_type": "imap",
            "port": 993,
            "is_ssl": True,
            "password": "secret",
            "object_id": model.id,
            "bo_company_id": cls.it_company.id,
        }
        cls.pec_box = cls.env["fetchmail.server"].create(
            {
                **mailbox,
                "name": "SdI PEC",
                "server": "imap.pec.example.it",
                "user": PEC_BOX,
                "bo_is_pec": True,
            }
        )
        cls.ordinary_box = cls.env["fetchmail.server"].create(
            {**mailbox, "name": "Mail", "server": "imap.example.it", "user": "info"}
        )
        # The fixture and the checks see everything, as the gateway and its job do.
        cls.env = cls.env(su=True)
        cls.Register = cls.env["bo.mail.register"]
        cls.Move = cls.env["account.move"]

    # ------------------------------------------------------------------
    # PEC messages
    # ------------------------------------------------------------------

    @staticmethod
    def _envelope(inner, sender=SDI):
        """A PEC provider's transport envelope around ``inner``, the provider
        certifying ``sender``."""
        envelope = EmailMessage()
        envelope["From"] = f"Per conto di: {sender} <posta-certificata@pec.aruba.example.it>"
        envelope["To"] = PEC_BOX
        envelope["Subject"] = f"POSTA CERTIFICATA: {inner['Subject']}"
        envelope["Message-Id"] = make_msgid(domain="pec.aruba.example.it")
        envelope["X-Trasporto"] = "posta-certificata"
        envelope["X-Riferimento-Message-ID"] = inner["Message-Id"]
        envelope.set_content(f'Il messaggio "{inner["Subject"]}" è stato inviato da "{sender}".')
        envelope.add_attachment(inner, filename="postacert.eml")
        daticert = DATICERT.format(
            kind="posta-certificata",
            error="nessuno",
            sender=sender,
            subject=inner["Subject"],
            msgid=inner["Message-Id"].replace("<", "&lt;").replace(">", "&gt;"),
            extra="",
        )
        envelope.add_attachment(
            daticert.encode(), maintype="application", subtype="xml", filename="daticert.xml"
        )
        return envelope

    def _sdi_message(self, files, subject="Invio File 9876543210", sender=SDI):
        """The SdI's message carrying ``files`` [(name, content)], in its envelope."""
        inner = make_email(
            subject=subject,
            body="Il Sistema di Interscambio trasmette il file in allegato.",
            sender=sender,
            to=PEC_BOX,
            attachments=[(name, content, "application/octet-stream") for name, content in files],
        )
        return self._envelope(inner, sender=sender)

    def _fetch(self, message, server=None):
        """Process ``message`` as the fetching job of ``server`` does."""
        server = server or self.pec_box
        thread_id = (
            self.env["mail.thread"]
            .sudo()
            .with_context(default_fetchmail_server_id=server.id)
            .message_process(server.object_id.model, message.as_bytes())
        )
        return self.Register.browse(thread_id)

    def _receive_invoice(self, files=None, **kwargs):
        """The SdI's PEC with an invoice and its metadata, fetched, then the
        import job run: the entry."""
        files = files or [(INVOICE, data_file(INVOICE)), (METADATA, data_file(METADATA))]
        entry = self._fetch(self._sdi_message(files), **kwargs)
        self.Register._cron_bo_sdi_import()
        return entry

    def _bills(self):
        return self.Move.search(
            [
                ("company_id", "=", self.it_company.id),
                ("move_type", "in", ("in_invoice", "in_refund")),
            ]
        )

    # ------------------------------------------------------------------
    # Invoices we sent
    # ------------------------------------------------------------------

    @classmethod
    def _sent_invoice(cls, filename, company=None):
        """A customer invoice posted and sent to the SdI as ``filename``."""
        company_data = cls.company_data_2 if company is None else company
        invoice = (
            cls.env["account.move"]
            .with_company(company_data["company"])
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": cls.partner_a.id,
                    "invoice_date": "2026-11-20",
                    "journal_id": company_data["default_journal_sale"].id,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": "Carpenteria metallica",
                                "quantity": 1,
                                "price_unit": 1000.0,
                                "tax_ids": [Command.set(company_data["default_tax_sale"].ids)],
                            }
                        )
                    ],
                }
            )
        )
        invoice.action_post()
        # As l10n_it_edi records a file it made and sent.
        invoice.write(
            {
                "l10n_it_edi_attachment_name": filename,
                "l10n_it_edi_attachment_file": base64.b64encode(b"<FatturaElettronica/>"),
                "l10n_it_edi_state": "processing",
            }
        )
        return invoice
