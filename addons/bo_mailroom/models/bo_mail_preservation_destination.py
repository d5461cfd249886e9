import os

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

# The folder under which folder destinations must lie: set by an
# administrator in the system parameters, never by a Back Office manager.
FOLDER_ROOT_PARAM = "bo_mailroom.preservation_folder_root"
# A receipt (rapporto di versamento) is recognised by its file name.
RECEIPT_MARKERS = ("rapporto", "receipt", "ricevuta")


def is_receipt_name(name, stem=None):
    """Whether a file named ``name`` is a receipt (of the package ``stem``)."""
    lowered = (name or "").lower()
    if stem and not lowered.startswith(stem.lower()):
        return False
    return any(marker in lowered for marker in RECEIPT_MARKERS)


class BoMailPreservationDestination(models.Model):
    """Where a company's daily registers go for preservation (*conservazione*).

    One active destination per company. The kind says how a package travels;
    each kind is one method, ``_bo_send_<kind>(transmission)``, and
    optionally ``_bo_collect_receipts_<kind>(transmissions)``: another addon
    adds a kind (an SFTP path, a conservator's API) with ``selection_add``
    and those methods, and nothing else changes.
    """

    _name = "bo.mail.preservation.destination"
    _description = "Preservation Destination"
    _order = "company_id, name"
    _check_company_auto = True

    name = fields.Char(required=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    kind = fields.Selection(
        [("folder", "Folder"), ("email", "Email or PEC Address")],
        required=True,
        default="folder",
        help="Folder: the package is written in a folder of the server (a share "
        "the conservator reads). Email or PEC: the package is mailed to the "
        "conservator, whose reply carries the receipt.",
    )
    folder_path = fields.Char(
        help="Absolute path of the folder, inside the folder an administrator "
        "allowed (system parameter bo_mailroom.preservation_folder_root).",
    )
    email = fields.Char(
        string="Conservator's Address", help="Email or PEC address of the conservator."
    )

    _one_active_per_company = models.UniqueIndex(
        "(company_id) WHERE active",
        "A company has one active preservation destination.",
    )

    @api.constrains("kind", "folder_path", "email")
    def _check_kind_values(self):
        for destination in self:
            if destination.kind == "folder":
                destination._bo_folder()
            elif destination.kind == "email" and "@" not in (destination.email or ""):
                raise ValidationError(self.env._("Give the conservator's email or PEC address."))

    def _bo_folder(self):
        """The destination folder, checked to lie inside the allowed root.

        A manager chooses the folder, an administrator the root: a Back
        Office manager cannot have the server write anywhere else.
        """
        self.ensure_one()
        # sudo: the root is a system parameter, read for whoever configures
        root = self.env["ir.config_parameter"].sudo().get_param(FOLDER_ROOT_PARAM)
        if not root:
            raise ValidationError(
                self.env._(
                    "Folder destinations are not enabled: an administrator sets the "
                    "folder they may use in the system parameter %s.",
                    FOLDER_ROOT_PARAM,
                )
            )
        path = self.folder_path or ""
        real_root = os.path.realpath(root)
        real_path = os.path.realpath(path)
        if not os.path.isabs(path) or os.path.commonpath([real_root, real_path]) != real_root:
            raise ValidationError(
                self.env._("The folder must be an absolute path inside %s.", real_root)
            )
        return real_path

    # ------------------------------------------------------------------
    # Sending (one method per kind)
    # ------------------------------------------------------------------

    def _bo_send(self, transmission):
        """Send ``transmission``'s package; raise on failure (the reason is kept)."""
        self.ensure_one()
        method = getattr(self, f"_bo_send_{self.kind}", None)
        if method is None:
            raise UserError(self.env._("No way to send to a destination of this kind."))
        return method(transmission)

    def _bo_send_folder(self, transmission):
        """Write the package in the folder, whole or not at all (a temporary
        name renamed once written: the conservator never reads half a file)."""
        folder = self._bo_folder()
        target = os.path.join(folder, transmission.package_name)
        partial = f"{target}.part"
        with open(partial, "wb") as file:
            file.write(transmission._bo_package_content())
        os.replace(partial, target)

    def _bo_send_email(self, transmission):
        """Mail the package to the conservator from the company, on the
        transmission's thread: the reply comes back to it."""
        transmission._bo_mail_package(self.email)

    # ------------------------------------------------------------------
    # Receipts
    # ------------------------------------------------------------------

    def _bo_collect_receipts(self, transmissions):
        """Attach the receipts that came back for ``transmissions`` (sent here)."""
        self.ensure_one()
        method = getattr(self, f"_bo_collect_receipts_{self.kind}", None)
        if method:
            method(transmissions)

    def _bo_collect_receipts_email(self, transmissions):
        """The receipts come back as replies (``message_update`` of the
        transmission); here, the packages whose mail failed or bounced since
        they were sent go back to be sent again."""
        # sudo: the job reads how its own mails fared
        failures = (
            self.env["mail.notification"]
            .sudo()
            .search(
                [
                    ("mail_message_id.model", "=", transmissions._name),
                    ("mail_message_id.res_id", "in", transmissions.ids),
                    ("notification_status", "in", ("exception", "bounce")),
                ]
            )
        )
        for transmission in transmissions:
            failed = failures.filtered(
                lambda n, t=transmission: (
                    n.mail_message_id.res_id == t.id and n.mail_message_id.date >= t.sent_datetime
                )
            )
            if failed:
                transmission._bo_undelivered(
                    failed[0].failure_reason
                    or self.env._("The mail to %s was not delivered.", self.email)
                )

    def _bo_collect_receipts_folder(self, transmissions):
        """The conservator drops the receipt beside the package: a file whose
        name starts with the package's name without ``.zip`` and holds
        ``rapporto``, ``ricevuta`` or ``receipt``."""
        folder = self._bo_folder()
        try:
            names = sorted(os.listdir(folder))
        except OSError:
            return
        for transmission in transmissions:
            stem = transmission.package_name.removesuffix(".zip")
            found = next((n for n in names if is_receipt_name(n, stem)), None)
            if found:
                with open(os.path.join(folder, found), "rb") as file:
                    transmission._bo_receive(found, file.read())
