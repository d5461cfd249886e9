#!/usr/bin/env python3
"""Verify a package of the protocol register, with nothing but Python.

Usage::

    python3 verify_register.py PACKAGE.zip

The package is exported by Back Office Mailroom (*Archive > Export
Verifiable Package*). This script checks, and prints what it checked:

- every file against the SHA-256 written in ``index.xml``, and that the
  package holds no file the index does not describe;
- every day against the chain: each day's seal is the SHA-256 of the
  previous day's seal, the company, the date and the fingerprints of the
  day's lines and files (see :func:`chain_digest`), from the seal of the day
  before the period; the days of the period are all there, in order;
- every registered document against the sealed lines of its day (number,
  date, flow, correspondent, subject, files and their fingerprints), and
  every cancellation against the document cancelled, with its reason;
- protocol numbers gap-free and never used twice within a year.

It exits with 0 when everything holds, with 1 naming the first broken link
otherwise (a package that cannot be read is broken too; 2 is a wrong
command line). The last seal printed
is what ties the package to the register: compare it with the seal of the
last day in Odoo, or with a copy kept elsewhere.

It ships inside the addon for convenience; Odoo never imports it.
"""

import hashlib
import itertools
import re
import sys
import zipfile
from datetime import date, timedelta
from xml.etree import ElementTree

SINCRO_NS = "http://www.uni.com/U3011/sincro-v2/"
PACKAGE_FORMAT = "bo_mailroom.register_package/1"
CHAIN_GENESIS = "0" * 64
# Files of the package that the index does not describe.
UNINDEXED = {"index.xml", "verify_register.py"}
# How the sealed lines write the direction, by the version of their writing
# (the day's ``lines_version``): labels at first, technical names since 2.
DIRECTIONS = {
    "1": {"E": "Incoming", "U": "Outgoing", "I": "Internal"},
    "2": {"E": "incoming", "U": "outgoing", "I": "internal"},
}
# A record of the sealed lines starts with its kind and a protocol number.
RECORD_START = re.compile(r"\n(?=[RCM]\|\d{4}/\d{7,}\|)")


class BrokenLink(Exception):
    """The first thing in the package that does not hold."""


def chain_digest(previous_seal, company_id, day, sha256, register_sha256, complete_sha256):
    """The seal of a day, as the register computes it: SHA-256 over
    ``previous|company id|date|lines|register file|complete file``."""
    text = "|".join(
        (previous_seal, str(company_id), day.isoformat(), sha256, register_sha256, complete_sha256)
    )
    return hashlib.sha256(text.encode()).hexdigest()


def _tag(name):
    return f"{{{SINCRO_NS}}}{name}"


def _text(element, path):
    found = element.find(path)
    return (found.text or "") if found is not None else ""


def _record_date(iso_value):
    """``2033-05-10T08:00:00Z`` as the sealed lines write it."""
    return iso_value.replace("T", " ").removesuffix("Z")


