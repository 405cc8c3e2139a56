"""``python -m linreg``: the linreg command (see :mod:`linreg.cli`)."""

import sys

from .cli import main

if __name__ == "__main__":  # importing the module (introspection, docs) runs nothing
    sys.exit(main())
