from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestItalianLabels(TransactionCase):
    def test_deadline_state_reads_in_italian_on_the_register(self):
        """The mixin's selection is translated per host model: the register needs its own."""
        self.env["res.lang"]._activate_lang("it_IT")
        self.env["ir.module.module"]._load_module_terms(
            ["bo_base", "bo_mailroom"], ["it_IT"], overwrite=True
        )
        field = (
            self.env["bo.mail.register"].with_context(lang="it_IT").fields_get(["deadline_state"])
        )
        labels = dict(field["deadline_state"]["selection"])
        self.assertEqual(labels["due_soon"], "In scadenza")
        self.assertEqual(labels["on_time"], "In tempo")
        self.assertEqual(labels["overdue"], "Scaduta")
        self.assertNotEqual(labels["done"], "Done")
