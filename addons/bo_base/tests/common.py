"""The test foundation every Back Office addon imports.

- :class:`BoUsersCommon`: one user per role, stock roles included where their
  addon is installed.
- :func:`new_bo_user`: a user of the given groups, as every fixture makes them.
- :class:`GuardAttackKit`: the attacks on every guarded field of a model,
  generated from its declaration (``bo_guarded=True``).
- :class:`QueryGrowthMixin`: "the queries do not grow with N".
- :class:`FieldReadingMixin`: every field our addons add reads for everyone
  who may read the record.
- :class:`XlsxReportMixin`, :func:`xlsx_workbook`, :func:`xlsx_rows`: the
  workbook a report gives, and its rows.
- :func:`make_email`, :func:`make_raw_email`, :func:`original_email`: MIME
  messages for the mail gateway.
"""

import datetime
import io

from lxml import etree

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, TransactionCase, new_test_user
from odoo.tools.view_validation import get_expression_field_names

# Each role: login, name, groups (xml ids; a role whose groups are not all
# installed is left out).
ROLES = {
    "bo_user": ("Giulia Clerk", "bo_base.group_bo_user"),
    "bo_manager": ("Marco Manager", "bo_base.group_bo_manager"),
    "internal": ("Ivo Internal", "base.group_user"),
    "salesperson": ("Sam Salesman", "sales_team.group_sale_salesman"),
    "accountant": ("Ines Invoicing", "account.group_account_invoice"),
    "stock_user": ("Stella Stock", "stock.group_stock_user"),
    "purchase_user": ("Piero Purchase", "purchase.group_purchase_user"),
    "portal": ("Paola Portal", "base.group_portal"),
}


