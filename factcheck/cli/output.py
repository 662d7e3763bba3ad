"""Where a report goes: `--output` (replaced atomically) or standard output, which never
fails on an encoding and whose failures (closed pipe, full disk) are one error line."""
from __future__ import annotations

import io
import os
import sys
from typing import Iterable, cast


def emit(text: str | Iterable[str | bytes], output: str | None, document: bool = False) -> None:
    """Write a report (one string, or pieces written as they are made: text, or bytes that are
    UTF-8 already) to `output` or stdout.

    `output` is replaced atomically (`safety.atomic_write`). A `document` (JSON, XML, HTML,
    Markdown: files that say or assume UTF-8) goes to stdout as UTF-8 bytes whatever the
    locale; other text goes through stdout's own encoding (non-encodable characters as
    `\\u2019` escapes, see `tolerant_stdout`). A stdout that cannot be written (closed pipe,
    full disk, closed descriptor) is one error line and exit code 2, like an unwritable
    `--output`."""
    from factcheck.errors import ConfigError

    pieces = [text] if isinstance(text, str) else text
    if output is not None:
        _write_file(output, pieces)
        return
    if sys.stdout is None:
        raise ConfigError("cannot write the report: standard output is closed")
    try:
        _write_stdout(pieces, document)
    except _StdoutFailed as failed:
        silence_stdout()
        reason = failed.args[0].strerror or str(failed.args[0]) or type(failed.args[0]).__name__
        raise ConfigError(f"cannot write the report to standard output: {reason}") from None


def _write_file(output: str, pieces: Iterable[str | bytes]) -> None:
    from factcheck.errors import ConfigError
    from factcheck.safety import atomic_write

    try:
        atomic_write(output, pieces)
    except OSError as exc:
        raise ConfigError(f"cannot write the report: {exc.strerror or exc}", output) from None


def _write_stdout(pieces: Iterable[str | bytes], document: bool) -> None:
    """Each piece as it comes; a failed write or flush is `_StdoutFailed`, and a reporter's own
    failure propagates as it is. Bytes pieces (UTF-8) go to the stream's buffer when it is
    UTF-8 or the report is a document, else they are decoded and written as text."""
    stream = sys.stdout
    binary = getattr(stream, "buffer", None) if document and not _is_utf8(stream) else None
    if binary is not None:
        stream.flush()
    raw = binary or (getattr(stream, "buffer", None) if _is_utf8(stream) else None)
    for piece in pieces:
        try:
            if isinstance(piece, bytes) and raw is not None:
                if raw is not binary:
                    stream.flush()  # the text written before it goes first
                _write_all(raw, piece)
            elif isinstance(piece, bytes):
                stream.write(piece.decode("utf-8", "backslashreplace"))
            elif binary is not None:
                _write_all(binary, piece.encode("utf-8", "backslashreplace"))
            else:
                stream.write(piece)
        except OSError as exc:
            raise _StdoutFailed(exc) from None
    try:
        (binary or stream).flush()
    except OSError as exc:
        raise _StdoutFailed(exc) from None


def _write_all(raw, data: bytes) -> None:
    """All of `data`: an unbuffered stdout (`python -u`) writes what one system call takes."""
    view = memoryview(data)
    while view:
        n = raw.write(view)
        if n is None:  # a non-blocking descriptor that is full
            raise BlockingIOError("standard output would block")
        view = view[n:]


class _StdoutFailed(Exception):
    """A write to stdout failed with the OSError it carries."""


def _is_utf8(stream) -> bool:
    import codecs

    try:
        return codecs.lookup(getattr(stream, "encoding", None) or "ascii").name == "utf-8"
    except LookupError:
        return False


def tolerant_stdout() -> None:
    """Characters stdout's encoding cannot hold (`PYTHONIOENCODING=ascii`, a Latin-1
    terminal) are written as backslash escapes instead of failing the run; lone surrogates
    likewise (never raw bytes that would make the output invalid UTF-8)."""
    stream = sys.stdout
    if stream is None or getattr(stream, "errors", "backslashreplace") == "backslashreplace":
        return
    try:  # a stream without `reconfigure` (not a TextIOWrapper) raises AttributeError: left as it is
        cast(io.TextIOWrapper, stream).reconfigure(errors="backslashreplace")
    except (AttributeError, ValueError, OSError):
        pass


def silence_stdout() -> None:
    """Point stdout's descriptor at /dev/null, so the interpreter's last flush at exit
    cannot fail again on a stream already known broken."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
