"""factcheck's own errors. Each carries where it happened, so it prints as one line:
`file:line:col: message`, then (for rule files) the offending line with a caret and a hint.
"""
from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """The command line's exit statuses (SPEC section 7)."""

    OK = 0  # nothing that counts failed
    FAILED = 1  # an assertion that counts failed (or, without --allow-errors, a source or cell errored)
    USAGE = 2  # bad input: a rule file, config, KB or command line that cannot be used
    INTERNAL = 3  # a bug in factcheck or a plugin
    INTERRUPTED = 130  # Ctrl-C
    TERMINATED = 143  # SIGTERM



class FactcheckError(Exception):
    """Base of every error factcheck reports to a user. Exit code 2 unless said otherwise."""

    exit_code = ExitCode.USAGE

    def __init__(
        self,
        message: str,
        file: str | None = None,
        line: int | None = None,
        column: int | None = None,
        *,
        hint: str | None = None,
        context: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line
        self.column = column
        self.hint = hint  # "did you mean `backers`?"
        self.context = context  # the offending line and a caret under it

    @property
    def location(self) -> str:
        parts = [p for p in (self.file, self.line, self.column) if p is not None]
        return ":".join(str(p) for p in parts)

    def headline(self) -> str:
        """The one line: file:line:col: message; hint."""
        from factcheck.safety import capped

        loc = self.location
        msg = self.message + (f"; {self.hint}" if self.hint else "")
        return capped(f"{loc}: {msg}" if loc else msg)  # a value quoted whole can be megabytes

    def render(self) -> str:
        """The headline, then the line with a caret when there is one."""
        return self.headline() + (f"\n{self.context}" if self.context else "")

    def __str__(self) -> str:
        return self.headline()


class RuleSyntaxError(FactcheckError):
    """A rule file that does not parse."""


class RuleTypeError(FactcheckError):
    """A rule file that parses but does not type-check (unknown predicate, wrong value...)."""


class KnowledgeBaseError(FactcheckError):
    """A malformed or inconsistent knowledge-base YAML file."""


class SourceError(FactcheckError):
    """A source that cannot be read (missing, binary, too large...)."""


class ConfigError(FactcheckError):
    """A bad factcheck.yaml / [tool.factcheck], option or model."""