from odoo import fields, models


class BoMailRegister(models.Model):
    """What a protocol entry recovered from an emergency register keeps of it.

    DPR 445/2000 art. 63: the entry takes its number in the normal sequence
    on recovery, and keeps the emergency register, number and date it was
    first registered with. Written by the recovery only (guarded).
    """

    _inherit = "bo.mail.register"

    emergency_register_id = fields.Many2one(
        "bo.mail.emergency.register",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="restrict",
        check_company=True,
        bo_guarded=True,
        help="The emergency register this entry was first registered on, during an outage.",
    )
    emergency_number = fields.Integer(readonly=True, copy=False, aggregator=None, bo_guarded=True)
    emergency_date = fields.Datetime(
        readonly=True,
        copy=False,
        bo_guarded=True,
        help="Date and time of the registration on the emergency register.",
    )
