"""The mail path for real: an IMAP mailbox, Odoo's incoming mail server, the
register, Odoo's outgoing mail server and an SMTP server.

A throwaway dovecot (its own configuration, a passwd-file user, plain IMAP on
127.0.0.1) holds a batch of well-formed and malformed messages; Odoo fetches
them through a ``fetchmail.server`` created over RPC; acknowledgements leave
through an ``ir.mail_server`` pointing at an aiosmtpd server run here.
"""

import base64
import email.policy
import imaplib
import json
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
import uuid
from email.message import EmailMessage
from email.utils import make_msgid

import pytest
from aiosmtpd.controller import Controller

MAIL_USER = "protocollo"


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _dovecot_binary():
    return shutil.which("dovecot") or next(
        (path for path in ("/usr/sbin/dovecot",) if os.access(path, os.X_OK)), None
    )


def _dovecot_config(base, port, password):
    """A dovecot of our own: one passwd-file user, plain IMAP on 127.0.0.1."""
    if os.geteuid() == 0:
        # dovecot never serves mail as root: the mailbox belongs to nobody.
        login_user, internal_user, uid, gid = "dovenull", "dovecot", 65534, 65534
    else:
        login_user = internal_user = pwd.getpwuid(os.getuid()).pw_name
        uid, gid = os.getuid(), os.getgid()
    home = os.path.join(base, "home", MAIL_USER)
    os.makedirs(home)
    if os.geteuid() == 0:
        os.chown(home, uid, gid)
    passwd = os.path.join(base, "passwd")
    with open(passwd, "w") as file:
        file.write(f"{MAIL_USER}:{{PLAIN}}{password}\n")
    config = os.path.join(base, "dovecot.conf")
    with open(config, "w") as file:
        file.write(
            f"""base_dir = {base}/run
state_dir = {base}/state
log_path = {base}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_login_user = {login_user}
default_internal_user = {internal_user}
first_valid_uid = 1
mail_location = maildir:~/Maildir
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {passwd}
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={base}/home/%u
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
"""
        )
    return config


