from . import bo_ageing_report_wizard
