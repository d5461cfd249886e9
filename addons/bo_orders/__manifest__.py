{
    "name": "Back Office Orders",
    "summary": "Order desk: order requests, checks before confirmation, commitments and deadlines",
    "version": "19.0.1.0.0",
    "category": "Back Office/Orders",
    "author": "Back Office Suite",
    "website": "https://github.com/backoffice-suite/backoffice",
    "license": "LGPL-3",
    "depends": [
        "bo_base",
        "sale_management",
        "sale_stock",
        "account",
    ],
    "data": [
        "security/ir.model.access.csv",
        "views/menus.xml",
    ],
    "installable": True,
    "application": True,
}
