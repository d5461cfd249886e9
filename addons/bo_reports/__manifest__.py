{
    "name": "Back Office Reports",
    "summary": "XLSX and PDF reports and analyses of the back office, scheduled and emailed",
    "version": "19.0.1.0.0",
    "category": "Back Office/Reporting",
    "author": "Back Office Suite",
    "website": "https://github.com/backoffice-suite/backoffice",
    "license": "LGPL-3",
    "depends": [
        "bo_base",
        "report_xlsx",
    ],
    "external_dependencies": {"python": ["xlsxwriter"]},
    "data": [
        "report/bo_follow_up_reports.xml",
        "views/menus.xml",
    ],
    "installable": True,
    "application": True,
}
