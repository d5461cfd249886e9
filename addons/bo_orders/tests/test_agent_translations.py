import polib

from odoo.tests import TransactionCase, tagged
from odoo.tools.misc import file_path


@tagged("post_install", "-at_install")
class TestAgentItalian(TransactionCase):
    def test_every_string_of_the_addon_has_its_italian_translation(self):
        italian = polib.pofile(file_path("bo_orders/i18n/it.po"))
        # words that read the same in Italian are left empty, as the po checks want
        same_in_italian = {
            "Email",
            "ID",
            "Web",
            "Enasarco",
            "FIRR",
            "FIRR (%)",
            "Incoterm",
            "Volume",
            "Volume %",
        }
        untranslated = {entry.msgid for entry in italian if not entry.msgstr} - same_in_italian
        sources = {entry.msgid for entry in polib.pofile(file_path("bo_orders/i18n/bo_orders.pot"))}
        self.assertIn("Enasarco Rates", sources)
        self.assertFalse(untranslated & sources)

    def test_agent_fields_read_in_italian(self):
        self.env["res.lang"]._activate_lang("it_IT")
        self.env["ir.module.module"]._load_module_terms(["bo_orders"], ["it_IT"], overwrite=True)
        partner_fields = (
            self.env["res.partner"]
            .with_context(lang="it_IT")
            .fields_get(["bo_enasarco_mandate_type"])
        )
        self.assertEqual(partner_fields["bo_enasarco_mandate_type"]["string"], "Mandato Enasarco")
        self.assertEqual(
            dict(partner_fields["bo_enasarco_mandate_type"]["selection"]),
            {"single": "Monomandatario", "multi": "Plurimandatario"},
        )
