"""Reading YAML safely, with positions: the one YAML reader of sources' front matter and
manifests, the config file and rule tests (`read_yaml`), and where a key sits in the file
(`key_positions`, `sub_node`) for located error lines.

Small and light on purpose: `factcheck lint` imports it (through the config) without the
source readers.
"""
from __future__ import annotations

from typing import Any

import yaml

from .errors import SourceError


class _MetaLoader(yaml.SafeLoader):
    """`yaml.SafeLoader`, except that a timestamp-looking scalar that is not a real date
    (`2020-02-30`) stays a string instead of failing the whole document, so it can be
    reported as one bad value. Nothing beyond safe_load's types is ever constructed."""


def _construct_timestamp(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


_MetaLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


UNSAFE_TAG = "could not determine a constructor for the tag"


def unsafe_tag_message(problem: str) -> str:
    """A YAML tag the safe loader refuses (`!!python/object`...): never constructed, said plainly."""
    tag = problem[len(UNSAFE_TAG):].strip(" '").replace("tag:yaml.org,2002:", "!!")
    return (f"YAML tag `{tag}` is not allowed: factcheck reads YAML with a safe loader "
            "(mappings, lists, strings, numbers and dates only)")


def read_yaml(text: str, filename: str, error: type[Exception] = SourceError) -> tuple[Any, Any]:
    """Parse YAML text safely; return (data, composed node tree for positions).
    A syntax error becomes `error` (a FactcheckError class) with file:line:col."""
    try:
        node = yaml.compose(text, Loader=_MetaLoader)
        data = yaml.load(text, Loader=_MetaLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        col = mark.column + 1 if mark else None
        problem = exc.problem or exc.context or "malformed YAML"
        if problem.startswith(UNSAFE_TAG):
            raise error(unsafe_tag_message(problem), filename, line, col) from None
        raise error(f"malformed YAML: {problem}", filename, line, col) from None
    except yaml.YAMLError as exc:
        raise error(f"malformed YAML: {exc}", filename) from None
    return data, node


def key_positions(node: Any) -> dict[str, tuple[int, int]]:
    """For a composed mapping node: key -> (line, column), both 1-based."""
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {
        str(k.value): (k.start_mark.line + 1, k.start_mark.column + 1)
        for k, _ in node.value
        if isinstance(k, yaml.ScalarNode)
    }


def sub_node(node: Any, key: str) -> Any:
    """The YAML node under `key` of a mapping node (for positions), or None."""
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if isinstance(k, yaml.ScalarNode) and k.value == key:
                return v
    return None
