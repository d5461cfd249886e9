"""A sealed day sent to preservation by email for real, and the receipt back.

The day is sealed and sent by the jobs themselves (triggered over RPC); the
package leaves through Odoo's outgoing mail server to an aiosmtpd server run
here; the conservator's reply, with the receipt (rapporto di versamento),
is delivered into a throwaway dovecot mailbox and fetched by Odoo's
incoming mail server. The mail servers are those of ``test_e2e_mail_path``.
"""

import email
import email.policy
import hashlib
import imaplib
import uuid
from email.message import EmailMessage
from email.utils import make_msgid

import test_e2e_mail_path as mail_path

# The mail servers and the admin client of the mail path test, for this module too.
imap_server = mail_path.imap_server
smtp_server = mail_path.smtp_server
admin = mail_path.admin
_act = mail_path._act


def _trigger(client, xmlid):
    module, name = xmlid.split(".")
    found = client.call(
        "ir.model.data",
        "search_read",
        [("module", "=", module), ("name", "=", name)],
        fields=["res_id"],
    )
    _act(client, "ir.cron", "method_direct_trigger", [found[0]["res_id"]])


def _receipt_reply(conservator, company_email, sent, receipt):
    message = EmailMessage()
    message["From"] = f"Conservatore <{conservator}>"
    message["To"] = company_email
    message["Subject"] = f"Re: {sent['Subject']}"
    message["Message-Id"] = make_msgid(domain="conservatore.example.it")
    message["In-Reply-To"] = sent["Message-Id"]
    message["References"] = sent["Message-Id"]
    message.set_content("In allegato il rapporto di versamento.")
    message.add_attachment(
        receipt, maintype="application", subtype="xml", filename="rapporto_di_versamento.xml"
    )
    return message.as_bytes(policy=email.policy.SMTP)


def test_sealed_day_is_mailed_to_the_conservator_and_the_receipt_comes_back(
    odoo_server, admin, imap_server, smtp_server
):
    tag = uuid.uuid4().hex[:10]
    conservator = f"versamenti-{tag}@conservatore.example.it"
    company_email = f"protocollo-{tag}@e2e-preservation.example.com"
    created = {}
    try:
        # A company of its own: with no registration, its first sealed day is yesterday.
        created["company"] = admin.call(
            "res.company", "create", {"name": f"Conservazione {tag}", "email": company_email}
        )
        partner_id = admin.call("res.company", "read", [created["company"]], fields=["partner_id"])[
            0
        ]["partner_id"][0]
        admin.call("res.partner", "write", [partner_id], {"tz": "Europe/Rome"})
        admin.call("res.users", "write", [admin.uid], {"company_ids": [(4, created["company"])]})
        created["smtp"] = mail_path._outgoing_server(admin, smtp_server, tag)
        created["destination"] = admin.call(
            "bo.mail.preservation.destination",
            "create",
            {
                "name": f"Conservatore {tag}",
                "company_id": created["company"],
                "kind": "email",
                "email": conservator,
            },
        )

        _trigger(admin, "bo_mailroom.ir_cron_bo_mail_register_day")
        _trigger(admin, "bo_mailroom.ir_cron_bo_mail_register_day_transmission")

        transmissions = admin.call(
            "bo.mail.register.day.transmission",
            "search_read",
            [("company_id", "=", created["company"])],
            fields=["id", "state", "package_name", "package_sha256", "attempt_count"],
        )
        assert len(transmissions) == 1, transmissions
        transmission = transmissions[0]
        assert transmission["state"] == "sent", transmission
        assert transmission["attempt_count"] == 1

        queued = admin.call(
            "mail.mail",
            "search",
            [
                ("model", "=", "bo.mail.register.day.transmission"),
                ("res_id", "=", transmission["id"]),
            ],
        )
        assert queued, "the package is queued for the conservator"
        _act(admin, "mail.mail", "process_email_queue", queued)
        delivered = [m for m in smtp_server["sink"].messages if conservator in m["to"]]
        assert len(delivered) == 1, smtp_server["sink"].messages
        sent = email.message_from_bytes(delivered[0]["data"], policy=email.policy.default)
        assert company_email in sent["From"]
        zips = [
            part
            for part in sent.iter_attachments()
            if part.get_filename() == transmission["package_name"]
        ]
        assert len(zips) == 1, [part.get_filename() for part in sent.iter_attachments()]
        package = zips[0].get_content()
        assert hashlib.sha256(package).hexdigest() == transmission["package_sha256"]

        receipt = f'<?xml version="1.0"?><RapportoDiVersamento id="{tag}" esito="OK"/>'.encode()
        created["fetchmail"] = mail_path._protocol_mailbox(admin, imap_server, tag)
        imap = imaplib.IMAP4("127.0.0.1", imap_server["port"])
        imap.login(imap_server["user"], imap_server["password"])
        reply = _receipt_reply(conservator, company_email, sent, receipt)
        assert imap.append("INBOX", None, None, reply)[0] == "OK"
        imap.logout()

        _act(admin, "fetchmail.server", "fetch_mail", [created["fetchmail"]])

        transmission = admin.call(
            "bo.mail.register.day.transmission",
            "read",
            [transmission["id"]],
            fields=["state", "receipt_name", "receipt_sha256", "received_datetime", "day_id"],
        )[0]
        assert transmission["state"] == "received", transmission
        assert transmission["receipt_name"] == "rapporto_di_versamento.xml"
        assert transmission["receipt_sha256"] == hashlib.sha256(receipt).hexdigest()
        day = admin.call(
            "bo.mail.register.day",
            "read",
            [transmission["day_id"][0]],
            fields=["preservation_state"],
        )[0]
        assert day["preservation_state"] == "received"
    finally:
        if "fetchmail" in created:
            admin.call("fetchmail.server", "unlink", [created["fetchmail"]])
        if "smtp" in created:
            admin.call("ir.mail_server", "unlink", [created["smtp"]])
        if "destination" in created:
            admin.call(
                "bo.mail.preservation.destination",
                "write",
                [created["destination"]],
                {"active": False},
            )
