from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import MailroomCommon


@tagged("post_install", "-at_install")
class TestIntakeTriage(MailroomCommon):
    """Mail gets a number by rule; the rest waits for a clerk; acks go to known people."""

    def _acks(self, entry):
        return self.env["mail.mail"].search(
            [
                ("model", "=", entry._name),
                ("res_id", "=", entry.id),
                ("subject", "like", "Protocol"),
            ]
        )

    def _ack_rule(self, **vals):
        return self.env["bo.mail.routing.rule"].create(
            {"name": "Acknowledge", "send_acknowledgement": True, **vals}
        )

    def test_mail_matching_no_rule_waits_for_triage_without_a_number(self):
        entry = self._process(self._email())
        self.assertEqual(entry.state, "draft")
        self.assertFalse(entry.name)
        self.assertIn("original_email.eml", self._files(entry))
        self.assertTrue(entry.email_message_id)
        self.assertIn(entry, self.Register.search([("state", "=", "draft")]))
        # What was received is not thrown away by a clerk
        with self.assertRaises(AccessError):
            entry.with_user(self.clerk).unlink()
        # A clerk decides: it is a letter, it gets its number now.
        entry.with_user(self.clerk).action_register()
        self.assertTrue(entry.name)

    def test_rule_can_classify_and_still_leave_the_message_for_triage(self):
        self._ack_rule(category_id=self.cat_customers.id, register_at_once=False)
        entry = self._process(self._email())
        self.assertEqual(entry.state, "draft")
        self.assertEqual(entry.category_id, self.cat_customers)
        self.assertFalse(self._acks(entry), "no acknowledgement for a message not registered")

    def test_spam_matching_an_acknowledging_rule_gets_no_answer(self):
        self._ack_rule(subject_keywords="offerta")
        spam = self._process(
            self._email(
                subject="Offerta imperdibile",
                sender="Promo <promo@spam.example.org>",
                headers={"Reply-To": "victim@elsewhere.example.org"},
            )
        )
        self.assertEqual(spam.state, "registered", "the rule registers it")
        self.assertFalse(self._acks(spam), "nobody known to acknowledge to")
        self.assertFalse(
            self.env["mail.mail"].search([("email_to", "ilike", "elsewhere.example.org")])
        )
        unmatched = self._process(self._email(subject="Vinci subito", sender="x@spam.example.org"))
        self.assertEqual(unmatched.state, "draft")
        self.assertFalse(unmatched.name)

    def test_acknowledgement_goes_to_the_known_contact_never_to_reply_to(self):
        self._ack_rule()
        entry = self._process(
            self._email(
                sender=f"Ufficio Acquisti <{self.partner.email}>",
                headers={"Reply-To": "attacker@evil.example.org"},
            )
        )
        ack = self._acks(entry)
        self.assertEqual(len(ack), 1)
        self.assertEqual(ack.recipient_ids, self.partner)
        self.assertFalse(ack.email_to)
        self.assertNotIn("evil.example.org", str(ack.email_cc or ""))

    def test_reply_to_a_confidential_entry_stays_confidential_and_assigned(self):
        outgoing = self._registered_entry(
            direction="outgoing",
            channel="email",
            confidentiality="confidential",
            user_id=self.clerk2.id,
        )
        sent = outgoing._bo_send_by_email("<p>Riservato.</p>")
        reply = self._email(
            subject="Re: riservato",
            headers={"In-Reply-To": sent.message_id, "References": sent.message_id},
        )
        self.env["mail.thread"].message_process(False, reply.as_bytes())
        answer = outgoing.reply_ids
        self.assertEqual(len(answer), 1)
        self.assertEqual(answer.confidentiality, "confidential")
        self.assertEqual(answer.user_id, self.clerk2)
        answer.with_user(self.clerk2).check_access("read")
        with self.assertRaises(AccessError):
            answer.with_user(self.clerk).check_access("read")
