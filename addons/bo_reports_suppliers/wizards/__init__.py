from . import bo_supplier_scorecard_wizard
