from . import pec
