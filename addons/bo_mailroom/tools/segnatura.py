"""The *Segnatura* of protocol interoperability (AgID, Allegato 6, 3.0.0).

A registered letter sent from one register to another carries
``Segnatura.xml``: who registered it, under which number and date, its
subject and classification, and the SHA-256 fingerprint of each of its
files. The document is signed (XAdES baseline B, enveloped): the
fingerprints are only worth what the signature over them is worth.

This module knows XML and cryptography, nothing of Odoo's records: the
register gives it plain values (:func:`build`) and a function that signs
bytes with the company's key (:func:`sign`), and reads back what a sender
wrote (:func:`read`, :func:`verify_signature`).

The schema is AgID's own, shipped unchanged in ``data/schemas`` with the
W3C schema of XML signatures it imports; it is loaded once per process.
"""

import base64
import datetime
import functools
import hashlib
import os
import uuid
from copy import deepcopy

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from lxml import etree

NS = "http://www.agid.gov.it/protocollo/"
DS = "http://www.w3.org/2000/09/xmldsig#"
XADES = "http://uri.etsi.org/01903/v1.3.2#"
NSMAP = {"prot": NS, "ds": DS}
XPATH_NS = {"prot": NS, "ds": DS, "xades": XADES}

FILENAME = "Segnatura.xml"
VERSION = "3.0.0"
# The register of every entry: the company's general protocol register.
REGISTER_CODE = "PROTOCOLLO"

EXC_C14N = "http://www.w3.org/2001/10/xml-exc-c14n#"
ENVELOPED = "http://www.w3.org/2000/09/xmldsig#enveloped-signature"
RSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
SHA256 = "http://www.w3.org/2001/04/xmlenc#sha256"
SIGNED_PROPERTIES_TYPE = "http://uri.etsi.org/01903#SignedProperties"

SCHEMA_PATH = os.path.join(
    os.path.dirname(os.path.dirname(__file__)), "data", "schemas", "segnatura_protocollo.xsd"
)


class SegnaturaError(ValueError):
    """A Segnatura that cannot be read or does not follow the schema."""


def _parser():
    # Whatever a sender wrote: no network, no entities, no huge trees.
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


@functools.cache
def schema():
    """AgID's schema, loaded once (the W3C signature schema it imports, too)."""
    return etree.XMLSchema(etree.parse(SCHEMA_PATH, _parser()))


def schema_errors(root):
    """The schema's complaints about ``root``, as lines; none when it is valid."""
    validator = schema()
    if validator.validate(root):
        return []
    return [f"{error.line}: {error.message}" for error in validator.error_log]


def fingerprint(content):
    """The *Impronta* of a file: its SHA-256, base64-encoded."""
    return base64.b64encode(hashlib.sha256(content or b"").digest()).decode()


# ----------------------------------------------------------------------
# Writing
# ----------------------------------------------------------------------


def _el(parent, tag, text=None, ns=NS, **attrs):
    element = etree.SubElement(parent, f"{{{ns}}}{tag}")
    for name, value in attrs.items():
        # attributeFormDefault="qualified": the schema's own attributes carry its namespace.
        element.set(f"{{{NS}}}{name}" if ns == NS else name, value)
    if text is not None:
        element.text = text
    return element


def _subject(parent, tag, party):
    """A correspondent (SoggettoType): a company or a person."""
    holder = _el(parent, tag, **party.get("attrs", {}))
    if party.get("person"):
        person = _el(holder, "PersonaFisica")
        _el(person, "Nome", party["first_name"])
        _el(person, "Cognome", party["last_name"])
        if party.get("email"):
            contacts = _el(person, "Contatti")
            _el(contacts, "IndirizzoTelematico", party["email"], tipo="smtp")
        return holder
    company = _el(holder, "PersonaGiuridica")
    _el(company, "Denominazione", party["name"])
    if party.get("vat"):
        _el(company, "PIVAoCF", party["vat"])
    if party.get("email"):
        contacts = _el(company, "ContattiPersonaGiuridica")
        _el(contacts, "IndirizzoTelematico", party["email"], tipo="smtp")
    return holder


