"""From a source file's bytes to the normalised text every offset refers to.

Pure functions, no file access: `decode` (bytes -> str, or SourceError for binary data),
`normalise` (characters and lines), `looks_like_html` / `html_to_text`, and
`split_front_matter`. `factcheck.sources.files` documents the choices made here for users.

No text made here holds a lone surrogate (which no UTF-8 file, terminal or report can
hold): bad UTF-8 bytes become U+FFFD; YAML surrogate escapes in front matter (`"\\ud800"`)
are replaced where all YAML is read (`factcheck.yamlio.no_surrogates`).
"""
from __future__ import annotations

import re
import unicodedata
from html.parser import HTMLParser

from factcheck.errors import SourceError

BINARY_SAMPLE = 64 * 1024
BINARY_CONTROL_RATIO = 0.05  # text files have practically no C0 control bytes

_CONTROL_BYTES = frozenset(range(0x00, 0x09)) | frozenset(range(0x0E, 0x20)) | {0x7F}

# Character -> replacement ("" removes it). Built once, applied with str.translate.
_SPACES = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
_INVISIBLE = (
    "\u00ad\u180e\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064\ufeff"
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
_SINGLE_QUOTES = "\u2018\u2019\u201a\u201b\u2032\u2035\u2039\u203a\u02bc\u00b4\uff07"
_DOUBLE_QUOTES = "\u201c\u201d\u201e\u201f\u2033\u2036\u00ab\u00bb\uff02"
_HYPHENS = "\u2010\u2011\u2012\u2212\ufe63\uff0d"
_TABLE: dict[int, str] = {}
_TABLE.update({ord(c): " " for c in _SPACES})
_TABLE.update({ord(c): "" for c in _INVISIBLE})
_TABLE.update({ord(c): "'" for c in _SINGLE_QUOTES})
_TABLE.update({ord(c): '"' for c in _DOUBLE_QUOTES})
_TABLE.update({ord(c): "-" for c in _HYPHENS})
_TABLE.update({0x2015: "\u2014", 0xFE58: "\u2014"})  # horizontal bar, small em dash -> em dash
_TABLE.update({c: "" for c in range(0x20) if chr(c) not in "\t\n"})
_TABLE.update({0x7F: "", 0x0B: "\n", 0x0C: "\n\n", 0x85: "\n", 0x2028: "\n", 0x2029: "\n\n"})
_TABLE.update({c: "" for c in range(0x80, 0xA0) if c != 0x85})  # C1 controls
_ASCII_BYTES = bytes(range(0x80))
_CONTROL_DELETE = bytes(sorted(_CONTROL_BYTES))
_ASCII_SPECIAL = bytes(c for c in _TABLE if c < 0x80)


# --------------------------------------------------------------------------- decoding


def decode(data: bytes, filename: str) -> tuple[str, list[str]]:
    """Bytes -> text and warnings. UTF-8 (BOM dropped) or UTF-16 with a BOM. A file that
    is not valid UTF-8 throughout is still read as UTF-8 when at least as many of its
    non-ASCII characters are valid UTF-8 sequences as there are invalid bytes: the stray
    bytes become U+FFFD where they stand, with a warning that locates the first. Otherwise
    (no valid multi-byte sequence to speak of: a real Windows-1252 or Latin-1 file) the
    whole file is read as Windows-1252, with a warning. NUL bytes or many control bytes ->
    SourceError."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), []
        except UnicodeDecodeError:
            raise SourceError("binary file, not text", filename) from None
    sample = data[:BINARY_SAMPLE]
    controls = len(sample) - len(sample.translate(None, _CONTROL_DELETE))
    if b"\x00" in data or (sample and controls / len(sample) > BINARY_CONTROL_RATIO):
        raise SourceError("binary file, not text", filename,
                          hint="factcheck reads UTF-8 text, Markdown or HTML files")
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    text = data.decode("utf-8-sig", errors="replace")
    bad = text.count("\ufffd") - data.count("\ufffd".encode("utf-8"))  # real U+FFFD are valid UTF-8
    valid = len(text) - len(text.encode("ascii", "ignore")) - bad  # non-ASCII characters decoded
    if valid >= bad:
        line = data.count(b"\n", 0, first_bad) + 1
        what = "an invalid UTF-8 byte" if bad == 1 else f"{bad} invalid UTF-8 bytes (the first on this line)"
        return text, [f"{filename}:{line}: {what} replaced with U+FFFD"]
    # cp1252 leaves five bytes undefined; read those as Latin-1 rather than fail.
    text = "".join(
        chunk.decode("cp1252", errors="strict") if i % 2 == 0 else chunk.decode("latin-1")
        for i, chunk in enumerate(re.split(rb"([\x81\x8d\x8f\x90\x9d]+)", data))
    )
    return text, [f"{filename}: not UTF-8; decoded as Windows-1252"]


# --------------------------------------------------------------------------- normalising


def normalise_newlines(text: str) -> str:
    """CRLF and CR -> LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def normalise(text: str) -> str:
    """Characters and lines, as documented in `factcheck.sources.files`. Idempotent."""
    text = unicodedata.normalize("NFC", normalise_newlines(text))
    for ch in _specials(text):  # a few str.replace calls: far faster than str.translate on news text
        text = text.replace(ch, _TABLE[ord(ch)])
    if " \n" in text or "\t\n" in text or text.endswith((" ", "\t")):  # trailing blanks, line by line
        text = "\n".join(line.rstrip(" \t") for line in text.split("\n"))
    return text


def _specials(text: str) -> set[str]:
    """The characters of `text` that `_TABLE` replaces. One UTF-8 encoding serves both
    halves: its ASCII bytes are its ASCII characters (a multi-byte sequence has none), and
    what is left once they are deleted decodes to its other characters."""
    data = text.encode("utf-8", "surrogatepass")
    found = set() if text.isascii() else \
        {c for c in set(data.translate(None, _ASCII_BYTES).decode("utf-8", "surrogatepass")) if ord(c) in _TABLE}
    if len(data.translate(None, _ASCII_SPECIAL)) != len(data):
        found.update(chr(c) for c in _ASCII_SPECIAL if chr(c) in text)
    return found


# --------------------------------------------------------------------------- front matter

_CLOSE_FENCE = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)
FRONT_MATTER_FIRST_LINE = 2  # the YAML starts on the file's second line