class BoUsersCommon(TransactionCase):
    """One user per role in the main company, and a Back Office manager of
    another company: ``cls.users[role]``. An addon's fixture makes its own
    users (other groups, another company) with :meth:`_bo_user`."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.other_company = cls.env["res.company"].create({"name": "Azienda Estranea S.p.A."})
        cls.users = {}
        for role, (name, groups) in ROLES.items():
            if all(cls.env.ref(xmlid, raise_if_not_found=False) for xmlid in groups.split(",")):
                cls.users[role] = cls._bo_user(f"bo_role_{role}", name, groups)
        cls.users["other_company"] = cls._bo_user(
            "bo_role_other_company",
            "Otto Other",
            "bo_base.group_bo_manager",
            company=cls.other_company,
        )

    @classmethod
    def _bo_user(cls, login, name, groups, **values):
        return new_bo_user(cls.env, login, name, groups, **values)

    def assertAccessMatrix(self, records, expected):
        """``expected`` maps each user to its (read, write, create, unlink)
        rights on ``records``: each user has exactly those, no more, no less."""
        for user, rights in expected.items():
            for operation, allowed in zip(
                ("read", "write", "create", "unlink"), rights, strict=True
            ):
                with self.subTest(model=records._name, user=user.login, operation=operation):
                    self.assertEqual(records.with_user(user).has_access(operation), allowed)


def new_bo_user(env, login, name, groups, company=None, **values):
    """A user of ``groups`` (comma-separated xml ids) named ``name``, password
    ``login``, mail at ``login@example.com`` unless ``values`` (more fields
    of the user) says otherwise; given a ``company``, a user of that company
    only."""
    values.setdefault("email", f"{login}@example.com")
    if company:
        values.update(company_id=company.id, company_ids=[Command.set(company.ids)])
    return new_test_user(
        env(context=dict(env.context, no_reset_password=True)),
        login=login,
        name=name,
        groups=groups,
        **values,
    )


class GuardAttackKit(BoUsersCommon):
    """The attacks on a guarded model, for every guarded field and every role.

    A test class declares the model and how to make a record of it::

        @tagged("post_install", "-at_install")
        class TestClaimGuard(GuardAttackKit):
            guarded_model = "bo.customer.claim"

            @classmethod
            def _guard_record(cls):
                return cls.env["bo.customer.claim"].create({...})

            @classmethod
            def _guard_create_values(cls):
                return {...}   # what a clerk fills in to create one

    Each attack, as each role, must be refused or change nothing: RPC
    ``create`` with the field, ``create`` with a ``default_`` key, ``write``,
    ``copy`` with the field in its defaults, ``load``, and a ``write`` under a
    forged context. A new guarded field is attacked without a new test.
    """

    guarded_model = None
    # Odoo's loader runs inherited test methods only when asked to.
    allow_inherited_tests_method = True
    # What a client could send to pass for the guard's grant, in one context.
    FORGED_CONTEXT = {
        "bo_guard_grant": {"*": ["*"]},
        "install_mode": True,
        "module": "bo_base",
        "tracking_disable": True,
    }

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.record = cls._guard_record()

    @classmethod
    def _guard_record(cls):
        raise NotImplementedError("A GuardAttackKit declares how to make its record.")

    @classmethod
    def _guard_create_values(cls):
        raise NotImplementedError("A GuardAttackKit declares what creates a record.")

    def _guard_roles(self):
        """The attackers: every role, and code running as OdooBot."""
        return {**self.users, "odoobot": self.env.ref("base.user_root")}

    def _guard_fields(self):
        fields = self.env[self.guarded_model]._bo_guarded_fields()
        self.assertTrue(fields, f"{self.guarded_model} declares no guarded field")
        return sorted(fields)

    def _guard_forged_value(self, record, fname):
        """A value of the right type that ``record`` does not hold in ``fname``.

        Given the model instead of a record, a value other than the field's
        code default: what a create that ignored the attack would give.
        """
        field = record._fields[fname]
        current = record[fname] if record else record.new(record.default_get([fname]))[fname]
        if field.type == "boolean":
            return not current
        if field.type in ("integer", "float", "monetary"):
            return (current or 0) + 4242
        if field.type in ("char", "text", "html"):
            return "forged by the attack kit"
        if field.type == "date":
            return datetime.date(2001, 2, 3)
        if field.type == "datetime":
            return datetime.datetime(2001, 2, 3, 4, 5, 6)
        if field.type == "selection":
            values = [key for key, _label in field._description_selection(self.env)]
            return [key for key in values if key != current][-1]
        if field.type == "many2one":
            other = self.env[field.comodel_name].sudo().search([("id", "!=", current.id)], limit=1)
            self.assertTrue(other, f"no other {field.comodel_name} to forge {fname} with")
            return other.id
        if field.type == "many2many":
            other = (
                self.env[field.comodel_name].sudo().search([("id", "not in", current.ids)], limit=1)
            )
            return [Command.link(other.id)] if other else [Command.clear()]
        if field.type == "one2many":
            return [Command.clear()] if current else []
        if field.type == "binary":
            return "Zm9yZ2Vk"
        raise NotImplementedError(f"no forged value for a {field.type} field")

    def _guard_has(self, record, fname, value):
        """Whether ``record`` holds the forged ``value`` in ``fname``."""
        field = record._fields[fname]
        stored = record.sudo()[fname]
        if field.type == "many2one":
            return stored.id == value
        if field.type in ("one2many", "many2many"):
            return False  # commands: compared through the unchanged check
        return stored == value

    def _guard_snapshot(self, record):
        record.invalidate_recordset()
        return {fname: record.sudo()[fname] for fname in self._guard_fields()}

    def _guard_attempt(self, attack):
        """Run ``attack``; a refusal is an outcome, never a failure."""
        try:
            with self.env.cr.savepoint():
                result = attack()
                self.env.flush_all()
                return result
        except (AccessError, UserError, ValidationError):
            return None

    def test_guard_rpc_write_is_refused_or_changes_nothing(self):
        for role, user in self._guard_roles().items():
            for fname in self._guard_fields():
                record = self.record
                before = self._guard_snapshot(record)
                forged = self._guard_forged_value(record, fname)
                for context in ({}, self.FORGED_CONTEXT):
                    with self.subTest(role=role, field=fname, context=context):
                        self._guard_attempt(
                            lambda u=user, c=context, f=fname, v=forged, r=record: (
                                r.with_user(u).with_context(**c).write({f: v})
                            )
                        )
                        self.assertEqual(self._guard_snapshot(record), before)

    def test_guard_rpc_create_with_value_or_default_key_is_refused_or_ignored(self):
        for role, user in self._guard_roles().items():
            for fname in self._guard_fields():
                Model = self.env[self.guarded_model].with_user(user)
                forged = self._guard_forged_value(self.env[self.guarded_model], fname)
                attacks = {
                    "value": lambda M=Model, f=fname, v=forged: M.create(
                        [{**self._guard_create_values(), f: v}]
                    ),
                    "default key": lambda M=Model, f=fname, v=forged: M.with_context(
                        **{f"default_{f}": v}
                    ).create([self._guard_create_values()]),
                }
                for path, attack in attacks.items():
                    with self.subTest(role=role, field=fname, path=path):
                        created = self._guard_attempt(attack)
                        if created:
                            self.assertFalse(
                                self._guard_has(created, fname, forged),
                                f"{role} created {self.guarded_model} with {fname} forged",
                            )

    def test_guard_copy_with_value_is_refused_or_ignored(self):
        for role, user in self._guard_roles().items():
            for fname in self._guard_fields():
                forged = self._guard_forged_value(self.record, fname)
                with self.subTest(role=role, field=fname):
                    copied = self._guard_attempt(
                        lambda u=user, f=fname, v=forged: self.record.with_user(u).copy(
                            default={f: v}
                        )
                    )
                    if copied:
                        self.assertFalse(self._guard_has(copied, fname, forged))

    def test_guard_import_is_refused_or_changes_nothing(self):
        for role, user in self._guard_roles().items():
            for fname in self._guard_fields():
                field = self.record._fields[fname]
                if field.type in ("one2many", "many2many", "binary"):
                    continue
                forged = self._guard_forged_value(self.record, fname)
                column, cell = fname, str(forged)
                if field.type == "many2one":
                    column, cell = f"{fname}/.id", str(forged)
                with self.subTest(role=role, field=fname):
                    before = self._guard_snapshot(self.record)
                    self._guard_attempt(
                        lambda u=user, c=column, v=cell: (
                            self.env[self.guarded_model]
                            .with_user(u)
                            .load([".id", c], [[str(self.record.id), v]])
                        )
                    )
                    self.assertEqual(self._guard_snapshot(self.record), before)

    def test_guard_allows_an_ordinary_create(self):
        """The kit attacks something real: a clerk's create without the
        guarded fields goes through (else every refusal above proves nothing)."""
        created = self.env[self.guarded_model].create([self._guard_create_values()])
        self.assertTrue(created.exists())


class QueryGrowthMixin:
    """Queries that do not grow with N, for any ``TransactionCase``.

    A query per record hides in a test with three records; compared on a few
    and on many records, it shows. Counting goes as ``assertQueryCount``
    counts: caches emptied, pending writes and precommit hooks flushed before
    and after, so that both runs pay for the same work.
    """

    def count_queries(self, func):
        """``func()``'s result and the number of queries it took."""
        self.env.flush_all()
        self.env.cr.flush()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        result = func()
        self.env.flush_all()
        self.env.cr.flush()
        return result, self.env.cr.sql_log_count - before

    def assertQueriesDoNotGrow(self, func, small, large, *, warm_up=None, slack=0):
        """``func(large)`` takes no more queries than ``func(small)`` (``slack``
        more at most, where prefetching may differ by a query or two); both
        measured after ``func(warm_up)`` (``small`` by default) filled the
        caches of the models involved. Returns ``func(large)``'s result.

        Where ``func`` changes what it runs on (it makes an evaluation, say),
        give it other records each time: a run on records already done may
        cost less.
        """
        func(small if warm_up is None else warm_up)
        _result, on_small = self.count_queries(lambda: func(small))
        result, on_large = self.count_queries(lambda: func(large))
        self.assertLessEqual(
            on_large,
            on_small + slack,
            f"{on_large} queries for {large!r}, {on_small} for {small!r}: a query per record?",
        )
        return result


