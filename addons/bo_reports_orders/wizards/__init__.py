from . import bo_claim_report_wizard
from . import bo_agent_report_wizard
from . import bo_sales_report_wizard
