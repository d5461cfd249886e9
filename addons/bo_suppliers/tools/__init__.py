from . import offer_scoring
