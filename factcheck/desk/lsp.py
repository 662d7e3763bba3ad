"""`factcheck lsp`: a language server (pygls, over stdio) for rule files and knowledge bases.

* **Diagnostics** on open, change and save: for a `*.fc` file, its syntax errors (after one,
  the offending line is set aside and the rest parsed again, so several mistakes show at
  once), a `use` that cannot be resolved or a knowledge base that does not load (on the `use`
  line), and every type error (`dsl.types.check_all`); for a `*.entities.yaml` file, the
  error the KB loader gives on the text as it stands in the editor. Each range covers the
  offending word. Nothing ever crashes the server: an unexpected exception becomes one
  diagnostic at the top of the file.
* **Completion** by place: in `pred(|` the KB's names (events for an event predicate, entities
  otherwise), after `)` the operators that fit the predicate's type, after an operator the
  KB's entity names, elsewhere the predicates and the keywords.
* **Hover** on an assertion: its last verdict on each source, from the fact cache. The hover
  evaluates the cached facts only (`run.extraction.cached_facts`): no article is read on a
  keystroke and spaCy is never loaded; the sources' text is read only when a file changed
  since the last hover, to compute its cache key. A source the cache does not hold yet says so.
* **Go to definition** from a name (a predicate's argument, or a value) to its entry in the
  knowledge base.

The project is the nearest `factcheck.yaml` / `[tool.factcheck]` above the file (for sources,
extra KBs and plugins). `docs/editors.md` shows how to wire the server into editors.
"""
from __future__ import annotations

import glob
import os
import re
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence
from urllib.parse import unquote, urlparse

from factcheck.errors import FactcheckError

SERVER_NAME = "factcheck"
KEYWORDS = ("test", "use", "consistent", "not", "and", "or")
DECORATORS = ("@warning", "@info", "@skip")
_TOKEN = re.compile(r'"[^"\n]*"?|[\w][\w.\-]*|\S')
_USE = re.compile(r'^\s*use\s+"([^"\n]+)"', re.M)
_OPEN_ARG = re.compile(r"(\w+)\(([^()]*)$")
_AFTER_FACT = re.compile(r"(\w+)\(([^()]*)\)\s*([\w=!<>~]*)$")
_AFTER_OP = re.compile(r"(\w+)\(([^()]*)\)\s*(==|!=|<=|>=|<|>|~=|includes all|includes any|includes|excludes|in)"
                       r"\s+\{?(?:[^{}]*,\s*)?([^,{}]*)$")
MAX_SYNTAX_ERRORS = 20


# --------------------------------------------------------------------------- plain results


@dataclass(frozen=True, slots=True)
class Problem:
    """One diagnostic, 0-based like the protocol: a range in the document and a message."""

    line: int
    start: int
    end: int
    message: str
    kind: str = "error"  # "error" or "warning"


@dataclass(frozen=True, slots=True)
class Item:
    label: str
    kind: str  # predicate, operator, entity, event, keyword
    detail: str = ""


@dataclass(frozen=True, slots=True)
class Place:
    path: str
    line: int  # 0-based
    start: int
    end: int


def uri_to_path(uri: str) -> str:
    parsed = urlparse(uri)
    return unquote(parsed.path) if parsed.scheme == "file" else uri


def path_to_uri(path: str) -> str:
    return Path(os.path.abspath(path)).as_uri()


def _span(lines: Sequence[str], line: int | None, column: int | None) -> tuple[int, int, int]:
    """(0-based line, start, end) of the word at a 1-based line and column."""
    if not line or line < 1:
        return 0, 0, 1
    row = min(line, max(len(lines), 1)) - 1
    text = lines[row] if row < len(lines) else ""
    start = max((column or 1) - 1, 0)
    if start >= len(text):
        return row, len(text), len(text) + 1
    m = _TOKEN.match(text, start)
    return row, start, (m.end() if m else start + 1)


def _problem(err: FactcheckError, lines: Sequence[str], prefix: str = "") -> Problem:
    row, start, end = _span(lines, err.line, err.column)
    msg = err.message + (f"; {err.hint}" if err.hint else "")
    return Problem(row, start, end, prefix + msg)


# --------------------------------------------------------------------------- the project around a file


