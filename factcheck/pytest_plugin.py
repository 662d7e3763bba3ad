"""pytest plugin: rule files (`*.fc`) become test items.

First version: registers the command-line and ini options and collects nothing yet.
"""
from __future__ import annotations

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("factcheck", "factcheck: rule files as tests")
    group.addoption("--fc-sources", action="append", default=None, metavar="GLOB",
                    help="articles to check (repeatable); overrides fc_sources and the project config")
    group.addoption("--fc-entities", action="append", default=None, metavar="PATH",
                    help="extra knowledge-base files (repeatable)")
    group.addoption("--fc-strict", action="store_true", default=False,
                    help="@warning assertions that fail are failures, not xfails")
    parser.addini("fc_pattern", "which files are rule files (default: *.fc)", default=None)
    parser.addini("fc_sources", "articles to check (globs)", type="linelist", default=[])
    parser.addini("fc_entities", "extra knowledge-base files", type="linelist", default=[])
