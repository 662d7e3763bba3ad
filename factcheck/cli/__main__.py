"""`python -m factcheck.cli`: the `factcheck` command."""
from factcheck.cli import run

run()
