"""How much of a copy comes from its source (whole, partial, quotes_only), learned from alignment features.

The decision is a small multinomial logistic regression over features of a verified pair, oriented by
direction (the *copy* is the page that copied; when the direction is unknown, the page more covered by the
other). Its parameters live in ``derive_model.json`` next to this module (plain JSON, no pickle), fitted by
``benchmarks/meter_bench.py --fit`` on the tuning split of the METER corpus. Without that file the rule-based
thresholds of the config are used. One rule always holds: a pair sharing fewer than ``min_match_words``
words outside quotations, and not so many content words that it is a rewrite, is ``quotes_only`` (quotes,
names and stock phrases are not a copy).

Example:
    >>> from detector.align import Alignment, Overlap
    >>> a = Alignment(passages=(), this_covered=380, other_covered=390, this_words=400, other_words=420,
    ...               quote_words=20, longest=200, unigram_this=0.97, unigram_other=0.93, jaccard=0.8)
    >>> decide(a, "this_copies_other").derivation
    'whole'
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from detector.align import Alignment, Overlap
from detector.config import DEFAULT, Config
from detector.records import Derivation, Direction

MODEL_PATH = Path(__file__).with_name("derive_model.json")
CLASSES: tuple[Derivation, ...] = ("quotes_only", "partial", "whole")
#: A page more than half made of text it shares, all inside its quotation marks, reprints it: quoting a statement
#: fills less of a story (an outside probe's farm put each copied paragraph in quotes and its copy went unseen).
_QUOTED_SHARE_MAX = 0.5


def all_quoted(a: Alignment, min_words: int) -> bool:
    """Whether every word the pair shares word for word (but fewer than ``min_words``) stands in this page's
    quotation marks, over less than ``_QUOTED_SHARE_MAX`` of it (``Match.quoted_only``): a quotation, whatever
    the rest of the two pages shares by its content words; more of the page in quotes is a reprint."""
    return bool(a.passages) and a.non_quote_words < min_words and a.share_of_this < _QUOTED_SHARE_MAX


FEATURES: tuple[str, ...] = (
    "copy_share", "source_share", "longest_share", "log_passages", "quote_share", "unigram_copy",
    "unigram_source", "jaccard", "log_copy_words", "log_source_words", "non_quote_share", "terms_copy",
    "terms_source", "site_unigram", "site_bigram", "site_terms",
)
_TERMS_COPY = FEATURES.index("terms_copy")


@dataclass(frozen=True, slots=True)
class Decision:
    """The derivation of a pair, its class probabilities (``CLASSES`` order) and the features it used."""

    derivation: Derivation
    probabilities: tuple[float, ...]
    features: tuple[float, ...]

    @property
    def derived(self) -> float:
        """Probability that the copy reuses the source's text (partial or whole)."""
        return self.probabilities[1] + self.probabilities[2]


def copy_is_this(a: Alignment, dirn: Direction) -> bool:
    """Whether the first text of the alignment is the copy (by direction; if unknown, the more covered one)."""
    return dirn == "this_copies_other" or (dirn == "unknown" and a.share_of_this >= a.share_of_other)


def features(a: Alignment, dirn: Direction, site: Overlap | None = None) -> tuple[float, ...]:
    """The model's inputs for one alignment, oriented copy -> source.

    ``site`` is the copy's overlap with all verified documents of the source's site (see ``align.overlap``);
    without it the pair's own word containment stands in.
    """
    this_is_copy = copy_is_this(a, dirn)
    if this_is_copy:
        copy_share, source_share = a.share_of_this, a.share_of_other
        copy_words, source_words = a.this_words, a.other_words
        uni_copy, uni_source, covered = a.unigram_this, a.unigram_other, a.this_covered
        terms_copy, terms_source = a.terms_this, a.terms_other
    else:
        copy_share, source_share = a.share_of_other, a.share_of_this
        copy_words, source_words = a.other_words, a.this_words
        uni_copy, uni_source, covered = a.unigram_other, a.unigram_this, a.other_covered
        terms_copy, terms_source = a.terms_other, a.terms_this
    quote_share = a.quote_words / a.this_covered if a.this_covered else 0.0
    return (
        copy_share,
        source_share,
        a.longest / max(copy_words, 1),
        math.log1p(len(a.passages)),
        quote_share,
        uni_copy,
        uni_source,
        a.jaccard,
        math.log1p(copy_words),
        math.log1p(source_words),
        covered * (1.0 - quote_share) / max(copy_words, 1),
        terms_copy,
        terms_source,
        site.unigram if site else uni_copy,
        site.bigram if site else uni_copy,
        site.terms if site else terms_copy,
    )


