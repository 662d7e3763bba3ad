"""The reference in docs/ documents what the code accepts: every predicate, knowledge-base key,
source metadata key, config key and command. A key added to the code without a word in the
docs fails here."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from factcheck import cli, config
from factcheck.kb import custom, loader
from factcheck.kb.patterns import RELATION_KEYS
from factcheck.predicates import BUILTIN_PREDICATES
from factcheck.sources import meta

DOCS = Path(__file__).resolve().parent.parent / "docs"


def _page(name: str) -> str:
    return (DOCS / name).read_text(encoding="utf-8")


def _missing(words, text: str) -> list[str]:
    """The words that never appear in `text` as code (`word`, `word:` or `word(`)."""
    return [w for w in words if not re.search(rf"`{re.escape(w)}(?:[:(`\s]|\b)", text)]


def test_every_builtin_predicate_is_documented():
    assert _missing(BUILTIN_PREDICATES, _page("predicates.md")) == []


def test_every_knowledge_base_key_is_documented():
    page = _page("knowledge-base.md")
    keys = (*loader.TOP_KEYS, *loader.ENTITY_KEYS, *loader.EVENT_KEYS, *loader.ENTITY_TYPES, *custom.KEYS,
            *custom.ROLE_KEYS, *sorted(RELATION_KEYS))
    assert _missing(keys, page) == []


def test_every_source_metadata_key_is_documented():
    page = _page("sources.md")
    assert _missing((*meta.KNOWN_KEYS, *meta.KEY_ALIASES), page) == []


def test_every_config_key_is_documented():
    page = _page("config.md")
    assert _missing((*config.KEYS, *config.PLUGIN_KEYS, *config.CLUSTER_KEYS), page) == []


@pytest.mark.parametrize("command", sorted(cli.build_parser()._subparsers._group_actions[0].choices))  # noqa: SLF001
def test_every_command_has_a_section_in_the_command_reference(command):
    assert f"## `factcheck {command}`" in _page("cli.md")


def test_the_readme_links_the_reference_and_nothing_outside_the_repository():
    readme = (DOCS.parent / "README.md").read_text(encoding="utf-8")
    assert "docs/README.md" in readme
    assert "shared folder" not in readme and "../shared" not in readme
    for link in re.findall(r"\]\((docs/[^)#]+)", readme):
        assert (DOCS.parent / link).is_file(), link


def test_the_architecture_page_names_every_module():
    """docs/ARCHITECTURE.md is the map of the code: a module added, split or renamed without a
    word there fails here (as `module` in backticks, its name without `.py`)."""
    page = _page("ARCHITECTURE.md")
    package = DOCS.parent / "factcheck"
    modules = sorted({p.stem for p in package.rglob("*.py") if p.stem != "__init__"})
    assert _missing(modules, page) == []
    assert "ARCHITECTURE.md" in (DOCS.parent / "README.md").read_text(encoding="utf-8")
