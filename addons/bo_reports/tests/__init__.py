from . import test_follow_up_xlsx