@dataclass(slots=True)
class Project:
    """The config that governs a file, and what the hover keeps between requests."""

    root: str
    config: Any = None
    _sources_sig: tuple = ()
    _sources: list = field(default_factory=list)
    _source_errors: list = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def for_file(cls, path: str, cache: dict[str, "Project"]) -> "Project":
        from factcheck.config import find_config, load_config

        folder = os.path.dirname(os.path.abspath(path))
        found = find_config(folder)
        root = os.path.dirname(found[0]) if found else folder
        if root not in cache:
            project = cls(root)
            try:
                project.config = load_config(root)
            except FactcheckError:
                project.config = None  # a broken config: the file is still checked alone
            cache[root] = project
        return cache[root]

    def kb_paths(self, rule_path: str, text: str) -> list[str]:
        folder = os.path.dirname(os.path.abspath(rule_path))
        paths = [os.path.join(folder, used) for used in _USE.findall(text)]
        if not paths:  # a rule file that names no KB yet: the ones beside it
            paths = sorted(glob.glob(os.path.join(glob.escape(folder), "*.entities.y*ml")))
        if self.config is not None:
            paths += [str(p) for p in self.config.entities]
        return list(dict.fromkeys(paths))

    def kb(self, rule_path: str, text: str):
        """The KB a rule file's text uses (plus the config's); an empty one when it does not load."""
        from factcheck.kb.store import KnowledgeBase, load_kb

        paths = [p for p in self.kb_paths(rule_path, text) if os.path.isfile(p)]
        try:
            return load_kb(paths)
        except (FactcheckError, OSError, ValueError):
            return KnowledgeBase()

    def predicates(self, kb=None) -> dict:
        from factcheck.run.rules import predicates_registry

        try:
            return predicates_registry(kb, self.config)
        except Exception:  # noqa: BLE001 - a broken plugin must not take the editor down
            from factcheck.predicates import BUILTIN_PREDICATES

            return dict(BUILTIN_PREDICATES)

    def sources(self) -> tuple[list, list[str]]:
        """The config's sources, read again only when a file's size or time changed."""
        from factcheck.run.runner import read_sources

        patterns = [str(p) for p in (self.config.sources if self.config is not None else ())]
        files = sorted({f for p in patterns for f in (glob.glob(p, recursive=True) if glob.has_magic(p) else [p])})
        sig = []
        for f in files:
            try:
                st = os.stat(f)
                sig.append((f, st.st_mtime_ns, st.st_size))
            except OSError:
                sig.append((f, 0, -1))
        if tuple(sig) != self._sources_sig:
            self._sources, self._source_errors = read_sources(patterns, self.config) if patterns else ([], [])
            self._sources_sig = tuple(sig)
        return self._sources, self._source_errors


# --------------------------------------------------------------------------- diagnostics


def rule_diagnostics(text: str, path: str, project: Project | None = None) -> list[Problem]:
    """Every syntax error (up to MAX_SYNTAX_ERRORS), `use` and KB error, and type error."""
    from factcheck import dsl
    from factcheck.dsl.types import check_all
    from factcheck.errors import RuleSyntaxError
    from factcheck.kb.store import load_kb
    from factcheck.run.rules import resolve_use

    lines = text.splitlines()
    problems: list[Problem] = []
    work = list(lines)
    set_aside: set[int] = set()
    rf = None
    for _ in range(MAX_SYNTAX_ERRORS):
        try:
            rf = dsl.parse_text("\n".join(work) + "\n", path)
            break
        except RuleSyntaxError as err:
            problems.append(_problem(err, lines))
            row = (err.line or 0) - 1
            if not 0 <= row < len(work) or row in set_aside:
                break
            set_aside.add(row)
            work[row] = _placeholder(work[row])
    if rf is None:
        return problems
    allowed = [str(p) for p in project.config.entities] if project is not None and project.config else []
    kb_paths = []
    for named in rf.uses:
        try:
            kb_paths.append(resolve_use(path, named, allowed))
        except FactcheckError as err:
            problems.append(_problem(err, lines))
    kb = None
    if project is not None and project.config is not None:
        kb_paths += [str(p) for p in project.config.entities]
    try:
        kb = load_kb(list(dict.fromkeys(kb_paths)))
    except FactcheckError as err:
        broken = os.path.abspath(err.file) if err.file else None
        use = next((u for u in rf.uses if os.path.abspath(os.path.join(os.path.dirname(path), u.path)) == broken),
                   rf.uses[0] if rf.uses else None)
        where = f"{err.file}:{err.line}" if err.line else (err.file or "")
        msg = f"the knowledge base does not load: {where}: {err.message}"
        if use is not None:
            row, start, _ = _span(lines, use.pos.line, use.pos.column)
            problems.append(Problem(row, start, len(lines[row]) if row < len(lines) else start + 1, msg))
        else:
            problems.append(Problem(0, 0, 1, msg))
    predicates = project.predicates(kb) if project is not None else None
    if predicates is None:
        from factcheck.predicates import BUILTIN_PREDICATES

        predicates = dict(BUILTIN_PREDICATES)
    for type_error in check_all([rf], predicates):
        if (type_error.line or 0) - 1 in set_aside:
            continue  # the placeholder standing for a line that does not parse
        problems.append(_problem(type_error, lines))
    return sorted(problems, key=lambda p: (p.line, p.start))