def _document(parent, tag, document):
    element = _el(parent, tag, nomeFile=document["name"], mimeType=document["mimetype"])
    _el(element, "Impronta", fingerprint(document["content"]), algoritmo="SHA-256")
    return element


def build(values):
    """The unsigned ``SegnaturaInformatica`` of ``values``.

    ``values``: ``administration_code``, ``aoo_code``, ``number`` (7 digits
    or more), ``date`` and ``time``, ``subject``, ``classification``
    (``name``, ``code``), ``case`` (``name``, ``code``) or None,
    ``confidential``, ``sender`` and ``recipients`` (see :func:`_subject`),
    ``documents``: the primary document first, each with ``name``,
    ``mimetype`` and ``content``.
    """
    root = etree.Element(f"{{{NS}}}SegnaturaInformatica", nsmap=NSMAP)
    root.set(f"{{{NS}}}versione", VERSION)
    root.set(f"{{{NS}}}lang", "it")
    header = _el(root, "Intestazione")
    identifier = _el(header, "Identificatore")
    _el(identifier, "CodiceAmministrazione", values["administration_code"])
    _el(identifier, "CodiceAOO", values["aoo_code"])
    _el(identifier, "CodiceRegistro", REGISTER_CODE)
    _el(identifier, "NumeroRegistrazione", values["number"])
    _el(identifier, "DataRegistrazione", values["date"].isoformat())
    if values.get("time"):
        _el(identifier, "OraRegistrazione", values["time"])
    _el(header, "Oggetto", values["subject"])
    classification = _el(header, "Classifica")
    _el(classification, "Denominazione", values["classification"]["name"])
    _el(classification, "CodiceFlat", values["classification"]["code"])
    if values.get("case"):
        case = _el(header, "Fascicolo")
        _el(case, "Denominazione", values["case"]["name"])
        _el(case, "CodiceFascicolo", values["case"]["code"])
    if values.get("confidential"):
        _el(header, "Riservato", "true")
    description = _el(root, "Descrizione")
    _subject(description, "Mittente", values["sender"])
    for recipient in values["recipients"]:
        _subject(description, "Destinatario", recipient)
    primary, *attached = values["documents"]
    _document(description, "DocumentoPrimario", primary)
    for document in attached:
        _document(description, "Allegato", document)
    return root


# ----------------------------------------------------------------------
# Signing: XAdES baseline B, enveloped
# ----------------------------------------------------------------------


def _c14n(node):
    """Exclusive canonical form of ``node`` (without comments)."""
    return etree.tostring(node, method="c14n", exclusive=True, with_comments=False)


def _digest(data):
    return base64.b64encode(hashlib.sha256(data).digest()).decode()


def _without_signature(root):
    """The document as the enveloped-signature transform sees it."""
    document = deepcopy(root)
    for signature in document.findall(f"{{{DS}}}Signature"):
        # The text after the signature belongs to the document, not to it.
        previous = signature.getprevious()
        if signature.tail:
            if previous is not None:
                previous.tail = (previous.tail or "") + signature.tail
            else:
                document.text = (document.text or "") + signature.tail
        document.remove(signature)
    return document


def _ds(parent, tag, text=None, **attrs):
    element = etree.SubElement(parent, f"{{{DS}}}{tag}", attrs)
    if text is not None:
        element.text = text
    return element


def _reference(signed_info, uri, transforms, digest, **attrs):
    reference = _ds(signed_info, "Reference", URI=uri, **attrs)
    chain = _ds(reference, "Transforms")
    for algorithm in transforms:
        _ds(chain, "Transform", Algorithm=algorithm)
    _ds(reference, "DigestMethod", Algorithm=SHA256)
    _ds(reference, "DigestValue", digest)
    return reference


