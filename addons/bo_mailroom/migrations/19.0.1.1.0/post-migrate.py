"""19.0.1.1.0: the register keeps what it registered.

- Registered entries now keep their correspondent's name and address as
  registered; the entries registered before this release get them from the
  contact as it is now (the closest there is).
- Daily registers now have two sealed files: the one Back Office users read,
  confidential entries masked, and the complete one for managers. The single
  file of the days sealed before listed every subject: it becomes the
  complete file of its day, readable by managers only.
"""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    entries = env["bo.mail.register"].search(
        [("name", "!=", False), ("partner_id", "!=", False), ("partner_address", "=", False)]
    )
    entries._bo_snapshot_correspondent()
    # Raw SQL: the old files are evidence, protected against ORM writes; only
    # who may read them changes, not their content.
    cr.execute(
        """
        UPDATE ir_attachment
           SET res_field = 'complete_file'
         WHERE res_model = 'bo.mail.register.day'
           AND res_field IS NULL
        """
    )
