import threading
import time
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
        for year, seq, name in results:
            self.assertEqual(name, f"{year}/{seq:07d}")
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

    def _create_entry(self, env, subject):
        return env["bo.mail.register"].create(
            {
                "company_id": env.ref("base.main_company").id,
                "partner_id": env.ref("base.main_partner").id,
                "subject": subject,
            }
        )

    def _register_in_thread(self, holder_cr, end_holder):
        """Register an entry in a thread of its own while ``holder_cr`` holds a
        number it has not committed; ``end_holder`` ends that transaction once
        the thread waits for the number. Return the thread's (seq, name)."""

        def register():
            with self.registry.cursor() as cr:
                env = api.Environment(cr, api.SUPERUSER_ID, {})
                entry = self._create_entry(env, "Waiting")
                self.created_ids.append(entry.id)
                entry.action_register()
                return entry.protocol_seq, entry.name

        with (
            patch.object(Registry, "_lock", DummyRLock()),
            ThreadPoolExecutor(max_workers=1) as executor,
        ):
            future = executor.submit(register)
            waited = False
            deadline = time.monotonic() + 30
            while not waited and time.monotonic() < deadline and not future.done():
                with self.registry.cursor() as cr:
                    cr.execute(
                        SQL(
                            "SELECT 1 FROM pg_stat_activity WHERE datname = current_database() "
                            "AND wait_event_type = 'Lock' AND query LIKE %s",
                            "%bo_mail_register_assign_number%",
                        )
                    )
                    waited = bool(cr.fetchall())
                if not waited:
                    time.sleep(0.05)
            end_holder()
            result = future.result(timeout=60)
        self.assertTrue(waited, "the registration did not wait for the number held")
        return result

    def test_a_number_rolled_back_goes_to_the_registration_waiting_for_it(self):
        holder_cr = self.registry.cursor()
        try:
            held = self._create_entry(
                api.Environment(holder_cr, api.SUPERUSER_ID, {}), "Rolled back"
            )
            held.action_register()
            held_seq, held_name = held.protocol_seq, held.name
            seq, name = self._register_in_thread(holder_cr, holder_cr.rollback)
            self.assertEqual(seq, held_seq, "the number rolled back was skipped")
            self.assertEqual(name, held_name)
        finally:
            holder_cr.close()

    def test_a_number_committed_meanwhile_is_not_given_twice(self):
        holder_cr = self.registry.cursor()
        try:
            held = self._create_entry(api.Environment(holder_cr, api.SUPERUSER_ID, {}), "Committed")
            self.created_ids.append(held.id)
            held.action_register()
            held_seq = held.protocol_seq
            seq, _name = self._register_in_thread(holder_cr, holder_cr.commit)
            self.assertEqual(seq, held_seq + 1)
        finally:
            holder_cr.close()
