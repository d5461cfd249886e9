from . import bo_order_check_override
from . import bo_order_request_lost
from . import commission_make_settle
from . import bo_agent_statement
