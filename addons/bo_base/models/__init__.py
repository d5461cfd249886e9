from . import bo_deadline_mixin
from . import res_company
from . import res_config_settings
