from . import bo_mail_register
from . import bo_order_request
from . import sale_order
from . import bo_customer_claim