# Addons whose fields :class:`FieldReadingMixin` reads: ours, and OCA's
# commission addons we bring in.
FIELD_MODULES = frozenset(
    {
        "bo_base",
        "bo_mailroom",
        "bo_orders",
        "bo_orders_mailroom",
        "bo_reports",
        "bo_reports_mailroom",
        "bo_reports_orders",
        "bo_reports_suppliers",
        "bo_suppliers",
        "commission_oca",
        "account_commission_oca",
        "sale_commission_oca",
    }
)
MODIFIERS = ("invisible", "readonly", "required", "column_invisible")


def module_fields(model):
    """Names of the fields of ``model`` that one of FIELD_MODULES defines or extends."""
    return [
        name for name, field in model._fields.items() if FIELD_MODULES.intersection(field._modules)
    ]


def view_field_names(records):
    """Names of the fields the user's list and form views of ``records`` show
    or depend on (modifiers), as the web client reads them."""
    names = set()
    views = records.get_views([(False, "list"), (False, "form")])
    for view in views["views"].values():
        for node in etree.fromstring(view["arch"]).iter(tag=etree.Element):
            if node.tag == "field":
                names.add(node.get("name"))
            for attribute in MODIFIERS:
                if node.get(attribute):
                    names |= get_expression_field_names(node.get(attribute))
    return names


