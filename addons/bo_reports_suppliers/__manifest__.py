{
    "name": "Back Office Reports - Suppliers Bridge",
    "summary": "Supplier scorecard spreadsheet from the supplier evaluations",
    "version": "19.0.1.0.0",
    "category": "Back Office/Reporting",
    "author": "Back Office Suite",
    "website": "https://github.com/backoffice-suite/backoffice",
    "license": "LGPL-3",
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
    "auto_install": True,
    "installable": True,
}
