"""Do two checkouts give the same verdicts? For a refactoring that must not change behaviour.

    python bench/compare_verdicts.py OLD_TREE NEW_TREE RULES SOURCES [--cwd DIR]

Runs `factcheck check RULES --sources SOURCES --format json` with each tree's `factcheck`
package (PYTHONPATH=TREE, no fact cache) and compares every cell's verdict, value found,
expected value and evidence offsets. Prints the number of cells that differ (and the first
few); exit 1 when any does. E.g. the tree at a commit: `git worktree add /tmp/old REV`.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile

RUN = "import sys; from factcheck.cli import main; sys.exit(main(sys.argv[1:]))"


def cells(tree: str, rules: str, sources: str, cwd: str) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "report.json")
        env = {**os.environ, "PYTHONPATH": os.path.abspath(tree), "FACTCHECK_CACHE": "off"}
        subprocess.run([sys.executable, "-c", RUN, "check", rules, "--sources", sources, "--format", "json",
                        "-o", out, "-q"], env=env, cwd=cwd, capture_output=True, check=False)
        with open(out, encoding="utf-8") as f:
            doc = json.load(f)
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
    args = ap.parse_args(argv)
    old = cells(args.old, args.rules, args.sources, args.cwd)
    new = cells(args.new, args.rules, args.sources, args.cwd)
    differ = sorted(k for k in old.keys() | new.keys() if old.get(k) != new.get(k))
    print(f"{args.rules} on {args.sources}: {len(old)} cells before, {len(new)} after, {len(differ)} differ")
    for key in differ[:10]:
        print(" ", key, old.get(key), "->", new.get(key))
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
