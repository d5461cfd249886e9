from . import test_bo_deadline_item
from . import test_bo_guarded_item
from . import test_bo_mail_intake_item
from . import test_bo_transition_item
