from . import bo_ageing_report_wizard
from . import bo_sales_report_wizard
