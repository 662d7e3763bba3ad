"""Reading YAML safely, with positions: the one YAML reader of sources' front matter and
manifests, the config file and rule tests (`read_yaml`), and where a key sits in the file
(`key_positions`, `sub_node`) for located error lines.

Small and light on purpose: `factcheck lint` imports it (through the config) without the
source readers.
"""
from __future__ import annotations

from typing import Any

import yaml

from factcheck.errors import SourceError


class _MetaLoader(yaml.SafeLoader):
    """`yaml.SafeLoader`, except that a timestamp-looking scalar that is not a real date
    (`2020-02-30`) stays a string instead of failing the whole document, so it can be
    reported as one bad value. Nothing beyond safe_load's types is ever constructed."""


def _construct_timestamp(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
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


MAX_NODES = 200_000  # values once every alias (*name) is expanded: a 400-byte alias bomb makes billions
MAX_DEPTH = 100  # nested [ and {: deeper, the parser (and every walk after it) recurses too far


def yaml_bounds_problem(text: str) -> str | None:
    """Why YAML text is refused before it is built, or None: too many values once its aliases
    are expanded (what every report and walk would pay), or too deep. Read from the event
    stream, which expands nothing and recurses nowhere."""
    sizes: dict[str, int] = {}  # anchor -> expanded size
    stack: list[list] = [[0, None]]  # open collections: [size so far, anchor]
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.CollectionStartEvent):
                stack.append([1, event.anchor])
                if len(stack) > MAX_DEPTH + 1:
                    return f"YAML nested more than {MAX_DEPTH} levels deep: refused"
                continue
            if isinstance(event, yaml.CollectionEndEvent):
                size, anchor = stack.pop()
            elif isinstance(event, yaml.ScalarEvent):
                size, anchor = 1, event.anchor
            elif isinstance(event, yaml.AliasEvent):
                size, anchor = sizes.get(event.anchor or "", 1), None  # an alias always names an anchor
            else:
                continue
            if anchor:
                sizes[anchor] = size
            stack[-1][0] += size
            if stack[-1][0] > MAX_NODES:
                return (f"YAML that expands to more than {MAX_NODES:,} values through its aliases (*name): refused, "
                        "as a YAML alias bomb would be")
    except yaml.YAMLError:
        return None  # the reader says what is wrong, with its place
    return None


def read_yaml(text: str, filename: str, error: type[Exception] = SourceError) -> tuple[Any, Any]:
    """Parse YAML text safely; return (data, composed node tree for positions).
    A syntax error becomes `error` (a FactcheckError class) with file:line:col; too many
    aliases or too deep a nesting is refused before anything is built."""
    problem = yaml_bounds_problem(text)
    if problem:
        raise error(problem, filename)
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
    except (ValueError, OverflowError) as exc:  # a constructor refusing a value: an integer of 5,000 digits
        said = "a number too long to read" if "digits" in str(exc) else f"{type(exc).__name__}: {exc}"
        raise error(f"malformed YAML: {said}"[:500], filename) from None
    return no_surrogates(data), node


def _text(s: str) -> str:
    """A string with escaped surrogate pairs joined and lone surrogates (`"\\ud800"`) as U+FFFD."""
    if not any("\ud800" <= ch <= "\udfff" for ch in s):
        return s
    return s.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def no_surrogates(data: Any) -> Any:
    """YAML data whose strings (keys too) hold no lone surrogate, so every report can encode
    them: replaced at reading. Iterative and memoised on shared nodes, so neither deep nesting
    nor a tree of aliases makes it recurse or repeat work."""
    done: dict[int, Any] = {}
    top: list[Any] = [data]
    stack: list[tuple[Any, Any, Any]] = [(top, 0, data)]  # (container, key or index, value)
    while stack:
        parent, where, value = stack.pop()
        if isinstance(value, str):
            parent[where] = _text(value)
        elif isinstance(value, (dict, list)):
            if id(value) in done:
                continue
            done[id(value)] = value
            if isinstance(value, dict):
                if any(isinstance(k, str) and _text(k) != k for k in value):
                    fixed = {(_text(k) if isinstance(k, str) else k): v for k, v in value.items()}
                    value.clear()
                    value.update(fixed)
                stack.extend((value, k, v) for k, v in value.items())
            else:
                stack.extend((value, i, v) for i, v in enumerate(value))
    return top[0]


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
