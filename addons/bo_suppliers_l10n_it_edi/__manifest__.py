{
    "name": "Back Office Suppliers - Italian E-invoicing Bridge",
    "summary": "Incoming FatturaPA bills matched to purchase orders, supplier DDTs and "
    "trusted bank accounts",
    "version": "19.0.1.0.0",
    "development_status": "Beta",
    "category": "Back Office/Purchase",
    "website": "https://github.com/backoffice-suite/backoffice",
    "author": "Back Office Suite",
    "license": "LGPL-3",
    "installable": True,
    "auto_install": True,
    "depends": [
        "bo_suppliers",
        "l10n_it_edi",
    ],
    "data": [
        "security/ir.model.access.csv",
        "data/mail_message_subtype_data.xml",
        "views/bo_fpa_contest_templates.xml",
        "views/stock_picking_views.xml",
        "views/account_move_views.xml",
        "wizards/bo_fpa_contest_views.xml",
    ],
}
