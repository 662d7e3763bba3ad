"""What `factcheck lint` reports: findings, each `file:line:col: severity: message`, and the
report that gathers them (see `lint.py`)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from factcheck.errors import FactcheckError

ERROR, WARNING, INFO = "error", "warning", "info"
SEVERITY_ORDER = {ERROR: 0, WARNING: 1, INFO: 2}


@dataclass(frozen=True, slots=True)
class Finding:
    file: str | None
    line: int | None
    column: int | None
    severity: str
    code: str  # syntax, type, use, kb, unknown-name, not-an-event, not-an-entity, event-kind, place, ...
    message: str
    hint: str | None = None
    context: str | None = None  # the offending line and a caret

    @property
    def location(self) -> str:
        return ":".join(str(p) for p in (self.file, self.line, self.column) if p is not None)

    def headline(self) -> str:
        hint = f"; {self.hint}" if self.hint else ""
        where = f"{self.location}: " if self.location else ""
        return f"{where}{self.severity}: {self.message}{hint} [{self.code}]"

    def to_json(self) -> dict[str, Any]:
        return {"file": self.file, "line": self.line, "column": self.column, "severity": self.severity,
                "code": self.code, "message": self.message, "hint": self.hint}


@dataclass(slots=True)
class LintReport:
    findings: list[Finding] = field(default_factory=list)
    assertions: dict[str, int] = field(default_factory=dict)  # rule file -> assertions parsed

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)



def from_error(exc: FactcheckError, code: str) -> Finding:
    """A located error (syntax, type, a KB that does not load...) as an error finding."""
    return Finding(exc.file, exc.line, exc.column, ERROR, code, exc.message, exc.hint, exc.context)
