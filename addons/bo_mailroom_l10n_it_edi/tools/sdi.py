"""Reading the files the SdI (Sistema di Interscambio) sends by PEC.

The SdI's technical rules name every file it handles: an invoice is
``<country><sender id>_<progressive>.xml`` (``.xml.p7m`` when signed with
CAdES); the metadata file that comes with a received invoice and each
notification about a file we sent add ``_<type>_<number>`` to the name of
the file they are about (``IT01234567890_00001_RC_001.xml``).

The notifications are small XML documents whose elements are unqualified:
the name of the file they are about (``NomeFile``), the SdI's identifier of
the transmission (``IdentificativoSdI``), the errors of a rejection
(``ListaErrori/Errore``), the buyer's outcome (``Esito``).
"""

import re

from lxml import etree

SDI_SENDER_PATTERNS_DEFAULT = "sdi*@pec.fatturapa.it"

FILENAME_RE = re.compile(
    r"^(?P<base>[A-Z]{2}[A-Z0-9]{2,28}_[A-Z0-9]{1,5})"
    r"(?:_(?P<kind>[A-Z]{2})_(?P<number>[A-Z0-9]{1,3}))?"
    r"\.(?:XML|XML\.P7M)$",
    re.IGNORECASE,
)
METADATA = "MT"
# The notifications about an invoice we sent, as the state names l10n_it_edi
# gives them on its own channel (the proxy): its transitions and messages
# are reused as they are. The attestation that the SdI could not deliver
# to a public administration (AT) ends as a failed delivery does.
NOTIFICATION_SDI_STATES = {
    "RC": "ricevutaConsegna",
    "NS": "notificaScarto",
    "MC": "notificaMancataConsegna",
    "NE": "notificaEsito",
    "DT": "notificaDecorrenzaTermini",
    "AT": "notificaMancataConsegna",
}


def classify(filename):
    """Return ``(kind, code)`` of an SdI file name.

    ``kind`` is ``invoice``, ``metadata``, ``notification`` or None (not a
    file the SdI sends us); ``code`` is the notification's type (``RC``...).
    """
    match = FILENAME_RE.match(filename or "")
    if not match:
        return None, None
    code = (match["kind"] or "").upper()
    if not code:
        return "invoice", None
    if code == METADATA:
        return "metadata", None
    if code in NOTIFICATION_SDI_STATES:
        return "notification", code
    return None, None


def parse_notification(content, code):
    """Read an SdI notification into what l10n_it_edi's proxy channel reads
    of one (``sdi_state``, ``filename``, ``outcome``, ``errors``), with the
    SdI's identifier of the transmission.

    Raise ``ValueError`` when the content is not a notification: a document
    with entities or a DTD is not one the SdI writes, and is not read.
    """
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        tree = etree.fromstring(content, parser=parser)
    except etree.XMLSyntaxError as error:
        raise ValueError(str(error)) from error
    if tree.getroottree().docinfo.internalDTD is not None:
        raise ValueError("document type declaration")
    filename = (tree.findtext(".//NomeFile") or "").strip()
    if not filename:
        raise ValueError("NomeFile")
    errors = [
        ((error.findtext("Codice") or "").strip(), (error.findtext("Descrizione") or "").strip())
        for error in tree.iter("Errore")
    ]
    return {
        "sdi_state": NOTIFICATION_SDI_STATES[code],
        "filename": filename,
        "outcome": (tree.findtext(".//Esito") or "").strip() or False,
        "errors": errors,
        "sdi_identifier": (tree.findtext(".//IdentificativoSdI") or "").strip(),
    }


def sent_file_names(filename):
    """The names under which the file a notification is about may have been
    recorded: as sent, and without the signature's ``.p7m``."""
    names = {filename}
    if filename.lower().endswith(".p7m"):
        names.add(filename[:-4])
    return sorted(names)
