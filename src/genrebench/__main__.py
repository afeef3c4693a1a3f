"""``python -m genrebench``: the same as the ``genrebench`` command."""

import sys

from genrebench.cli import main

sys.exit(main())
