from . import test_order_request
from . import test_order_checks
from . import test_commitments
from . import test_access
from . import test_order_desk_flow
from . import test_check_hardening
from . import test_customer_confirmation
from . import test_translations
