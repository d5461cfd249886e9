from . import bo_deadline_mixin
from . import res_company
from . import res_config_settings
from . import bo_guard
from . import bo_override_mixin
from . import bo_transition_mixin
from . import bo_mail_intake
