"""python -m repair"""

import sys

from repair.cli import main

sys.exit(main())
