"""The plugin manager: a pluggy manager that also remembers each plugin it saw (loaded,
failed, disabled, not enabled), the warnings it printed and how many third-party answers it
dropped; and the one-line account of a plugin's failure those warnings give."""
from __future__ import annotations

import sys
from dataclasses import dataclass

import pluggy

from factcheck.plugin import hookspecs
from factcheck.safety import printable

BUILTIN_MODULES: tuple[tuple[str, str], ...] = (("builtin", "factcheck.plugin.builtin"), ("custom", "factcheck.plugin.yaml_predicates"))
OWN = frozenset(name for name, _ in BUILTIN_MODULES)  # factcheck's own plugins: their failure is a bug


@dataclass(frozen=True, slots=True)
class PluginInfo:
    """One plugin as `factcheck plugins` shows it."""

    name: str
    version: str
    origin: str  # the module, or the entry point's `module:attr`
    status: str = "loaded"  # loaded, failed, disabled, not enabled
    message: str = ""
    hooks: tuple[str, ...] = ()
    predicates: tuple[str, ...] = ()
    formats: tuple[str, ...] = ()


class FactcheckPluginManager(pluggy.PluginManager):
    """A pluggy manager that also remembers what it loaded, skipped and why."""

    def __init__(self) -> None:
        super().__init__(hookspecs.PROJECT)
        self.add_hookspecs(hookspecs)
        self.infos: list[PluginInfo] = []
        self.warnings: list[str] = []
        self.dropped = 0  # third-party answers ignored so far

    def warn(self, line: str) -> None:
        """One warning line on stderr, once per manager (so once per process and run)."""
        if line not in self.warnings:
            self.warnings.append(line)
            print(printable(line), file=sys.stderr)



def describe(exc: BaseException) -> str:
    """`Type: first line of the message`, for a one-line warning."""
    return f"{type(exc).__name__}: {first_line(exc)}" if str(exc).strip() else type(exc).__name__


def first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
