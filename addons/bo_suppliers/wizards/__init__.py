from . import bo_bill_payment_release
from . import bo_supplier_qualification_wizard
from . import bo_purchase_supplier_override
