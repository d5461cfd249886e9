"""19.0.1.2.0: each day's seal covers the previous day's.

The days sealed before this release have no chain: they are chained now,
oldest first for each company, from their stored fingerprints, as the
sealing does for a new day. Their chain vouches for them as they are at this
update; from here on, removing, reordering or rewriting any day breaks every
seal after it.

The days are immutable: the trigger is dropped while the two new columns
are filled, and put back at once (see ``tools/sql_guard.py``).
"""

from odoo.addons.bo_mailroom.models.bo_mail_register_day_chain import (
    CHAIN_GENESIS,
    chain_digest,
)
from odoo.addons.bo_mailroom.tools.sql_guard import ORM_METADATA_COLUMNS, ensure_immutable
from odoo.tools import SQL

TABLE = "bo_mail_register_day"


def migrate(cr, version):
    cr.execute(
        SQL(
            "SELECT id, company_id, date, sha256, register_file_sha256, complete_file_sha256 "
            "FROM %s WHERE chain_sha256 IS NULL ORDER BY company_id, date, id",
            SQL.identifier(TABLE),
        )
    )
    rows = cr.fetchall()
    if not rows:
        return
    cr.execute(
        SQL(
            "DROP TRIGGER IF EXISTS %s ON %s",
            SQL.identifier(f"{TABLE}_bo_immutable"),
            SQL.identifier(TABLE),
        )
    )
    previous = {}
    for day_id, company_id, day, sha256, register_sha256, complete_sha256 in rows:
        previous_seal = previous.get(company_id, CHAIN_GENESIS)
        seal = chain_digest(
            previous_seal,
            company_id,
            day,
            sha256 or "",
            register_sha256 or "",
            complete_sha256 or "",
        )
        cr.execute(
            SQL(
                "UPDATE %s SET previous_seal = %s, chain_sha256 = %s WHERE id = %s",
                SQL.identifier(TABLE),
                previous_seal,
                seal,
                day_id,
            )
        )
        previous[company_id] = seal
    ensure_immutable(cr, TABLE, mutable_columns=ORM_METADATA_COLUMNS)
