from . import test_supplier_scorecard
