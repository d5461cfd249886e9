import base64
import binascii
import contextlib
import hashlib
import io
import logging
import os
import posixpath
import re
import socket

import paramiko

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

_logger = logging.getLogger(__name__)

# The folder under which folder destinations must lie: set by an
# administrator in the system parameters, never by a Back Office manager.
FOLDER_ROOT_PARAM = "bo_mailroom.preservation_folder_root"
# A receipt (rapporto di versamento) is recognised by its file name.
RECEIPT_MARKERS = ("rapporto", "receipt", "ricevuta")
# An SFTP server's host key fingerprint, as ``ssh-keygen -lf`` prints it.
FINGERPRINT_RE = re.compile(r"^SHA256:[A-Za-z0-9+/]{43}$")
# Where an SFTP destination's credentials go: only an administrator changes
# it, or a manager could have the job log in to a server of their own with
# the password they may not read.
SFTP_ENDPOINT_FIELDS = ("sftp_host", "sftp_port", "sftp_username", "sftp_host_key_fingerprint")
# Seconds to wait for an SFTP server before giving up (the next run retries).
SFTP_TIMEOUT = 30


def host_key_fingerprint(key):
    """The SHA-256 fingerprint of a host key, ``SHA256:...`` as OpenSSH prints it."""
    digest = hashlib.sha256(key.asbytes()).digest()
    return "SHA256:" + base64.b64encode(digest).decode().rstrip("=")


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
        [("folder", "Folder"), ("sftp", "SFTP Server"), ("email", "Email or PEC Address")],
        required=True,
        default="folder",
        help="Folder: the package is written in a folder of the server (a share "
        "the conservator reads). SFTP: the package is uploaded to the "
        "conservator's SFTP server, where the receipt is dropped beside it. "
        "Email or PEC: the package is mailed to the conservator, whose reply "
        "carries the receipt.",
    )
    folder_path = fields.Char(
        help="Absolute path of the folder, inside the folder an administrator "
        "allowed (system parameter bo_mailroom.preservation_folder_root).",
    )
    email = fields.Char(
        string="Conservator's Address", help="Email or PEC address of the conservator."
    )
    sftp_host = fields.Char(string="SFTP Host", help="Name or address of the SFTP server.")
    sftp_port = fields.Integer(string="SFTP Port", default=22)
    sftp_username = fields.Char(string="SFTP User Name")
    sftp_directory = fields.Char(
        string="Remote Directory",
        help="The directory on the SFTP server where the packages are uploaded and "
        "the receipts are picked up (relative to the user's home, or absolute).",
    )
    sftp_host_key_fingerprint = fields.Char(
        string="Host Key Fingerprint",
        help="The SHA-256 fingerprint of the server's host key, as the conservator "
        "gives it or as `ssh-keygen -lf` prints it (SHA256:...). A server showing "
        "another key is refused: nothing is sent to it.",
    )
    # The credentials: only administrators read or write them, never a Back
    # Office user or manager (not even through read() or search_read()).
    sftp_private_key = fields.Text(
        string="SFTP Private Key",
        groups="base.group_system",
        copy=False,
        help="The private key (PEM or OpenSSH format, without passphrase) the "
        "conservator accepts for the user.",
    )
    sftp_password = fields.Char(
        string="SFTP Password",
        groups="base.group_system",
        copy=False,
        help="Only when the server accepts no key: the user's password.",
    )

    _one_active_per_company = models.UniqueIndex(
        "(company_id) WHERE active",
        "A company has one active preservation destination.",
    )

    def write(self, vals):
        """Only an administrator moves an SFTP destination that holds
        credentials to another server, user or host key."""
        changed = [field for field in SFTP_ENDPOINT_FIELDS if field in vals]
        if changed and not self.env.is_system():
            # sudo: whether credentials are set, not what they are
            for destination in self.sudo():
                if not (destination.sftp_private_key or destination.sftp_password):
                    continue
                if any(destination[field] != vals[field] for field in changed):
                    raise AccessError(
                        self.env._(
                            "Only an administrator changes the server, user or host key "
                            "of the SFTP destination %s: its credentials go there.",
                            destination.name,
                        )
                    )
        return super().write(vals)

    @api.constrains(
        "kind",
        "folder_path",
        "email",
        "sftp_host",
        "sftp_port",
        "sftp_username",
        "sftp_directory",
        "sftp_host_key_fingerprint",
        "sftp_private_key",
        "sftp_password",
    )
    def _check_kind_values(self):
        for destination in self:
            if destination.kind == "folder":
                destination._bo_folder()
            elif destination.kind == "email" and "@" not in (destination.email or ""):
                raise ValidationError(self.env._("Give the conservator's email or PEC address."))
            elif destination.kind == "sftp":
                destination._bo_check_sftp()

    def _bo_check_sftp(self):
        """An SFTP destination is complete: server, user, directory, the host
        key's fingerprint and a way to authenticate."""
        self.ensure_one()
        if not (self.sftp_host or "").strip():
            raise ValidationError(self.env._("Give the SFTP server's host name or address."))
        if not 0 < self.sftp_port < 65536:
            raise ValidationError(self.env._("The SFTP port must be between 1 and 65535."))
        if not (self.sftp_username or "").strip():
            raise ValidationError(self.env._("Give the user name on the SFTP server."))
        if not (self.sftp_directory or "").strip():
            raise ValidationError(self.env._("Give the remote directory on the SFTP server."))
        if not FINGERPRINT_RE.match(self.sftp_host_key_fingerprint or ""):
            raise ValidationError(
                self.env._(
                    "Give the SFTP server's host key fingerprint as OpenSSH prints it "
                    "(SHA256: followed by 43 characters): an unknown server is never "
                    "trusted."
                )
            )
        # sudo: the credentials are for administrators only; the check holds
        # whoever edits the destination
        destination = self.sudo()
        if destination.sftp_private_key:
            destination._bo_sftp_pkey()
        elif not destination.sftp_password:
            raise ValidationError(
                self.env._(
                    "An administrator gives the SFTP destination %s a private key or a password.",
                    self.name,
                )
            )

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

    def _bo_send_sftp(self, transmission):
        """Upload the package to the remote directory, whole or not at all (a
        temporary name renamed once written and its size checked: the
        conservator never reads half a file)."""
        content = transmission._bo_package_content()
        name = transmission.package_name
        with self._bo_sftp_session() as sftp:
            target = posixpath.join(self.sftp_directory, name)
            partial = f"{target}.part"
            try:
                sftp.putfo(io.BytesIO(content), partial, file_size=len(content), confirm=True)
                try:
                    sftp.posix_rename(partial, target)
                except OSError:  # a server without the OpenSSH extension
                    sftp.rename(partial, target)
                size = sftp.stat(target).st_size
            except OSError as error:
                with contextlib.suppress(OSError):  # no half file left behind
                    sftp.remove(partial)
                raise UserError(
                    self.env._(
                        "The package %(name)s could not be written in %(directory)s on the "
                        "SFTP server %(host)s: %(error)s",
                        name=name,
                        directory=self.sftp_directory,
                        host=self.sftp_host,
                        error=error,
                    )
                ) from error
            if size != len(content):
                raise UserError(
                    self.env._(
                        "The package %(name)s on the SFTP server %(host)s has %(found)s bytes "
                        "instead of %(expected)s.",
                        name=name,
                        host=self.sftp_host,
                        found=size,
                        expected=len(content),
                    )
                )

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

    def _bo_collect_receipts_sftp(self, transmissions):
        """As for a folder: the conservator drops the receipt beside the
        package in the remote directory. A server out of reach is tried
        again at the next run."""
        try:
            with self._bo_sftp_session() as sftp:
                names = sorted(sftp.listdir(self.sftp_directory))
                for transmission in transmissions:
                    stem = transmission.package_name.removesuffix(".zip")
                    found = next((n for n in names if is_receipt_name(n, stem)), None)
                    if found:
                        receipt = io.BytesIO()
                        sftp.getfo(posixpath.join(self.sftp_directory, found), receipt)
                        transmission._bo_receive(found, receipt.getvalue())
        except (UserError, OSError) as error:
            _logger.warning(
                "The receipts could not be collected from the SFTP destination %s: %s",
                self.name,
                error,
            )

    # ------------------------------------------------------------------
    # SFTP
    # ------------------------------------------------------------------

    def _bo_sftp_pkey(self):
        """The private key, loaded whatever its type; refused if unreadable."""
        self.ensure_one()
        text = self.sudo().sftp_private_key or ""
        for key_class in (paramiko.Ed25519Key, paramiko.ECDSAKey, paramiko.RSAKey):
            try:
                return key_class.from_private_key(io.StringIO(text))
            except (paramiko.SSHException, ValueError, binascii.Error):
                continue
        raise ValidationError(
            self.env._(
                "The private key of the SFTP destination %s cannot be read: give an "
                "RSA, ECDSA or Ed25519 private key without passphrase.",
                self.name,
            )
        )

    @contextlib.contextmanager
    def _bo_sftp_session(self):
        """An SFTP session with the server, opened only once its host key
        matches the fingerprint given: nothing, not even the credentials, goes
        to a server showing another key."""
        self.ensure_one()
        # sudo: the job uses the credentials only administrators read
        destination = self.sudo()
        host, port = destination.sftp_host.strip(), destination.sftp_port
        sock = transport = None
        try:
            try:
                sock = socket.create_connection((host, port), timeout=SFTP_TIMEOUT)
                transport = paramiko.Transport(sock)
                transport.start_client(timeout=SFTP_TIMEOUT)
            except (OSError, paramiko.SSHException, EOFError) as error:
                raise UserError(
                    self.env._(
                        "The SFTP server %(host)s:%(port)s cannot be reached: %(error)s",
                        host=host,
                        port=port,
                        error=str(error) or type(error).__name__,
                    )
                ) from error
            found = host_key_fingerprint(transport.get_remote_server_key())
            if found != destination.sftp_host_key_fingerprint:
                raise UserError(
                    self.env._(
                        "The SFTP server %(host)s:%(port)s shows the host key %(found)s, not "
                        "the expected %(expected)s: nothing was sent to it. If the "
                        "conservator changed its key, check the new fingerprint with them "
                        "before updating the destination.",
                        host=host,
                        port=port,
                        found=found,
                        expected=destination.sftp_host_key_fingerprint,
                    )
                )
            try:
                if destination.sftp_private_key:
                    transport.auth_publickey(destination.sftp_username, destination._bo_sftp_pkey())
                else:
                    transport.auth_password(destination.sftp_username, destination.sftp_password)
                sftp = paramiko.SFTPClient.from_transport(transport)
            except (OSError, paramiko.SSHException, EOFError) as error:
                raise UserError(
                    self.env._(
                        "The SFTP server %(host)s:%(port)s refused the user %(user)s: %(error)s",
                        host=host,
                        port=port,
                        user=destination.sftp_username,
                        error=str(error) or type(error).__name__,
                    )
                ) from error
            sftp.get_channel().settimeout(SFTP_TIMEOUT)
            with sftp:
                yield sftp
        finally:
            if transport is not None:
                transport.close()
            elif sock is not None:
                sock.close()
