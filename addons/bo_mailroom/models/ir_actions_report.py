import logging

from odoo import api, models
from odoo.exceptions import UserError

_logger = logging.getLogger(__name__)


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    @api.model
    def _bo_render_document(self, report, res_ids=None, data=None):
        """Render a document the register keeps; returns ``(content, extension)``.

        A PDF where this server can print one, else the same document as HTML:
        - with no PDF engine (wkhtmltopdf missing), Odoo raises a UserError;
        - while the registry is still loading (install or update: demo data,
          migrations), wkhtmltopdf would ask this very server for the report's
          stylesheets, and the server answers only once loaded: the install
          would wait for ever.
        """
        if self.env.registry.ready:
            try:
                content, report_type = self._render_qweb_pdf(report, res_ids, data=data)
                return content, "pdf" if report_type == "pdf" else "html"
            except UserError:
                _logger.info("%s kept as HTML: PDF rendering is unavailable", report.name)
        else:
            _logger.info("%s kept as HTML: the server is still loading", report.name)
        content, _report_type = self._render_qweb_html(report, res_ids, data=data)
        return content, "html"
