from . import res_company
from . import res_config_settings
from . import bo_order_check
from . import bo_order_request
from . import bo_order_request_line
from . import sale_order
from . import stock_picking
from . import payment_transaction