def _placeholder(line: str) -> str:
    """A line that parses in place of one that does not, keeping the block structure."""
    indent = line[: len(line) - len(line.lstrip())]
    body = line.strip()
    if body.endswith(":"):
        return f'{indent}test "_":'
    if not indent:
        return "# " + body
    return f"{indent}mentions(x)"


def kb_diagnostics(text: str, path: str) -> list[Problem]:
    """The KB loader's error on this text (as it stands in the editor), or none."""
    from factcheck.kb.loader import load_entries

    lines = text.splitlines()
    with tempfile.TemporaryDirectory(prefix="factcheck-lsp-") as tmp:
        copy = os.path.join(tmp, os.path.basename(path) or "kb.entities.yaml")
        with open(copy, "w", encoding="utf-8") as fh:
            fh.write(text)
        try:
            load_entries([copy])
        except FactcheckError as err:
            err.message = err.message.replace(copy, path)
            return [_problem(err, lines)]
    return []


def diagnostics(text: str, path: str, project: Project | None) -> list[Problem]:
    try:
        if path.endswith((".yaml", ".yml")):
            return kb_diagnostics(text, path)
        return rule_diagnostics(text, path, project)
    except Exception as exc:  # noqa: BLE001 - the server stays up whatever the file holds
        return [Problem(0, 0, 1, f"factcheck could not check this file: {type(exc).__name__}: {exc}")]


# --------------------------------------------------------------------------- completion


def completions(text: str, path: str, line: int, character: int, project: Project) -> list[Item]:
    from factcheck.dsl.ast import OPERATORS
    from factcheck.predicates import EVENT, OPERATORS_BY_TYPE

    lines = text.splitlines()
    prefix = (lines[line] if line < len(lines) else "")[:character]
    if re.match(r'\s*use\s+"[^"]*$', prefix):  # the knowledge bases beside the rule file
        folder = os.path.dirname(os.path.abspath(path))
        return [Item(os.path.relpath(f, folder), "file", "knowledge base")
                for f in sorted(glob.glob(os.path.join(glob.escape(folder), "**", "*.entities.y*ml"), recursive=True))]
    kb = project.kb(path, text)
    predicates = project.predicates(kb)
    m = _OPEN_ARG.search(prefix)
    if m:
        spec = predicates.get(m.group(1))
        events = [Item(name, "event", _event_detail(e)) for name, e in kb.events.items()]
        entities = [Item(name, "entity", _entity_detail(e)) for name, e in kb.entities.items()]
        if spec is not None and spec.argument == EVENT:
            return events
        return entities if spec is not None else entities + events
    m = _AFTER_OP.search(prefix)
    if m:
        return [Item(name, "entity", _entity_detail(e)) for name, e in kb.entities.items()]
    m = _AFTER_FACT.search(prefix)
    if m:
        spec = predicates.get(m.group(1))
        ops = OPERATORS_BY_TYPE.get(spec.value_type, OPERATORS) if spec is not None else OPERATORS
        return [Item(op, "operator", f"{spec.name} yields {spec.value_type}" if spec else "") for op in ops]
    items = [Item(name, "predicate", (spec.description + (f" - e.g. {spec.example}" if spec.example else "")))
             for name, spec in sorted(predicates.items())]
    items += [Item(k, "keyword") for k in KEYWORDS]
    if not prefix.strip():
        items += [Item(d, "keyword", "decorator for the next test") for d in DECORATORS]
    return items


