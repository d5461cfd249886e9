from odoo import fields, models

MANAGER_GROUP = "bo_base.group_bo_manager"


class BoMailRegisterDay(models.Model):
    """A sealed day shows its transmission to preservation and the receipt.

    Not stored on the day (a sealed row is never written again): the
    transmission points at the day. Managers only, as the package it sends
    holds the complete register.
    """

    _inherit = "bo.mail.register.day"

    transmission_ids = fields.One2many(
        "bo.mail.register.day.transmission",
        "day_id",
        string="Transmissions to Preservation",
        groups=MANAGER_GROUP,
    )
    preservation_state = fields.Selection(
        related="transmission_ids.state", string="Preservation", groups=MANAGER_GROUP
    )
