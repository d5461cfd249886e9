from . import bo_mail_register_xlsx