def read_models(env):
    """Models, stock or ours, that carry at least one of those fields."""
    return sorted(
        name
        for name, model in env.registry.items()
        if not model._abstract and not model._transient and module_fields(env[name])
    )


class FieldReadingMixin:
    """Every field our addons add reads for everyone who may read the record.

    The fields are not listed by hand: they are taken from the models, so a
    field added tomorrow that some reader cannot read fails the test. A test
    class gives its fixture (:meth:`_fixture_records`) and calls
    :meth:`assertEveryFieldReads` for each reader.
    """

    def _fixture_records(self):
        """The records of the test's fixture, a recordset per model."""
        raise NotImplementedError("A FieldReadingMixin declares the records it reads.")

    def _env_of(self, user):
        """``user``'s environment in all of its companies, as the web client has it."""
        companies = user.company_id | user.company_ids
        return self.env(user=user, su=False, context={"allowed_company_ids": companies.ids})

    def _records_to_read(self, user):
        """Per model, the records ``user`` may read: the fixture's and a few more."""
        env = self._env_of(user)
        records = {}
        for fixture in self._fixture_records():
            readable = fixture.with_env(env)._filtered_access("read")
            if readable:
                records[fixture._name] = records.get(fixture._name, readable.browse()) | readable
        for name in read_models(env):
            model = env[name]
            if not model.has_access("read"):
                continue
            found = model.search([], limit=3, order="id desc")
            if found:
                records[name] = records.get(name, model.browse()) | found
        return records

    def _unreadable_fields(self, user):
        """``model.field: error`` for each of our fields ``user`` cannot read on a
        record ``user`` may read: through ``read``, as an RPC client reads it,
        and, for the fields the user's list and form show, as the web client
        reads them (``web_read``, with the names of linked records). Fields the
        user is not meant to see (``groups``) are left out by ``fields_get``,
        as they are from the user's views, but a view of the user's must not
        depend on one (a modifier would fail)."""
        failures = []
        for name, records in self._records_to_read(user).items():
            visible = records.fields_get(attributes=["type"])
            # the portal has no back-office views
            shown = set() if user.share else view_field_names(records)
            for fname in module_fields(records):
                if fname not in visible:
                    if fname in shown:
                        failures.append(f"{name}.{fname}: the user's views depend on it")
                    continue
                field = records._fields[fname]
                try:
                    self.env.invalidate_all()
                    records.read([fname])
                    if fname in shown:
                        spec = {"fields": {"display_name": {}}} if field.relational else {}
                        self.env.invalidate_all()
                        records.web_read({fname: spec})
                except AccessError as error:
                    failures.append(f"{name}.{fname}: {str(error).splitlines()[0]}")
        return failures

    def assertEveryFieldReads(self, readers):
        """Each of ``readers`` ({role: user}) reads every field of ours on
        whatever it may read."""
        for role, user in readers.items():
            with self.subTest(role=role):
                failures = self._unreadable_fields(user)
                self.assertFalse(failures, "\n".join(failures))


