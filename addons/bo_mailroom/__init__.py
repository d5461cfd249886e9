from . import models
from . import wizards


def uninstall_hook(env):
    """Let the register go with the module, without errors.

    The trigger function that keeps the register's evidence immutable is
    dropped (its triggers go with it), and the function that numbers the
    entries; then the links that refuse the deletion
    of a sealed or answered entry (its fingerprints, the replies and
    corrections pointing to it) are cleared, so that Odoo can remove the
    module's own records before it drops the register's tables.
    """
    env.cr.execute("DROP FUNCTION IF EXISTS bo_mailroom_refuse_change() CASCADE")
    env.cr.execute(
        "DROP FUNCTION IF EXISTS bo_mail_register_assign_number("
        "integer, integer, integer, integer, timestamp)"
    )
    env.cr.execute("DELETE FROM bo_mail_register_hash")
    env.cr.execute(
        "UPDATE bo_mail_register "
        "SET reply_to_id = NULL, corrected_entry_id = NULL, emergency_register_id = NULL, "
        "case_id = NULL"
    )
    env.cr.execute("UPDATE bo_mail_emergency_entry SET register_entry_id = NULL")
    env["ir.sequence"].search(
        [("code", "in", ("bo.mail.emergency.register", "bo.mail.case"))]
    ).unlink()
