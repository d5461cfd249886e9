from . import bo_mail_register_cancel
from . import bo_mail_register_outgoing
from . import bo_mail_register_package
