from . import test_deadline_mixin