def _entity_detail(e) -> str:
    bits = [e.type or "entity"]
    if e.aliases:
        bits.append("also " + ", ".join(e.aliases[:3]))
    return "; ".join(bits)


def _event_detail(e) -> str:
    return "event" + (f": {e.kind}" if e.kind else "") + (f" in {e.place}" if e.place else "")


# --------------------------------------------------------------------------- go to definition


def name_at(text: str, line: int, character: int) -> str | None:
    """The KB name under the cursor: a predicate's argument, or one name of a value."""
    lines = text.splitlines()
    if line >= len(lines):
        return None
    row = lines[line]
    for m in re.finditer(r"\w+\(([^()]*)\)", row):
        if m.start(1) <= character <= m.end(1):
            return m.group(1).strip().strip('"') or None
    for m in re.finditer(r'"[^"]*"|[^\s,{}()=!<>~"][^,{}()=!<>~"]*', row):
        if m.start() <= character <= m.end():
            word = m.group().strip().strip('"')
            for op in ("includes all", "includes any", "includes", "excludes", "in"):
                if word.startswith(op + " "):
                    word = word[len(op) + 1:].strip()
            return word or None
    return None


def definition(text: str, path: str, line: int, character: int, project: Project) -> Place | None:
    name = name_at(text, line, character)
    if not name:
        return None
    kb = project.kb(path, text)
    event = kb.event_spec(name).key if kb.events else None
    if event and event in kb.events:
        return _key_place(kb.events[event].file, "events", event)
    canonical = kb.link(name)
    if canonical and canonical in kb.entities:
        return _key_place(kb.entities[canonical].file, "entities", canonical)
    return None


def _key_place(file: str, section: str, name: str) -> Place | None:
    import yaml

    try:
        node = yaml.compose(Path(file).read_text(encoding="utf-8-sig"))
    except (OSError, yaml.YAMLError, UnicodeDecodeError):
        return None
    if not isinstance(node, yaml.MappingNode):
        return None
    for key, body in node.value:
        if key.value == section and isinstance(body, yaml.MappingNode):
            for k, _ in body.value:
                if k.value == name:
                    return Place(file, k.start_mark.line, k.start_mark.column, k.end_mark.column)
    return None


# --------------------------------------------------------------------------- hover


def hover(text: str, path: str, line: int, project: Project) -> str | None:
    """Markdown: the assertion on `line` and its verdict on each source, from cached facts."""
    from factcheck import dsl
    from factcheck.config import DEFAULT_MODEL
    from factcheck.extract import ExtractionRequest
    from factcheck.plugin import host as plugins
    from factcheck.report.common import columns, reasons
    from factcheck.run.cache import open_cache
    from factcheck.run.evaluation import Evaluation
    from factcheck.run.extraction import cache_path, cached_facts
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
    where = cache_path(config)
    cache = open_cache(where, warn=lambda _m: None) if where else None
    if cache is None:
        return head + "\n\nThe fact cache is off, so nothing is known until `factcheck check` runs."
    model = config.model if config is not None else DEFAULT_MODEL
    found: dict[int, list] = {}
    try:
        for exclude in dict.fromkeys((rules.unneeded_components(), ())):
            request = ExtractionRequest(kb, model, rules.event_heads(), exclude)
            for i, facts in cached_facts(sources, request, cache, config=config,
                                            only=rules.predicates_used()).items():
                found.setdefault(i, facts)
    finally:
        cache.close()
    names = [s.name for s in sources]
    missing = {s.name: "not in the fact cache yet: run `factcheck check`" for i, s in enumerate(sources)
               if i not in found}
    ev = Evaluation(rules, names, missing)
    for i, facts in found.items():
        ev.add(i, facts)
    from factcheck.model import Run

    run = Run(results=[r for r in ev.results() if r.line == target.pos.line], sources=list(sources))
    cols = {c.name: c for c in columns(run)}
    out = [head, "", "| source | verdict | why |", "| --- | --- | --- |"]
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
    return "\n".join(out)


