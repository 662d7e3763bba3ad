"""Project configuration: discovery, pyproject, validation, CLI overrides."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from factcheck.config import DEFAULT_MODEL, Config, load_config
from factcheck.errors import ConfigError


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


FULL = """\
rules: [rules/*.fc]
sources: seeds/*.txt
entities: [kb/one.entities.yaml, /abs/two.entities.yaml]
model: ./models/custom
cache: cache/facts.db
jobs: 2
plugins: {enable: [alpha], disable: [beta, gamma]}
cluster: {scheduler: "tcp://host:8786"}
pattern: "*.rules"
metadata:
  defaults: {language: fr}
  "wire_*.txt": {outlet: Wire}
  seeds/x.txt: {outlet: X}
"""


def test_full_yaml_config_resolves_paths_against_its_folder(tmp_path: Path) -> None:
    write(tmp_path / "factcheck.yaml", FULL)
    cfg = load_config(str(tmp_path))
    root = str(tmp_path)
    assert cfg.rules == (os.path.join(root, "rules/*.fc"),)
    assert cfg.sources == (os.path.join(root, "seeds/*.txt"),)
    assert cfg.entities == (os.path.join(root, "kb/one.entities.yaml"), "/abs/two.entities.yaml")
    assert cfg.model == os.path.join(root, "models/custom")
    assert cfg.cache == os.path.join(root, "cache/facts.db")
    assert (cfg.jobs, cfg.no_cache, cfg.scheduler, cfg.fc_pattern) == (2, False, "tcp://host:8786", "*.rules")
    assert (cfg.plugins_enable, cfg.plugins_disable) == (("alpha",), ("beta", "gamma"))
    assert dict(cfg.sources_meta["defaults"]) == {"language": "fr"}
    assert dict(cfg.sources_meta["wire_*.txt"]) == {"outlet": "Wire"}
    assert dict(cfg.sources_meta[os.path.join(root, "seeds/x.txt")]) == {"outlet": "X"}
    assert cfg.path == str(tmp_path / "factcheck.yaml") and cfg.root == root


def test_defaults_without_any_config(tmp_path: Path) -> None:
    cfg = load_config(str(tmp_path))
    assert cfg.path is None
    assert (cfg.model, cfg.cache, cfg.fc_pattern, cfg.jobs, cfg.rules) == (
        DEFAULT_MODEL, os.path.join(".factcheck", "cache.db"), "*.fc", None, ())
    assert cfg == Config(root=str(tmp_path))


def test_discovered_in_a_parent_folder(tmp_path: Path) -> None:
    write(tmp_path / "factcheck.yaml", "model: en_core_web_md\nsources: [news/*.txt]\n")
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    cfg = load_config(str(deep))
    assert cfg.model == "en_core_web_md"
    assert cfg.sources == (str(tmp_path / "news/*.txt"),)


def test_pyproject_tool_table(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[project]\nname = "x"\n\n[tool.factcheck]\nsources = ["s/*.md"]\njobs = 3\n'
                                        '\n[tool.factcheck.plugins]\ndisable = ["html"]\n')
    cfg = load_config(str(tmp_path))
    assert cfg.sources == (str(tmp_path / "s/*.md"),)
    assert cfg.jobs == 3 and cfg.plugins_disable == ("html",)
    assert cfg.path == str(tmp_path / "pyproject.toml")


def test_pyproject_without_table_is_passed_over(tmp_path: Path) -> None:
    write(tmp_path / "factcheck.yaml", "jobs: 4\n")
    write(tmp_path / "inner" / "pyproject.toml", '[project]\nname = "x"\n')
    assert load_config(str(tmp_path / "inner")).jobs == 4


def test_nearest_folder_wins_and_yaml_beats_pyproject(tmp_path: Path) -> None:
    write(tmp_path / "factcheck.yaml", "jobs: 1\n")
    write(tmp_path / "inner" / "pyproject.toml", "[tool.factcheck]\njobs = 2\n")
    assert load_config(str(tmp_path / "inner")).jobs == 2
    write(tmp_path / "inner" / "factcheck.yaml", "jobs: 3\n")
    assert load_config(str(tmp_path / "inner")).jobs == 3


def test_explicit_file(tmp_path: Path) -> None:
    path = write(tmp_path / "other.yaml", "pattern: '*.rule'\n")
    assert load_config(str(tmp_path), explicit=str(path)).fc_pattern == "*.rule"
    with pytest.raises(ConfigError, match="no such config file"):
        load_config(str(tmp_path), explicit=str(tmp_path / "missing.yaml"))


@pytest.mark.parametrize(
    "text, key, suggestion",
    [("source: [a]\n", "source", "sources"), ("modle: x\n", "modle", "model"),
     ("rules: []\nentity: [k]\n", "entity", "entities")],
)
def test_unknown_key_suggests(tmp_path: Path, text: str, key: str, suggestion: str) -> None:
    write(tmp_path / "factcheck.yaml", text)
    with pytest.raises(ConfigError) as info:
        load_config(str(tmp_path))
    line = str(info.value)
    assert f"unknown key `{key}`; did you mean `{suggestion}`?" in line
    assert line.startswith(str(info.value.file)) and info.value.file.endswith("factcheck.yaml")
    assert info.value.line == text.count("\n")


def test_unknown_nested_key(tmp_path: Path) -> None:
    write(tmp_path / "factcheck.yaml", "plugins:\n  enabled: [x]\n")
    with pytest.raises(ConfigError, match=r"unknown key `plugins.enabled`; did you mean `enable`\?"):
        load_config(str(tmp_path))


def test_unknown_key_in_pyproject(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", "[tool.factcheck]\nsource = ['x']\n")
    with pytest.raises(ConfigError, match=r"unknown key `source` in \[tool.factcheck\]; did you mean `sources`"):
        load_config(str(tmp_path))


@pytest.mark.parametrize(
    "text, key",
    [("jobs: two\n", "jobs"), ("jobs: 0\n", "jobs"), ("jobs: true\n", "jobs"), ("rules: 5\n", "rules"),
     ("sources: [a, 3]\n", "sources"), ("model: [a]\n", "model"), ("plugins: [a]\n", "plugins"),
     ("cluster: {scheduler: 5}\n", "cluster.scheduler"), ("metadata: [a]\n", "metadata"),
     ("pattern: ''\n", "pattern"), ("metadata:\n  x.txt: five\n", "metadata.x.txt")],
)
def test_wrong_types_name_the_key(tmp_path: Path, text: str, key: str) -> None:
    write(tmp_path / "factcheck.yaml", text)
    with pytest.raises(ConfigError) as info:
        load_config(str(tmp_path))
    assert f"`{key}`" in info.value.message
    assert info.value.line is not None


def test_non_mapping_config(tmp_path: Path) -> None:
    write(tmp_path / "factcheck.yaml", "- rules\n")
    with pytest.raises(ConfigError, match="must be a mapping"):
        load_config(str(tmp_path))


def test_malformed_yaml_has_position(tmp_path: Path) -> None:
    write(tmp_path / "factcheck.yaml", "rules: [a\nsources: b\n")
    with pytest.raises(ConfigError) as info:
        load_config(str(tmp_path))
    assert info.value.file.endswith("factcheck.yaml")
    assert info.value.line == 2 and info.value.column is not None
    assert "malformed YAML" in info.value.message


def test_malformed_pyproject_has_position(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", "[tool.factcheck]\njobs = = 2\n")
    with pytest.raises(ConfigError) as info:
        load_config(str(tmp_path))
    assert (info.value.line, info.value.column) == (2, 8)
    assert "malformed TOML" in info.value.message


def test_cache_false_disables_cache(tmp_path: Path) -> None:
    write(tmp_path / "factcheck.yaml", "cache: false\n")
    assert load_config(str(tmp_path)).no_cache is True


def test_empty_yaml_gives_defaults_rooted_at_the_file(tmp_path: Path) -> None:
    write(tmp_path / "factcheck.yaml", "")
    cfg = load_config(str(tmp_path))
    assert cfg.cache == str(tmp_path / ".factcheck" / "cache.db")
    assert cfg.model == DEFAULT_MODEL


def test_merged_applies_only_given_overrides(tmp_path: Path) -> None:
    write(tmp_path / "factcheck.yaml", "jobs: 2\nmodel: en_core_web_md\n")
    cfg = load_config(str(tmp_path))
    new = cfg.merged(jobs=None, model="en_core_web_lg", sources=["x/*.txt"], no_cache=True)
    assert (new.jobs, new.model, new.sources, new.no_cache) == (2, "en_core_web_lg", ("x/*.txt",), True)
    assert cfg.model == "en_core_web_md"  # the original is untouched
    with pytest.raises(TypeError):
        cfg.merged(colour="red")
    assert hash(new) == hash(cfg.merged(jobs=2, model="en_core_web_lg", sources=("x/*.txt",), no_cache=True))


def test_repository_pyproject() -> None:
    repo = Path(__file__).resolve().parent.parent
    cfg = load_config(str(repo / "seeds"))
    assert cfg.sources == (str(repo / "seeds" / "*.txt"),)
