from . import test_bridge