# XLSX reports
#
# Report sheets open with a title, a subtitle and a blank line; the header
# row comes next.
XLSX_HEADER_ROW = 4


def xlsx_workbook(content, formulas=False):
    """The openpyxl workbook of an XLSX file's bytes: the values a spreadsheet
    shows, or with ``formulas`` the formulas as written."""
    from openpyxl import load_workbook

    return load_workbook(io.BytesIO(content), data_only=not formulas)


def xlsx_rows(sheet, first_row=XLSX_HEADER_ROW):
    """The values of ``sheet``'s rows from ``first_row`` on, a list per row,
    rows with no value left out."""
    rows = sheet.iter_rows(min_row=first_row, values_only=True)
    return [list(row) for row in rows if any(value not in (None, "") for value in row)]


class XlsxReportMixin:
    """A report wizard filled in as a user, the file its Export button gives,
    and the file's rows."""

    def _report_wizard(self, model, user=None, *, defaults=None, values=None):
        """A wizard of ``model`` filled in through its form as ``user`` (the
        test's user by default): the test's ``defaults`` first, then the
        ``values`` of the test at hand, each in the order given, as a user
        would type them."""
        wizard_form = Form(self.env[model].with_user(user or self.env.user))
        for name, value in [*(defaults or {}).items(), *(values or {}).items()]:
            setattr(wizard_form, name, value)
        return wizard_form.save()

    def _export(self, wizard, formulas=False):
        """The workbook the Export button of ``wizard`` downloads, rendered as
        the wizard's user."""
        action = wizard.action_export_xlsx()
        self.assertEqual(action["report_type"], "xlsx")
        content, file_type = wizard.env["ir.actions.report"]._render(
            action["report_name"], wizard.ids, action.get("data")
        )
        self.assertEqual(file_type, "xlsx")
        return xlsx_workbook(content, formulas)

    @staticmethod
    def _rows(sheet, first_row=XLSX_HEADER_ROW):
        return xlsx_rows(sheet, first_row)

    @staticmethod
    def _by_first_cell(sheet):
        """{first cell: the other cells} of the rows between the header row and
        the totals row."""
        return {row[0]: row[1:] for row in xlsx_rows(sheet)[1:-1]}


# MIME messages
#
# Real messages for the mail gateway (``message_process``), as a mail server
# hands them over: :func:`make_email` writes a well-formed one with Python's
# email package, :func:`make_raw_email` writes the bytes by hand for what no
# well-behaved mailer sends (an unknown charset, NUL or 8-bit bytes in a
# header or an attachment name). :func:`original_email` reads back what the
# intake keeps of the bytes received.


def make_email(
    subject="Richiesta di offerta",
    body="Buongiorno, vi chiediamo un'offerta.",
    sender="Ferramenta Verdi <ordini@ferramentaverdi.example.it>",
    to="ordini@example.com",
    *,
    cc=None,
    html=None,
    charset="utf-8",
    attachments=(),
    msgid=None,
    date=None,
    headers=None,
):
    """A well-formed ``EmailMessage``; ``.as_bytes()`` gives what a server delivers.

    ``attachments`` holds ``(name, content)`` or ``(name, content, mimetype)``;
    ``date`` is a header value or a datetime (now by default); ``headers``
    maps further header names to values. A ``None`` sender or subject leaves
    the header out.
    """
    import email.utils
    from email.message import EmailMessage

    message = EmailMessage()
    if sender:
        message["From"] = sender
    message["To"] = to
    if cc:
        message["Cc"] = cc
    if subject is not None:
        message["Subject"] = subject
    if isinstance(date, datetime.datetime):
        date = email.utils.format_datetime(date.replace(microsecond=0))
    message["Date"] = date or email.utils.formatdate(usegmt=True)
    message["Message-Id"] = msgid or email.utils.make_msgid(domain="sender.example.it")
    for key, value in (headers or {}).items():
        message[key] = value
    message.set_content(body, charset=charset)
    if html:
        message.add_alternative(html, subtype="html", charset=charset)
    for name, content, *mimetype in attachments:
        maintype, subtype = (mimetype[0] if mimetype else "application/octet-stream").split("/")
        if isinstance(content, str):
            message.add_attachment(content, subtype=subtype, filename=name)
        else:
            message.add_attachment(content, maintype=maintype, subtype=subtype, filename=name)
    return message


