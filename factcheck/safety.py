"""Hostile text made inert, and reports written whole or not at all.

Text reaches factcheck from file names, rule files, articles and their metadata, and any of
it may hold characters that drive a terminal (ESC, BEL, C1 controls) or that no UTF-8 file
can hold: a file name's undecodable bytes arrive as lone surrogates (Python's
`surrogateescape`, U+DC80..U+DCFF for the bytes 0x80..0xFF), and YAML lets `"\\ud800"` make
one. The helpers here are the one place that deals with them:

* `printable(text)`: what a terminal, a Markdown comment or an HTML page may show. Every
  control character (C0, DEL, C1), bidi override and non-character becomes a visible escape
  (`\\x1b`, `\\u202e`); `multiline=True` keeps newlines and tabs. Surrogates as in `unicode`.
* `unicode(text)`: valid Unicode for JSON and XML: an escaped byte becomes the four
  characters `\\xff`, any other lone surrogate U+FFFD. Nothing else changes.
* `deep(data, fn)`: `fn` applied to every string of JSON-like data (dicts, lists, tuples).
* `json_dumps(data)`: `json.dumps(..., ensure_ascii=False)` that always gives valid UTF-8.
* `atomic_write(path, pieces)`: the pieces go to a temporary file beside `path`, which is
  renamed over it only once everything is written; on any failure the temporary file is
  removed and whatever `path` held before is left as it was.
* `read_regular(path, limit)`: the bytes of a regular file, or `UnreadableFile` saying why
  not (missing, a directory, FIFO or device, refused by the OS, over the limit); each caller
  words that in its own located error. `special_file(path)` names what a path is when it is
  not a regular file.
"""
from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import stat
from typing import Any, BinaryIO, Callable, Iterable, TextIO

# Controls, bidi embeddings/overrides/isolates, surrogates and the two non-characters XML forbids.
_OTHER_UNSAFE = "\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff"
_UNSAFE_LINE = re.compile(f"[\x00-\x1f{_OTHER_UNSAFE}]")
_UNSAFE_MULTILINE = re.compile(f"[\x00-\x08\x0b-\x1f{_OTHER_UNSAFE}]")  # keeps \t and \n
_SURROGATE = re.compile("[\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}


def _escape_char(ch: str) -> str:
    code = ord(ch)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not valid in the file system's encoding
        return f"\\x{code - 0xDC00:02x}"
    if 0xD800 <= code <= 0xDFFF:  # any other lone surrogate: not a character at all
        return "\ufffd"
    if ch in _NAMED:
        return _NAMED[ch]
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _escape_match(match: re.Match) -> str:
    return _escape_char(match.group())


def printable(text: str, multiline: bool = False) -> str:
    """`text` as it may be shown: controls and the like as visible escapes (see the module)."""
    if text.isascii() and text.isprintable():
        return text
    pattern = _UNSAFE_MULTILINE if multiline else _UNSAFE_LINE
    return pattern.sub(_escape_match, text)


def unicode(text: str) -> str:
    """`text` without lone surrogates: escaped bytes as `\\xff`, others as U+FFFD."""
    if text.isascii():
        return text
    return _SURROGATE.sub(_escape_match, text)


def has_surrogates(text: str) -> bool:
    return not text.isascii() and _SURROGATE.search(text) is not None


def deep(data: Any, fn: Callable[[str], str]) -> Any:
    """`fn` applied to every string (keys too) of JSON-like data; other values kept."""
    if isinstance(data, str):
        return fn(data)
    if isinstance(data, dict):
        return {deep(k, fn): deep(v, fn) for k, v in data.items()}
    if isinstance(data, (list, tuple)):
        return [deep(v, fn) for v in data]
    return data


def json_dumps(data: Any, **options: Any) -> str:
    """`json.dumps(data, ensure_ascii=False, **options)`, with lone surrogates replaced as
    `unicode` does (only when there are any: the check is one scan of the result)."""
    text = json.dumps(data, ensure_ascii=False, **options)
    if has_surrogates(text):
        text = json.dumps(deep(data, unicode), ensure_ascii=False, **options)
    return text


def atomic_write(path: str, pieces: Iterable[str | bytes]) -> None:
    """Write the pieces to `path` atomically (text as UTF-8 with LF line ends, a character it
    cannot encode backslash-escaped; bytes as they are, UTF-8 already): a temporary file in the same
    folder, renamed over `path` (`os.replace`) once complete. A symbolic link is followed
    and the file it names replaced; a device or pipe (`/dev/null`, a FIFO) is written
    directly, as nothing can be renamed over it. OSError from the file system propagates,
    as does any exception raised while the pieces are made; either way no temporary file
    is left behind and the previous file is untouched."""
    target = os.path.realpath(path)
    try:
        info: os.stat_result | None = os.stat(target)
    except OSError:
        info = None
    if info is not None and not stat.S_ISREG(info.st_mode):
        with open(path, "w", encoding="utf-8", errors="backslashreplace", newline="\n") as fh:
            write_pieces(fh, pieces)
        return
    folder, name = os.path.split(target)
    temp = os.path.join(folder, f".{name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # the umask applies, as for open()
    try:
        with open(fd, "w", encoding="utf-8", errors="backslashreplace", newline="\n") as fh:
            write_pieces(fh, pieces)
            fh.flush()
            os.fsync(fh.fileno())
        if info is not None:
            os.chmod(temp, stat.S_IMODE(info.st_mode))  # a rewritten report keeps its permissions
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def text_of(pieces: Iterable[str | bytes]) -> str:
    """A report's pieces (text, or bytes that are UTF-8 already) as one text."""
    return "".join(p if isinstance(p, str) else p.decode("utf-8") for p in pieces)


def write_pieces(fh: TextIO, pieces: Iterable[str | bytes]) -> None:
    """Write text pieces through `fh` and bytes pieces (UTF-8 already) to its buffer, in order."""
    for piece in pieces:
        if isinstance(piece, str):
            fh.write(piece)
        else:
            fh.flush()
            fh.buffer.write(piece)


_SPECIAL_KINDS = ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISCHR, "a device"),
                  (stat.S_ISBLK, "a device"), (stat.S_ISSOCK, "a socket"))


