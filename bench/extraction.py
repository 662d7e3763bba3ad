"""Extraction overhead: `python bench/extraction.py [-n 100]`.

On the same N varied articles (bench/corpus.py), in one process, it times
1. bare `nlp.pipe` (same model and components, the Doc dropped), and
2. `factcheck.extract.pipeline.extract_many` (the same `nlp.pipe` plus every extractor),
alternately, best of --rounds, after one warm-up pass (model loaded, lexicon and gazetteer tables built), and prints the
words/s of each, the extraction overhead in seconds and its ratio to bare parsing.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=100, help="number of articles (default 100)")
    ap.add_argument("--rounds", type=int, default=2, help="alternating rounds, best kept (default 2)")
    args = ap.parse_args(argv)

    from factcheck.extract import ExtractionRequest, nlp as nlp_mod, pipeline as extract
    from factcheck.kb.store import load_kb
    from factcheck.plugin.host import extractor
    from factcheck.run import runner

    with tempfile.TemporaryDirectory(prefix="factcheck-bench-") as tmp:
        paths = corpus.build(Path(tmp), args.n)
        words = corpus.word_count(paths)
        sources, _ = runner.read_sources([str(Path(tmp) / "*.txt")])
    rules = runner.load_rules([str(corpus.REPO / "rules" / "libya.fc")])
    kb = load_kb([str(corpus.REPO / "rules" / "libya.entities.yaml")])
    request = ExtractionRequest(kb, "en_core_web_sm", rules.event_heads())
    extractors = extractor()
    nlp = nlp_mod.load("en_core_web_sm")
    texts = [s.text for s in sources]

    list(extract.extract_many(sources[:5], request, extractors))  # warm-up
    bare = full = float("inf")
    for _ in range(args.rounds):  # alternate, keep the best of each: the machine is shared
        t = time.perf_counter()
        for _doc in nlp.pipe(texts, batch_size=extract.BATCH_SIZE):
            pass
        bare = min(bare, time.perf_counter() - t)
        t = time.perf_counter()
        n_facts = sum(len(f) for _, f in extract.extract_many(sources, request, extractors))
        full = min(full, time.perf_counter() - t)

    print(f"{len(sources)} articles, {words:,} words, {n_facts:,} facts, 1 process, best of {args.rounds}")
    print("| step | s | words/s |")
    print("|---|---|---|")
    print(f"| bare nlp.pipe | {bare:.2f} | {words / bare:,.0f} |")
    print(f"| extract_many (nlp.pipe + extractors) | {full:.2f} | {words / full:,.0f} |")
    print(f"| extraction overhead | {full - bare:.2f} | ratio extract/bare {full / bare:.2f} "
          f"({(full - bare) / bare:.0%} on top of parsing) |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
