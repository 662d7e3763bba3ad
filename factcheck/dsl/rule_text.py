"""Small helpers on the text of a rule file, before or beside the grammar: quoted strings,
`#` comments and runs of blanks. Used by the parser, the AST builder and error recovery."""
from __future__ import annotations

import re

STRING_RE = re.compile(r'"(?:[^"\\\n]|\\.)*"')  # a "quoted string" on one line, \" and \\ escaped


def strip_comment(line: str) -> str:
    """The line without its `#` comment (a `#` inside a quoted string is text)."""
    last = 0
    for m in STRING_RE.finditer(line):
        hash_at = line.find("#", last, m.start())
        if hash_at >= 0:
            return line[:hash_at]
        last = m.end()
    hash_at = line.find("#", last)
    return line if hash_at < 0 else line[:hash_at]


def unescape(quoted: str) -> str:
    """The content of a "quoted string": \\" and \\\\ stand for " and \\."""
    return re.sub(r"\\(.)", r"\1", quoted[1:-1])


def normalise_space(text: str) -> str:
    """Collapse runs of blanks to one space, outside quoted strings."""
    out, last = [], 0
    for m in STRING_RE.finditer(text):
        out.append(re.sub(r"\s+", " ", text[last:m.start()]))
        out.append(m.group())
        last = m.end()
    out.append(re.sub(r"\s+", " ", text[last:]))
    return "".join(out).strip()
