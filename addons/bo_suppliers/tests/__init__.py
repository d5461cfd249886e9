from . import test_supplier_menu
from . import test_three_way_match
from . import test_duplicate_bills
from . import test_payment_block
from . import test_bank_account_change
from . import test_qualification
from . import test_purchase_block
from . import test_access_qualification
