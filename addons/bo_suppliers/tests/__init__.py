from . import test_supplier_menu
