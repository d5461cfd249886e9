from . import test_claim_xlsx
from . import test_agent_xlsx
