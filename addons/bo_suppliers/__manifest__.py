{
    "name": "Back Office Suppliers",
    "summary": "Supplier register, qualification, offer comparison, evaluation, payment checks",
    "version": "19.0.1.0.0",
    "category": "Back Office/Suppliers",
    "author": "Back Office Suite",
    "website": "https://github.com/backoffice-suite/backoffice",
    "license": "LGPL-3",
    "depends": [
        "bo_base",
        "purchase_stock",
        "account",
    ],
    "data": [
        "security/ir.model.access.csv",
        "views/menus.xml",
    ],
    "demo": [
        "demo/res_partner_demo.xml",
    ],
    "installable": True,
    "application": True,
}
