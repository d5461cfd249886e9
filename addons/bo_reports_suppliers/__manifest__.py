{
    "name": "Back Office Reports - Suppliers Bridge",
    "summary": "Supplier scorecard spreadsheet from the supplier evaluations",
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
        "bo_suppliers",
    ],
    "data": [
        "security/ir.model.access.csv",
        "security/bo_reports_suppliers_security.xml",
        "report/bo_supplier_scorecard_reports.xml",
        "wizards/bo_supplier_scorecard_wizard_views.xml",
        "views/menus.xml",
    ],
}
