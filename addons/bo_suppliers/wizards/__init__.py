from . import bo_bill_payment_release
from . import bo_supplier_qualification_wizard
from . import bo_purchase_supplier_override
from . import bo_find_suppliers
from . import bo_offer_choose
from . import bo_supplier_evaluation_wizard
from . import base_partner_merge_automatic_wizard
