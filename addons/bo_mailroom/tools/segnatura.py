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
from cryptography.hazmat.primitives.asymmetric import ec, padding
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
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
C14N = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315"
# What other protocol software signs with, and this module verifies: XML
# canonicalisations 1.0 (exclusive or not), SHA-2 digests, RSA and ECDSA
# signatures. SHA-1 is refused: a fingerprint is only as good as its hash.
CANONICALISATIONS = {
    EXC_C14N: {"exclusive": True, "with_comments": False},
    f"{EXC_C14N}WithComments": {"exclusive": True, "with_comments": True},
    C14N: {"exclusive": False, "with_comments": False},
    f"{C14N}#WithComments": {"exclusive": False, "with_comments": True},
}
WITHOUT_COMMENTS = {f"{EXC_C14N}WithComments": EXC_C14N, f"{C14N}#WithComments": C14N}
DIGESTS = {
    SHA256: hashlib.sha256,
    "http://www.w3.org/2001/04/xmldsig-more#sha384": hashlib.sha384,
    "http://www.w3.org/2001/04/xmlenc#sha512": hashlib.sha512,
}
XMLDSIG_MORE = "http://www.w3.org/2001/04/xmldsig-more#"
SIGNATURE_METHODS = {
    RSA_SHA256: ("rsa", hashes.SHA256),
    f"{XMLDSIG_MORE}rsa-sha384": ("rsa", hashes.SHA384),
    f"{XMLDSIG_MORE}rsa-sha512": ("rsa", hashes.SHA512),
    f"{XMLDSIG_MORE}ecdsa-sha256": ("ecdsa", hashes.SHA256),
    f"{XMLDSIG_MORE}ecdsa-sha384": ("ecdsa", hashes.SHA384),
    f"{XMLDSIG_MORE}ecdsa-sha512": ("ecdsa", hashes.SHA512),
}

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


def _c14n(node, algorithm=EXC_C14N):
    """Canonical form of ``node``: exclusive, without comments, by default."""
    return etree.tostring(node, method="c14n", **CANONICALISATIONS[algorithm])


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


def sign(
    root,
    certificate_der,
    signer,
    now=None,
    canonicalisation=EXC_C14N,
    signature_method=RSA_SHA256,
):
    """Sign ``root`` in place with an enveloped XAdES baseline B signature.

    ``certificate_der``: the signer's certificate (DER bytes);
    ``signer(data)``: the RSA-SHA256 signature of ``data``, base64-encoded
    (``certificate.certificate._sign``). The references are the document
    (enveloped, exclusive c14n) and the XAdES ``SignedProperties`` (signing
    time and the certificate's SHA-256), both digested with SHA-256.
    ``canonicalisation`` and ``signature_method``: exclusive c14n and
    RSA-SHA256; others are for tests, which sign as other software may.
    """
    now = now or datetime.datetime.now(datetime.UTC)
    token = uuid.uuid4().hex
    signature_id = f"Signature-{token}"
    properties_id = f"SignedProperties-{token}"
    document_reference_id = f"Reference-{token}"
    document_digest = fingerprint(_c14n(_without_signature(root), canonicalisation))

    signature = _ds(root, "Signature", Id=signature_id)
    signed_info = _ds(signature, "SignedInfo")
    _ds(signed_info, "CanonicalizationMethod", Algorithm=canonicalisation)
    _ds(signed_info, "SignatureMethod", Algorithm=signature_method)
    _reference(
        signed_info, "", (ENVELOPED, canonicalisation), document_digest, Id=document_reference_id
    )
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
    _ds(cert_digest, "DigestValue", fingerprint(certificate_der))
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
        (canonicalisation,),
        fingerprint(_c14n(properties, canonicalisation)),
        Type=SIGNED_PROPERTIES_TYPE,
    )
    signed = signer(_c14n(signed_info, canonicalisation))
    signature_value.text = signed.decode().replace("\n", "")
    return root


