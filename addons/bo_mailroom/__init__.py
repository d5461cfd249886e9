from . import models
from . import wizards


def uninstall_hook(env):
    """Drop the trigger function that keeps the register's evidence immutable
    (the triggers go with their tables)."""
    env.cr.execute("DROP FUNCTION IF EXISTS bo_mailroom_refuse_change() CASCADE")
