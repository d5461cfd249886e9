from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestItalianLabels(TransactionCase):
    def test_deadline_state_reads_in_italian_on_each_host_model(self):
        """The mixin's selection is translated per host model: each needs its labels."""
        self.env["res.lang"]._activate_lang("it_IT")
        self.env["ir.module.module"]._load_module_terms(
            ["bo_base", "bo_orders"], ["it_IT"], overwrite=True
        )
        expected = {
            "on_time": "In tempo",
            "due_soon": "In scadenza",
            "overdue": "Scaduta",
            "done": "Completato",
        }
        for model in ("sale.order", "bo.order.request"):
            with self.subTest(model=model):
                field = self.env[model].with_context(lang="it_IT").fields_get(["deadline_state"])
                self.assertEqual(dict(field["deadline_state"]["selection"]), expected)
