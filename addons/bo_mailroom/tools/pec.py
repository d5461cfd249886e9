"""Reading Italian certified email (PEC) messages.

A PEC provider delivers the sender's message wrapped in an *envelope*
(``X-Trasporto: posta-certificata``): the original message is the
``postacert.eml`` part and the transport data is ``daticert.xml``. The
provider also sends *receipts* (``X-Ricevuta``) about messages we sent:
acceptance, delivery, non-delivery; their ``daticert.xml`` carries the
Message-ID of the message they are about.
"""

import email
import email.policy

from lxml import etree

RECEIPT_DELIVERY_STATES = {
    "accettazione": "accepted",
    "presa-in-carico": "accepted",
    "avvenuta-consegna": "delivered",
    "non-accettazione": "failed",
    "errore-consegna": "failed",
    "preavviso-errore-consegna": "failed",
    "rilevazione-virus": "failed",
}


def _find_part(message, filename):
    for part in message.walk():
        if (part.get_filename() or "").lower() == filename:
            return part
    return None


def _daticert(message):
    """Return the parsed ``daticert.xml`` of a PEC message, or None."""
    part = _find_part(message, "daticert.xml")
    if part is None:
        return None
    content = part.get_payload(decode=True)
    if not content:
        return None
    try:
        return etree.fromstring(content, parser=etree.XMLParser(resolve_entities=False))
    except etree.XMLSyntaxError:
        return None


def _normalize_msgid(msgid):
    msgid = (msgid or "").strip()
    if msgid and not msgid.startswith("<"):
        msgid = f"<{msgid}>"
    return msgid


def parse_receipt(message):
    """Return ``{'kind', 'msgid', 'error'}`` when ``message`` is a PEC receipt."""
    kind = (message.get("X-Ricevuta") or "").strip().lower()
    daticert = _daticert(message)
    if not kind and daticert is not None:
        tipo = (daticert.get("tipo") or "").strip().lower()
        kind = tipo if tipo in RECEIPT_DELIVERY_STATES else ""
    if not kind:
        return None
    msgid = ""
    error = ""
    if daticert is not None:
        msgid = daticert.findtext("dati/msgid") or ""
        error = daticert.findtext("dati/errore-esteso") or ""
        if not error and daticert.get("errore", "nessuno") != "nessuno":
            error = daticert.get("errore")
    msgid = msgid or message.get("X-Riferimento-Message-ID") or ""
    return {"kind": kind, "msgid": _normalize_msgid(msgid), "error": error.strip()}


def parse_envelope(message):
    """Return the inner message and transport data of a PEC envelope, or None."""
    transport = (message.get("X-Trasporto") or "").strip().lower()
    part = _find_part(message, "postacert.eml")
    if part is None and transport:
        part = next((p for p in message.walk() if p.get_content_type() == "message/rfc822"), None)
    if part is None:
        return None
    payload = part.get_payload()
    if isinstance(payload, list):
        inner = payload[0]
    else:
        # Some providers attach it as an opaque file rather than message/rfc822.
        inner = email.message_from_bytes(
            part.get_payload(decode=True) or b"", policy=email.policy.SMTP
        )
    daticert_part = _find_part(message, "daticert.xml")
    return {
        "message": inner,
        "raw_inner": inner.as_bytes(),
        "daticert": daticert_part.get_payload(decode=True) if daticert_part else b"",
        "transport": transport,
    }
