from . import test_deadline_mixin
from . import test_guard
from . import test_override_mixin
from . import test_deadline_guard
from . import test_transition_mixin
