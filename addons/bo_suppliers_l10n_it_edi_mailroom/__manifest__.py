{
    "name": "Back Office Suppliers - Italian E-invoicing and Mailroom Bridge",
    "summary": "Contest letters of FatturaPA bills registered in the correspondence register",
    "version": "19.0.1.0.0",
    "development_status": "Beta",
    "category": "Back Office/Purchase",
    "website": "https://github.com/backoffice-suite/backoffice",
    "author": "Back Office Suite",
    "license": "LGPL-3",
    "installable": True,
    "auto_install": True,
    "depends": [
        "bo_suppliers_l10n_it_edi",
        "bo_mailroom",
    ],
    "data": [
        "data/bo_letter_template_data.xml",
        "views/account_move_views.xml",
        "wizards/bo_fpa_contest_views.xml",
    ],
}
