"""A real SFTP server for the tests, on 127.0.0.1, serving a folder.

Built on paramiko's own server side (``ServerInterface``, ``SFTPServer``,
``SFTPServerInterface``): no sshd needed. It has its own generated host key
and accepts one user with one public key; it records who tried to log in.
"""

import errno
import io
import logging
import os
import socket
import threading

import paramiko

# The server's transports log under this name, kept quiet: a client that
# hangs up (as one refusing the host key does) is not an error of the test.
LOG_CHANNEL = "bo_mailroom.tests.sftp_server"
logging.getLogger(LOG_CHANNEL).setLevel(logging.CRITICAL)


def _error(exception):
    return paramiko.SFTPServer.convert_errno(exception.errno or errno.EIO)


class _Handle(paramiko.SFTPHandle):
    def stat(self):
        try:
            return paramiko.SFTPAttributes.from_stat(os.fstat(self.readfile.fileno()))
        except OSError as exception:
            return _error(exception)

    def chattr(self, attr):
        return paramiko.SFTP_OK


class _Files(paramiko.SFTPServerInterface):
    """The SFTP operations, confined to the served folder."""

    def __init__(self, server, *args, **kwargs):
        super().__init__(server, *args, **kwargs)
        self.root = server.sftp_server.root

    def _path(self, path):
        path = self.canonicalize(path)
        return os.path.join(self.root, path.lstrip("/"))

    def canonicalize(self, path):
        return os.path.normpath(os.path.join("/", path)).replace("//", "/")

    def list_folder(self, path):
        try:
            folder = self._path(path)
            result = []
            for name in os.listdir(folder):
                attributes = paramiko.SFTPAttributes.from_stat(os.stat(os.path.join(folder, name)))
                attributes.filename = name
                result.append(attributes)
            return result
        except OSError as exception:
            return _error(exception)

    def stat(self, path):
        try:
            return paramiko.SFTPAttributes.from_stat(os.stat(self._path(path)))
        except OSError as exception:
            return _error(exception)

    lstat = stat

    def open(self, path, flags, attr):
        path = self._path(path)
        try:
            fd = os.open(path, flags | getattr(os, "O_BINARY", 0), 0o644)
        except OSError as exception:
            return _error(exception)
        if flags & os.O_WRONLY:
            mode = "ab" if flags & os.O_APPEND else "wb"
        elif flags & os.O_RDWR:
            mode = "a+b" if flags & os.O_APPEND else "r+b"
        else:
            mode = "rb"
        handle = _Handle(flags)
        handle.filename = path
        handle.readfile = handle.writefile = os.fdopen(fd, mode)
        return handle

    def remove(self, path):
        try:
            os.remove(self._path(path))
        except OSError as exception:
            return _error(exception)
        return paramiko.SFTP_OK

    def rename(self, oldpath, newpath):
        newpath = self._path(newpath)
        if os.path.exists(newpath):
            return paramiko.SFTP_FAILURE
        try:
            os.rename(self._path(oldpath), newpath)
        except OSError as exception:
            return _error(exception)
        return paramiko.SFTP_OK

    def posix_rename(self, oldpath, newpath):
        try:
            os.replace(self._path(oldpath), self._path(newpath))
        except OSError as exception:
            return _error(exception)
        return paramiko.SFTP_OK


class _Server(paramiko.ServerInterface):
    def __init__(self, sftp_server):
        self.sftp_server = sftp_server

    def get_allowed_auths(self, username):
        return "publickey"

    def check_auth_publickey(self, username, key):
        self.sftp_server.logins.append(username)
        if username == self.sftp_server.username and key == self.sftp_server.client_key:
            return paramiko.AUTH_SUCCESSFUL
        return paramiko.AUTH_FAILED

    def check_channel_request(self, kind, chanid):
        if kind == "session":
            return paramiko.OPEN_SUCCEEDED
        return paramiko.OPEN_FAILED_ADMINISTRATIVELY_PROHIBITED


class SFTPTestServer:
    """``with SFTPTestServer(root, "versatore") as server``: serves ``root``
    on ``server.port`` to ``versatore`` with ``server.client_private_key``."""

    def __init__(self, root, username, port=0, client_key=None, host_key=None):
        self.root = root
        self.username = username
        self.port = port
        self.host_key = host_key or paramiko.ECDSAKey.generate()
        self.client_key = client_key or paramiko.ECDSAKey.generate()
        self.logins = []
        self._listener = None
        self._thread = None
        self._transports = []
        self._stopped = threading.Event()

    @property
    def client_private_key(self):
        """The user's private key, as an administrator pastes it."""
        text = io.StringIO()
        self.client_key.write_private_key(text)
        return text.getvalue()

    @property
    def fingerprint(self):
        return self.host_key.fingerprint

    def start(self):
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", self.port))
        self._listener.listen(5)
        # accept() wakes up now and then to see whether the server is stopped
        self._listener.settimeout(0.1)
        self._stopped.clear()
        self.port = self._listener.getsockname()[1]
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()
        return self

    def _serve(self):
        while not self._stopped.is_set():
            try:
                connection, _address = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return  # stopped
            connection.settimeout(None)
            transport = paramiko.Transport(connection)
            transport.set_log_channel(LOG_CHANNEL)
            transport.add_server_key(self.host_key)
            transport.set_subsystem_handler("sftp", paramiko.SFTPServer, _Files)
            self._transports.append(transport)
            try:
                transport.start_server(server=_Server(self))
            except (paramiko.SSHException, EOFError, OSError):
                transport.close()

    def stop(self):
        self._stopped.set()
        if self._thread is not None:
            self._thread.join(5)
            self._thread = None
        if self._listener is not None:
            self._listener.close()
            self._listener = None
        for transport in self._transports:
            transport.close()
        self._transports = []

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
