{
    "name": "Back Office Mailroom - SdI by PEC",
    "summary": "The PEC mailbox as the SdI channel: e-invoices received become vendor bills, "
    "SdI notifications reach the invoices sent, all registered in the protocol",
    "version": "19.0.1.0.0",
    "development_status": "Beta",
    "category": "Back Office/Mailroom",
    "website": "https://github.com/backoffice-suite/backoffice",
    "author": "Back Office Suite",
    "license": "LGPL-3",
    "installable": True,
    "auto_install": True,
    "depends": [
        "bo_mailroom",
        "l10n_it_edi",
    ],
    "data": [
        "data/ir_cron_data.xml",
        "views/bo_mail_register_views.xml",
        "views/account_move_views.xml",
        "views/res_config_settings_views.xml",
    ],
}
