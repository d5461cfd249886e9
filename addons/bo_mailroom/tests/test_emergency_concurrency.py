import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from unittest.mock import patch

from psycopg2.errors import LockNotAvailable, SerializationFailure

from odoo import api
from odoo.exceptions import UserError
from odoo.modules.registry import Registry
from odoo.orm.registry import DummyRLock
from odoo.tests.common import BaseCase, get_db_name, tagged
from odoo.tools import SQL, mute_logger

REFERENCE = datetime(2036, 6, 1, 8, 0, 0)


@tagged("post_install", "-at_install")
class TestConcurrentRecovery(BaseCase):
    """Two users recovering the same emergency register at the same moment,
    each in a transaction of its own: one recovers it, the other is refused."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry = Registry(get_db_name())
        cls.addClassCleanup(cls._remove_committed_records)
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            emergency = env["bo.mail.emergency.register"].create(
                {
                    "start_datetime": REFERENCE,
                    "end_datetime": REFERENCE + timedelta(hours=2),
                    "cause": "Rete interrotta",
                }
            )
            env["bo.mail.emergency.entry"].create(
                [
                    {
                        "emergency_register_id": emergency.id,
                        "registered_at": REFERENCE + timedelta(minutes=n),
                        "correspondent": "Cartoleria Rossi",
                        "subject": f"Lettera {n}",
                    }
                    for n in range(1, 4)
                ]
            )
            emergency.action_close()
            cls.emergency_id = emergency.id

    @classmethod
    def _remove_committed_records(cls):
        """Recovered registers and registered entries are undeletable by
        design: the test removes its own with SQL."""
        with cls.registry.cursor() as cr:
            cr.execute(
                SQL(
                    "SELECT id FROM bo_mail_register WHERE emergency_register_id = %s",
                    cls.emergency_id,
                )
            )
            entry_ids = tuple(row[0] for row in cr.fetchall()) or (0,)
            for model, ids in (
                ("bo.mail.register", entry_ids),
                ("bo.mail.emergency.register", (cls.emergency_id,)),
            ):
                cr.execute(
                    SQL("DELETE FROM mail_message WHERE model = %s AND res_id IN %s", model, ids)
                )
                cr.execute(
                    SQL(
                        "DELETE FROM mail_followers WHERE res_model = %s AND res_id IN %s",
                        model,
                        ids,
                    )
                )
            cr.execute(
                SQL(
                    "DELETE FROM bo_mail_emergency_entry WHERE emergency_register_id = %s",
                    cls.emergency_id,
                )
            )
            cr.execute(SQL("DELETE FROM bo_mail_register WHERE id IN %s", entry_ids))
            cr.execute(
                SQL("DELETE FROM bo_mail_emergency_register WHERE id = %s", cls.emergency_id)
            )

    def test_two_recoveries_at_once_register_the_entries_once(self):
        barrier = threading.Barrier(2)

        def recover():
            with self.registry.cursor() as cr:
                env = api.Environment(cr, api.SUPERUSER_ID, {})
                emergency = env["bo.mail.emergency.register"].browse(self.emergency_id)
                barrier.wait(timeout=30)
                try:
                    emergency.action_recover()
                except (UserError, SerializationFailure, LockNotAvailable):
                    cr.rollback()
                    return "refused"
                return "recovered"

        # The test runner holds the registry lock for the whole run: let the
        # worker threads look the (already loaded) registry up without it.
        # The waiting transaction may fail to serialize, logged by the cursor
        # when the query fails or when it is rolled back and closed: Odoo
        # retries such a request, which then finds the register recovered.
        # Muted here, around both threads, not in each: mute_logger swaps the
        # logger's handlers, and the first thread to leave would put them
        # back while the other still runs.
        with (
            mute_logger("odoo.sql_db"),
            patch.object(Registry, "_lock", DummyRLock()),
            ThreadPoolExecutor(max_workers=2) as executor,
        ):
            futures = [executor.submit(recover) for _worker in range(2)]
            outcomes = sorted(future.result(timeout=120) for future in futures)

        self.assertEqual(outcomes, ["recovered", "refused"])
        with self.registry.cursor() as cr:
            cr.execute(
                SQL(
                    "SELECT e.sequence_number, r.emergency_number "
                    "FROM bo_mail_emergency_entry e "
                    "JOIN bo_mail_register r ON r.id = e.register_entry_id "
                    "WHERE e.emergency_register_id = %s ORDER BY r.protocol_seq",
                    self.emergency_id,
                )
            )
            self.assertEqual(cr.fetchall(), [(1, 1), (2, 2), (3, 3)])
            cr.execute(
                SQL(
                    "SELECT count(*) FROM bo_mail_register WHERE emergency_register_id = %s",
                    self.emergency_id,
                )
            )
            self.assertEqual(cr.fetchone()[0], 3)
