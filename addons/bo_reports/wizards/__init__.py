from . import bo_report_wizard_mixin
from . import bo_ageing_report_wizard
from . import bo_sales_report_wizard
from . import bo_backlog_report_wizard
from . import bo_expense_report_wizard
