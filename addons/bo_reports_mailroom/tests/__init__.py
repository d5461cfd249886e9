from . import test_mail_register_xlsx
