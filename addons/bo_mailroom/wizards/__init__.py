from . import bo_mail_register_cancel
from . import bo_mail_register_outgoing
from . import bo_mail_register_package
from . import bo_mail_emergency_authorise
