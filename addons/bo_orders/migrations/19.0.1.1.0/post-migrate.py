"""19.0.1.1.0: the order desk has a group of its own.

Back Office users no longer become "Sales / All documents" users: the
implication moves to the new Order Desk group, which every existing Back
Office user gets, so nobody loses what they did before the update.
"""

from odoo import SUPERUSER_ID, Command, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    bo_user = env.ref("bo_base.group_bo_user")
    all_leads = env.ref("sales_team.group_sale_salesman_all_leads")
    desk = env.ref("bo_orders.group_bo_order_desk")
    desk.user_ids = [Command.link(user.id) for user in bo_user.user_ids]
    bo_user.implied_ids = [Command.unlink(all_leads.id)]
