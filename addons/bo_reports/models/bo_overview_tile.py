from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Domain
from odoo.tools.safe_eval import datetime as safe_datetime
from odoo.tools.safe_eval import safe_eval


class BoOverviewTile(models.Model):
    """A count on the Back Office overview: the records of a list that need
    someone today (requests to handle, blocked orders, late deliveries...).

    A tile names its list by model and domain, not by reference, so that this
    addon depends on none of the addons it counts for: a tile whose addon is not
    installed, or whose records the user may not read, is simply not shown.
    Counts run as the user, so record rules and companies hold.
    """

    _name = "bo.overview.tile"
    _description = "Back Office Overview Tile"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    module = fields.Char(
        required=True,
        help="Technical name of the addon the counted records come from; the tile "
        "is shown only while it is installed.",
    )
    res_model = fields.Char(string="Model", required=True)
    domain = fields.Char(
        required=True,
        default="[]",
        help="Records counted, as a domain. It may use 'now' and 'today' (the user's "
        "date), 'relativedelta', 'datetime' and 'uid'.",
    )
    action_xmlid = fields.Char(
        string="List Action",
        help="External ID of the window action that opens the list (its views are "
        "used, with the tile's domain). Empty: a plain list of the model.",
    )
    color = fields.Selection(
        [("info", "Info"), ("warning", "Warning"), ("danger", "Danger")],
        default="info",
        required=True,
    )
    count = fields.Integer(compute="_compute_count")
    is_available = fields.Boolean(compute="_compute_is_available", search="_search_is_available")

    @api.constrains("domain")
    def _check_domain(self):
        for tile in self:
            try:
                domain = tile._evaluated_domain()
            except Exception as error:
                raise ValidationError(
                    self.env._(
                        "The domain of %(tile)s is not valid: %(error)s",
                        tile=tile.name,
                        error=error,
                    )
                ) from error
            if not isinstance(domain, list):
                raise ValidationError(
                    self.env._("The domain of %(tile)s must be a list.", tile=tile.name)
                )

    def _evaluated_domain(self):
        self.ensure_one()
        today = fields.Date.context_today(self)
        return safe_eval(
            self.domain or "[]",
            {
                "now": fields.Datetime.now(),
                "today": today,
                "datetime": safe_datetime,
                "relativedelta": relativedelta,
                "uid": self.env.uid,
            },
        )

    def _installed_modules(self):
        modules = (
            self.env["ir.module.module"]
            .sudo()
            .search([("name", "in", list(set(self.mapped("module")))), ("state", "=", "installed")])
        )
        return set(modules.mapped("name"))

    def _is_countable(self, installed):
        """Whether the user can count the tile's records here and now."""
        self.ensure_one()
        if self.module not in installed or self.res_model not in self.env:
            return False
        model = self.env[self.res_model]
        if not model.has_access("read"):
            return False
        try:
            Domain(self._evaluated_domain()).validate(model)
        except ValueError:
            return False
        return True

    def _compute_is_available(self):
        installed = self._installed_modules()
        for tile in self:
            tile.is_available = tile._is_countable(installed)

    def _search_is_available(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            return NotImplemented
        tiles = self.search([])
        available = tiles.filtered("is_available")
        if (operator == "=") == value:
            return [("id", "in", available.ids)]
        return [("id", "not in", available.ids)]

    def _compute_count(self):
        installed = self._installed_modules()
        for tile in self:
            if tile._is_countable(installed):
                tile.count = self.env[tile.res_model].search_count(tile._evaluated_domain())
            else:
                tile.count = 0

    def action_open(self):
        """The list of the counted records."""
        self.ensure_one()
        if not self._is_countable(self._installed_modules()):
            raise ValidationError(self.env._("This list is not available to you."))
        action = {}
        if self.action_xmlid and self.env.ref(self.action_xmlid, raise_if_not_found=False):
            action = self.env["ir.actions.act_window"]._for_xml_id(self.action_xmlid)
        if action.get("res_model") != self.res_model:
            action = {
                "type": "ir.actions.act_window",
                "res_model": self.res_model,
                "views": [(False, "list"), (False, "form")],
            }
        action.update(
            {
                "name": self.name,
                "domain": self._evaluated_domain(),
                "target": "current",
                "context": {"create": False},
            }
        )
        action.pop("id", None)
        return action
