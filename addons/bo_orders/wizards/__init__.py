from . import bo_order_check_override
from . import bo_order_request_lost
from . import bo_sale_agreement_renew
