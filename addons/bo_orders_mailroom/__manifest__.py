{
    "name": "Back Office Orders - Mailroom Bridge",
    "summary": "Order requests and sale orders linked to the correspondence register",
    "version": "19.0.1.0.0",
    "category": "Back Office/Orders",
    "author": "Back Office Suite",
    "website": "https://github.com/backoffice-suite/backoffice",
    "license": "LGPL-3",
    "depends": [
        "bo_orders",
        "bo_mailroom",
    ],
    "data": [
        "views/bo_order_request_views.xml",
        "views/bo_mail_register_views.xml",
        "views/sale_order_views.xml",
        "views/bo_customer_claim_views.xml",
    ],
    "auto_install": True,
    "installable": True,
}
