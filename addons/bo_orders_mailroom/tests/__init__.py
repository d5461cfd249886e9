from . import test_bridge
from . import test_stock_users
