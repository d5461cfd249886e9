{
    "name": "Back Office Orders - Mailroom Bridge",
    "summary": "Order requests, orders and claims linked to the correspondence register",
    "version": "19.0.1.0.0",
    "development_status": "Beta",
    "category": "Back Office/Orders",
    "website": "https://github.com/backoffice-suite/backoffice",
    "author": "Back Office Suite",
    "license": "LGPL-3",
    "installable": True,
    "auto_install": True,
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
}
