from . import test_contest_register
from . import test_field_reading
