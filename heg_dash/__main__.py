import sys

from heg_dash.cli import main

sys.exit(main())
