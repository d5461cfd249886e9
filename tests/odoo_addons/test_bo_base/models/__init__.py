from . import test_bo_deadline_item
