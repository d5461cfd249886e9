from . import account_move
from . import bo_mail_register
