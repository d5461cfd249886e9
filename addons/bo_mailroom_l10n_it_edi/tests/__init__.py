from . import test_sdi_invoices
from . import test_sdi_notifications
from . import test_sdi_security