@dataclass(frozen=True, slots=True)
class Model:
    """Standardised multinomial logistic regression parameters, as stored in JSON."""

    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: np.ndarray

    def probabilities(self, x: tuple[float, ...]) -> np.ndarray:
        z = self.coef @ ((np.asarray(x) - self.mean) / self.scale) + self.intercept
        e = np.exp(z - z.max())
        return e / e.sum()

    @classmethod
    def from_json(cls, data: dict[str, object]) -> "Model":
        if tuple(data["features"]) != FEATURES or tuple(data["classes"]) != CLASSES:  # type: ignore[arg-type]
            raise ValueError("derive model was fitted on other features or classes; refit it")
        arrays = {k: np.asarray(data[k], dtype=float) for k in ("mean", "scale", "coef", "intercept")}
        return cls(**arrays)


@lru_cache(maxsize=4)
def load_model(path: Path = MODEL_PATH) -> Model | None:
    """The shipped model, or None when the file is missing (rule-based fallback)."""
    if not path.exists():
        return None
    return Model.from_json(json.loads(path.read_text(encoding="utf-8")))


def _rules(x: tuple[float, ...], config: Config) -> tuple[float, ...]:
    copy_share = x[0]
    if copy_share >= config.whole_share:
        return (0.0, 0.0, 1.0)
    if copy_share >= config.partial_share:
        return (0.0, 1.0, 0.0)
    return (1.0, 0.0, 0.0)


def decide(a: Alignment, dirn: Direction, config: Config = DEFAULT, model: Model | None | bool = True,
           site: Overlap | None = None, rewritten: bool | None = None, credited: bool = False) -> Decision:
    """Derivation of a verified pair. ``model=True`` uses the shipped model, ``None`` the rules.

    ``rewritten``: whether the pair is a rewrite, when the caller judged it on the words outside quotations
    (``align.rewritten_outside_quotes``); else ``a.rewritten`` over all words decides. ``credited``: the page
    names the source of what it shares; then text shared inside its quotation marks is a quotation even when
    it fills much of the page (a story printing a council's 180-word statement whole). Beyond
    ``_QUOTED_SHARE_MAX`` of the page, shared quotations are a reprint, credited or not.
    """
    x = features(a, dirn, site)
    chosen = load_model() if model is True else (model or None)
    if rewritten is None:
        rewritten = a.rewritten(config.rewrite_containment, config.rewrite_terms)
    if a.non_quote_words < config.min_match_words and not rewritten and x[0] < _QUOTED_SHARE_MAX:
        probs: tuple[float, ...] = (1.0, 0.0, 0.0)
        if isinstance(chosen, Model):  # keep a graded score for ranking, but the class is fixed
            p = chosen.probabilities(x)
            probs = (float(p[0]) + 0.5 * float(p[1] + p[2]), 0.5 * float(p[1]), 0.5 * float(p[2]))
        return Decision("quotes_only", probs, x)
    only_quotes = a.this_covered and a.quote_words >= 0.9 * a.this_covered
    if only_quotes and credited and x[0] < _QUOTED_SHARE_MAX:
        return Decision("quotes_only", (1.0, 0.0, 0.0), x)  # a credited quotation, not a copy of the source
    if only_quotes and x[0] < config.partial_share and x[_TERMS_COPY] < 0.6:
        return Decision("quotes_only", (1.0, 0.0, 0.0), x)  # only quotations shared, no rewrite of the rest
    if isinstance(chosen, Model):
        probs = tuple(float(v) for v in chosen.probabilities(x))
    else:
        probs = _rules(x, config)
    return Decision(CLASSES[int(np.argmax(probs))], probs, x)
