"""`factcheck lint`: every mistake of the rule files, the knowledge base and (with
`--sources`) the sources' metadata, in one run, without reading any article.

Errors are what cannot work (a syntax or type error, a KB that does not load, a person used
as an event, a source that cannot be read); warnings are what probably does not do what the
editor meant (a name neither the KB nor the gazetteer knows, an event kind or place the
engine cannot use, an unknown metadata key, a source with no publication date). Every
finding is `file:line:col: severity: message`, with a did-you-mean or the text to write
where one fits. spaCy is never imported.
"""
from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Iterable, Sequence

from factcheck.config import Config
from factcheck.dsl import ast
from factcheck.errors import FactcheckError
from factcheck.kb.store import KnowledgeBase, load_kb
from factcheck.predicates import ENTITIES, ENTITY, EVENT, THING, PredicateSpec
from factcheck.run.rules import predicates_registry, resolve_use

ERROR, WARNING, INFO = "error", "warning", "info"
SEVERITY_ORDER = {ERROR: 0, WARNING: 1, INFO: 2}


@dataclass(frozen=True, slots=True)
class Finding:
    file: str | None
    line: int | None
    column: int | None
    severity: str
    code: str  # syntax, type, use, kb, unknown-name, not-an-event, not-an-entity, event-kind, place, ...
    message: str
    hint: str | None = None
    context: str | None = None  # the offending line and a caret

    @property
    def location(self) -> str:
        return ":".join(str(p) for p in (self.file, self.line, self.column) if p is not None)

    def headline(self) -> str:
        hint = f"; {self.hint}" if self.hint else ""
        where = f"{self.location}: " if self.location else ""
        return f"{where}{self.severity}: {self.message}{hint} [{self.code}]"

    def to_json(self) -> dict[str, Any]:
        return {"file": self.file, "line": self.line, "column": self.column, "severity": self.severity,
                "code": self.code, "message": self.message, "hint": self.hint}


@dataclass(slots=True)
class LintReport:
    findings: list[Finding] = field(default_factory=list)
    assertions: dict[str, int] = field(default_factory=dict)  # rule file -> assertions parsed

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)


def lint(rule_paths: Sequence[str], entities: Sequence[str] = (), config: Config | None = None,
         source_patterns: Sequence[str] = ()) -> LintReport:
    from factcheck import dsl
    from factcheck.dsl.parser import parse_all

    report = LintReport()
    out = report.findings
    files: list[tuple[str, ast.RuleFile]] = []
    kb_paths: list[str] = []
    allowed = [str(p) for p in entities] + ([str(p) for p in config.entities] if config is not None else [])
    for path in map(str, rule_paths):
        try:
            text = _read_rule_file(path)
        except FactcheckError as exc:
            out.append(_from_error(exc, "syntax"))
            continue
        rf, errors = parse_all(text, path)
        out += [_from_error(e, "syntax") for e in errors]
        if rf is None:
            continue
        report.assertions[path] = len(rf.assertions)
        for use in rf.uses:
            try:
                kb_paths.append(resolve_use(path, use, allowed))
            except FactcheckError as exc:
                out.append(_from_error(exc, "use"))
        files.append((path, rf))
    kb_paths += allowed
    kb_loaded = True
    try:
        kb = load_kb(list(dict.fromkeys(kb_paths)))
    except FactcheckError as exc:
        out.append(_from_error(exc, "kb"))
        kb, kb_loaded = KnowledgeBase(), False  # names are not checked against a KB that did not load
    try:
        predicates = predicates_registry(kb, config)
    except FactcheckError as exc:
        out.append(_from_error(exc, "config"))
        from factcheck.predicates import BUILTIN_PREDICATES

        predicates = dict(BUILTIN_PREDICATES)
    for path, rf in files:
        text = _read_rule_file(path)
        out += [_from_error(e, "type") for e in dsl.check_all([rf], predicates)]
        if kb_loaded:
            out += meaning(rf, kb, predicates, text)
    out += kb_findings(kb)
    if source_patterns:
        out += source_findings(source_patterns, config)
    unique = list(dict.fromkeys(out))
    unique.sort(key=lambda f: (f.file or "", f.line if f.line is not None else 1 << 30, f.column or 0,
                               SEVERITY_ORDER.get(f.severity, 3)))
    report.findings = unique
    return report


