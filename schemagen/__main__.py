import sys

from schemagen.cli import main

sys.exit(main())
