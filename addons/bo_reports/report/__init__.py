from . import bo_follow_up_xlsx
from . import bo_ageing_xlsx
