from . import test_fatturapa_match
from . import test_fatturapa_iban
from . import test_guard_attacks
from . import test_fatturapa_queries
from . import test_field_reading
from . import test_fatturapa_mail
from . import test_credit_note
from . import test_contest
