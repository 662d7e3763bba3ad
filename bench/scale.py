"""Speed at scale: `python bench/scale.py [--full] [--sizes 200,2000] [--jobs N]` (or `make bench`).

For each corpus size N (200 and 2,000; with --full also 10,000) it builds N varied articles
(bench/corpus.py) in a temporary folder and measures, each in a fresh process:

- bare `nlp.pipe` words/s: the same model and components, the same number of processes,
  nothing else (the ceiling factcheck can approach);
- `factcheck check` cold (empty cache) words/s, wall clock from the command's start, and
  its ratio to bare `nlp.pipe`;
- the warm re-run after a rule file changed and no article did (the median of three, one
  assertion added before each), and its ratio to cold;
- evaluation cost per assertion per source, facts read from the cache (the second
  evaluation in one process, after the gazetteer and memo tables are warm; the first is shown too);
- peak RSS of the largest process of each run;

and once: `factcheck --help` and `factcheck lint` wall time. It prints one table.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402

REPO = corpus.REPO
BIN = Path(sys.executable).parent
FACTCHECK = str(BIN / "factcheck")
RULES = REPO / "rules" / "libya.fc"
ENTITIES = REPO / "rules" / "libya.entities.yaml"
# The warm run: the re-run after each of these edits (one assertion added each time), the
# median of the three (a shared machine stretches single runs).
EXTRA_RULES = [f"\ntest \"bench: a rule added after the cold run ({k})\":\n    backers(LNA) excludes {country}\n"
               for k, country in enumerate(("Chad", "Niger", "Sudan"), 1)]

# Runs a command and prints its wall time and the peak RSS (KiB) of its largest process,
# pool workers included (they are waited for by the command, so they count as descendants).
MEASURE = textwrap.dedent("""
    import resource, subprocess, sys, time, json
    t = time.perf_counter()
    r = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - t
    print(json.dumps({"wall": wall, "rss_kib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
                      "rc": r.returncode, "stderr": r.stderr[-2000:], "stdout": r.stdout[-2000:]}))
""")

BARE = textwrap.dedent("""
    import glob, json, sys, time
    from factcheck.extract import nlp as nlp_mod
    jobs = int(sys.argv[2])
    nlp = nlp_mod.load("en_core_web_sm")
    texts = [open(p, encoding="utf-8").read() for p in sorted(glob.glob(sys.argv[1]))]
    t = time.perf_counter()
    for doc in nlp.pipe(texts, batch_size=16, n_process=jobs):
        pass
    print(json.dumps({"pipe": time.perf_counter() - t}))
""")

EVALUATE = textwrap.dedent("""
    import json, sys, time
    from factcheck.extract import ExtractionRequest
    from factcheck.run import runner
    from factcheck.run.cache import FactCache
    rules = runner.load_rules([sys.argv[1]])
    sources, _ = runner.read_sources([sys.argv[2]])
    t = time.perf_counter()
    with FactCache(sys.argv[3]) as c:
        # as `check` asks: only the rules' predicates (a plugin extractor none of them uses was not run)
        facts, errors = runner.extract_all(sources, ExtractionRequest(rules.kb, "en_core_web_sm", rules.event_heads()),
                                           cache=c, only=rules.predicates_used())
    read = time.perf_counter() - t
    t = time.perf_counter()
    runner.evaluate(rules, sources, facts, errors)
    first = time.perf_counter() - t
    t = time.perf_counter()
    runner.evaluate(rules, sources, facts, errors)
    second = time.perf_counter() - t
    print(json.dumps({"read": read, "first": first, "second": second, "assertions": len(rules.assertions),
                      "sources": len(sources), "spacy": "spacy" in sys.modules}))