def _cell(text: str) -> str:
    from factcheck.safety import printable

    return printable(" ".join(text.split())).replace("|", "\\|")


# --------------------------------------------------------------------------- the server


def build_server():
    from lsprotocol import types
    from pygls.lsp.server import LanguageServer

    from factcheck import __version__

    server = LanguageServer(SERVER_NAME, __version__)
    projects: dict[str, Project] = {}

    def project_of(path: str) -> Project:
        return Project.for_file(path, projects)

    def publish(uri: str) -> None:
        doc = server.workspace.get_text_document(uri)
        path = uri_to_path(uri)
        try:
            project = project_of(path)
        except Exception:  # noqa: BLE001
            project = None
        found = diagnostics(doc.source, path, project)
        server.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
            uri=uri, version=doc.version,
            diagnostics=[types.Diagnostic(
                range=types.Range(types.Position(p.line, p.start), types.Position(p.line, p.end)),
                message=p.message, source=SERVER_NAME,
                severity=types.DiagnosticSeverity.Error if p.kind == "error" else types.DiagnosticSeverity.Warning)
                for p in found]))

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls, params: types.DidOpenTextDocumentParams) -> None:
        publish(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls, params: types.DidChangeTextDocumentParams) -> None:
        publish(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls, params: types.DidSaveTextDocumentParams) -> None:
        saved = uri_to_path(params.text_document.uri)
        if saved.endswith((".yaml", ".yml")) or os.path.basename(saved) == "pyproject.toml":
            projects.clear()  # a KB or config changed: every open rule file is checked again
            for uri in list(server.workspace.text_documents):
                publish(uri)
        else:
            publish(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls, params: types.DidCloseTextDocumentParams) -> None:
        server.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=params.text_document.uri,
                                                                                diagnostics=[]))

    kinds = {"predicate": types.CompletionItemKind.Function, "operator": types.CompletionItemKind.Operator,
             "entity": types.CompletionItemKind.Constant, "event": types.CompletionItemKind.Event,
             "keyword": types.CompletionItemKind.Keyword, "file": types.CompletionItemKind.File}

    @server.feature(types.TEXT_DOCUMENT_COMPLETION,
                    types.CompletionOptions(trigger_characters=["(", " ", "{", ",", '"']))
    def completion(ls, params: types.CompletionParams) -> types.CompletionList:
        uri = params.text_document.uri
        path = uri_to_path(uri)
        if path.endswith((".yaml", ".yml")):
            return types.CompletionList(is_incomplete=False, items=[])
        doc = server.workspace.get_text_document(uri)
        try:
            items = completions(doc.source, path, params.position.line, params.position.character, project_of(path))
        except Exception:  # noqa: BLE001
            items = []
        return types.CompletionList(is_incomplete=False, items=[
            types.CompletionItem(label=i.label, kind=kinds.get(i.kind), detail=i.detail or None) for i in items])

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def on_hover(ls, params: types.HoverParams) -> types.Hover | None:
        uri = params.text_document.uri
        path = uri_to_path(uri)
        if path.endswith((".yaml", ".yml")):
            return None
        doc = server.workspace.get_text_document(uri)
        try:
            shown = hover(doc.source, path, params.position.line, project_of(path))
        except Exception as exc:  # noqa: BLE001
            shown = f"factcheck could not show the verdicts: {type(exc).__name__}: {exc}"
        if shown is None:
            return None
        return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=shown))

    @server.feature(types.TEXT_DOCUMENT_DEFINITION)
    def on_definition(ls, params: types.DefinitionParams) -> types.Location | None:
        uri = params.text_document.uri
        path = uri_to_path(uri)
        doc = server.workspace.get_text_document(uri)
        try:
            place = definition(doc.source, path, params.position.line, params.position.character, project_of(path))
        except Exception:  # noqa: BLE001
            place = None
        if place is None:
            return None
        return types.Location(uri=path_to_uri(place.path), range=types.Range(
            types.Position(place.line, place.start), types.Position(place.line, place.end)))

    return server


def main() -> int:
    """Serve over stdin/stdout until the client says exit."""
    build_server().start_io()
    return 0