def _read_rule_file(path: str) -> str:
    from pathlib import Path

    from factcheck.errors import RuleSyntaxError
    from factcheck.safety import special_file

    kind = special_file(path)
    if kind is not None:
        raise RuleSyntaxError(f"cannot read rule file: it is {kind}, not a file", path)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise RuleSyntaxError(f"cannot read rule file: {exc.strerror or exc}", path,
                              hint="check the path and its permissions") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RuleSyntaxError(f"rule file is not UTF-8 (byte {exc.start})", path,
                              hint="save the file with UTF-8 encoding") from None


def _from_error(exc: FactcheckError, code: str) -> Finding:
    return Finding(exc.file, exc.line, exc.column, ERROR, code, exc.message, exc.hint, exc.context)


# ----------------------------------------------------------------------------- meaning


def meaning(rf: ast.RuleFile, kb: KnowledgeBase, predicates: dict[str, PredicateSpec], text: str) -> list[Finding]:
    """Names no one knows, and values of the wrong kind for their predicate."""
    from factcheck.dsl.diagnostics import context

    out: list[Finding] = []

    def add(severity: str, code: str, message: str, at: ast.Pos, hint: str | None = None) -> None:
        out.append(Finding(rf.path, at.line, at.column, severity, code, message, hint,
                           context(text, at.line, at.column)))

    for a in rf.assertions:
        for ref in ast.fact_refs(a.body):
            spec = predicates.get(ref.predicate)
            if spec is None or not ref.argument:
                continue
            at = ref.arg_pos or ref.pos
            if spec.argument == EVENT:
                _event_argument(ref, spec, kb, at, add)
            elif spec.argument == ENTITY:
                if kb.event_spec(ref.argument).key and not kb.link(ref.argument):
                    add(ERROR, "not-an-entity", f"`{ref.argument}` is an event in the knowledge base, but "
                        f"`{spec.name}` takes an entity (a person, a country, an organisation)", at,
                        f"e.g. `{spec.example}`" if spec.example else None)
                else:
                    _known_name(ref.argument, kb, at, add)
            elif spec.argument == THING and not kb.event_spec(ref.argument).key and not _event_like(ref.argument):
                _known_name(ref.argument, kb, at, add)
        for cmp in ast.comparisons(a.body):
            spec = predicates.get(cmp.fact.predicate)
            if spec is None or spec.value_type != ENTITIES:
                continue
            items = cmp.value.items if isinstance(cmp.value, ast.SetLit) else (cmp.value,)
            for item in items:
                if isinstance(item, ast.EntityLit):
                    _known_name(item.name, kb, item.pos, add)
    return out


def _event_argument(ref: ast.FactRef, spec: PredicateSpec, kb: KnowledgeBase, at: ast.Pos, add) -> None:
    """An event argument that is no KB event and has no event noun, but names an entity."""
    if kb.event_spec(ref.argument).key or _event_like(ref.argument):
        return
    name = kb.link(ref.argument)
    if name is None:
        return  # free text with a noun of its own ("marathon"): extraction looks for it
    entry = kb.entities.get(name)
    what = f"a {entry.type}" if entry is not None and entry.type else ("a country" if _is_country(name)
                                                                        else "an entity")
    events = sorted(kb.events)[:3]
    hint = (f"write the event, e.g. `{spec.name}({events[0]})`" if events
            else f"write the event by its noun, e.g. `{spec.example}`" if spec.example else None)
    called = f" (`{name}`)" if name != ref.argument else ""
    add(ERROR, "not-an-event", f"`{ref.argument}` is {what}{called}, not an event: `{spec.name}` takes an event",
        at, hint)


def _event_like(argument: str) -> bool:
    """Does the argument have an event noun (`summit`, `talks`) as its head?"""
    from factcheck.kb.kinds import is_known_kind
    from factcheck.kb.events import event_head

    head = event_head(argument)
    return bool(head) and is_known_kind(head)


def _is_country(name: str) -> bool:
    from factcheck.kb import gazetteer

    return gazetteer.is_country(name)


def _known_name(name: str, kb: KnowledgeBase, at: ast.Pos, add) -> None:
    from factcheck.kb import gazetteer

    if _exactly_known(name, kb) or kb.event_spec(name).key:
        return
    linked = kb.link(name)
    if linked:  # read as a near spelling of a KB name: works, but say so
        add(WARNING, "near-name", f"`{name}` is no name the knowledge base knows; it is read as `{linked}`, "
            "a near spelling", at, f"did you mean `{linked}`?")
        return
    if gazetteer.city_name(name):
        return
    guess = did_you_mean(name, kb)
    if guess:
        add(WARNING, "unknown-name", f"`{name}` is a name neither the knowledge base nor the gazetteer knows",
            at, f"did you mean `{guess}`?")
    else:
        add(WARNING, "unknown-name", f"`{name}` is a name neither the knowledge base nor the gazetteer knows; "
            "it matches only an article that writes it exactly so", at,
            f"add it to the knowledge base with the names articles use, e.g. `entities: {{{name}: "
            f"{{aliases: [...]}}}}`")


