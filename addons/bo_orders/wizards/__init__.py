from . import bo_order_check_override
from . import bo_order_request_lost
from . import account_move_reversal
from . import stock_return_picking
from . import commission_make_settle
from . import bo_agent_statement
from . import bo_sale_agreement_renew
