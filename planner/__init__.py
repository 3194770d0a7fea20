"""Children's play-point planner for Lai Châu: the library behind the app and the CLI."""
import logging

# A library logs; the app (ui/logs.py) decides where it goes. Without this, Python would print
# warnings to the CLI's stderr, whose one line is the message for the user.
logging.getLogger("planner").addHandler(logging.NullHandler())

# Before anything loads GDAL or PROJ: no file may make this process fetch an address (issue 13).
from planner.netguard import disable_network  # noqa: E402

disable_network()
