"""``python -m cpkit``: the same command as ``cpkit``, for an environment whose scripts are not on PATH."""

import sys

from cpkit.cli import main

sys.exit(main())
