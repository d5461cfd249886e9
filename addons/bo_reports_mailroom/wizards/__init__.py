from . import bo_mail_register_report_wizard
