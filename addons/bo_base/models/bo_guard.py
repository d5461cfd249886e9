"""The guard: fields that only the Back Office's own actions write.

A field declared with ``bo_guarded=True`` is written by our actions and by
nothing else: not by a form, an RPC ``create``/``write``, a ``default_`` key
or a user default, a ``copy``, an import, nor by code running as OdooBot or
with ``sudo()``. An action that may write such fields says so with
:func:`writes`; the permission it receives is a :class:`Grant`, a Python
object in the context. The context of an RPC call is JSON, so no client can
send one: a privilege is never a value a client can make up.

Example::

    bo_override_reason = fields.Text(bo_guarded=True, tracking=True)

    @guard.writes("bo_override_reason")
    def _bo_set_override(self, reason):
        self.bo_override_reason = reason
"""

import functools

from odoo import api, models
from odoo.exceptions import AccessError
from odoo.models import BaseModel

GRANT_KEY = "bo_guard_grant"
ALL_FIELDS = "*"


class Grant:
    """What the running action may write: field names by model name."""

    __slots__ = ("_fields_by_model",)

    def __init__(self, fields_by_model):
        self._fields_by_model = fields_by_model

    @classmethod
    def of(cls, env):
        grant = env.context.get(GRANT_KEY)
        return grant if type(grant) is cls else None

    def covers(self, model_name, field_names):
        allowed = self._fields_by_model.get(model_name, frozenset())
        return ALL_FIELDS in allowed or allowed.issuperset(field_names)

    def extended(self, model_name, field_names):
        merged = dict(self._fields_by_model)
        merged[model_name] = merged.get(model_name, frozenset()) | frozenset(field_names)
        return Grant(merged)

    def __repr__(self):
        return f"Grant({self._fields_by_model!r})"


def grant(records, *field_names, model=None):
    """``records`` allowed to write the guarded ``field_names`` of ``model``
    (their own model by default), on top of what is already granted.

    Without field names, every guarded field of the model: for hooks that
    move the model's data as a whole (uninstall, migrations).
    """
    model_name = model or records._name
    names = field_names or (ALL_FIELDS,)
    current = Grant.of(records.env) or Grant({})
    return records.with_context(**{GRANT_KEY: current.extended(model_name, names)})


def writes(*field_names, model=None):
    """Declare an action that writes guarded fields of its model (or ``model``).

    The method runs on records granted those fields; the records it returns
    are handed back without the grant, so the caller gains nothing.
    """

    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            result = method(grant(self, *field_names, model=model), *args, **kwargs)
            if isinstance(result, BaseModel):
                result = result.with_env(self.env)
            return result

        wrapper.bo_guard_writes = (model, field_names)
        return wrapper

    return decorate


class Base(models.AbstractModel):
    _inherit = "base"
    _bo_guarded_names = frozenset()

    def _valid_field_parameter(self, field, name):
        return name == "bo_guarded" or super()._valid_field_parameter(field, name)

    def _post_model_setup__(self):
        """Note the model's guarded fields once its fields are set up (again,
        whenever a module adds fields to it)."""
        res = super()._post_model_setup__()
        type(self)._bo_guarded_names = frozenset(
            name
            for name, field in self._fields.items()
            if getattr(field, "bo_guarded", False) and not field.related
        )
        return res

    @api.model
    def _bo_guarded_fields(self):
        """The model's guarded field names.

        A related or delegated (``_inherits``) field is written through the
        field it mirrors, which is guarded on its own model: it is left out.
        """
        return type(self)._bo_guarded_names

    @api.model
    def _bo_guard_ungranted(self, field_names):
        """The guarded fields among ``field_names`` the running code may not write."""
        guarded = self._bo_guarded_fields().intersection(field_names)
        if not guarded:
            return guarded
        current = Grant.of(self.env)
        if current is None:
            return guarded
        return frozenset(name for name in guarded if not current.covers(self._name, {name}))

    @api.model
    def _bo_guard_check(self, vals):
        ungranted = self._bo_guard_ungranted(vals)
        if ungranted:
            labels = ", ".join(
                sorted(self._fields[name]._description_string(self.env) for name in ungranted)
            )
            model = self.env["ir.model"]._get(self._name).name or self._description
            raise AccessError(
                self.env._(
                    "%(fields)s of %(model)s are set only by the Back Office's own "
                    "actions, never directly.",
                    fields=labels,
                    model=model,
                )
            )

    @api.model
    def default_get(self, fields):
        """Guarded fields get their code default only: never a ``default_`` key
        of the context nor a user default, granted or not (an action writes
        what it means to write as values). A delegated field whose own field
        is guarded gets no default here: its record, created with it, applies
        its own."""
        guarded = self._bo_guarded_fields().intersection(fields)
        delegated = set()
        for name in fields:
            field = self._fields.get(name)
            if field and field.inherited:
                parent_field = field.related_field
                if parent_field.name in self.env[parent_field.model_name]._bo_guarded_fields():
                    delegated.add(name)
        if not guarded and not delegated:
            return super().default_get(fields)
        defaults = super().default_get(
            [name for name in fields if name not in guarded and name not in delegated]
        )
        plain = self.with_env(
            self.env(
                context={
                    key: value
                    for key, value in self.env.context.items()
                    if not (key.startswith("default_") and key[8:] in guarded)
                }
            )
        )
        for name in guarded:
            field = self._fields[name]
            if field.default:
                value = field.convert_to_cache(field.default(plain), plain, validate=False)
                defaults[name] = field.convert_to_write(value, plain)
        return defaults

    @api.model_create_multi
    def create(self, vals_list):
        if self._bo_guarded_fields():
            for vals in vals_list:
                self._bo_guard_check(vals)
        return super().create(vals_list)

    def write(self, vals):
        if self._bo_guarded_fields():
            self._bo_guard_check(vals)
        return super().write(vals)

    def copy_data(self, default=None):
        """A copy starts its guarded fields afresh (their code default): what our
        actions wrote on the original is not the copy's to have."""
        vals_list = super().copy_data(default)
        ungranted = self._bo_guard_ungranted(self._bo_guarded_fields()) - set(default or ())
        if ungranted:
            for vals in vals_list:
                for name in ungranted.intersection(vals or ()):
                    del vals[name]
        return vals_list
