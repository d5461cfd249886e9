from . import bo_xlsx_base
from . import bo_follow_up_xlsx
from . import bo_ageing_xlsx
from . import bo_sales_xlsx
from . import bo_backlog_xlsx
from . import bo_expense_xlsx
