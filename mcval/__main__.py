import sys

from mcval.cli import main

sys.exit(main())
