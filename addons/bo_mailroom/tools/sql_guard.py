"""Make a table append-only in PostgreSQL itself.

The ORM checks come first and give the user a clear message; this trigger is
the last line: it also stops code running as superuser (``sudo()``), raw SQL
through the ORM's cursor and the foreign key actions of other tables.

Call :func:`ensure_immutable` from the model's ``init()``: it runs at every
install and update of the module and is idempotent. The trigger goes away
with its table (uninstall drops it), ``TRUNCATE`` and ``DROP`` do not fire it,
and a test's rollback removes what the test inserted.

The ORM writes ``write_date`` and ``write_uid`` with any update: when a table
has mutable columns, these two are mutable as well (they say who changed the
mutable columns last). A table without mutable columns refuses every update,
so an ORM ``write`` on it always fails; the model should refuse it first with
a :class:`~odoo.exceptions.UserError`.

A release that adds a column filled in for the existing rows (a default, a
stored computed field) must drop the trigger ``<table>_bo_immutable`` in its
pre-migration script and call :func:`ensure_immutable` again in its
post-migration script, once the column is filled.
"""

from odoo.tools import SQL

FUNCTION_NAME = "bo_mailroom_refuse_change"
ORM_METADATA_COLUMNS = ("write_date", "write_uid")

# The trigger's arguments are the columns that an UPDATE may change; any other
# difference between the old and the new row, and every DELETE, is refused
# with SQLSTATE 23001 (restrict_violation, an IntegrityError for psycopg2).
_FUNCTION = SQL(
    """
    CREATE OR REPLACE FUNCTION bo_mailroom_refuse_change() RETURNS trigger
    LANGUAGE plpgsql AS $$
    DECLARE
        -- TG_ARGV is NULL, not empty, for a trigger without arguments.
        mutable text[] := COALESCE(TG_ARGV, ARRAY[]::text[]);
    BEGIN
        IF TG_OP = 'DELETE' THEN
            RAISE EXCEPTION 'Rows of %% are evidence and cannot be deleted (id %%).',
                TG_TABLE_NAME, OLD.id
                USING ERRCODE = 'restrict_violation', TABLE = TG_TABLE_NAME;
        END IF;
        IF (to_jsonb(OLD) - mutable) IS DISTINCT FROM (to_jsonb(NEW) - mutable) THEN
            RAISE EXCEPTION 'Rows of %% are evidence and cannot be changed (id %%).',
                TG_TABLE_NAME, OLD.id
                USING ERRCODE = 'restrict_violation', TABLE = TG_TABLE_NAME;
        END IF;
        RETURN NEW;
    END;
    $$
    """
)


def _trigger_name(table):
    return f"{table}_bo_immutable"


def ensure_immutable(cr, table, mutable_columns=()):
    """Refuse every DELETE on ``table`` and every UPDATE that changes a column
    other than ``mutable_columns`` (plus the ORM's ``write_date`` and
    ``write_uid`` when there are mutable columns).
    """
    mutable = tuple(mutable_columns)
    if mutable:
        mutable += tuple(c for c in ORM_METADATA_COLUMNS if c not in mutable)
    cr.execute(_FUNCTION)
    trigger = SQL.identifier(_trigger_name(table))
    cr.execute(SQL("DROP TRIGGER IF EXISTS %s ON %s", trigger, SQL.identifier(table)))
    cr.execute(
        SQL(
            "CREATE TRIGGER %s BEFORE UPDATE OR DELETE ON %s FOR EACH ROW EXECUTE FUNCTION %s(%s)",
            trigger,
            SQL.identifier(table),
            SQL.identifier(FUNCTION_NAME),
            SQL(", ").join(SQL("%s", column) for column in mutable),
        )
    )
