"""``python -m linreg``: the linreg command (see :mod:`linreg.cli`)."""

import sys

from .cli import main

sys.exit(main())
