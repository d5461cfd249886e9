from . import bo_claim_xlsx
