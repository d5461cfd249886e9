from . import account_move
from . import bo_mail_register
from . import res_company
from . import res_config_settings
