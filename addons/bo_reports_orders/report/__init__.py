from . import bo_claim_xlsx
from . import bo_agent_xlsx
