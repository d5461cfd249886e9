from . import test_register
from . import test_access
from . import test_gateway
from . import test_pec
from . import test_outgoing
from . import test_daily_register
from . import test_concurrency
from . import test_chatter_tour
