from odoo.addons.bo_base.tests.common import make_email
from odoo.tests import tagged
from odoo.tools import file_open

from .common import DATA, NEW_IBAN, FatturaPACommon


@tagged("post_install", "-at_install")
class TestFatturaPAByMail(FatturaPACommon):
    """A FatturaPA mailed to the bills journal's alias is matched as an upload is."""

    def test_a_fatturapa_mailed_to_the_bills_alias_is_matched_and_blocked(self):
        order = self._order("PO-FPA-001", [(self.sheet, 10, 40.0)])
        self._receive(order, {self.sheet: 10}, ddt="DDT-1")
        alias_domain = self.env["mail.alias.domain"].create({"name": "fpa-test.example.com"})
        self.it_company.alias_domain_id = alias_domain
        journal = self.company_data_2["default_journal_purchase"]
        journal.write({"alias_name": "fatture-fornitori"})
        journal.alias_id.alias_domain_id = alias_domain
        with file_open(f"{DATA}/IT00743110157_FPA04.xml", "rb") as fd:
            content = fd.read()
        message = make_email(
            subject="Fattura FT-104/2026",
            body="In allegato la fattura elettronica.",
            sender="Acciai Brianza <amministrazione@acciaibrianza.example.it>",
            to=journal.alias_id.alias_full_name,
            attachments=[("IT00743110157_FPA04.xml", content, "application/xml")],
        )

        self.env["mail.thread"].message_process(False, message.as_bytes())

        bill = self.env["account.move"].search(
            [("ref", "=", "FT-104/2026"), ("company_id", "=", self.it_company.id)]
        )
        self.assertEqual(len(bill), 1)
        self.assertEqual(bill.invoice_line_ids.purchase_line_id, order.order_line)
        self.assertEqual(bill.sudo().bo_fpa_iban, NEW_IBAN)
        self.assertTrue(bill.bo_payment_blocked)