def sign(root, certificate_der, signer, now=None):
    """Sign ``root`` in place with an enveloped XAdES baseline B signature.

    ``certificate_der``: the signer's certificate (DER bytes);
    ``signer(data)``: the RSA-SHA256 signature of ``data``, base64-encoded
    (``certificate.certificate._sign``). The references are the document
    (enveloped, exclusive c14n) and the XAdES ``SignedProperties`` (signing
    time and the certificate's SHA-256), both digested with SHA-256.
    """
    now = now or datetime.datetime.now(datetime.UTC)
    token = uuid.uuid4().hex
    signature_id = f"Signature-{token}"
    properties_id = f"SignedProperties-{token}"
    document_reference_id = f"Reference-{token}"
    document_digest = _digest(_c14n(_without_signature(root)))

    signature = _ds(root, "Signature", Id=signature_id)
    signed_info = _ds(signature, "SignedInfo")
    _ds(signed_info, "CanonicalizationMethod", Algorithm=EXC_C14N)
    _ds(signed_info, "SignatureMethod", Algorithm=RSA_SHA256)
    _reference(signed_info, "", (ENVELOPED, EXC_C14N), document_digest, Id=document_reference_id)
    signature_value = _ds(signature, "SignatureValue")
    key_info = _ds(signature, "KeyInfo")
    x509_data = _ds(key_info, "X509Data")
    _ds(x509_data, "X509Certificate", base64.b64encode(certificate_der).decode())

    obj = _ds(signature, "Object")
    qualifying = etree.SubElement(
        obj,
        f"{{{XADES}}}QualifyingProperties",
        {"Target": f"#{signature_id}"},
        nsmap={"xades": XADES},
    )
    properties = etree.SubElement(qualifying, f"{{{XADES}}}SignedProperties", Id=properties_id)
    signature_properties = etree.SubElement(properties, f"{{{XADES}}}SignedSignatureProperties")
    etree.SubElement(signature_properties, f"{{{XADES}}}SigningTime").text = now.strftime(
        "%Y-%m-%dT%H:%M:%SZ"
    )
    certificate_v2 = etree.SubElement(signature_properties, f"{{{XADES}}}SigningCertificateV2")
    cert = etree.SubElement(certificate_v2, f"{{{XADES}}}Cert")
    cert_digest = etree.SubElement(cert, f"{{{XADES}}}CertDigest")
    _ds(cert_digest, "DigestMethod", Algorithm=SHA256)
    _ds(cert_digest, "DigestValue", _digest(certificate_der))
    data_properties = etree.SubElement(properties, f"{{{XADES}}}SignedDataObjectProperties")
    data_format = etree.SubElement(
        data_properties,
        f"{{{XADES}}}DataObjectFormat",
        ObjectReference=f"#{document_reference_id}",
    )
    etree.SubElement(data_format, f"{{{XADES}}}MimeType").text = "text/xml"

    _reference(
        signed_info,
        f"#{properties_id}",
        (EXC_C14N,),
        _digest(_c14n(properties)),
        Type=SIGNED_PROPERTIES_TYPE,
    )
    signature_value.text = signer(_c14n(signed_info)).decode().replace("\n", "")
    return root


