import sys

from fitness.cli import main

sys.exit(main())
