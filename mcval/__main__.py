import sys

from mcval.entry import main

sys.exit(main())
