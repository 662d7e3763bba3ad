"""Time and peak memory of extracting ONE article, by shape and size:
`python bench/degenerate.py [--sizes 10,100,1000,4900] [--shapes prose,oneword,...]`.

Each (shape, size) runs in a fresh process (model loaded first, not timed) that extracts the
article with every installed extractor and the libya knowledge base, and reports the seconds
of extraction (wall clock and CPU), the peak resident memory (`resource.getrusage`, whole
process) and the CPU seconds per 100 KB. CPU time per KB roughly flat across sizes means
extraction is linear in the text (CPU time, because other work on the machine stretches the
wall clock of one measurement and not another's).

Shapes (generated here, no real article): ordinary news `prose` (the seed articles repeated),
`oneword` lines, `commas` (one space-free run), `punct` (runs of punctuation between words),
`quotes` (opening quotation marks, nested, never closed), `shortlines` (3-character lines),
`onesentence` (words and no punctuation at all).
"""
from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHAPES = ("prose", "oneword", "commas", "punct", "quotes", "shortlines", "onesentence")
WORDS = ["talks", "Berlin", "the", "summit", "Russia", "backed", "and", "on", "Sunday", "ceasefire", "said"]


def make(shape: str, chars: int) -> str:
    """`chars` characters (about) of one shape."""
    if shape == "prose":
        seeds = [p.read_text(encoding="utf-8") for p in sorted((REPO / "seeds").glob("*.txt"))]
        out, i, n = [], 0, 0
        while n < chars:
            out.append(seeds[i % len(seeds)])
            n += len(out[-1]) + 2
            i += 1
        return "\n\n".join(out)[:chars]
    rng = random.Random(7)
    if shape == "oneword":
        return "".join(rng.choice(WORDS) + "\n" for _ in range(chars // 6))
    if shape == "commas":
        return "," * chars
    if shape == "punct":
        return "".join(rng.choice(WORDS) + " " + "!?.;:-—…"[rng.randrange(8)] * rng.randint(1, 40) + " "
                       for _ in range(chars // 30))
    if shape == "quotes":
        return "".join(f"“{rng.choice(WORDS)} said \"" for _ in range(chars // 16))
    if shape == "shortlines":
        return "Hi.\n" * (chars // 4)
    if shape == "onesentence":
        return " ".join(rng.choice(WORDS) for _ in range(chars // 7))
    raise ValueError(shape)


CHILD = r"""
import json, resource, sys, time
sys.path.insert(0, sys.argv[1])
from degenerate import make
from factcheck.extract import ExtractionRequest, nlp as nlp_mod, pipeline
from factcheck.kb.store import load_kb
from factcheck.model import Source
from factcheck.plugin.host import extractor
shape, chars = sys.argv[2], int(sys.argv[3])
text = make(shape, chars)
kb = load_kb([sys.argv[4]])
request = ExtractionRequest(kb, seconds=None, megabytes=None)
from factcheck.extract import budget
budget.limit_memory(None)  # measured, not bounded
extractors = extractor()
pipeline.extract_source(Source("warm.txt", "warm.txt", "Qatar hosted talks in Doha on Monday."), request, extractors)
started, cpu = time.perf_counter(), time.process_time()
facts = pipeline.extract_source(Source("a.txt", "a.txt", text), request, extractors)
seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
print(json.dumps({"seconds": seconds, "cpu": cpu, "mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "facts": len(facts), "chars": len(text)}))
"""


def measure(shape: str, kb_size: int, timeout: float) -> dict:
    try:
        done = subprocess.run([sys.executable, "-c", CHILD, str(Path(__file__).parent), shape, str(kb_size * 1000),
                               str(REPO / "rules" / "libya.entities.yaml")], capture_output=True, text=True,
                              timeout=timeout, cwd=REPO)
    except subprocess.TimeoutExpired:
        return {"error": f"over {timeout:.0f} s"}
    if done.returncode:
        return {"error": f"exit {done.returncode}: {done.stderr.strip().splitlines()[-1:]}"}
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10,100,1000,4900", help="KB per article, comma-separated")
    ap.add_argument("--shapes", default=",".join(SHAPES))
    ap.add_argument("--timeout", type=float, default=1800, help="seconds per measurement")
    args = ap.parse_args(argv)
    sizes = [int(x) for x in args.sizes.split(",")]
    print("| shape | KB | s (wall) | CPU s | CPU s per 100 KB | peak MB | facts |")
    print("|---|---|---|---|---|---|---|")
    for shape in args.shapes.split(","):
        for size in sizes:
            got = measure(shape, size, args.timeout)
            if "error" in got:
                print(f"| {shape} | {size:,} | {got['error']} | | | | |", flush=True)
                continue
            per = got["cpu"] / got["chars"] * 100_000  # CPU time: a busy machine stretches wall time, not this
            print(f"| {shape} | {size:,} | {got['seconds']:.1f} | {got['cpu']:.1f} | {per:.1f} | {got['mb']:.0f} "
                  f"| {got['facts']} |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