def split_front_matter(text: str) -> tuple[str | None, str]:
    """`---` on the first line, YAML, then `---` (or `...`) on a line of its own ->
    (yaml_text, body). Without front matter: (None, text). Expects LF newlines.
    The body loses the blank lines that separate it from the front matter."""
    first_end = text.find("\n")
    if first_end < 0 or text[:first_end].rstrip(" \t") != "---":
        return None, text
    close = _CLOSE_FENCE.search(text, first_end + 1)
    if close is None:
        return None, text
    return text[first_end + 1:close.start()], text[close.end():].lstrip("\n")


# --------------------------------------------------------------------------- HTML

_HTML_START = re.compile(r"\s*<(?:!doctype\s+html|html[\s>])", re.IGNORECASE)
_BLOCK_TAGS = frozenset(
    "address article aside blockquote body caption dd details div dl dt figcaption figure footer "
    "form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section summary table td th title tr ul"
    .split()
)
_DROP_TAGS = frozenset({"script", "style", "noscript", "template", "svg"})
_KNOWN_TAGS = _BLOCK_TAGS | _DROP_TAGS | frozenset(
    "a abbr b br em i span strong small sub sup u img meta link html head time cite q code".split()
)
_TAG = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)\b[^<>]*>")


def looks_like_html(text: str) -> bool:
    """True for a document that starts like HTML, or whose known tags make up a large
    part of it (at least 3 tags covering 15% of its non-space characters)."""
    if _HTML_START.match(text):
        return True
    tags = [m for m in _TAG.finditer(text) if m.group(1).lower() in _KNOWN_TAGS]
    if len(tags) < 3:
        return False
    visible = sum(1 for c in text if not c.isspace())
    return sum(m.end() - m.start() for m in tags) >= 0.15 * max(visible, 1)


class _TextExtractor(HTMLParser):
    """Collects text; block elements become paragraph breaks, `<br>` a line break."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.dropping: list[str] = []
        self.in_pre = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in _DROP_TAGS:
            self.dropping.append(tag)
        elif tag == "br":
            self.parts.append("\n")
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n")
            self.in_pre += tag == "pre"

    def handle_endtag(self, tag: str) -> None:
        if self.dropping and tag == self.dropping[-1]:
            self.dropping.pop()
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n")
            self.in_pre -= tag == "pre" and self.in_pre > 0

    def handle_data(self, data: str) -> None:
        if not self.dropping:
            self.parts.append(data if self.in_pre else re.sub(r"[ \t\r\n\f]+", " ", data))


def html_to_text(html: str) -> str:
    """The visible text of an HTML document, paragraphs separated by blank lines."""
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    text = "".join(parser.parts)
    text = re.sub(r"[ \t]*\n[ \t]*", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip("\n ")
