from . import bo_follow_up_xlsx