def tostring(root):
    """The bytes of a signed Segnatura: never pretty-printed after signing."""
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _reference_data(root, reference):
    """The octets a reference covers, or raise :class:`SegnaturaError`.

    The document itself (``URI=""``, enveloped-signature transform) or an
    element of it by its ``Id`` (the XAdES signed properties); the last
    transform may canonicalise, else inclusive c14n 1.0 applies.
    """
    uri = reference.get("URI")
    transforms = [
        t.get("Algorithm") for t in reference.findall(f"{{{DS}}}Transforms/{{{DS}}}Transform")
    ]
    if uri == "":
        if not transforms or transforms[0] != ENVELOPED:
            raise SegnaturaError("the document is signed without the enveloped transform")
        transforms = transforms[1:]
        node = _without_signature(root)
    elif uri and uri.startswith("#"):
        targets = root.xpath("//*[@Id=$id]", id=uri[1:])
        if len(targets) != 1:
            raise SegnaturaError(f"reference {uri} is not found once")
        node = targets[0]
    else:
        raise SegnaturaError(f"external reference {uri!r}")
    if len(transforms) > 1 or (transforms and transforms[0] not in CANONICALISATIONS):
        raise SegnaturaError(f"unsupported transforms of {uri or 'the document'}: {transforms}")
    algorithm = transforms[0] if transforms else C14N
    if uri == "":
        # A same-document reference leaves the comments out, whatever the c14n.
        algorithm = WITHOUT_COMMENTS.get(algorithm, algorithm)
    return _c14n(node, algorithm)


def _check_signature_value(signature, signed_info, method):
    """Check the signature value over ``signed_info`` with the certificate
    in ``KeyInfo``; return the certificate or raise :class:`SegnaturaError`."""
    canonicalisation = signed_info.find(f"{{{DS}}}CanonicalizationMethod")
    algorithm = canonicalisation.get("Algorithm") if canonicalisation is not None else None
    if algorithm not in CANONICALISATIONS:
        raise SegnaturaError(f"unsupported canonicalisation {algorithm!r}")
    der = "".join(
        (
            signature.findtext(f"{{{DS}}}KeyInfo/{{{DS}}}X509Data/{{{DS}}}X509Certificate") or ""
        ).split()
    )
    kind, hash_class = SIGNATURE_METHODS[method]
    try:
        certificate = x509.load_der_x509_certificate(base64.b64decode(der))
        value = base64.b64decode(
            "".join((signature.findtext(f"{{{DS}}}SignatureValue") or "").split())
        )
        key = certificate.public_key()
        data = _c14n(signed_info, algorithm)
        if kind == "rsa":
            key.verify(value, data, padding.PKCS1v15(), hash_class())
        else:
            # XML-DSig writes an ECDSA signature as r and s side by side.
            half = len(value) // 2
            value = encode_dss_signature(
                int.from_bytes(value[:half], "big"), int.from_bytes(value[half:], "big")
            )
            key.verify(value, data, ec.ECDSA(hash_class()))
    except InvalidSignature as error:
        raise SegnaturaError("the signature value does not match") from error
    except (ValueError, TypeError, AttributeError) as error:
        raise SegnaturaError(
            f"the certificate or signature value cannot be read: {error}"
        ) from error
    return certificate


def verify_signature(root):
    """Check the enveloped signature of a parsed Segnatura.

    Return ``(ok, reason, certificate)``: every reference's digest (the
    document without its signature, the signed properties), and the
    signature value against the certificate the signature carries. Who that
    certificate belongs to is not checked here: a self-signed one verifies.
    """
    signature = root.find(f"{{{DS}}}Signature")
    signed_info = signature.find(f"{{{DS}}}SignedInfo") if signature is not None else None
    if signed_info is None:
        return False, "no signature", None
    method_element = signed_info.find(f"{{{DS}}}SignatureMethod")
    method = method_element.get("Algorithm") if method_element is not None else None
    if method not in SIGNATURE_METHODS:
        return False, f"unsupported signature method {method!r}", None
    references = signed_info.findall(f"{{{DS}}}Reference")
    if not any(reference.get("URI") == "" for reference in references):
        return False, "the signature does not cover the document", None
    try:
        for reference in references:
            digest_element = reference.find(f"{{{DS}}}DigestMethod")
            digest_method = digest_element.get("Algorithm") if digest_element is not None else None
            if digest_method not in DIGESTS:
                raise SegnaturaError(f"unsupported digest method {digest_method!r}")
            expected = base64.b64encode(
                DIGESTS[digest_method](_reference_data(root, reference)).digest()
            ).decode()
            if "".join((reference.findtext(f"{{{DS}}}DigestValue") or "").split()) != expected:
                raise SegnaturaError(
                    f"the digest of {reference.get('URI') or 'the document'} does not match"
                )
        certificate = _check_signature_value(signature, signed_info, method)
    except SegnaturaError as error:
        return False, str(error), None
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
