"""The hover: an assertion's last verdict on each source, from the fact cache.

It evaluates the cached facts only (`run.extraction.cached_facts`): no article is read on a
keystroke and spaCy is never loaded; the sources' text is read only when a file changed since
the last hover, to compute its cache key. A source the cache does not hold yet says so."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from factcheck.errors import FactcheckError

if TYPE_CHECKING:  # pragma: no cover - types only
    from factcheck.desk.lsp.project import Project
    from factcheck.model import Run
    from factcheck.run.rules import Rules


def hover(text: str, path: str, line: int, project: Project) -> str | None:
    """Markdown: the assertion on `line` and its verdict on each source, from cached facts."""
    from factcheck import dsl
    from factcheck.plugin import host as plugins
    from factcheck.run.rules import Rules

    try:
        rf = dsl.parse_text(text, path)
    except FactcheckError:
        return None
    target = next((a for a in rf.assertions if a.pos.line == line + 1), None)
    if target is None:
        return None
    kb = project.kb(path, text)
    predicates = project.predicates(kb)
    try:
        checked = dsl.check(rf, predicates, text=text)
    except FactcheckError as err:
        return f"**{target.text}**\n\nNot checked: {err.message}"
    config = project.config
    rules = Rules([checked], kb, predicates, plugins.comparators(plugins.get_plugin_manager(config)))
    with project.lock:
        sources, refused = project.sources()
    head = f"**`{target.text}`**, last verdicts from the fact cache"
    if not sources:
        return head + "\n\nNo sources: set `sources:` in factcheck.yaml."
    found = _cached_facts(rules, sources, config)
    if found is None:
        return head + "\n\nThe fact cache is off, so nothing is known until `factcheck check` runs."
    run, missing = _evaluate(rules, sources, found, target.pos.line)
    return "\n".join([head, *_table(run, missing, refused)])


def _cached_facts(rules: Rules, sources: list, config: Any) -> dict[int, list] | None:
    """Source index -> the facts the cache holds for it, for these rules; None when the
    fact cache is off."""
    from factcheck.config import DEFAULT_MODEL
    from factcheck.extract import ExtractionRequest
    from factcheck.run.cache import open_cache
    from factcheck.run.extraction import cache_path, cached_facts

    where = cache_path(config)
    cache = open_cache(where, warn=lambda _m: None) if where else None
    if cache is None:
        return None
    model = config.model if config is not None else DEFAULT_MODEL
    found: dict[int, list] = {}
    try:
        for exclude in dict.fromkeys((rules.unneeded_components(), ())):
            request = ExtractionRequest(rules.kb, model, rules.event_heads(), exclude)
            for i, facts in cached_facts(sources, request, cache, config=config,
                                         only=rules.predicates_used()).items():
                found.setdefault(i, facts)
    finally:
        cache.close()
    return found


def _evaluate(rules: Rules, sources: list, found: dict[int, list], line: int) -> tuple[Run, dict[str, str]]:
    """The results of the assertion on `line` (1-based), and the sources the cache does not
    hold yet, each with what to do about it."""
    from factcheck.model import Run
    from factcheck.run.evaluation import Evaluation

    names = [s.name for s in sources]
    missing = {s.name: "not in the fact cache yet: run `factcheck check`" for i, s in enumerate(sources)
               if i not in found}
    ev = Evaluation(rules, names, missing)
    for i, facts in found.items():
        ev.add(i, facts)
    return Run(results=[r for r in ev.results() if r.line == line], sources=list(sources)), missing


def _table(run: Run, missing: dict[str, str], refused: list) -> list[str]:
    """The lines below the hover's head: a row per source, the consensus, the unread."""
    from factcheck.report.common import columns, reasons

    cols = {c.name: c for c in columns(run)}
    out = ["", "| source | verdict | why |", "| --- | --- | --- |"]
    for r in run.results:
        col = cols.get(r.source)
        label = col.short if col is not None else r.source
        if r.source in missing:
            out.append(f"| {_cell(label)} | not checked | {_cell(missing[r.source])} |")
        else:
            out.append(f"| {_cell(label)} | {r.verdict} | {_cell(' '.join(reasons(r)))} |")
    consensus = next((r for r in run.results if r.consensus is not None), None)
    if consensus is not None:
        who = ", ".join(cols[d].short if d in cols else d for d in consensus.dissenters) or "none"
        out += ["", f"Consensus: **{_cell(consensus.consensus or '')}**; dissenters: {_cell(who)}."]
    if refused:
        out += ["", f"{len(refused)} source(s) could not be read."]
    return out


def _cell(text: str) -> str:
    from factcheck.safety import printable

    return printable(" ".join(text.split())).replace("|", "\\|")
