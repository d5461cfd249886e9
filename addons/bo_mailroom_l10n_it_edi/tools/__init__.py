from . import sdi
