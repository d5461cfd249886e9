from . import bo_claim_report_wizard
from . import bo_agent_report_wizard
from . import bo_sale_report_filter_mixin
from . import bo_sales_report_wizard
from . import bo_backlog_report_wizard
