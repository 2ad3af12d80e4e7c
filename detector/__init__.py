"""Content-farm detector: copy detection, provenance and spam traits for news pages.

The library API used by the CLI and by notebooks:

>>> from detector import score, Index                          # doctest: +SKIP
>>> verdicts = score(["suspect.html"], index="copies.sqlite")  # doctest: +SKIP
>>> verdicts[0].chain                                          # doctest: +SKIP
"""

from __future__ import annotations

from typing import Any

from detector.config import Config
from detector.index import Index
from detector.records import Article, Match, Origin, Page, Passage, Trait, Verdict
from detector.score import Scorer, score

__all__ = ["Article", "Config", "Index", "Match", "Origin", "Page", "Passage", "Scorer", "Trait", "Verdict", "audit", "score"]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    """``detector.audit`` is imported on first use: it pulls in polars and the report stack."""
    if name == "audit":
        from detector.audit import audit

        return audit
    raise AttributeError(f"module 'detector' has no attribute {name!r}")
