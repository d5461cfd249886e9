from . import findings
from . import stock_picking
from . import account_move_line
from . import account_move
from . import account_move_fatturapa
from . import account_move_credit_note
from . import account_move_contest
from . import res_partner_bank
