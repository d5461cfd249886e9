import base64
import hashlib
import io
import re
import zipfile
from datetime import timedelta

import pytz
from lxml import etree

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import file_path

# The index is shaped like a UNI SInCRO (UNI 11386) volume index: IdC,
# SelfDescription, VdC, FileGroup, File with ID, Path and Hash. Each
# document's metadata are those of AgID's Allegato 5 (Linee guida sulla
# formazione, gestione e conservazione dei documenti informatici), in
# EmbeddedMetadata, without a namespace.
SINCRO_NS = "http://www.uni.com/U3011/sincro-v2/"
PACKAGE_FORMAT = "bo_mailroom.register_package/1"
VERIFIER_PATH = "bo_mailroom/tools/verify_register.py"
FLOWS = {"incoming": "E", "outgoing": "U", "internal": "I"}
# Role of the correspondent, by flow; the company has the other one.
CORRESPONDENT_ROLES = {
    "incoming": "Mittente",
    "outgoing": "Destinatario",
    "internal": "Destinatario",
}
COMPANY_ROLES = {"incoming": "Destinatario", "outgoing": "Mittente", "internal": "Mittente"}


def _sincro(tag):
    return f"{{{SINCRO_NS}}}{tag}"


def _sub(parent, tag, text=None, **attrs):
    element = etree.SubElement(parent, tag, {k: str(v) for k, v in attrs.items()})
    if text is not None:
        element.text = str(text)
    return element


def _iso(value):
    """A UTC datetime as ISO 8601 with its zone."""
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


