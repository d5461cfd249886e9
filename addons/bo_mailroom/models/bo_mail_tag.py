from random import randint

from odoo import fields, models


class BoMailTag(models.Model):
    _name = "bo.mail.tag"
    _description = "Correspondence Tag"
    _order = "name"

    name = fields.Char(required=True, translate=True)
    color = fields.Integer(default=lambda self: randint(1, 11))
    active = fields.Boolean(default=True)

    _unique_name = models.UniqueIndex("(name)", "A tag with this name already exists.")
