"""Reading Italian certified email (PEC) messages.

A PEC provider delivers the sender's message wrapped in an *envelope*
(``X-Trasporto: posta-certificata``): the original message is the
``postacert.eml`` part and the transport data is ``daticert.xml``. The
provider also sends *receipts* (``X-Ricevuta``) about messages we sent:
acceptance, delivery, non-delivery; their ``daticert.xml`` carries the
Message-ID of the message they are about.

Anyone can write these headers and parts: the caller decides whether the
mailbox the message came from is a PEC mailbox. What is read here is only
what the provider itself wrote: the transport headers of the outer message,
the ``daticert.xml`` that is a part of the outer message (never one carried
inside ``postacert.eml``), and, when the provider signed the envelope
(S/MIME, ``multipart/signed`` or ``application/pkcs7-mime``), the content the
signature covers, once the signature is verified.

Limit: the signature is checked against the certificate it carries
(``openssl smime -verify -noverify``), not against the list of accredited
PEC providers published by AgID, which is not available offline. A forger
who signs with his own certificate is stopped by the PEC mailbox itself:
only the provider writes into it.
"""

import email
import email.policy
import os
import shutil
import subprocess
import tempfile

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
# How much a receipt says, whatever the order it arrives in: a receipt only
# replaces the status of a receipt that says less. A warning of non-delivery
# (preavviso, after 12 hours) is provisional: the delivery receipt may still
# follow and overrides it. A definitive failure (not accepted, not delivered
# after 24 hours, virus) is final: for a message to several recipients one of
# them did not receive it, and no later delivery receipt undoes that.
RECEIPT_STRENGTH = {
    "accettazione": 10,
    "presa-in-carico": 10,
    "preavviso-errore-consegna": 20,
    "avvenuta-consegna": 30,
    "non-accettazione": 40,
    "errore-consegna": 40,
    "rilevazione-virus": 40,
}
ENVELOPE_KINDS = ("posta-certificata",)
SIGNED_TYPES = ("multipart/signed", "application/pkcs7-mime", "application/x-pkcs7-mime")


def _outer_parts(message):
    """Yield the parts of ``message`` itself, never those of a message it carries."""
    queue = [message]
    while queue:
        part = queue.pop(0)
        yield part
        if part.is_multipart() and part.get_content_maintype() != "message":
            queue[0:0] = part.get_payload()


def _find_part(message, filename):
    for part in _outer_parts(message):
        if (part.get_filename() or "").lower() == filename:
            return part
    return None


def _daticert(message):
    """Return the outermost ``daticert.xml`` of a PEC message, parsed, or None."""
    part = _find_part(message, "daticert.xml")
    if part is None:
        return None
    content = part.get_payload(decode=True)
    if not content:
        return None
    try:
        return etree.fromstring(
            content, parser=etree.XMLParser(resolve_entities=False, no_network=True)
        )
    except etree.XMLSyntaxError:
        return None


def _normalize_msgid(msgid):
    msgid = (msgid or "").strip()
    if msgid and not msgid.startswith("<"):
        msgid = f"<{msgid}>"
    return msgid


def _openssl_verify(raw):
    """Verify an S/MIME message with its own certificate; return the signed content.

    Return None when the signature does not verify or cannot be checked.
    """
    openssl = shutil.which("openssl")
    if not openssl:
        return None
    with tempfile.TemporaryDirectory(prefix="bo_pec_") as tmp:
        source = os.path.join(tmp, "message.eml")
        content = os.path.join(tmp, "content.eml")
        with open(source, "wb") as file:
            file.write(raw)
        result = subprocess.run(  # fixed arguments, no shell
            [openssl, "smime", "-verify", "-noverify", "-in", source, "-out", content],
            capture_output=True,
            check=False,
            timeout=30,
        )
        if result.returncode != 0:
            return None
        with open(content, "rb") as file:
            return file.read()


def signed_content(message, raw):
    """Return ``(content, status)``: what the provider's signature covers.

    ``status`` is ``unsigned`` (the message is read as it is), ``verified``
    (``content`` is the signed content, the only part to read) or
    ``invalid`` (a signature is there but does not verify: nothing in the
    message can be trusted).
    """
    if message.get_content_type() not in SIGNED_TYPES:
        return message, "unsigned"
    verified = _openssl_verify(raw)
    if verified is None:
        return message, "invalid"
    if message.get_content_type() == "multipart/signed":
        # The content openssl verified is the first part, read from the very
        # bytes received; the parsed first part is the same text.
        parts = message.get_payload()
        return parts[0], "verified"
    return email.message_from_bytes(verified, policy=email.policy.SMTP), "verified"


def parse_receipt(message, content=None):
    """Return ``{'kind', 'msgid', 'error'}`` when ``message`` is a PEC receipt.

    The kind is the provider's ``X-Ricevuta`` header of the outer message; the
    outermost ``daticert.xml`` of the (signed) content must agree with it.
    """
    content = message if content is None else content
    kind = (message.get("X-Ricevuta") or "").strip().lower()
    if kind not in RECEIPT_DELIVERY_STATES:
        return None
    daticert = _daticert(content)
    if daticert is None or (daticert.get("tipo") or "").strip().lower() != kind:
        return None
    msgid = daticert.findtext("dati/msgid") or message.get("X-Riferimento-Message-ID") or ""
    error = daticert.findtext("dati/errore-esteso") or ""
    if not error and daticert.get("errore", "nessuno") != "nessuno":
        error = daticert.get("errore")
    return {"kind": kind, "msgid": _normalize_msgid(msgid), "error": error.strip()}


def parse_envelope(message, content=None):
    """Return the inner message and transport data of a PEC envelope, or None.

    ``postacert.eml`` and ``daticert.xml`` are parts of the envelope itself;
    the certified sender is the one the provider wrote in ``daticert.xml``.
    """
    content = message if content is None else content
    transport = (message.get("X-Trasporto") or "").strip().lower()
    if transport not in ENVELOPE_KINDS:
        return None
    part = _find_part(content, "postacert.eml")
    if part is None:
        part = next(
            (p for p in _outer_parts(content) if p.get_content_type() == "message/rfc822"),
            None,
        )
    daticert_part = _find_part(content, "daticert.xml")
    daticert = _daticert(content)
    if part is None or daticert is None:
        return None
    if (daticert.get("tipo") or "").strip().lower() != transport:
        return None
    payload = part.get_payload()
    if isinstance(payload, list):
        inner = payload[0]
    else:
        # Some providers attach it as an opaque file rather than message/rfc822.
        inner = email.message_from_bytes(
            part.get_payload(decode=True) or b"", policy=email.policy.SMTP
        )
    return {
        "message": inner,
        "raw_inner": inner.as_bytes(),
        "daticert": daticert_part.get_payload(decode=True),
        "sender": (daticert.findtext("intestazione/mittente") or "").strip(),
        "transport": transport,
    }
