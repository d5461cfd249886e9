from . import test_follow_up_xlsx
from . import test_amount_in_words
from . import test_ageing_xlsx
from . import test_sales_xlsx
from . import test_report_schedule
from . import test_overview
from . import test_backlog_xlsx
from . import test_expense_xlsx
