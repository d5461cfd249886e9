from . import test_groups
from . import test_settings
from . import test_follow_up_tour
from . import test_guard_coverage
from . import test_mail_intake
from . import test_italian_calendar
