{
    "name": "Back Office Reports - Orders Bridge",
    "summary": "Claims statistics and agent statements spreadsheets from the order desk",
    "version": "19.0.1.0.0",
    "category": "Back Office/Reporting",
    "author": "Back Office Suite",
    "website": "https://github.com/backoffice-suite/backoffice",
    "license": "LGPL-3",
    "depends": [
        "bo_reports",
        "bo_orders",
    ],
    "data": [
        "security/ir.model.access.csv",
        "security/bo_reports_orders_security.xml",
        "report/bo_reports_orders_reports.xml",
        "wizards/bo_claim_report_wizard_views.xml",
        "wizards/bo_agent_report_wizard_views.xml",
        "views/bo_sales_report_wizard_views.xml",
        "views/menus.xml",
    ],
    "auto_install": True,
    "installable": True,
}
