"""Rule files in: parsed, type-checked, with the knowledge base they use and the predicates
the plugins register."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from factcheck.config import Config
from factcheck.dsl import ast
from factcheck.errors import FactcheckError
from factcheck.kb.store import KnowledgeBase, load_kb
from factcheck.predicates import EVENT, Comparator, PredicateSpec


@dataclass(slots=True)
class Rules:
    """Parsed, type-checked rule files and the knowledge base they use."""

    files: list[ast.RuleFile]
    kb: KnowledgeBase
    predicates: dict[str, PredicateSpec] = field(default_factory=dict)
    comparators: dict[str, Comparator] = field(default_factory=dict)  # plugins' value comparators by predicate

    @property
    def assertions(self) -> list[tuple[ast.RuleFile, ast.Assertion]]:
        return [(f, a) for f in self.files for a in f.assertions]

    def across(self) -> list[bool]:
        """Per assertion, whether it is decided across sources: a `consistent` one (a skipped
        one is `skipped` on each source by itself)."""
        return [isinstance(a.body, ast.Consistent) and not a.skip for _, a in self.assertions]

    def fact_refs(self) -> list[ast.FactRef]:
        """Every fact reference of every assertion (`backers(LNA)`, `date(Berlin summit)`)."""
        return [ref for _, a in self.assertions for ref in ast.fact_refs(a.body)]

    def predicates_used(self) -> frozenset[str]:
        return frozenset(ref.predicate for ref in self.fact_refs())

    def event_heads(self) -> frozenset[str]:
        """Head nouns of event arguments that neither the KB nor the known event kinds cover
        ("date(Nairobi marathon)": marathon): extra event nouns for extraction to look for.
        Usually empty, so a rule-file edit does not change what extraction reads."""
        from factcheck.kb.events import event_head
        from factcheck.kb.kinds import is_known_kind

        heads = set()
        for ref in self.fact_refs():
            spec = self.predicates.get(ref.predicate)
            if spec is None or spec.argument != EVENT or self.kb.event_spec(ref.argument).key:
                continue
            head = event_head(ref.argument).lower()
            if head and not is_known_kind(head):
                heads.add(head)
        return frozenset(heads)

    def unneeded_components(self) -> tuple[str, ...]:
        """spaCy components no assertion needs, left out of the pipeline: the parser, when
        every fact the rules ask for is a built-in `mentions` of an entity (a name the KB or
        the gazetteer knows, found by the phrase matcher and the recognizer). Dates,
        relations, events and plugins' predicates need the parse, so any of them keeps it."""
        from factcheck.kb.events import event_head
        from factcheck.kb.kinds import is_known_kind

        refs = self.fact_refs()
        for ref in refs:
            spec = self.predicates.get(ref.predicate)
            if spec is None or spec.name != "mentions" or spec.origin != "builtin":
                return ()
            if (self.kb.event_spec(ref.argument).key or is_known_kind(event_head(ref.argument))
                    or self.kb.link(ref.argument) is None):
                return ()
        return ("parser",) if refs else ()


def predicates_registry(kb: KnowledgeBase | None = None, config: Config | None = None) -> dict[str, PredicateSpec]:
    """Every predicate, as the plugins register them through `factcheck_predicates`: the
    built-ins, the knowledge base's YAML predicates, and third-party plugins'."""
    from factcheck.plugin import host as plugins

    return plugins.predicates(plugins.get_plugin_manager(config), kb)


def resolve_use(rule_path: str, use: ast.Use, allowed: Sequence[str] = ()) -> str:
    """The file a rule file's `use` names, confined to the rule file's folder tree (after
    symlinks are followed) or to a knowledge base the command line or config names. Anything
    else, and anything that is not a regular file, is refused with a located error that
    names what the target is and never shows its content."""
    from factcheck.safety import special_file

    folder = Path(rule_path).parent
    target = folder / use.path

    def refuse(message: str, hint: str | None = None) -> FactcheckError:
        return FactcheckError(message, rule_path, use.pos.line, use.pos.column, hint=hint)

    try:
        real = target.resolve()
        os.stat(real)
    except FileNotFoundError:
        raise refuse(f"`use` of a missing file `{use.path}`", f"looked for {target}") from None
    except (OSError, RuntimeError) as exc:  # too long a name, a symlink loop, no permission
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "cannot be resolved"
        raise refuse(f"`use` of `{use.path[:80]}` that cannot be read ({reason.lower()})") from None
    kind = special_file(str(real))
    if kind is not None:
        raise refuse(f"`use` of `{use.path}`, which is {kind}, not a knowledge-base file")
    home = folder.resolve()
    trusted = {Path(p).resolve() for p in allowed}
    if real != home and home not in real.parents and real not in trusted:
        raise refuse(f"`use` of `{use.path}` outside the rule file's folder ({home})",
                     "keep knowledge bases beside the rule file or below it, or name the file with "
                     "--entities or `entities:` in the config")
    return str(target)


def load_rules(rule_paths: Sequence[str], entities: Sequence[str] = (), config: Config | None = None) -> Rules:
    """Parse and type-check rule files; load every KB they `use` plus `entities`."""
    from factcheck import dsl

    if not rule_paths:
        raise FactcheckError("no rule files given", hint="name one, e.g. `factcheck check rules/libya.fc`")
    files = []
    kb_paths: list[str] = []
    for path in rule_paths:
        rf = dsl.parse_file(str(path))
        allowed = [str(p) for p in entities] + ([str(p) for p in config.entities] if config is not None else [])
        for use in rf.uses:
            kb_paths.append(resolve_use(str(path), use, allowed))
        files.append(rf)
    kb_paths += [str(p) for p in entities]
    if config is not None:
        kb_paths += [str(p) for p in config.entities]
    kb = load_kb(list(dict.fromkeys(kb_paths)))
    predicates = predicates_registry(kb, config)
    checked = [dsl.check(rf, predicates) for rf in files]
    from factcheck.plugin import host as plugins

    return Rules(checked, kb, predicates, plugins.comparators(plugins.get_plugin_manager(config)))

