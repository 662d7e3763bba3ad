"""factcheck-quotes: the `quote(speaker)` predicate and quotation comparison for factcheck."""
from __future__ import annotations

__version__ = "0.1.0"
