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

The package: `project` (the config, KB and sources around a file), one module a feature
(`diagnostics`, `completion`, `verdicts` for the hover, `definition`), each plain Python
that returns plain results, and `server`, which wires them to the protocol (pygls).
"""
from factcheck.desk.lsp.server import build_server, main

__all__ = ["build_server", "main"]
