from . import test_bridge
from . import test_stock_users
from . import test_claim_bridge
from . import test_intake_bridge
