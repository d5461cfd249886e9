{
    "name": "Back Office Mailroom",
    "summary": "Correspondence register: protocol numbers, email and PEC intake, "
    "archive, reply deadlines",
    "version": "19.0.1.0.0",
    "category": "Back Office/Mailroom",
    "author": "Back Office Suite",
    "website": "https://github.com/backoffice-suite/backoffice",
    "license": "LGPL-3",
    "depends": [
        "bo_base",
        "mail",
        "web",
    ],
    "data": [
        "security/ir.model.access.csv",
        "security/bo_mailroom_security.xml",
        "data/mail_message_subtype_data.xml",
        "data/mail_template_data.xml",
        "data/ir_cron_data.xml",
        "data/mail_alias_data.xml",
        "report/bo_mail_register_reports.xml",
        "views/bo_mail_register_views.xml",
        "views/bo_mail_category_views.xml",
        "views/bo_mail_routing_rule_views.xml",
        "views/bo_letter_template_views.xml",
        "views/bo_mail_register_day_views.xml",
        "views/res_partner_views.xml",
        "views/res_config_settings_views.xml",
        "wizards/bo_mail_register_cancel_views.xml",
        "wizards/bo_mail_register_outgoing_views.xml",
        "views/menus.xml",
    ],
    "demo": [
        "demo/bo_mail_category_demo.xml",
        "demo/bo_mail_register_demo.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "bo_mailroom/static/src/**/*",
        ],
        "web.assets_tests": [
            "bo_mailroom/static/tests/tours/**/*",
        ],
    },
    "installable": True,
    "application": True,
}
