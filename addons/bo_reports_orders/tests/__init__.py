from . import test_claim_xlsx
