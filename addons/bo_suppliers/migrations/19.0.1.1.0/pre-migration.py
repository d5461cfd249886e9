"""19.0.1.1.0: a manager's override is one mechanism (``bo.override.mixin``).

A vendor bill's payment release (``bo_release_*``) and a purchase order's
supplier override (``bo_supplier_override_*``) become ``bo_override_*``. The
columns and their fields (``ir_model_fields`` and their xml ids) are renamed,
not made anew: the releases, the overrides and their tracking history (which
points to the fields' ids) stay.

A release kept the fingerprint of the bill it covers, computed from what
``_bo_override_content`` still returns: it covers its bill as before. An
order's override kept the supplier's state and class it was given for; it now
keeps their fingerprint, computed here (the old columns go with their fields
at the end of the update).
"""

import hashlib

from odoo.addons.bo_suppliers.models.purchase_order import supplier_override_content
from odoo.tools import SQL
from odoo.tools.sql import column_exists

RELEASE = {
    "bo_release_user_id": "bo_override_user_id",
    "bo_release_reason": "bo_override_reason",
    "bo_release_date": "bo_override_date",
    "bo_release_digest": "bo_override_digest",
}
SUPPLIER_OVERRIDE = {
    "bo_supplier_override_user_id": "bo_override_user_id",
    "bo_supplier_override_reason": "bo_override_reason",
    "bo_supplier_override_date": "bo_override_date",
}
# model: (table or None for fields without a column of their own, renames)
RENAMES = {
    "account.move": ("account_move", RELEASE),
    # the statement line shows its move's fields (delegation): fields only
    "account.bank.statement.line": (None, RELEASE),
    "purchase.order": ("purchase_order", SUPPLIER_OVERRIDE),
}


def _field_xmlid(model, name):
    return f"field_{model.replace('.', '_')}__{name}"


def _rename_field(cr, model, table, old, new):
    if table and column_exists(cr, table, old) and not column_exists(cr, table, new):
        cr.execute(
            SQL(
                "ALTER TABLE %s RENAME COLUMN %s TO %s",
                SQL.identifier(table),
                SQL.identifier(old),
                SQL.identifier(new),
            )
        )
    cr.execute(
        SQL(
            "UPDATE ir_model_fields SET name = %s WHERE model = %s AND name = %s",
            new,
            model,
            old,
        )
    )
    cr.execute(
        SQL(
            """
            UPDATE ir_model_data SET name = %s
             WHERE module = 'bo_suppliers' AND model = 'ir.model.fields' AND name = %s
            """,
            _field_xmlid(model, new),
            _field_xmlid(model, old),
        )
    )


def _fingerprint_order_overrides(cr):
    """The fingerprint of each order's override, from the supplier's state and
    class it was given for (as ``bo.override.mixin`` fingerprints)."""
    if not column_exists(cr, "purchase_order", "bo_supplier_override_state"):
        return
    if not column_exists(cr, "purchase_order", "bo_override_digest"):
        cr.execute(SQL("ALTER TABLE purchase_order ADD COLUMN bo_override_digest varchar"))
    cr.execute(
        SQL(
            """
            SELECT po.id, rp.commercial_partner_id, po.bo_supplier_override_state,
                   po.bo_supplier_override_class
              FROM purchase_order po
              JOIN res_partner rp ON rp.id = po.partner_id
             WHERE po.bo_override_user_id IS NOT NULL
            """
        )
    )
    for order_id, entity_id, state, evaluation_class in cr.fetchall():
        content = supplier_override_content(entity_id, state, evaluation_class)
        digest = hashlib.sha256(repr(content).encode()).hexdigest()
        cr.execute(
            SQL(
                "UPDATE purchase_order SET bo_override_digest = %s WHERE id = %s",
                digest,
                order_id,
            )
        )


def migrate(cr, version):
    if not version:
        return
    for model, (table, renames) in RENAMES.items():
        for old, new in renames.items():
            _rename_field(cr, model, table, old, new)
    _fingerprint_order_overrides(cr)
