from . import bo_fpa_contest