class PackageVerifier:
    def __init__(self, path, out=None):
        self.path = path
        self.out = out or sys.stdout

    def say(self, message):
        self.out.write(message + "\n")

    def run(self):
        """Check the package; raise :class:`BrokenLink` at the first break."""
        with zipfile.ZipFile(self.path) as package:
            if "index.xml" not in package.namelist():
                raise BrokenLink("the package has no index.xml")
            try:
                index = ElementTree.fromstring(package.read("index.xml"))
            except ElementTree.ParseError as error:
                raise BrokenLink(f"index.xml cannot be read: {error}") from error
            if index.tag != _tag("IdC"):
                raise BrokenLink("index.xml is not a package index (no IdC)")
            files = self.check_files(package, index)
            register, days, documents = self.read_index(index)
            lines = {day["date"]: package.read(day["lines_path"]).decode() for day in days}
        self.check_chain(register, days, files)
        self.check_documents(register, days, documents, lines)
        self.say(
            f"OK: the register of {register['company']} from {register['date_from']} to "
            f"{register['date_to']} holds. Last seal: {register['last_seal']}"
        )

    def check_files(self, package, index):
        """Every file against its fingerprint; returns their hashes by path."""
        hashes = {}
        for file_element in index.iter(_tag("File")):
            path = _text(file_element, _tag("ID"))
            hash_element = file_element.find(_tag("Hash"))
            if hash_element is None or hash_element.get("function") != "SHA-256":
                raise BrokenLink(f"{path}: the index gives no SHA-256 for it")
            if path in hashes:
                raise BrokenLink(f"{path}: described twice in the index")
            try:
                content = package.read(path)
            except KeyError as error:
                raise BrokenLink(
                    f"{path}: described in the index, missing from the package"
                ) from error
            actual = hashlib.sha256(content).hexdigest()
            if actual != (hash_element.text or "").strip():
                raise BrokenLink(
                    f"{path}: its SHA-256 is {actual}, the index registers {hash_element.text}"
                )
            hashes[path] = actual
        extra = sorted(set(package.namelist()) - set(hashes) - UNINDEXED)
        if extra:
            raise BrokenLink(f"{extra[0]}: in the package but not described by the index")
        self.say(f"Checked {len(hashes)} files against their SHA-256.")
        return hashes

    def read_index(self, index):
        register_element = index.find(
            f"{_tag('VdC')}/{_tag('MoreInfo')}/{_tag('EmbeddedMetadata')}/Register"
        )
        if register_element is None or register_element.get("format") != PACKAGE_FORMAT:
            raise BrokenLink(f"index.xml does not describe a register package ({PACKAGE_FORMAT})")
        register = dict(register_element.attrib)
        days, documents = [], []
        for group in index.iter(_tag("FileGroup")):
            metadata = group.find(f"{_tag('MoreInfo')}/{_tag('EmbeddedMetadata')}")
            if metadata is None:
                raise BrokenLink(
                    f"{_text(group, _tag('Label'))}: a group of files without metadata"
                )
            day = metadata.find("Day")
            if day is not None:
                days.append({**day.attrib, "date": date.fromisoformat(day.get("date"))})
            entry = metadata.find("Entry")
            if entry is not None:
                documents.append(self.read_document(group, entry, metadata.find("Documento")))
        return register, days, documents

    def read_document(self, group, entry, document):
        number = entry.get("number")
        if document is None:
            raise BrokenLink(f"{number}: no Allegato 5 metadata (Documento)")
        registered_files = []
        for file_element in group.iter(_tag("File")):
            info = file_element.find(f"{_tag('MoreInfo')}/{_tag('EmbeddedMetadata')}/FileInfo")
            if info is not None and info.get("registered") == "true":
                registered_files.append(
                    (info.get("name"), _text(file_element, _tag("Hash")).strip())
                )
        cancellation = None
        for change in document.findall("TracciatureModificheDocumento"):
            if _text(change, "TipoModifica") == "annullamento":
                cancellation = {
                    "user": _text(change, "SoggettoAutoreDellaModifica/Denominazione"),
                    "date": _record_date(_text(change, "DataModifica")),
                    "reason": _text(change, "Motivo"),
                }
        return {
            **entry.attrib,
            "identifier": _text(document, "IdDoc/Identificativo"),
            "registered_number": _text(document, "DatiDiRegistrazione/NumeroDocumento"),
            "flow": _text(document, "DatiDiRegistrazione/TipologiaDiFlusso"),
            "date": _record_date(_text(document, "DatiDiRegistrazione/DataRegistrazione")),
            "correspondent": _text(document, "Soggetti/Ruolo/Denominazione"),
            "subject": _text(document, "ChiaveDescrittiva/Oggetto"),
            "files": registered_files,
            "cancellation": cancellation,
        }

    def check_chain(self, register, days, files):
        """Every day of the period, in order, each sealed after the one before."""
        date_from = date.fromisoformat(register["date_from"])
        date_to = date.fromisoformat(register["date_to"])
        days.sort(key=lambda day: day["date"])
        expected_seal = register["previous_seal"]
        expected_date = date_from
        for day in days:
            label = f"day {day['date'].isoformat()}"
            if day["date"] != expected_date:
                raise BrokenLink(
                    f"day {expected_date.isoformat()}: missing from the package "
                    f"(the next day present is {day['date'].isoformat()})"
                )
            for role in ("lines", "register", "complete"):
                if files.get(day[f"{role}_path"]) != day[f"{role}_sha256"]:
                    raise BrokenLink(f"{label}: its {role} file is not the one sealed")
            if day["previous_seal"] != expected_seal:
                raise BrokenLink(
                    f"{label}: its seal follows {day['previous_seal']}, "
                    f"but the day before it was sealed as {expected_seal}"
                )
            seal = chain_digest(
                day["previous_seal"],
                register["company_id"],
                day["date"],
                day["lines_sha256"],
                day["register_sha256"],
                day["complete_sha256"],
            )
            if seal != day["seal"]:
                raise BrokenLink(f"{label}: its seal is {day['seal']}, its content gives {seal}")
            expected_seal = seal
            expected_date += timedelta(days=1)
        if expected_date != date_to + timedelta(days=1):
            raise BrokenLink(f"day {expected_date.isoformat()}: missing from the package")
        if expected_seal != register["last_seal"]:
            raise BrokenLink(
                f"the chain ends with {expected_seal}, the index says {register['last_seal']}"
            )
        self.say(
            f"Checked the chain of {len(days)} days from {date_from} to {date_to}, "
            f"from the seal {register['previous_seal']}."
        )

    def check_documents(self, register, days, documents, lines):
        """The documents against the sealed lines; the numbers without gaps."""
        by_number = {}
        for document in documents:
            number = document["number"]
            if number in by_number:
                raise BrokenLink(f"{number}: described twice in the index")
            if not (number == document["identifier"] == document["registered_number"]):
                raise BrokenLink(f"{number}: the index gives it different numbers")
            by_number[number] = document
        registered, cancelled = {}, {}
        for day in days:
            text = lines[day["date"]]
            for record in RECORD_START.split(text) if text else ():
                number = record.split("|", 2)[1]
                target = {"R": registered, "C": cancelled}.get(record[0])
                if target is None:
                    continue
                if number in target:
                    raise BrokenLink(f"{number}: registered or cancelled twice in the sealed lines")
                target[number] = (day["date"], record, day.get("lines_version") or "1")
        for number, (day, record, version) in registered.items():
            document = by_number.get(number)
            if document is None or document.get("in_period") != "true":
                raise BrokenLink(
                    f"{number}: registered on {day} by the sealed lines, not described by the index"
                )
            if document.get("day") != day.isoformat():
                raise BrokenLink(
                    f"{number}: registered on {day} by the sealed lines, on "
                    f"{document.get('day')} by the index"
                )
            expected = "|".join(
                (
                    "R",
                    number,
                    document["date"],
                    DIRECTIONS.get(version, {}).get(document["flow"], "?"),
                    document["correspondent"],
                    document["subject"],
                )
            ) + "".join(f"|{name}:{sha256}" for name, sha256 in document["files"])
            if record != expected:
                raise BrokenLink(
                    f"{number}: the index does not describe it as the sealed register of {day} does"
                )
        for number, document in by_number.items():
            if document.get("in_period") == "true" and number not in registered:
                raise BrokenLink(
                    f"{number}: in the index, but no sealed day of the period registers it"
                )
        for number, (day, record, _version) in cancelled.items():
            cancellation = (by_number.get(number) or {}).get("cancellation")
            if not cancellation or not cancellation["reason"].strip():
                raise BrokenLink(f"{number}: cancelled on {day}, without its reason in the index")
            expected = "|".join(
                ("C", number, cancellation["date"], cancellation["user"], cancellation["reason"])
            )
            if record != expected:
                raise BrokenLink(
                    f"{number}: its cancellation in the index is not the one sealed on {day}"
                )
        self.check_numbers(register, registered)
        self.say(
            f"Checked {len(registered)} registrations and {len(cancelled)} cancellations "
            "against the sealed lines."
        )

    def check_numbers(self, register, registered):
        """Within each year, the numbers of the period follow one another."""
        date_from = date.fromisoformat(register["date_from"])
        date_to = date.fromisoformat(register["date_to"])
        by_year = {}
        for number in registered:
            year, seq = number.split("/")
            by_year.setdefault(int(year), []).append(int(seq))
        for year, seqs in sorted(by_year.items()):
            seqs.sort()
            if date_from <= date(year, 1, 1) <= date_to and seqs[0] != 1:
                raise BrokenLink(
                    f"{year}: the period starts the year, its first number is {seqs[0]}"
                )
            for before, after in itertools.pairwise(seqs):
                if after != before + 1:
                    raise BrokenLink(
                        f"{year}/{before + 1:07d}: missing between {year}/{before:07d} and "
                        f"{year}/{after:07d}"
                    )
            self.say(f"Checked protocol numbers of {year}: {seqs[0]} to {seqs[-1]}, without gaps.")


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1:
        sys.stderr.write("usage: python3 verify_register.py PACKAGE.zip\n")
        return 2
    try:
        PackageVerifier(argv[0]).run()
    except BrokenLink as error:
        sys.stdout.write(f"BROKEN: {error}\n")
        return 1
    except (OSError, zipfile.BadZipFile, KeyError, ValueError) as error:
        sys.stdout.write(f"BROKEN: the package cannot be read: {error!r}\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