def _special_kind(mode: int) -> str | None:
    """"a directory", "a named pipe (FIFO)", "a device", "a socket" for such a mode; else None."""
    for test, name in _SPECIAL_KINDS:
        if test(mode):
            return name
    return None


def special_file(path: str) -> str | None:
    """What a path is when it is not a regular file one may read to its end: "a directory",
    "a named pipe (FIFO)", "a device", "a socket"; None for a regular file or a missing one
    (whose reading says so). A FIFO would hang a read; /dev/zero would never end."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None
    return _special_kind(mode)


class UnreadableFile(Exception):
    """Why `read_regular` gave no bytes. `str(exc)` (also `reason`) says it in a few words that
    a caller puts after its own `cannot read ...: `, in its own located error; the attributes
    let a caller word each case its own way:

    * `missing`: there is no such file (`reason` is the system's "No such file or directory");
    * `special`: what the path is instead of a regular file ("a directory", "a named pipe
      (FIFO)", "a device", "a socket", as `special_file` says; "a special file" for any other
      kind); `reason` is then "it is a directory, not a file";
    * `too_large`: the file holds more than the limit; `size` is its size by `stat`, or None
      when it grew past the limit while it was being read;
    * none of these: the system refused to open or read it; `reason` is its words
      (`strerror`: "Permission denied", "Input/output error").
    """

    def __init__(self, reason: str, *, missing: bool = False, special: str | None = None,
                 too_large: bool = False, size: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.missing = missing
        self.special = special
        self.too_large = too_large
        self.size = size


def read_regular(path: str, limit: int | None = None) -> bytes:
    """The bytes of the regular file at `path` (a symbolic link is followed), read to its end.
    With `limit`, a file larger than `limit` bytes is refused before it is read, and one that
    grows past it while it is read is refused too; no more than `limit` + 1 bytes are read.
    Anything else raises UnreadableFile (see there): no such file, a directory, a FIFO (which
    would hang the read), a device (/dev/zero would never end), a socket, a file the system
    will not open or read."""
    try:
        info = os.stat(path)
    except OSError as exc:
        raise _refused(exc) from None
    if not stat.S_ISREG(info.st_mode):
        kind = _special_kind(info.st_mode) or "a special file"
        raise UnreadableFile(f"it is {kind}, not a file", special=kind)
    if limit is not None and info.st_size > limit:
        raise UnreadableFile(f"it is over the limit of {limit:,} bytes", too_large=True, size=info.st_size)
    try:
        with open(path, "rb") as fh:
            data = fh.read() if limit is None else _read_up_to(fh, info.st_size, limit)
    except OSError as exc:
        raise _refused(exc) from None
    if limit is not None and len(data) > limit:  # it grew since stat
        raise UnreadableFile(f"it is over the limit of {limit:,} bytes", too_large=True)
    return data


def _read_up_to(fh: BinaryIO, size: int, limit: int) -> bytes:
    """What `stat` said the file holds, and, if it grew since, more up to `limit` + 1 bytes
    (not `limit` + 1 at once: read() allocates what it is asked for)."""
    data = fh.read(size + 1)
    if len(data) > size:
        data += fh.read(limit + 1 - len(data))
    return data


def _refused(exc: OSError) -> UnreadableFile:
    return UnreadableFile(exc.strerror or str(exc), missing=isinstance(exc, FileNotFoundError))


LINE_CAP = 2_000  # characters of one line of a message: a value pasted whole can be megabytes


def capped(text: str, limit: int = LINE_CAP) -> str:
    """Each line of `text` cut to `limit` characters, saying how long it was."""
    if len(text) <= limit:
        return text
    return "\n".join(line if len(line) <= limit else f"{line[:limit]}… ({len(line):,} characters in all)"
                     for line in text.split("\n"))
