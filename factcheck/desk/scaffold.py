"""`factcheck init [DIR]`: a starter project that `factcheck check` and `pytest` pass at once.

It writes a config (`factcheck.yaml`), a rule file with a named test, a knowledge base, one
sample article (about an invented port dispute, written for the purpose) under `sources/`,
and a rule-tests file beside the rules. It never overwrites anything: when one of its files
already exists it writes none of them and says which (exit code 2).
"""
from __future__ import annotations

import os
from dataclasses import dataclass

from factcheck.errors import FactcheckError

CONFIG = """\
# factcheck's settings for this project (see `factcheck --help`).
rules: [rules]                 # every *.fc file in rules/
sources: [sources/*.txt]       # the articles to check
"""

KB = """\
# The knowledge base: the names the articles use for the same party or event.
# It links names; it is never evidence. Rule files load it with `use`.
entities:
  Dockers Union:
    aliases: [dock workers' union, dockers' union]
  Anna Lind:
    part_of: [Dockers Union]
  Port Authority:
    aliases: [port authority]
  Tom Berg:
    part_of: [Port Authority]
events:
  Rotterdam talks:
    kind: talks
    place: Rotterdam
  wage deal:
    kind: agreement
    aliases: [pay deal, wage agreement]
  terminal strike:
    kind: strike
    aliases: [strike at the container terminal]
"""

RULES = """\
# What the desk knows about the port dispute. Each line is an assertion, checked against
# every article in sources/; `factcheck check` reports pass, fail or unknown for each.
use "port.entities.yaml"

date(Rotterdam talks) == 2024-03-11

test "Who signed the wage deal":
    signed(wage deal) includes Anna Lind
    signed(wage deal) excludes Tom Berg

test "Who sat at the table":
    leader(Dockers Union) == Anna Lind
    attendees(Rotterdam talks) includes Port Authority

duration(terminal strike) == 3 weeks
"""

RULE_TESTS = """\
# Rule tests: short articles written for the purpose, with the verdict each assertion of
# port.fc must give on them. `pytest` runs them as rules/port.fc::tests::<case>::<assertion>.
cases:
  - name: the port authority signs too
    published: 2024-03-12
    text: >
      Tom Berg of the port authority signed the wage deal on Tuesday.
    expect:
      "signed(wage deal) excludes Tom Berg": fail
    otherwise: unknown
"""

ARTICLE = """\
---
published: 2024-03-13
outlet: Harbour Gazette
title: Dock workers sign a wage deal after Rotterdam talks
---
The dock workers' union and the port authority held talks in Rotterdam on Monday.

Anna Lind, head of the Dockers Union, signed the wage deal, but Tom Berg of the port authority left the talks without signing it. The union is backed by the city council and the regional government.

The strike at the container terminal lasted three weeks.
"""

README = """\
# A factcheck project

    factcheck check            # every assertion in rules/ against every article in sources/
    factcheck check --watch    # the same, again whenever a rule, the KB or an article changes
    factcheck check -f html -o report.html
    pytest                     # the same checks as tests, and the rule tests in rules/*.tests.yaml

Add articles to sources/ (plain text; an optional `---` front matter gives `published` and
`outlet`), names to rules/port.entities.yaml, and assertions to rules/port.fc.
"""

FILES: tuple[tuple[str, str], ...] = (
    ("factcheck.yaml", CONFIG),
    ("rules/port.fc", RULES),
    ("rules/port.entities.yaml", KB),
    ("rules/port.tests.yaml", RULE_TESTS),
    ("sources/harbour-gazette.txt", ARTICLE),
    ("README.md", README),
)


class ScaffoldError(FactcheckError):
    """init would overwrite a file, or cannot write one."""


@dataclass(frozen=True, slots=True)
class Written:
    root: str
    files: tuple[str, ...]


def init(root: str = ".") -> Written:
    """Write the starter project into `root` (made if missing). Nothing is written when any
    of its files exists already."""
    if os.path.exists(root) and not os.path.isdir(root):
        raise ScaffoldError("is not a folder", root)
    taken = [rel for rel, _ in FILES if os.path.lexists(os.path.join(root, rel))]
    if taken:
        more = f" (and {len(taken) - 1} more)" if len(taken) > 1 else ""
        raise ScaffoldError(f"already exists{more}; init writes nothing over existing files",
                            os.path.join(root, taken[0]), hint="run init in an empty folder, e.g. `factcheck init NEWDIR`")
    written = []
    try:
        for rel, text in FILES:
            path = os.path.join(root, rel)
            os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
            with open(path, "x", encoding="utf-8") as fh:  # "x": never over a file made meanwhile
                fh.write(text)
            written.append(rel)
    except OSError as exc:
        raise ScaffoldError(f"cannot write: {exc.strerror or exc}", getattr(exc, "filename", None) or root) from None
    return Written(root, tuple(written))
