"""The trait registry: ``@trait`` registers a pure function of a ``PageView`` under a name, meaning and family.

``compute_traits(view)`` runs every registered trait in registry order and returns ``detector.records.Trait``
records; ``feature_names()`` is that order, the column order of the classifier. The order is fixed by the
order of ``FAMILY_MODULES`` and of the definitions inside each module, so it is stable across runs.

Example:
    >>> from detector.records import Article
    >>> from features.view import PageView
    >>> view = PageView(Article(url="https://a.example/x", domain="a.example", title="T", text="Hi."))
    >>> names = feature_names()
    >>> [t.name for t in compute_traits(view)] == names
    True
"""

from __future__ import annotations

import importlib
import math
import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import TypeAlias

from detector.records import Trait
from features.view import PageView

TraitValue: TypeAlias = float | int | bool | tuple[float | int | bool, str | None]
TraitFn: TypeAlias = Callable[[PageView], TraitValue]

FAMILY_MODULES: tuple[str, ...] = (
    "features.text_stats",
    "features.repetition",
    "features.boilerplate",
    "features.attribution",
    "features.dom",
    "features.metadata",
    "features.copy_evidence",
)
FAMILIES: tuple[str, ...] = tuple(m.rsplit(".", 1)[1] for m in FAMILY_MODULES)
EVIDENCE_LIMIT = 200
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True, slots=True)
class TraitSpec:
    """A registered trait: its name, one-line meaning, family, and the function computing it."""

    name: str
    meaning: str
    family: str
    fn: TraitFn

    def to_dict(self) -> dict[str, str]:
        return {"name": self.name, "meaning": self.meaning, "family": self.family}


TRAITS: dict[str, TraitSpec] = {}


def trait(*, name: str, meaning: str, family: str) -> Callable[[TraitFn], TraitFn]:
    """Register the decorated function as a trait; the function is returned unchanged (callable in tests).

    The function takes a ``PageView`` and returns a number, or ``(number, evidence)`` where evidence is the
    text that shows the trait (the phrase or line found, a count) or None.
    """
    if not _NAME.match(name):
        raise ValueError(f"trait name {name!r} must be snake_case (a-z, 0-9, _)")
    if not meaning.strip() or "\n" in meaning:
        raise ValueError(f"trait {name!r} needs a one-line meaning")
    if family not in FAMILIES:
        raise ValueError(f"trait {name!r}: unknown family {family!r}; known: {', '.join(FAMILIES)}")

    def register(fn: TraitFn) -> TraitFn:
        existing = TRAITS.get(name)
        if existing is not None and existing.fn.__qualname__ != fn.__qualname__:
            raise ValueError(f"trait {name!r} is registered twice ({existing.fn.__module__}, {fn.__module__})")
        TRAITS[name] = TraitSpec(name, meaning.strip(), family, fn)
        return fn

    return register


def load_families() -> None:
    """Import every family module (idempotent) so that their traits are registered, in a fixed order."""
    for module in FAMILY_MODULES:
        importlib.import_module(module)


def trait_specs() -> tuple[TraitSpec, ...]:
    """All registered traits in registry order."""
    load_families()
    return tuple(TRAITS.values())


def feature_names() -> list[str]:
    """Names of all traits in registry order: the classifier's feature columns."""
    return [spec.name for spec in trait_specs()]


def _as_trait(spec: TraitSpec, out: TraitValue) -> Trait:
    value, evidence = out if isinstance(out, tuple) else (out, None)
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"trait {spec.name!r} returned {number!r}; traits must return finite numbers")
    if evidence is not None:
        evidence = str(evidence)[:EVIDENCE_LIMIT]
    return Trait(spec.name, number, evidence)


#: The trait families that read a page's copy matches (``PageView.matches``); every other trait of a page is the
#: same with or without them.
MATCH_FAMILIES: tuple[str, ...] = ("copy_evidence",)


def compute_traits(view: PageView, families: Collection[str] | None = None) -> tuple[Trait, ...]:
    """Every registered trait of ``view`` (of ``families`` only, when given), in registry order."""
    return tuple(_as_trait(spec, spec.fn(view)) for spec in trait_specs()
                 if families is None or spec.family in families)


def with_match_traits(traits: Sequence[Trait], view: PageView) -> tuple[Trait, ...]:
    """``traits`` (a page's, computed without matches) with the ``MATCH_FAMILIES`` traits redone on ``view`` (the
    page with its matches): the rest would come out the same, so they are not computed again."""
    redone = {t.name: t for t in compute_traits(view, MATCH_FAMILIES)}
    return tuple(redone.get(t.name, t) for t in traits)


def compute_trait(view: PageView, name: str) -> Trait:
    """One trait of ``view`` by name (KeyError naming the known traits when unknown)."""
    load_families()
    spec = TRAITS.get(name)
    if spec is None:
        raise KeyError(f"unknown trait {name!r}; see features.feature_names()")
    return _as_trait(spec, spec.fn(view))
