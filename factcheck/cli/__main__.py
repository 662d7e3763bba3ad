"""`python -m factcheck.cli`: the `factcheck` command."""
import sys

from factcheck.cli import main

sys.exit(main())
