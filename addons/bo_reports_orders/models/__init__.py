from . import bo_report_schedule