def make_raw_email(
    subject="Richiesta di offerta",
    body="Buongiorno, vi chiediamo un'offerta.",
    sender="Ferramenta Verdi <ordini@ferramentaverdi.example.it>",
    to="ordini@example.com",
    *,
    cc=None,
    charset="utf-8",
    attachments=(),
    msgid=None,
    date=None,
    headers=(),
    eol=b"\r\n",
):
    """The bytes of a message written by hand, whatever they hold.

    Header values and attachment names are written as given: ``str`` as
    UTF-8 (NUL included), ``bytes`` as they are; an RFC 2047 encoded word is
    given as such. ``body`` (``str`` or ``bytes``) is declared in ``charset``
    (none when ``None``) and encoded with it when Python knows it, else sent
    as UTF-8. ``attachments`` holds ``(name, content)`` or ``(name, content,
    mimetype)``, sent in base64. ``headers`` holds further ``(name, value)``
    pairs or whole raw lines (``bytes``), written after the usual ones.
    """
    import base64
    import codecs
    import email.utils

    def raw(value):
        return value if isinstance(value, bytes) else str(value).encode("utf-8")

    def text(value):
        if isinstance(value, bytes):
            return value
        try:
            codecs.lookup(charset or "ascii")
        except LookupError:
            return value.encode("utf-8")
        return value.encode(charset or "ascii", "replace")

    lines = []
    for name, value in (
        ("From", sender),
        ("To", to),
        ("Cc", cc),
        ("Subject", subject),
        ("Date", date or email.utils.formatdate(usegmt=True)),
        ("Message-Id", msgid or email.utils.make_msgid(domain="sender.example.it")),
    ):
        if value is not None:
            lines.append(raw(name) + b": " + raw(value))
    for header in headers:
        lines.append(
            header if isinstance(header, bytes) else raw(header[0]) + b": " + raw(header[1])
        )
    lines.append(b"MIME-Version: 1.0")
    text_headers = [
        b"Content-Type: text/plain" + (b"; charset=" + raw(charset) if charset else b""),
        b"Content-Transfer-Encoding: 8bit",
    ]
    content = text(body).replace(b"\r\n", b"\n").replace(b"\n", eol)
    if not attachments:
        return eol.join([*lines, *text_headers, b"", content])
    boundary = b"==bo-boundary-" + email.utils.make_msgid().strip("<>").encode() + b"=="
    lines.append(b'Content-Type: multipart/mixed; boundary="' + boundary + b'"')
    parts = [eol.join([*text_headers, b"", content])]
    for name, data, *mimetype in attachments:
        data = raw(data)
        encoded = base64.encodebytes(data).replace(b"\n", eol).rstrip(eol)
        parts.append(
            eol.join(
                [
                    b"Content-Type: "
                    + raw(mimetype[0] if mimetype else "application/octet-stream")
                    + b'; name="'
                    + raw(name)
                    + b'"',
                    b'Content-Disposition: attachment; filename="' + raw(name) + b'"',
                    b"Content-Transfer-Encoding: base64",
                    b"",
                    encoded,
                ]
            )
        )
    body_block = b"".join(b"--" + boundary + eol + part + eol for part in parts)
    return eol.join([*lines, b"", body_block + b"--" + boundary + b"--" + eol])


def original_email(record):
    """The attachments of ``record`` that keep the bytes of a message received."""
    return (
        record.env["ir.attachment"]
        .sudo()
        .search(
            [
                ("res_model", "=", record._name),
                ("res_id", "in", record.ids),
                ("name", "=", "original_email.eml"),
            ]
        )
    )
