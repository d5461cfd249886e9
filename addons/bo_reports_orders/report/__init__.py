from . import bo_claim_xlsx
from . import bo_agent_xlsx
from . import bo_sales_xlsx
