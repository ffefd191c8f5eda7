"""`python -m cli` runs the `bookchat` command line."""

import sys

from cli.main import main

sys.exit(main())