def _exactly_known(name: str, kb: KnowledgeBase) -> bool:
    """A KB name or alias (folded), a country the gazetteer names, or a group of one
    ("Haftar's forces"): not a fuzzy match."""
    from factcheck.kb import gazetteer
    from factcheck.kb.names import fold

    from factcheck.kb.vocabulary import word_lists

    forms = _kb_forms(kb)
    f = fold(name)
    if f in forms or gazetteer.country_for(name):
        return True
    words = name.replace("\u2019", "'").split()
    if len(words) > 1 and words[-1].lower() in word_lists().group_nouns:  # "Israeli delegation", "Haftar's forces"
        inner = " ".join(words[:-1])
        inner = inner[:-2] if inner.endswith("'s") else inner
        return _exactly_known(inner.removeprefix("pro-").removeprefix("pro "), kb)
    return False


_FORMS: dict[int, tuple[KnowledgeBase, frozenset[str]]] = {}  # id -> (the KB, its folded names)


def _kb_forms(kb: KnowledgeBase) -> frozenset[str]:
    from factcheck.kb.names import fold

    held = _FORMS.get(id(kb))
    if held is None or held[0] is not kb:
        _FORMS.clear()  # one KB per lint run
        held = _FORMS[id(kb)] = (kb, frozenset(fold(form) for form, _c, _k in kb.surface_forms()))
    return held[1]


def did_you_mean(name: str, kb: KnowledgeBase, extra: Iterable[str] = ()) -> str | None:
    """The closest name the KB or the gazetteer knows (case-blind), or None."""
    candidates = {c.lower(): c for c in (*_gazetteer_names(), *extra)}
    for form, _canon, _kind in kb.surface_forms():
        candidates[form.lower()] = form
    hit = difflib.get_close_matches(name.lower(), list(candidates), n=1, cutoff=0.8)
    return candidates[hit[0]] if hit else None


@cache
def _gazetteer_names() -> tuple[str, ...]:
    from factcheck.kb import gazetteer

    return tuple(dict.fromkeys(form for form, _ in gazetteer.surface_forms() if len(form) > 3))


@cache
def _city_names() -> tuple[str, ...]:
    from factcheck.kb import gazetteer

    return tuple(name for name, _ in gazetteer.city_forms())



# ----------------------------------------------------------------------------- the knowledge base


def kb_findings(kb: KnowledgeBase) -> list[Finding]:
    """Event kinds the engine does not know (only the word itself will report the event)
    and event places it cannot resolve (the event cannot be told apart by place)."""
    from factcheck.kb.kinds import is_known_kind, synonym_sets

    out: list[Finding] = []
    kinds = sorted({w for s in synonym_sets() for w in s})
    for name, ev in kb.events.items():
        if ev.kind and not is_known_kind(ev.kind):
            line, col = _yaml_position(ev.file, ("events", name, "kind"))
            close = difflib.get_close_matches(ev.kind.lower(), kinds, n=1, cutoff=0.75)
            hint = f"did you mean `{close[0]}`?" if close else (
                f"use a known kind ({', '.join(kinds[:6])}, ...), or add `{ev.kind}` to a synonym set")
            out.append(Finding(ev.file or None, line, col, WARNING, "event-kind",
                               f"event `{name}` has kind `{ev.kind}`, which is no event kind factcheck knows: only "
                               f"the noun `{ev.kind}` itself will report it, none of its synonyms", hint))
        if ev.place and kb.canonical_place(ev.place) == kb.canonical(ev.place) \
                and not _resolves_as_place(kb, ev.place):
            line, col = _yaml_position(ev.file, ("events", name, "place"))
            close = difflib.get_close_matches(ev.place, [*_city_names(), *_gazetteer_names()], n=1, cutoff=0.8)
            out.append(Finding(ev.file or None, line, col, WARNING, "place",
                               f"event `{name}` is placed at `{ev.place}`, which is no city, country or KB place "
                               "factcheck can resolve: mentions cannot be matched to it by place",
                               f"did you mean `{close[0]}`?" if close else "write the city or country as the "
                               "gazetteer spells it, or declare it in `entities:` with `type: place`"))
    return out


