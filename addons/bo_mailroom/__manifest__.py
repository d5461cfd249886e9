{
    "name": "Back Office Mailroom",
    "summary": "Correspondence register: protocol numbers, email and PEC intake, archive, reply deadlines",
    "version": "19.0.1.0.0",
    "category": "Back Office/Mailroom",
    "author": "Back Office Suite",
    "website": "https://github.com/backoffice-suite/backoffice",
    "license": "LGPL-3",
    "depends": [
        "bo_base",
        "mail",
    ],
    "data": [
        "security/ir.model.access.csv",
        "views/menus.xml",
    ],
    "installable": True,
    "application": True,
}
