{
    "name": "Back Office Reports - Mailroom Bridge",
    "summary": "Correspondence register spreadsheet of a period",
    "version": "19.0.1.0.0",
    "category": "Back Office/Reporting",
    "author": "Back Office Suite",
    "website": "https://github.com/backoffice-suite/backoffice",
    "license": "LGPL-3",
    "depends": [
        "bo_reports",
        "bo_mailroom",
    ],
    "data": [
        "security/ir.model.access.csv",
        "security/bo_reports_mailroom_security.xml",
        "report/bo_mail_register_xlsx_reports.xml",
        "wizards/bo_mail_register_report_wizard_views.xml",
        "views/menus.xml",
    ],
    "auto_install": True,
    "installable": True,
}
