import threading
from concurrent.futures import ThreadPoolExecutor
from unittest.mock import patch

from odoo import api
from odoo.modules.registry import Registry
from odoo.orm.registry import DummyRLock
from odoo.tests.common import BaseCase, get_db_name, tagged
from odoo.tools import SQL

WORKERS = 4
PER_WORKER = 5


@tagged("post_install", "-at_install")
class TestConcurrentNumbering(BaseCase):
    """Registrations committed by separate cursors at the same moment."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry = Registry(get_db_name())
        cls.created_ids = []
        cls.addClassCleanup(cls._remove_committed_entries)

    @classmethod
    def _remove_committed_entries(cls):
        """Registered entries are undeletable by design: the test removes its own with SQL."""
        if not cls.created_ids:
            return
        with cls.registry.cursor() as cr:
            ids = tuple(cls.created_ids)
            cr.execute(
                SQL(
                    "DELETE FROM mail_message WHERE model = 'bo.mail.register' AND res_id IN %s",
                    ids,
                )
            )
            cr.execute(
                SQL(
                    "DELETE FROM mail_followers "
                    "WHERE res_model = 'bo.mail.register' AND res_id IN %s",
                    ids,
                )
            )
            cr.execute(SQL("DELETE FROM bo_mail_register WHERE id IN %s", ids))

    def test_four_cursors_registering_at_once_get_consecutive_unique_numbers(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            company_id = env.ref("base.main_company").id
            partner_id = env.ref("base.main_partner").id
        barrier = threading.Barrier(WORKERS)
        lock = threading.Lock()

        def register(worker):
            numbers = []
            for index in range(PER_WORKER):
                with self.registry.cursor() as cr:
                    env = api.Environment(cr, api.SUPERUSER_ID, {})
                    entry = env["bo.mail.register"].create(
                        {
                            "company_id": company_id,
                            "partner_id": partner_id,
                            "subject": f"Concurrent {worker}-{index}",
                        }
                    )
                    with lock:
                        self.created_ids.append(entry.id)
                    if index == 0:
                        barrier.wait(timeout=30)
                    entry.action_register()
                    numbers.append((entry.protocol_year, entry.protocol_seq, entry.name))
            return numbers

        # The test runner holds the registry lock for the whole run: let the
        # worker threads look the (already loaded) registry up without it.
        with (
            patch.object(Registry, "_lock", DummyRLock()),
            ThreadPoolExecutor(max_workers=WORKERS) as executor,
        ):
            futures = [executor.submit(register, worker) for worker in range(WORKERS)]
            results = [number for future in futures for number in future.result(timeout=120)]

        self.assertEqual(len(results), WORKERS * PER_WORKER)
        seqs = sorted(seq for _year, seq, _name in results)
        self.assertEqual(len(set(seqs)), len(seqs), "duplicate protocol numbers")
        self.assertEqual(seqs, list(range(seqs[0], seqs[0] + len(seqs))), "gap in protocol numbers")
        with self.registry.cursor() as cr:
            cr.execute(
                SQL(
                    "SELECT protocol_seq FROM bo_mail_register WHERE company_id = %s "
                    "AND protocol_year = %s AND protocol_seq >= %s ORDER BY protocol_seq",
                    company_id,
                    results[0][0],
                    seqs[0],
                )
            )
            self.assertEqual([row[0] for row in cr.fetchall()], seqs)
