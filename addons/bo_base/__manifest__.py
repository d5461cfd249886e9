{
    "name": "Back Office Base",
    "summary": "Back Office groups, menu, settings and the deadline mixin",
    "version": "19.0.1.0.0",
    "development_status": "Beta",
    "category": "Back Office",
    "website": "https://github.com/backoffice-suite/backoffice",
    "author": "Back Office Suite",
    "license": "LGPL-3",
    "application": True,
    "installable": True,
    "depends": ["mail"],
    "data": [
        "security/bo_base_security.xml",
        "data/mail_activity_type_data.xml",
        "data/ir_cron_data.xml",
        "views/res_config_settings_views.xml",
        "views/mail_activity_views.xml",
        "views/menus.xml",
    ],
    "demo": [
        "demo/res_partner_demo.xml",
        "demo/res_users_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "bo_base/static/tests/tours/**/*",
        ],
    },
}
