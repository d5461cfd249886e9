from . import sale_order
from . import bo_report_schedule
from . import bo_overview_tile
from . import bo_expense_target
from . import bo_report_run
