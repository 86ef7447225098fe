"""`python -m workshop`: the facilitator's command line (see docs/workshop.md)."""

import sys

from workshop.cli import main

if __name__ == "__main__":
    sys.exit(main())