""")


def measure(cmd: list[str], env: dict[str, str] | None = None) -> dict:
    out = subprocess.run([sys.executable, "-c", MEASURE, *cmd], capture_output=True, text=True, env=env, check=True,
                         cwd=_cwd(env))
    got = json.loads(out.stdout)
    if got["rc"] not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} exited {got['rc']}:\n{got['stderr']}")
    return got


def python_json(script: str, *args: str, env: dict[str, str] | None = None) -> dict:
    out = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, env=env,
                         cwd=_cwd(env))
    if out.returncode != 0:
        raise SystemExit(out.stderr)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _cwd(env: dict[str, str] | None) -> str | None:
    """Run in the snapshot's folder: `python -c` puts the working folder first on sys.path,
    and in the repository that would import the live tree instead of the snapshot."""
    return env.get("FACTCHECK_BENCH_DIR") if env else None


def snapshot(work: Path) -> dict[str, str]:
    """Copy the factcheck package into `work` and return an environment that imports it:
    every process of the run measures the same code, even while the tree is being edited
    (an edit to extraction code would, rightly, invalidate the cache between cold and warm)."""
    shutil.copytree(REPO / "factcheck", work / "code" / "factcheck",
                    ignore=shutil.ignore_patterns("__pycache__"))
    # Byte-compiled, as an installed package is (pip compiles on install): with
    # PYTHONDONTWRITEBYTECODE set, every run would otherwise compile ~130 modules again.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(work / "code" / "factcheck")], check=True)
    path = os.pathsep.join(p for p in (str(work / "code"), os.environ.get("PYTHONPATH", "")) if p)
    return {**os.environ, "PYTHONPATH": path, "OPENBLAS_NUM_THREADS": "1", "FACTCHECK_BENCH_DIR": str(work)}


def run_size(n: int, jobs: int, work: Path, base_env: dict[str, str], bare: bool = True) -> dict:
    folder = work / f"n{n}"
    paths = corpus.build(folder / "articles", n)
    words = corpus.word_count(paths)
    glob_pattern = str(folder / "articles" / "*.txt")
    rules = folder / "libya.fc"
    shutil.copy(RULES, rules)
    shutil.copy(ENTITIES, folder / ENTITIES.name)
    db = folder / "cache.db"
    env = {**base_env, "FACTCHECK_CACHE": str(db)}
    check = [FACTCHECK, "check", str(rules), "--sources", glob_pattern, "--format", "json", "--output", os.devnull,
             "--quiet", "--jobs", str(jobs)]  # the cache is $FACTCHECK_CACHE

    if bare:
        bare_proc = measure([sys.executable, "-c", BARE, glob_pattern, str(jobs)], env)
        bare_pipe = json.loads(bare_proc["stdout"].strip().splitlines()[-1])["pipe"]
    else:  # --no-bare: only factcheck's own figures (peak RSS at large N), half the time
        bare_proc, bare_pipe = {"wall": float("nan"), "rss_kib": float("nan")}, float("nan")

    cold = measure(check, env)
    warms = []
    for rule in EXTRA_RULES:
        with open(rules, "a", encoding="utf-8") as fh:
            fh.write(rule)
        warms.append(measure(check, env))
    warm = sorted(warms, key=lambda m: m["wall"])[len(warms) // 2]
    ev = python_json(EVALUATE, str(rules), glob_pattern, str(db), env=env)
    per = ev["assertions"] * ev["sources"]
    return {
        "n": n, "words": words,
        "bare_wps": words / bare_pipe, "bare_wall": bare_proc["wall"], "bare_rss": bare_proc["rss_kib"] / 1024,
        "cold": cold["wall"], "cold_wps": words / cold["wall"], "cold_rss": cold["rss_kib"] / 1024,
        "warm": warm["wall"], "warm_rss": warm["rss_kib"] / 1024, "warms": [m["wall"] for m in warms],
        "read": ev["read"], "eval_first_us": ev["first"] / per * 1e6, "eval_us": ev["second"] / per * 1e6,
        "assertions": ev["assertions"], "spacy_on_warm": ev["spacy"],
        "cache_mb": db.stat().st_size / 2**20 if db.exists() else 0.0,
    }


def startup_times(env: dict[str, str]) -> dict:
    helps = [measure([FACTCHECK, "--help"], env)["wall"] for _ in range(3)]
    lints = [measure([FACTCHECK, "lint", str(RULES)], env)["wall"] for _ in range(3)]
    return {"help": min(helps), "lint": min(lints)}


def table(rows: list[dict], start: dict, jobs: int) -> str:
    head = ["N", "words", f"bare pipe w/s (x{jobs})", "check cold w/s", "cold/bare", "cold s", "warm s",
            "warm/cold", "eval us/assert/src", "peak RSS MB (bare/cold/warm)", "cache MB"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        cells = [f"{r['n']:,}", f"{r['words']:,}", f"{r['bare_wps']:,.0f}", f"{r['cold_wps']:,.0f}",
                 f"{r['cold_wps'] / r['bare_wps']:.2f}", f"{r['cold']:.1f}", f"{r['warm']:.2f}",
                 f"{r['warm'] / r['cold']:.3f}", f"{r['eval_us']:.1f} (first {r['eval_first_us']:.0f})",
                 f"{r['bare_rss']:.0f} / {r['cold_rss']:.0f} / {r['warm_rss']:.0f}", f"{r['cache_mb']:.1f}"]
        lines.append("| " + " | ".join(cells) + " |")
    lines.append("")
    lines.append(f"`factcheck --help`: {start['help']:.2f} s; `factcheck lint rules/libya.fc`: {start['lint']:.2f} s "
                 "(best of 3, wall clock, process start included)")
    for r in rows:
        lines.append(f"N={r['n']:,}: cold/warm {r['cold'] / r['warm']:.0f}x; the three warm runs (one assertion added "
                     f"before each) {', '.join(f'{w:.2f}' for w in r['warms'])} s; reading all facts from the cache "
                     f"{r['read']:.2f} s; spaCy imported on the cached run: {r['spacy_on_warm']}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--full", action="store_true", help="also N=10,000")
    ap.add_argument("--sizes", help="comma-separated sizes instead (e.g. 200)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="processes (default: cores)")
    ap.add_argument("--keep", action="store_true", help="keep the temporary corpora and print where")
    ap.add_argument("--no-bare", action="store_true", help="skip the bare nlp.pipe baseline (for large N)")
    ap.add_argument("--startup", action="store_true", help="only `factcheck --help` and `factcheck lint` wall time")
    args = ap.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")] if args.sizes else ([200, 2000, 10000] if args.full else [200, 2000])
    work = Path(tempfile.mkdtemp(prefix="factcheck-bench-"))
    try:
        env = snapshot(work)
        start = startup_times(env)
        if args.startup:
            print(f"`factcheck --help`: {start['help']:.2f} s; `factcheck lint rules/libya.fc`: {start['lint']:.2f} s "
                  "(best of 3, wall clock, process start included)")
            return 0
        rows = []
        for n in sizes:
            print(f"N={n:,} ...", file=sys.stderr, flush=True)
            rows.append(run_size(n, args.jobs, work, env, bare=not args.no_bare))
        print(table(rows, start, args.jobs))
    finally:
        if args.keep:
            print(f"corpora kept in {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
