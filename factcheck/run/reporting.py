"""Reports by format name: the built-in formats and the plugins' (`factcheck_report_formats`),
looked up through the plugin host, which is the run layer's to call."""
from __future__ import annotations

from typing import Callable, Iterable

from factcheck.config import Config
from factcheck.model import Run


def formats(config: Config | None = None) -> dict[str, Callable[..., str]]:
    """Every report format, as plugins register them (`factcheck_report_formats`): the
    built-in ones (`FORMATS`, through `factcheck.plugin.builtin`) and third-party ones."""
    from factcheck.plugin import host as plugins

    return plugins.report_formats(plugins.get_plugin_manager(config))


def reporter(fmt: str, config: Config | None = None) -> Callable[..., str]:
    """The `render` function of a format; KeyError for an unknown name."""
    return formats(config)[fmt]


def render(run: Run, fmt: str, config: Config | None = None, **options) -> str:
    return reporter(fmt, config)(run, **options)


def pieces(run: Run, fmt: str, config: Config | None = None, **options) -> Iterable[str | bytes]:
    """The report as pieces to write one after the other (text, or bytes that are UTF-8
    already): a format whose render function has a `chunks` attribute (the built-in JSON one)
    makes them as it goes, so a large report is never one string in memory; any other format
    is one piece."""
    render_fn = reporter(fmt, config)
    chunked = getattr(render_fn, "chunks", None)
    return chunked(run, **options) if callable(chunked) else [render_fn(run, **options)]
