"""Do two checkouts give the same verdicts? For a refactoring that must not change behaviour.

    python bench/compare_verdicts.py OLD_TREE NEW_TREE RULES SOURCES [--cwd DIR] [--whole]

Runs `factcheck check RULES --sources SOURCES --format json` with each tree's `factcheck`
package (PYTHONPATH=TREE, no fact cache) and compares every cell's verdict, value found,
expected value and evidence offsets. Prints the number of cells that differ (and the first
few); exit 1 when any does. With --whole the two JSON reports must be identical in every
field (reasons, summary, errors and warnings too): for a change that must not alter output.
E.g. the tree at a commit: `git worktree add /tmp/old REV`.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile

# The run must import the tree it is given: PYTHONSAFEPATH keeps `python -c` from putting the
# working folder (which may hold another `factcheck/`) ahead of PYTHONPATH; the check says so.
RUN = ("import os, sys, factcheck; tree = os.environ['FACTCHECK_TREE']; "
       "(print(f'imported {factcheck.__file__}, not the tree {tree}', file=sys.stderr), sys.exit(9)) "
       "if not os.path.realpath(factcheck.__file__).startswith(tree + os.sep) else None; "
       "from factcheck.cli import main; sys.exit(main(sys.argv[1:]))")


def report(tree: str, rules: str, sources: str, cwd: str) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "report.json")
        env = {**os.environ, "PYTHONPATH": os.path.abspath(tree), "PYTHONSAFEPATH": "1", "FACTCHECK_CACHE": "off",
               "FACTCHECK_TREE": os.path.realpath(tree)}
        done = subprocess.run([sys.executable, "-c", RUN, "check", rules, "--sources", sources, "--format", "json",
                               "-o", out, "-q"], env=env, cwd=cwd, capture_output=True, text=True, check=False)
        if done.returncode not in (0, 1):
            raise SystemExit(f"{tree}: exit {done.returncode}: {done.stderr.strip()[-2000:]}")
        with open(out, encoding="utf-8") as f:
            return json.load(f)


def cells(doc: dict) -> dict:
    return {(r["file"], r["line"], r["source"]): (r["verdict"], r["found"], r["expected"],
                                                   [(e["start"], e["end"]) for e in r["evidence"]])
            for r in doc["results"]}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("old")
    ap.add_argument("new")
    ap.add_argument("rules")
    ap.add_argument("sources")
    ap.add_argument("--cwd", default=".")
    ap.add_argument("--whole", action="store_true", help="the whole JSON reports must be identical")
    args = ap.parse_args(argv)
    old_doc = report(args.old, args.rules, args.sources, args.cwd)
    new_doc = report(args.new, args.rules, args.sources, args.cwd)
    if args.whole:
        same = old_doc == new_doc
        print(f"{args.rules} on {args.sources}: the JSON reports are {'identical' if same else 'different'}"
              + ("" if same else f"; first difference at {first_difference(old_doc, new_doc)}"))
        if not same:
            return 1
    old, new = cells(old_doc), cells(new_doc)
    differ = sorted(k for k in old.keys() | new.keys() if old.get(k) != new.get(k))
    print(f"{args.rules} on {args.sources}: {len(old)} cells before, {len(new)} after, {len(differ)} differ")
    for key in differ[:10]:
        print(" ", key, old.get(key), "->", new.get(key))
    return 1 if differ else 0


def first_difference(a: object, b: object, path: str = "$") -> str:
    """The JSON path of the first place two documents differ."""
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(a.keys() | b.keys()):
            if a.get(key) != b.get(key):
                return first_difference(a.get(key), b.get(key), f"{path}.{key}")
    elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b)):
            if x != y:
                return first_difference(x, y, f"{path}[{i}]")
    return f"{path}: {str(a)[:200]!r} -> {str(b)[:200]!r}"


if __name__ == "__main__":
    sys.exit(main())
