from . import bo_claim_report_wizard
