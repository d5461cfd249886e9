{
    "name": "Back Office Reports - Mailroom Bridge",
    "summary": "Correspondence register spreadsheet of a period",
    "version": "19.0.1.0.0",
    "development_status": "Beta",
    "category": "Back Office/Reporting",
    "website": "https://github.com/backoffice-suite/backoffice",
    "author": "Back Office Suite",
    "license": "LGPL-3",
    "installable": True,
    "auto_install": True,
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
}
