"""End-to-end fixtures: a real Odoo server on a free local port.

The server runs against ``$BO_TEST_DB`` when it is set (bin/bo-test passes the
throwaway database it has just tested), otherwise against a database made here
with every Back Office addon and demo data, dropped at the end.

Odoo's Python is ``$ODOO_PYTHON`` or, failing that, the one running pytest.
"""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
import xmlrpc.client
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ADDONS = ",".join(
    [
        "bo_base",
        "bo_mailroom",
        "bo_orders",
        "bo_orders_mailroom",
        "bo_suppliers",
        "bo_reports",
        "bo_reports_suppliers",
        "bo_reports_mailroom",
        "bo_reports_orders",
    ]
)
# The bridges to Odoo's Italian e-invoicing (l10n_it_edi).
ITALIAN_ADDONS = (
    "bo_suppliers_l10n_it_edi,bo_suppliers_l10n_it_edi_mailroom,bo_mailroom_l10n_it_edi"
)


class OdooServer:
    """A running Odoo server and the database it serves."""

    def __init__(self, python, addons_path, db, port):
        self.python = python
        self.addons_path = addons_path
        self.db = db
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.process = None
        self.log_path = None

    def odoo(self, *args, **kwargs):
        """Run Odoo's command line with our addons path."""
        cmd = [self.python, "-m", "odoo", *args, f"--addons-path={self.addons_path}"]
        return subprocess.run(cmd, check=True, capture_output=True, text=True, **kwargs)

    def start(self, log_path):
        self.log_path = log_path
        cmd = [
            self.python, "-m", "odoo", "server",
            f"--addons-path={self.addons_path}",
            "-d", self.db, f"--db-filter=^{self.db}$",
            "--http-interface=127.0.0.1", f"--http-port={self.port}",
            # info: the access log lines carry each request's query count
            "--max-cron-threads=0", "--log-level=info", f"--logfile={log_path}",
            # queue_job's runner, as bin/bo-serve has it: reports in the background
            "--load=base,rpc,web,queue_job",
        ]  # fmt: skip
        self.process = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"Odoo exited with {self.process.returncode}: see {log_path}")
            try:
                with urllib.request.urlopen(f"{self.url}/web/health", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.5)
        raise RuntimeError(f"Odoo did not answer on {self.url} within 120 s: see {log_path}")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()

    def login(self, login, password):
        """Authenticate over XML-RPC; return a client bound to that user."""
        common = xmlrpc.client.ServerProxy(f"{self.url}/xmlrpc/2/common")
        uid = common.authenticate(self.db, login, password, {})
        return RpcClient(self, uid, password) if uid else None


class RpcClient:
    """``execute_kw`` for one user."""

    def __init__(self, server, uid, password):
        self.server = server
        self.uid = uid
        self.password = password
        self.proxy = xmlrpc.client.ServerProxy(f"{server.url}/xmlrpc/2/object", allow_none=True)

    def call(self, model, method, *args, **kwargs):
        return self.proxy.execute_kw(
            self.server.db, self.uid, self.password, model, method, list(args), kwargs
        )

    def call_json(self, model, method, *args, **kwargs):
        """The same over JSON-RPC, for answers XML-RPC can't carry (integer keys)."""
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "params": {
                "service": "object",
                "method": "execute_kw",
                "args": [
                    self.server.db,
                    self.uid,
                    self.password,
                    model,
                    method,
                    list(args),
                    kwargs,
                ],
            },
        }
        request = urllib.request.Request(
            f"{self.server.url}/jsonrpc",
            data=json.dumps(payload).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            answer = json.load(response)
        if "error" in answer:
            raise RuntimeError(answer["error"].get("data", {}).get("message", answer["error"]))
        return answer.get("result")  # absent when the method returns nothing


def _odoo_python():
    return os.environ.get("ODOO_PYTHON") or sys.executable


def _addons_path(python):
    odoo_dir = subprocess.run(
        [python, "-c", "import odoo, os; print(os.path.dirname(list(odoo.__path__)[0]))"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip
    paths = [str(ROOT / "addons"), str(ROOT / "tests" / "odoo_addons")]
    if (Path(odoo_dir) / "addons" / "sale").is_dir():
        paths.insert(0, str(Path(odoo_dir) / "addons"))
    return ",".join(paths)


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _serve(tmp_path_factory, db_variable, addons, name, port):
    """An Odoo server on ``port`` and ``$<db_variable>``, or on a database
    made here with ``addons`` and demo data, dropped at the end."""
    python = _odoo_python()
    try:
        addons_path = _addons_path(python)
    except subprocess.CalledProcessError:
        pytest.fail("Odoo 19.0 is not importable: set ODOO_PYTHON to the Python that imports odoo")
    own_db = not os.environ.get(db_variable)
    db = os.environ.get(db_variable) or f"bo_{name}_{uuid.uuid4().hex[:8]}"
    server = OdooServer(python, addons_path, db, port)
    if own_db:
        server.odoo(
            "-d", db, "-i", addons, "--with-demo", "--stop-after-init",
            f"--http-port={_free_port()}", "--log-level=warn",
        )  # fmt: skip
    server.start(tmp_path_factory.mktemp(name) / "server.log")
    yield server
    server.stop()
    if own_db:
        subprocess.run([python, "-m", "odoo", "db", "drop", db], check=False)


@pytest.fixture(scope="session")
def odoo_server(tmp_path_factory):
    # $BO_TEST_HTTP_PORT: a port of one's own on a shared machine.
    port = int(os.environ.get("BO_TEST_HTTP_PORT") or 0) or _free_port()
    yield from _serve(tmp_path_factory, "BO_TEST_DB", ADDONS, "e2e", port)


@pytest.fixture(scope="session")
def italian_odoo_server(tmp_path_factory):
    """A server with the Italian e-invoicing bridges too (they bring Odoo's
    Italian localisation, which the end-to-end database has not): on
    ``$BO_ITALIAN_DB`` (bin/bo-test passes its second database)."""
    addons = f"{ADDONS},{ITALIAN_ADDONS}"
    yield from _serve(tmp_path_factory, "BO_ITALIAN_DB", addons, "e2e_it", _free_port())