@pytest.fixture(scope="module")
def imap_server():
    binary = _dovecot_binary()
    if not binary:
        pytest.fail("dovecot is not installed: install Debian's dovecot-imapd (bin/bo-test does)")
    base = tempfile.mkdtemp(prefix="bo_dovecot_")
    os.chmod(base, 0o755)  # the mail user must reach its home
    port = _free_port()
    password = uuid.uuid4().hex
    config = _dovecot_config(base, port, password)
    process = subprocess.Popen(
        [binary, "-F", "-c", config], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    with open(os.path.join(base, "dovecot.log"), errors="replace") as log:
                        pytest.fail(f"dovecot did not start: {log.read()[-2000:]}")
                time.sleep(0.2)
        yield {"port": port, "user": MAIL_USER, "password": password}
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(base, ignore_errors=True)


class _Sink:
    """Keeps every message the SMTP server receives."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd calls it so
        self.messages.append(
            {
                "from": envelope.mail_from,
                "to": [rcpt.lower() for rcpt in envelope.rcpt_tos],
                "data": envelope.original_content or envelope.content,
            }
        )
        return "250 OK"


@pytest.fixture(scope="module")
def smtp_server():
    sink = _Sink()
    port = _free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield {"port": port, "sink": sink}
    finally:
        controller.stop()


@pytest.fixture(scope="module")
def admin(odoo_server):
    client = odoo_server.login("admin", "admin")
    assert client, "admin cannot log in"
    return client


def _message(tag, subject, sender, headers=None):
    message = EmailMessage()
    message["From"] = sender
    message["To"] = f"protocollo-{tag}@e2e-mail-path.example.com"
    message["Subject"] = subject
    message["Message-Id"] = make_msgid(domain=f"{tag}.example.it")
    for key, value in (headers or {}).items():
        message[key] = value
    message.set_content(f"Messaggio {tag}.")
    return message.as_bytes(policy=email.policy.SMTP)


def _raw(tag, headers, content_type, body):
    return (
        b"From: Mittente <mittente@" + tag.encode() + b".example.org>\r\n"
        b"To: protocollo-" + tag.encode() + b"@e2e-mail-path.example.com\r\n"
        b"Message-Id: <"
        + uuid.uuid4().hex.encode()
        + b"@"
        + tag.encode()
        + b".example.it>\r\n"
        + headers
        + b"MIME-Version: 1.0\r\n"
        + content_type
        + b"\r\n"
        + body
    )


def _message_id(raw):
    for line in raw.split(b"\r\n"):
        if line.lower().startswith(b"message-id:"):
            return line.split(b":", 1)[1].strip().decode()
    raise AssertionError("no Message-Id")


def _act(client, model, method, record_ids=None):
    """Call a button or model method that may return nothing (None)."""
    args = [record_ids] if record_ids is not None else []
    payload = {
        "jsonrpc": "2.0",
        "method": "call",
        "params": {
            "service": "object",
            "method": "execute_kw",
            "args": [client.server.db, client.uid, client.password, model, method, args, {}],
        },
    }
    request = urllib.request.Request(
        f"{client.server.url}/jsonrpc",
        data=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=120) as response:
        answer = json.load(response)
    assert "error" not in answer, answer["error"]
    return answer.get("result")


def _outgoing_server(client, smtp_server, tag):
    """Odoo's outgoing mail server for the aiosmtpd server here: its id."""
    return client.call(
        "ir.mail_server",
        "create",
        {
            "name": f"aiosmtpd {tag}",
            "smtp_host": "127.0.0.1",
            "smtp_port": smtp_server["port"],
            "smtp_encryption": "none",
            "sequence": 1,
        },
    )


def _protocol_mailbox(client, imap_server, tag):
    """Odoo's incoming mail server fetching the dovecot mailbox for the
    register, its login confirmed: its id."""
    register_model = client.call(
        "ir.model", "search", [("model", "=", "bo.mail.register")], limit=1
    )[0]
    server_id = client.call(
        "fetchmail.server",
        "create",
        {
            "name": f"dovecot {tag}",
            "server_type": "imap",
            "server": "127.0.0.1",
            "port": imap_server["port"],
            "is_ssl": False,
            "user": imap_server["user"],
            "password": imap_server["password"],
            "object_id": register_model,
        },
    )
    _act(client, "fetchmail.server", "button_confirm_login", [server_id])
    return server_id


def test_fetched_mail_is_never_lost_and_acks_leave_by_smtp(
    odoo_server, admin, imap_server, smtp_server
):
    tag = uuid.uuid4().hex[:10]
    customer_email = f"acquisti-{tag}@cliente.example.it"
    spammer = f"promo@{tag}-spam.example.org"
    victim = f"victim@{tag}-elsewhere.example.org"
    messages = {
        "known customer": _message(tag, f"Ordine {tag}", f"Cliente <{customer_email}>"),
        "spam": _message(tag, f"Offerta {tag}", f"Promo <{spammer}>", headers={"Reply-To": victim}),
        "unknown charset": _raw(
            tag,
            b"Subject: Charset " + tag.encode() + b"\r\n",
            b"Content-Type: text/plain; charset=x-unknown-zz\r\n"
            b"Content-Transfer-Encoding: 8bit\r\n",
            "Perch\xe8?\r\n".encode("latin-1"),
        ),
        # (dovecot stores a NUL byte as 0x80: the unit tests send NULs.)
        "unknown charset in an attachment": _raw(
            tag,
            b"Subject: Allegato " + tag.encode() + b"\r\n",
            b'Content-Type: multipart/mixed; boundary="b"\r\n',
            b"--b\r\nContent-Type: text/plain\r\n\r\nciao\r\n--b\r\n"
            b"Content-Type: text/plain; charset=x-foo\r\n"
            b"Content-Disposition: attachment; filename=a.txt\r\n\r\n\xe8\xe8\r\n--b--\r\n",
        ),
        "broken MIME": _raw(
            tag,
            b"Subject: Mime " + tag.encode() + b"\r\n",
            b"Content-Type: text/plain; charset*=utf-8''%FF%FE; format=\"\r\n",
            b"Testo.\r\n",
        ),
    }

    created = {}
    try:
        created["partner"] = admin.call(
            "res.partner", "create", {"name": f"Cliente {tag}", "email": customer_email}
        )
        created["rule"] = admin.call(
            "bo.mail.routing.rule",
            "create",
            {
                "name": f"Clienti {tag}",
                "sequence": 1,
                "company_id": False,
                "sender_pattern": customer_email,
                "register_at_once": True,
                "send_acknowledgement": True,
            },
        )
        created["smtp"] = _outgoing_server(admin, smtp_server, tag)
        created["fetchmail"] = _protocol_mailbox(admin, imap_server, tag)

        imap = imaplib.IMAP4("127.0.0.1", imap_server["port"])
        imap.login(imap_server["user"], imap_server["password"])
        for raw in messages.values():
            assert imap.append("INBOX", None, None, raw)[0] == "OK"
        imap.select("INBOX")
        unseen = imap.search(None, "UNSEEN")[1][0].split()
        assert len(unseen) == len(messages)
        # The bytes the mailbox serves are the bytes Odoo receives.
        served = {}
        for num in unseen:
            raw = imap.fetch(num, "(BODY.PEEK[])")[1][0][1]
            served[_message_id(raw)] = raw
        assert served == {_message_id(raw): raw for raw in messages.values()}

        _act(admin, "fetchmail.server", "fetch_mail", [created["fetchmail"]])

        imap.select("INBOX")
        assert imap.search(None, "UNSEEN")[1][0] == b"", "every message is handled"
        imap.logout()

        entries = {}
        for kind, raw in messages.items():
            found = admin.call(
                "bo.mail.register",
                "search_read",
                [("email_message_id", "=", _message_id(raw))],
                fields=["id", "name", "state", "error_reason", "attachment_ids"],
            )
            assert len(found) == 1, f"{kind}: one entry, got {found}"
            entries[kind] = found[0]
            originals = admin.call(
                "ir.attachment",
                "search_read",
                [
                    ("id", "in", found[0]["attachment_ids"]),
                    ("name", "=", "original_email.eml"),
                ],
                fields=["datas"],
            )
            assert len(originals) == 1, f"{kind}: the original is kept"
            kept = base64.b64decode(originals[0]["datas"])
            assert kept == served[_message_id(raw)], f"{kind}: the bytes received"

        assert entries["known customer"]["state"] == "registered"
        assert entries["known customer"]["name"]
        assert entries["spam"]["state"] == "draft", "unknown mail waits for triage"
        assert not entries["spam"]["name"]
        for kind in ("unknown charset", "unknown charset in an attachment", "broken MIME"):
            assert entries[kind]["state"] == "error", kind
            assert entries[kind]["error_reason"], kind

        # Only the mail of our entries: the database is shared with other tests.
        queued = admin.call(
            "mail.mail",
            "search",
            [
                ("model", "=", "bo.mail.register"),
                ("res_id", "in", [e["id"] for e in entries.values()]),
            ],
        )
        _act(admin, "mail.mail", "process_email_queue", queued)
        sent = smtp_server["sink"].messages
        acks = [m for m in sent if customer_email in m["to"]]
        assert len(acks) == 1, sent
        assert entries["known customer"]["name"].encode() in acks[0]["data"]
        strangers = {spammer, victim, f"mittente@{tag}.example.org"}
        assert not [m for m in sent if strangers.intersection(m["to"])]
    finally:
        if "fetchmail" in created:
            admin.call("fetchmail.server", "unlink", [created["fetchmail"]])
        if "smtp" in created:
            admin.call("ir.mail_server", "unlink", [created["smtp"]])
        if "rule" in created:
            admin.call("bo.mail.routing.rule", "unlink", [created["rule"]])
        if "partner" in created:
            admin.call("res.partner", "write", [created["partner"]], {"active": False})