class BoMailRegisterDay(models.Model):
    """A period of the register as one ZIP that anyone can verify.

    The package holds, for one company and a period of sealed days: each
    day's sealed files and the canonical text of its lines, every entry
    registered or cancelled in the period with its files, and ``index.xml``
    describing all of it with the SHA-256 of each file and the chain of the
    days, from the seal of the day before the period. The offline verifier
    (``tools/verify_register.py``, shipped in the package) checks it with
    nothing but Python.

    The fingerprints written in the index are the ones sealed or taken at
    registration, not the ones of the files as they are now: a file that
    changed since shows as a break, in the package too.
    """

    _inherit = "bo.mail.register.day"

    @api.model
    def _bo_export_package(self, company, date_from, date_to):
        """The ZIP of ``company``'s register from ``date_from`` to ``date_to``.

        Returns ``(content, file name)``. Every day of the period must be
        sealed. The package holds the complete registers and confidential
        entries: it is for managers.
        """
        if date_from > date_to:
            raise UserError(self.env._("The period of the package starts after it ends."))
        # sudo: the package holds every day and entry of the period, as the complete register does
        days = self.sudo().search(
            [("company_id", "=", company.id), ("date", ">=", date_from), ("date", "<=", date_to)],
            order="date",
        )
        sealed = set(days.mapped("date"))
        for offset in range((date_to - date_from).days + 1):
            day = date_from + timedelta(days=offset)
            if day not in sealed:
                raise UserError(
                    self.env._(
                        "The daily register of %s is not sealed yet: export a period "
                        "of sealed days.",
                        day,
                    )
                )
        start, _end = self._day_bounds(company, date_from)
        _start, end = self._day_bounds(company, date_to)
        Register = self.env["bo.mail.register"].sudo().with_context(active_test=False)
        company_domain = [("company_id", "=", company.id)]
        registered = Register.search(
            [*company_domain, ("registration_date", ">=", start), ("registration_date", "<", end)]
        )
        cancelled = Register.search(
            [*company_domain, ("cancel_date", ">=", start), ("cancel_date", "<", end)]
        )
        entries = (registered | cancelled).sorted(lambda e: (e.protocol_year, e.protocol_seq))

        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
            index = self._bo_package_index(company, date_from, date_to, days)
            for day in days:
                self._bo_package_day(package, index, day)
            in_period = set(registered.ids)
            for entry in entries:
                self._bo_package_entry(package, index, company, entry, entry.id in in_period)
            self._bo_package_process(index)
            package.writestr(
                "index.xml",
                etree.tostring(index, encoding="UTF-8", xml_declaration=True, pretty_print=True),
            )
            with open(file_path(VERIFIER_PATH), "rb") as verifier:
                package.writestr("verify_register.py", verifier.read())
        name = f"protocol-register-{company.id}-{date_from.isoformat()}-{date_to.isoformat()}.zip"
        return buffer.getvalue(), name

    @api.model
    def _bo_package_index(self, company, date_from, date_to, days):
        """The root of ``index.xml``: what made the package and what it covers."""
        index = etree.Element(_sincro("IdC"), nsmap={"sincro": SINCRO_NS}, version="2.0")
        package_id = f"{company.id}-{date_from.isoformat()}-{date_to.isoformat()}"
        description = _sub(index, _sincro("SelfDescription"))
        _sub(description, _sincro("ID"), f"protocol-register-{package_id}", scheme="local")
        application = _sub(description, _sincro("CreatingApplication"))
        _sub(application, _sincro("Name"), "Back Office Mailroom")
        # sudo: which version of the module made the package, whoever exports
        module = self.env["ir.module.module"].sudo()._get("bo_mailroom")
        _sub(application, _sincro("Version"), module.latest_version)
        _sub(application, _sincro("Producer"), "Back Office Suite")
        volume = _sub(index, _sincro("VdC"))
        _sub(volume, _sincro("ID"), f"register-{package_id}", scheme="local")
        metadata = _sub(_sub(volume, _sincro("MoreInfo")), _sincro("EmbeddedMetadata"))
        _sub(
            metadata,
            "Register",
            format=PACKAGE_FORMAT,
            company_id=company.id,
            company=company.name,
            vat=company.vat or "",
            date_from=date_from.isoformat(),
            date_to=date_to.isoformat(),
            previous_seal=days[0].previous_seal,
            last_seal=days[-1].chain_sha256,
            hash_function="SHA-256",
        )
        return index

    @api.model
    def _bo_package_process(self, index):
        """The end of ``index.xml``: who made the package and when."""
        process = _sub(index, _sincro("Process"))
        agent = _sub(process, _sincro("Agent"), type="person", role="OtherRole")
        _sub(_sub(agent, _sincro("AgentName")), _sincro("FormalName"), self.env.user.name)
        _sub(agent, _sincro("OtherRole"), "Exporter")
        time_reference = _sub(process, _sincro("TimeReference"))
        _sub(time_reference, _sincro("TimeInfo"), _iso(fields.Datetime.now()))

    @api.model
    def _bo_package_add(self, package, group, path, content, sha256, **metadata):
        """Write ``content`` at ``path`` and describe it in ``group`` with ``sha256``."""
        package.writestr(path, content)
        file_element = _sub(group, _sincro("File"), encoding="binary")
        _sub(file_element, _sincro("ID"), path)
        _sub(file_element, _sincro("Path"), path)
        _sub(file_element, _sincro("Hash"), sha256, function="SHA-256")
        if metadata:
            more = _sub(_sub(file_element, _sincro("MoreInfo")), _sincro("EmbeddedMetadata"))
            _sub(more, "FileInfo", **metadata)
        return file_element

    @api.model
    def _bo_package_day(self, package, index, day):
        """A day: its sealed files, the text of its lines, its link in the chain."""
        folder = f"days/{day.date.isoformat()}"
        group = _sub(index, _sincro("FileGroup"))
        _sub(group, _sincro("Label"), folder)
        lines = self._lines_text(
            self._canonical_lines(day.company_id, day.date), day.lines_version
        ).encode()
        paths = {
            "lines": f"{folder}/lines.txt",
            "register": f"{folder}/{day.register_file_name}",
            "complete": f"{folder}/{day.complete_file_name}",
        }
        self._bo_package_add(package, group, paths["lines"], lines, day.sha256)
        sealed = day.with_context(bin_size=False)
        for role in ("register", "complete"):
            self._bo_package_add(
                package,
                group,
                paths[role],
                base64.b64decode(sealed[f"{role}_file"] or b""),
                day[f"{role}_file_sha256"],
            )
        metadata = _sub(_sub(group, _sincro("MoreInfo")), _sincro("EmbeddedMetadata"))
        _sub(
            metadata,
            "Day",
            date=day.date.isoformat(),
            first_number=day.first_number or "",
            last_number=day.last_number or "",
            entry_count=day.entry_count,
            cancel_count=day.cancel_count,
            change_count=day.change_count,
            lines_version=str(day.lines_version or 1),
            lines_sha256=day.sha256,
            register_sha256=day.register_file_sha256,
            complete_sha256=day.complete_file_sha256,
            previous_seal=day.previous_seal,
            seal=day.chain_sha256,
            lines_path=paths["lines"],
            register_path=paths["register"],
            complete_path=paths["complete"],
        )

    @api.model
    def _bo_package_entry(self, package, index, company, entry, in_period):
        """A registered document: its files and its Allegato 5 metadata."""
        folder = f"documents/{entry.protocol_year}-{entry.protocol_seq:07d}"
        group = _sub(index, _sincro("FileGroup"))
        _sub(group, _sincro("Label"), folder)
        attachments = []
        for position, fingerprint in enumerate(entry.hash_ids, start=1):
            path = f"{folder}/{position:03d}-{self._bo_package_name(fingerprint.name)}"
            content = fingerprint.attachment_id.raw or b""
            self._bo_package_add(
                package,
                group,
                path,
                content,
                fingerprint.sha256,
                name=fingerprint.name,
                registered="true",
            )
            attachments.append((path, fingerprint.name, fingerprint.sha256))
        later = entry.attachment_ids - entry.hash_ids.attachment_id
        for position, attachment in enumerate(later, start=len(attachments) + 1):
            path = f"{folder}/{position:03d}-{self._bo_package_name(attachment.name)}"
            content = attachment.raw or b""
            # Received after the registration (a PEC receipt): fingerprinted now.
            self._bo_package_add(
                package,
                group,
                path,
                content,
                hashlib.sha256(content).hexdigest(),
                name=attachment.name,
                registered="false",
            )
        metadata = _sub(_sub(group, _sincro("MoreInfo")), _sincro("EmbeddedMetadata"))
        tz = pytz.timezone(company._bo_mailroom_tz())
        registration_day = pytz.utc.localize(entry.registration_date).astimezone(tz).date()
        _sub(
            metadata,
            "Entry",
            number=entry.name,
            year=entry.protocol_year,
            seq=entry.protocol_seq,
            day=registration_day.isoformat(),
            in_period="true" if in_period else "false",
            state=entry.state,
        )
        self._bo_package_document(metadata, company, entry, attachments)

    @api.model
    def _bo_package_document(self, parent, company, entry, attachments):
        """The Allegato 5 metadata of a registered document.

        Its identifier is the protocol number, its fingerprint the one of its
        first registered file (the message received, for mail); the files
        registered with it are its attachments. The correspondent is the
        first role of ``Soggetti``.
        """
        document = _sub(parent, "Documento", IDDocumento=entry.name)
        id_doc = _sub(document, "IdDoc")
        main = next(
            (a for a in attachments if a[1].endswith(".eml")),
            attachments[0] if attachments else None,
        )
        if main:
            _sub(id_doc, "ImprontaCrittografica", main[2])
            _sub(id_doc, "Algoritmo", "SHA-256")
        _sub(id_doc, "Identificativo", entry.name)
        # a: made with the company's software; b: received (acquired).
        _sub(document, "ModalitaDiFormazione", "b" if entry.direction == "incoming" else "a")
        _sub(document, "TipologiaDocumentale", "Corrispondenza")
        registration = _sub(document, "DatiDiRegistrazione")
        _sub(registration, "TipologiaDiFlusso", FLOWS[entry.direction])
        _sub(registration, "TipoRegistro", "Protocollo Ordinario/Protocollo Emergenza")
        _sub(registration, "DataRegistrazione", _iso(entry.registration_date))
        _sub(registration, "NumeroDocumento", entry.name)
        _sub(registration, "CodiceRegistro", f"protocol-{company.id}")
        subjects = _sub(document, "Soggetti")
        correspondent = _sub(subjects, "Ruolo")
        _sub(correspondent, "TipoRuolo", CORRESPONDENT_ROLES[entry.direction])
        _sub(correspondent, "Denominazione", entry.correspondent)
        if entry.email_from:
            _sub(correspondent, "IndirizziDigitaliDiRiferimento", entry.email_from)
        if entry.partner_address:
            _sub(correspondent, "Indirizzo", entry.partner_address)
        own = _sub(subjects, "Ruolo")
        _sub(own, "TipoRuolo", COMPANY_ROLES[entry.direction])
        _sub(own, "Denominazione", company.name)
        if company.vat:
            _sub(own, "CodiceFiscale_PartitaIva", company.vat)
        if entry.user_id:
            assignee = _sub(subjects, "Ruolo")
            _sub(assignee, "TipoRuolo", "Assegnatario")
            _sub(assignee, "Denominazione", entry.user_id.name)
        key = _sub(document, "ChiaveDescrittiva")
        _sub(key, "Oggetto", entry.subject)
        if entry.tag_ids:
            _sub(key, "ParoleChiave", ", ".join(entry.tag_ids.mapped("name")))
        annexes = _sub(document, "Allegati")
        _sub(annexes, "NumeroAllegati", len(attachments))
        for path, name, sha256 in attachments:
            annex = _sub(annexes, "IndiceAllegati")
            annex_id = _sub(annex, "IdDoc")
            _sub(annex_id, "ImprontaCrittografica", sha256)
            _sub(annex_id, "Algoritmo", "SHA-256")
            _sub(annex_id, "Identificativo", path)
            _sub(annex, "Descrizione", name)
        if entry.category_id:
            classification = _sub(document, "Classificazione")
            _sub(classification, "IndiceDiClassificazione", entry.category_id.complete_code)
            _sub(classification, "Descrizione", entry.category_id.name)
        _sub(document, "Riservato", "true" if entry.confidentiality == "confidential" else "false")
        if entry.cancel_date:
            change = _sub(document, "TracciatureModificheDocumento")
            _sub(change, "TipoModifica", "annullamento")
            author = _sub(change, "SoggettoAutoreDellaModifica")
            _sub(author, "Denominazione", entry.cancel_user_name or entry.cancel_uid.name or "")
            _sub(change, "DataModifica", _iso(entry.cancel_date))
            _sub(change, "Motivo", entry.cancel_reason or "")
        if entry.retention_date:
            _sub(document, "TempoDiConservazione", entry.category_id.retention_years)
        elif entry.category_id:
            # 0 years of retention: kept forever (Allegato 5 writes 9999).
            _sub(document, "TempoDiConservazione", 9999)

    @api.model
    def _bo_package_name(self, name):
        """A file name safe in a ZIP: no folders, no odd characters."""
        return re.sub(r"[^\w.\- ]", "_", name or "file").strip(". ") or "file"