def _resolves_as_place(kb: KnowledgeBase, place: str) -> bool:
    from factcheck.kb import gazetteer

    name = kb.link(place)
    if name is not None and name in kb.entities:
        entry = kb.entities[name]
        return entry.type in ("place", "country") or any(
            gazetteer.is_country(n) or gazetteer.is_city(n) for n in (name, *entry.aliases))
    return bool(gazetteer.is_country(place) or gazetteer.city_name(place) or kb.country_of(place))


def _yaml_position(path: str | None, keys: Sequence[str]) -> tuple[int | None, int | None]:
    """Line and column (1-based) of the value at `keys` in a YAML file."""
    import yaml

    if not path:
        return None, None
    try:
        with open(path, encoding="utf-8-sig") as fh:
            node = yaml.compose(fh.read(), Loader=yaml.SafeLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None, None
    mark = None
    for key in keys:
        if not isinstance(node, yaml.MappingNode):
            break
        pair = next(((k, v) for k, v in node.value if k.value == key), None)
        if pair is None:
            break
        node = pair[1]
        mark = node.start_mark
    return (mark.line + 1, mark.column + 1) if mark is not None else (None, None)


# ----------------------------------------------------------------------------- sources


def source_findings(patterns: Sequence[str], config: Config | None) -> list[Finding]:
    """Sources that cannot be read (errors), metadata keys factcheck does not read (a
    did-you-mean when one is close: `publised`), sources with no publication date."""
    from factcheck.run.runner import read_sources_split
    from factcheck.sources.files import KEY_ALIASES, KNOWN_KEYS, MANIFEST_NAME

    out: list[Finding] = []
    try:
        got = read_sources_split(patterns, config)
    except FactcheckError as exc:
        return [_from_error(exc, "source")]
    for path, line in got.refused.items():
        out.append(Finding(path, None, None, ERROR, "source", line.removeprefix(path + ": ")))
    for line in got.warnings:
        out.append(_located(line, WARNING, "source"))
    keys = (*KNOWN_KEYS, *KEY_ALIASES)
    for s in got.sources:
        for key, _value in s.meta:
            close = difflib.get_close_matches(key.lower(), keys, n=1, cutoff=0.7)
            where, line_no, col = _key_position(s.path, key, MANIFEST_NAME)
            if close:
                out.append(Finding(where, line_no, col, WARNING, "metadata-key",
                                   f"unknown metadata key `{key}`: factcheck does not read it",
                                   f"did you mean `{close[0]}`?"))
            else:
                out.append(Finding(where, line_no, col, INFO, "metadata-key",
                                   f"metadata key `{key}` is kept but factcheck does not read it",
                                   f"the keys it reads: {', '.join(KNOWN_KEYS)}"))
        if s.published is None:
            out.append(Finding(s.path, 1, 1, WARNING, "no-date",
                               "no publication date: relative dates (`on Monday`, `last week`) cannot be resolved",
                               "add `published: YYYY-MM-DD` to its front matter or its folder's sources.yaml"))
    return out


_LOCATED = re.compile(r"^(?P<file>[^\n]+?):(?P<line>\d+)(?::(?P<col>\d+))?: (?P<msg>.+)$")


def _located(text: str, severity: str, code: str) -> Finding:
    """A reading's `path:line:col: message` line (or `path: message`) as a finding."""
    m = _LOCATED.match(text)
    if m:
        return Finding(m["file"], int(m["line"]), int(m["col"]) if m["col"] else None, severity, code, m["msg"])
    path, sep, rest = text.partition(": ")
    if sep and os.path.exists(path):
        return Finding(path, None, None, severity, code, rest)
    return Finding(None, None, None, severity, code, text)


def _key_position(path: str, key: str, manifest: str) -> tuple[str, int | None, int | None]:
    """Where `key:` is written: the source's front matter, else its folder's manifest."""
    for candidate in (path, os.path.join(os.path.dirname(path), manifest)):
        try:
            with open(candidate, encoding="utf-8-sig", errors="replace") as fh:
                lines = fh.read(200_000).split("\n")
        except OSError:
            continue
        for number, line in enumerate(lines, 1):
            stripped = line.lstrip()
            if stripped.startswith(f"{key}:"):
                return candidate, number, len(line) - len(stripped) + 1
    return path, None, None