def tostring(root):
    """The bytes of a signed Segnatura: never pretty-printed after signing."""
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def verify_signature(root):
    """Check the enveloped signature of a parsed Segnatura.

    Return ``(ok, reason, certificate)``: every reference's SHA-256 digest
    (the document without its signature, the signed properties) and the
    RSA-SHA256 signature value, against the certificate the signature
    carries. Who that certificate belongs to is not checked here: a
    self-signed certificate verifies.
    """
    signature = root.find(f"{{{DS}}}Signature")
    if signature is None:
        return False, "no signature", None
    signed_info = signature.find(f"{{{DS}}}SignedInfo")
    if signed_info is None:
        return False, "no SignedInfo", None
    method = signed_info.find(f"{{{DS}}}SignatureMethod")
    canon = signed_info.find(f"{{{DS}}}CanonicalizationMethod")
    if method is None or method.get("Algorithm") != RSA_SHA256:
        return False, "signature method other than RSA-SHA256", None
    if canon is None or canon.get("Algorithm") != EXC_C14N:
        return False, "canonicalisation other than exclusive c14n", None
    references = signed_info.findall(f"{{{DS}}}Reference")
    if not any(ref.get("URI") == "" for ref in references):
        return False, "the signature does not cover the document", None
    for reference in references:
        uri = reference.get("URI")
        digest_method = reference.find(f"{{{DS}}}DigestMethod")
        if digest_method is None or digest_method.get("Algorithm") != SHA256:
            return False, f"digest of {uri!r} other than SHA-256", None
        transforms = [
            t.get("Algorithm") for t in reference.findall(f"{{{DS}}}Transforms/{{{DS}}}Transform")
        ]
        if uri == "":
            if transforms != [ENVELOPED, EXC_C14N]:
                return False, "unexpected transforms of the document", None
            data = _c14n(_without_signature(root))
        elif uri and uri.startswith("#"):
            if transforms not in ([], [EXC_C14N]):
                return False, f"unexpected transforms of {uri}", None
            targets = root.xpath("//*[@Id=$id]", id=uri[1:])
            if len(targets) != 1:
                return False, f"reference {uri} not found once", None
            data = _c14n(targets[0])
        else:
            return False, f"external reference {uri!r}", None
        if (reference.findtext(f"{{{DS}}}DigestValue") or "").strip() != _digest(data):
            return False, f"digest of {uri or 'the document'} does not match", None
    der = "".join(
        (
            signature.findtext(f"{{{DS}}}KeyInfo/{{{DS}}}X509Data/{{{DS}}}X509Certificate") or ""
        ).split()
    )
    try:
        certificate = x509.load_der_x509_certificate(base64.b64decode(der))
        value = base64.b64decode(
            "".join((signature.findtext(f"{{{DS}}}SignatureValue") or "").split())
        )
        certificate.public_key().verify(
            value, _c14n(signed_info), padding.PKCS1v15(), hashes.SHA256()
        )
    except (ValueError, TypeError, InvalidSignature) as error:
        return False, f"signature value: {error or type(error).__name__}", None
    return True, "", certificate


# ----------------------------------------------------------------------
# Reading
# ----------------------------------------------------------------------


def parse(content):
    """Parse the bytes of a Segnatura; raise :class:`SegnaturaError`."""
    try:
        return etree.fromstring(content, parser=_parser())
    except etree.XMLSyntaxError as error:
        raise SegnaturaError(str(error)) from error


def read(root):
    """What a (schema-valid) Segnatura declares.

    ``identifier``: the sender's ``administration_code``, ``aoo_code``,
    ``register_code``, ``number``, ``date``; ``subject``; ``documents``:
    ``(name, mimetype, fingerprint, algorithm)`` of the primary document and
    of each attachment.
    """

    def text(path):
        return (root.findtext(path, namespaces=XPATH_NS) or "").strip()

    ident = "prot:Intestazione/prot:Identificatore/prot:"
    documents = []
    for element in root.xpath(
        "prot:Descrizione/prot:DocumentoPrimario | prot:Descrizione/prot:Allegato",
        namespaces=XPATH_NS,
    ):
        impronta = element.find("prot:Impronta", namespaces=XPATH_NS)
        documents.append(
            (
                element.get(f"{{{NS}}}nomeFile") or "",
                element.get(f"{{{NS}}}mimeType") or "",
                "".join((impronta.text or "").split()) if impronta is not None else "",
                (impronta.get(f"{{{NS}}}algoritmo") if impronta is not None else None) or "SHA-256",
            )
        )
    raw_date = text(ident + "DataRegistrazione")
    try:
        # xs:date may carry a time zone: the date is its first ten characters.
        registration_date = datetime.date.fromisoformat(raw_date[:10])
    except ValueError:
        registration_date = None
    return {
        "identifier": {
            "administration_code": text(ident + "CodiceAmministrazione"),
            "aoo_code": text(ident + "CodiceAOO"),
            "register_code": text(ident + "CodiceRegistro"),
            "number": text(ident + "NumeroRegistrazione"),
            "date": registration_date,
        },
        "subject": text("prot:Intestazione/prot:Oggetto"),
        "documents": documents,
    }
