"""Content-farm detector: copy detection, provenance and spam traits for news pages.

The library API used by the CLI and by notebooks (imported on first use, so ``import detector`` stays light):

>>> from detector.score import score                             # doctest: +SKIP
>>> from detector.audit import audit                             # doctest: +SKIP
>>> verdicts = score(["suspect.html"], index="copies.sqlite")   # doctest: +SKIP
>>> verdicts[0].chain                                          # doctest: +SKIP
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from detector.config import Config
from detector.records import Article, Match, Origin, Page, Passage, Trait, Verdict

__all__ = ["Article", "Config", "Index", "Match", "Origin", "Page", "Passage", "Scorer", "Trait", "Verdict"]
__version__ = "0.1.0"

# ``score`` and ``audit`` are modules too, so their functions are imported from them (detector.score.score).
_LAZY = {"Scorer": "detector.score", "Index": "detector.index"}


def __getattr__(name: str) -> Any:
    """``Scorer`` and ``Index`` load their modules (and numpy, sklearn) on first use."""
    if name in _LAZY:
        value = getattr(import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'detector' has no attribute {name!r}")
