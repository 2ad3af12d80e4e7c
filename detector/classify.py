"""The content-farm classifier: a calibrated model over the registered traits, loaded safely, explained cheaply.

The shipped model (``detector/models/farm_model.skops``) is a scikit-learn ``CalibratedClassifierCV`` (sigmoid)
around a ``HistGradientBoostingClassifier`` whose spam-direction traits are constrained monotone increasing,
fitted on ``log1p``-squashed trait values (``squash``). The earlier linear model
(``Pipeline(StandardScaler, LogisticRegression)``) still loads and scores (``detector train --kind linear``).
A model is stored with skops and loaded only when every type in the file is on ``TRUSTED_TYPES`` (never
``trusted=True``), its bytes hash to the value in the JSON card beside it, and the card's feature list equals
``feature_names()``. A tree model's nodes are also kept as flat arrays beside it (``farm_model.trees.npz``, no
pickles, written by ``detector train``) with the sha256 of the skops file they were read from: when that matches
the card and the file, the model loads from them without importing scikit-learn or skops (about 1.4 s a process:
a ``score`` run, every audit worker); the skops file is then read only when the estimator itself is asked for.

Linear model: the linear parts are read out once and applied with numpy; a trait's push is coefficient x
standardised value. Tree model: the page's row and, for each trait above its clean-training median (from the
card), a copy with that trait alone set back to the median, go through the trees in ONE call; a trait's push is
the drop in the calibrated logit. Either way the probability equals ``predict_proba`` (a test checks it) and the
reasons are the traits that pushed the probability up most, named for users (``promo_footer``) with their
evidence (the phrase found, the count).

    >>> model = FarmModel.load()  # doctest: +SKIP
    >>> model.assess(traits).label  # doctest: +SKIP
    'content_farm'
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from detector.errors import ModelError
from detector.records import Label, Trait

MODEL_DIR = Path(__file__).resolve().parent / "models"
MODEL_PATH = MODEL_DIR / "farm_model.skops"
CARD_SUFFIX = ".card.json"
SQUASH_CAP = 1e6

# Every type the shipped model file may hold; anything else in a file is refused before it is loaded.
TRUSTED_TYPES: tuple[str, ...] = (
    "sklearn.calibration.CalibratedClassifierCV",
    "sklearn.calibration._CalibratedClassifier",
    "sklearn.calibration._SigmoidCalibration",
    "sklearn.pipeline.Pipeline",
    "sklearn.preprocessing._data.StandardScaler",
    "sklearn.linear_model._logistic.LogisticRegression",
    "sklearn.ensemble._hist_gradient_boosting.gradient_boosting.HistGradientBoostingClassifier",
    "sklearn.ensemble._hist_gradient_boosting.predictor.TreePredictor",
    "sklearn.ensemble._hist_gradient_boosting.binning._BinMapper",
    "sklearn._loss.loss.HalfBinomialLoss",
    "sklearn._loss.link.LogitLink",
    "sklearn._loss.link.Interval",
    "sklearn._loss._loss.CyHalfBinomialLoss",
    "sklearn.preprocessing._label.LabelEncoder",
    "numpy.random._generator.Generator",
    "numpy.uint64",
    "sklearn.model_selection._split.PredefinedSplit",
    "numpy.dtype",
    "numpy.ndarray",
    "numpy.float64",
    "numpy.int64",
    "builtins.list",
    "builtins.tuple",
    "builtins.dict",
    "builtins.str",
    "builtins.int",
    "builtins.float",
    "builtins.bool",
    "builtins.NoneType",
)

# Trait name -> the reason users read. Traits not listed are reported under their own name.
REASON_NAMES: dict[str, str] = {
    "promo_cta_lines": "promo_footer",
    "join_group_prompt": "promo_footer",
    "community_cta_links": "promo_footer",
    "share_widget_labels": "share_widget",
    "share_links": "share_widget",
    "share_widget_markup": "share_widget",
    "related_blocks": "similar_posts",
    "related_clickbait_share": "similar_posts",
    "clickbait_link_share": "clickbait_links",
    "title_clickbait": "clickbait_title",
    "title_repeated": "title_repeated",
    "subscribe_prompts": "signup_prompt",
    "push_notification_scripts": "push_prompt",
    "ad_slots": "ads",
    "ad_slots_per_1k_words": "ads",
    "ad_networks": "ads",
    "max_share_copied": "copied_text",
    "whole_copy": "copied_text",
    "source_domains": "copied_text",
    "uncredited_share_copied": "uncredited_copy",
    "copied_without_credit": "uncredited_copy",
    "credit_points_to_own_site": "credit_links_own_site",
    "source_lines": "source_line",
    "read_more_lines": "source_line",
    "missing_author": "missing_metadata",
    "missing_date": "missing_metadata",
    "missing_description": "missing_metadata",
    "missing_sitename": "missing_metadata",
    "missing_structured_data": "missing_metadata",
}
# Descriptive statistics push the score but are no evidence a reader can check; they are never reasons.
NOT_REASONS = frozenset({
    "word_count", "mean_word_length", "symbol_to_word_ratio", "lines_end_punct_fraction", "bullet_line_fraction",
    "ellipsis_line_fraction", "stop_word_fraction", "alpha_word_fraction", "short_line_fraction",
    "uppercase_word_fraction", "c4_bad_line_fraction", "link_density", "main_text_share", "outbound_link_share",
    "third_party_scripts", "iframes", "top_2gram_char_fraction", "top_3gram_char_fraction", "top_4gram_char_fraction",
})
MIN_CONTRIBUTION = 0.15  # logit units; smaller pushes are not worth a reason
# ...except for furniture a reader can check on the page: a trait the model may only read in the farm direction
# (the card's ``monotonic_increasing``) that is present and pushes up at all is a finding, however small its push.
# Why: on a page with a dozen farm traits the trees are saturated and each trait alone moves the logit little
# (botasot's repeated title: +0.08), yet the repeated title is there and is part of why the page is a farm.
MAX_REASONS = 12  # reasons that are not findings; every finding is listed (there are at most 29 kinds)
EVIDENCE_CHARS = 60


def squash(values: np.ndarray) -> np.ndarray:
    """Trait values as the model sees them: ``log1p`` of the value clipped to [0, 1e6] (counts grow slowly)."""
    return np.log1p(np.clip(np.asarray(values, dtype=np.float64), 0.0, SQUASH_CAP))


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Probability cut-offs: ``content_farm`` at or above the first, ``suspicious`` at or above the second."""

    content_farm: float = 0.7
    suspicious: float = 0.3

    def __post_init__(self) -> None:
        if not 0.0 < self.suspicious <= self.content_farm <= 1.0:
            raise ValueError(f"thresholds must satisfy 0 < suspicious <= content_farm <= 1, got {self}")

    def label(self, probability: float) -> Label:
        if probability >= self.content_farm:
            return "content_farm"
        if probability >= self.suspicious:
            return "suspicious"
        return "clean"

    def to_dict(self) -> dict[str, float]:
        return {"content_farm": self.content_farm, "suspicious": self.suspicious}


@dataclass(frozen=True, slots=True)
class Assessment:
    """The classifier's answer for one page: probability, label, reasons, and every trait's push (logit units)."""

    probability: float
    label: Label
    reasons: tuple[str, ...]
    contributions: tuple[tuple[str, float], ...]
    signals: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"probability": self.probability, "label": self.label, "reasons": list(self.reasons),
                "signals": list(self.signals), "contributions": dict(self.contributions)}


def card_path(model_path: Path) -> Path:
    """The JSON card beside a model file: ``farm_model.skops`` -> ``farm_model.card.json``."""
    return model_path.with_name(model_path.name.removesuffix(".skops") + CARD_SUFFIX)


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _evidence_text(trait: Trait) -> str:
    if trait.evidence:
        text = " ".join(trait.evidence.split())
        text = text if len(text) <= EVIDENCE_CHARS else text[: EVIDENCE_CHARS - 1].rstrip() + "\u2026"
        return f'"{text}"'
    if float(trait.value).is_integer():
        return f"{int(trait.value)}x"
    return f"{trait.value:.2f}"


def _markup_evidence(trait: Trait) -> bool:
    """Whether a trait's evidence is markup a reader never sees (a script or stylesheet path, a class name)."""
    evidence = (trait.evidence or "").lstrip()
    return evidence.startswith(("/", "http://", "https://", "//")) or trait.name.endswith("_markup")


#: Within one reason, the evidence a reader sees first: a share bar's label line ("Spread the love Facebook Twitter
#: ...") before the list of networks its links share to, whichever trait pushed more.
_EVIDENCE_RANK = {"share_widget_labels": 0, "share_links": 1}


def _shows_more(candidate: Trait, current: Trait) -> bool:
    """Whether ``candidate`` should give a reason's evidence instead of ``current``, the trait that pushed more:
    when it quotes what a reader sees and ``current`` quotes markup (a share bar's "Spread the love Facebook
    ..." rather than "/wp-content/plugins/spread-the-love/js/share.js"), or, neither quoting markup, when it
    ranks first in ``_EVIDENCE_RANK``."""
    if not candidate.evidence or _markup_evidence(candidate):
        return False
    if _markup_evidence(current):
        return True
    last = len(_EVIDENCE_RANK)
    return _EVIDENCE_RANK.get(candidate.name, last) < _EVIDENCE_RANK.get(current.name, last)


#: User-facing reasons that restate copy evidence, with the copy relation (``score.copy_reasons``) that says it.
RESTATED_RELATIONS = {"copied_text": "copied_from", "uncredited_copy": "uncredited_copy"}
PROFILE_SHOWN = 3


def _profile_reason(names: Sequence[str], raw: np.ndarray, pushes: np.ndarray) -> str | None:
    """``profile (link_density 0.028, main_text_share 0.933)``: the descriptive statistics that pushed the
    probability up most, with their values; None when none did."""
    top = [j for j in np.argsort(-pushes, kind="stable")[:PROFILE_SHOWN] if pushes[j] > 0]
    return "profile (" + ", ".join(f"{names[j]} {raw[j]:.3g}" for j in top) + ")" if top else None


def _by_reason(pushed: Iterable[tuple[Trait, float]]) -> dict[str, tuple[float, float, Trait]]:
    """Pushes of traits that share a user-facing reason, added up: reason -> (total push, strongest push, the
    trait whose evidence the reason shows: the strongest one's, unless another shows more, ``_shows_more``)."""
    grouped: dict[str, tuple[float, float, Trait]] = {}
    for trait, push in pushed:
        reason = REASON_NAMES.get(trait.name, trait.name)
        total, best, shown = grouped.get(reason, (0.0, 0.0, trait))
        new = _shows_more(trait, shown) if push <= best else not _shows_more(shown, trait)
        grouped[reason] = (total + push, max(push, best), trait if new else shown)
    return grouped


def _ads_evidence(by_name: Mapping[str, Trait]) -> str | None:
    """One form for the ``ads`` reason, whichever ad trait pushed most: the slots against the words of text, then
    the networks ("5 ad slots for 397 words of text; gpt, taboola"). An outside probe saw the same page's reason
    quote a count in one run and class names in another."""
    density, networks = by_name.get("ad_slots_per_1k_words"), by_name.get("ad_networks")
    parts = [t.evidence for t in (density, networks) if t is not None and t.value > 0 and t.evidence]
    return "; ".join(parts) or None


def _reason(name: str, trait: Trait, by_name: Mapping[str, Trait] | None = None) -> str:
    if name == "ads" and by_name is not None:
        shown = _ads_evidence(by_name)
        if shown:
            return f"{name} ({_evidence_text(replace(trait, evidence=shown))})"
    if name == "missing_metadata":
        return f"{name} ({trait.name.removeprefix('missing_')})"
    if trait.name == "title_repeated":
        return f"{name} ({int(trait.value)}x)"
    return f"{name} ({_evidence_text(trait)})"


def read_card(model_path: Path) -> dict[str, Any]:
    path = card_path(model_path)
    try:
        card = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ModelError(f"{path}: model card missing (every model needs its card; run `detector train`)") from None
    except (OSError, ValueError) as exc:
        raise ModelError(f"{path}: unreadable model card ({exc})") from None
    if not isinstance(card, dict) or not isinstance(card.get("feature_names"), list):
        raise ModelError(f"{path}: not a model card (no feature_names)")
    return card


def safe_load_estimator(model_path: Path, expected_sha256: str | None = None) -> Any:
    """The estimator in a skops file, refused (ModelError naming the file) unless every type is trusted.

    Nothing in the file is executed before the allow-list check: ``get_untrusted_types`` only reads the
    file's schema, and ``skops.io.loads`` is then called with the explicit allow-list, never ``trusted=True``.
    """
    import skops.io as sio

    try:
        data = model_path.read_bytes()
    except OSError as exc:
        raise ModelError(f"{model_path}: cannot read model ({exc.strerror or exc})") from None
    if expected_sha256 is not None and sha256_bytes(data) != expected_sha256:
        raise ModelError(f"{model_path}: file does not match the sha256 in its card (tampered or replaced); "
                         "run `detector train` to rebuild it")
    if not data.startswith(b"PK"):
        raise ModelError(f"{model_path}: not a skops file (refusing to load it)")
    try:
        untrusted = sio.get_untrusted_types(data=data)
    except Exception as exc:  # noqa: BLE001 - any failure to read the schema means: not ours
        raise ModelError(f"{model_path}: not a readable skops file ({type(exc).__name__})") from None
    refused = sorted(set(untrusted) - set(TRUSTED_TYPES))
    if refused:
        raise ModelError(f"{model_path}: refusing to load types outside the allow-list: {', '.join(refused)}")
    try:
        return sio.loads(data, trusted=list(TRUSTED_TYPES))
    except Exception as exc:  # noqa: BLE001
        raise ModelError(f"{model_path}: model could not be loaded ({type(exc).__name__}: {exc})") from None


def linear_parts(estimator: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray, float, float, float]:
    """(mean, scale, coef, intercept, a, b) of a fitted ``CalibratedClassifierCV(Pipeline(scaler, lr))``.

    The probability of class 1 is ``1 / (1 + exp(a * f + b))`` with ``f = coef . (x - mean) / scale + intercept``.
    """
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler

    if not isinstance(estimator, CalibratedClassifierCV) or len(getattr(estimator, "calibrated_classifiers_", ())) != 1:
        raise ValueError("expected a fitted CalibratedClassifierCV with ensemble=False")
    calibrated = estimator.calibrated_classifiers_[0]
    pipe = calibrated.estimator
    if not isinstance(pipe, Pipeline) or len(pipe.steps) != 2:
        raise ValueError("expected Pipeline(StandardScaler, LogisticRegression)")
    scaler, lr = pipe.steps[0][1], pipe.steps[1][1]
    if not isinstance(scaler, StandardScaler) or not isinstance(lr, LogisticRegression):
        raise ValueError("expected Pipeline(StandardScaler, LogisticRegression)")
    if list(estimator.classes_) != [0, 1]:
        raise ValueError(f"expected classes [0, 1], got {list(estimator.classes_)}")
    (calibrator,) = calibrated.calibrators
    scale = np.where(scaler.scale_ == 0, 1.0, scaler.scale_)
    return (scaler.mean_.astype(np.float64), scale.astype(np.float64), lr.coef_[0].astype(np.float64),
            float(lr.intercept_[0]), float(calibrator.a_), float(calibrator.b_))


def tree_parts(estimator: Any) -> tuple[Any, float, float]:
    """(boosted trees, a, b) of a fitted ``CalibratedClassifierCV(HistGradientBoostingClassifier)``, sigmoid:
    the probability of class 1 is ``1 / (1 + exp(a * f + b))`` with ``f`` the trees' raw decision value."""
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.ensemble import HistGradientBoostingClassifier

    if not isinstance(estimator, CalibratedClassifierCV) or len(getattr(estimator, "calibrated_classifiers_", ())) != 1:
        raise ValueError("expected a fitted CalibratedClassifierCV with ensemble=False")
    calibrated = estimator.calibrated_classifiers_[0]
    trees = calibrated.estimator
    if not isinstance(trees, HistGradientBoostingClassifier):
        raise ValueError("expected a HistGradientBoostingClassifier")
    if list(estimator.classes_) != [0, 1]:
        raise ValueError(f"expected classes [0, 1], got {list(estimator.classes_)}")
    (calibrator,) = calibrated.calibrators
    return trees, float(calibrator.a_), float(calibrator.b_)


def _is_tree_model(estimator: Any) -> bool:
    """Whether ``estimator`` calibrates a ``HistGradientBoostingClassifier`` (else it should be the linear one)."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    inner = getattr(getattr(estimator, "calibrated_classifiers_", [None])[0], "estimator", None)
    return isinstance(inner, HistGradientBoostingClassifier)


def _flatten_trees(trees: Any) -> tuple[Any, ...]:
    """The fitted trees' nodes in flat arrays (child indices made global) for ``FarmModel._decisions``."""
    nodes, roots, offset = [], [], 0
    for (predictor,) in trees._predictors:
        if predictor.nodes["is_categorical"].any():
            raise ValueError("categorical splits are not supported")
        n = predictor.nodes.copy()
        n["left"] += offset
        n["right"] += offset
        roots.append(offset)
        nodes.append(n)
        offset += len(n)
    flat = np.concatenate(nodes)
    return (flat["feature_idx"].astype(np.intp), flat["num_threshold"].astype(np.float64),
            flat["missing_go_to_left"].astype(bool), flat["left"].astype(np.intp), flat["right"].astype(np.intp),
            flat["is_leaf"].astype(bool), flat["value"].astype(np.float64), np.array(roots, dtype=np.intp),
            float(np.asarray(trees._baseline_prediction).ravel()[0]), int(flat["depth"].max()) + 1)


def _child_table(forest: tuple[Any, ...]) -> np.ndarray:
    """Where a row goes from each node, as one flat array for ``FarmModel._decisions``: entry ``2 * node`` is the
    right child, ``2 * node + 1`` the left one (index ``2 * node + go_left``), and a leaf leads to itself, so a
    walk that has reached its leaf stays there without a separate test."""
    left, right, leaf = forest[3], forest[4], forest[5]
    own = np.arange(len(leaf), dtype=np.intp)
    children = np.empty(2 * len(leaf), dtype=np.intp)
    children[0::2] = np.where(leaf, own, right)
    children[1::2] = np.where(leaf, own, left)
    return children


TREES_SUFFIX = ".trees.npz"
_FOREST_FIELDS = ("feature", "threshold", "missing_left", "left", "right", "leaf", "value", "roots")


def trees_path(model_path: Path) -> Path:
    """The flat-array copy of a tree model's nodes beside its file: ``farm_model.skops`` -> ``farm_model.trees.npz``."""
    return model_path.with_name(model_path.name.removesuffix(".skops") + TREES_SUFFIX)


def save_trees(estimator: Any, model_path: Path, model_sha256: str) -> Path | None:
    """Write the tree model's nodes as flat arrays beside ``model_path``, marked with the skops file's sha256
    (None for a linear model, which loads quickly anyway)."""
    try:
        trees, a, b = tree_parts(estimator)
    except ValueError:
        return None
    forest = _flatten_trees(trees)
    path = trees_path(model_path)
    tmp = path.with_name(path.name + ".tmp.npz")
    np.savez_compressed(tmp, **dict(zip(_FOREST_FIELDS, forest[:8])), baseline=forest[8], depth=forest[9], a=a, b=b,
             n_features=int(trees.n_features_in_), model_sha256=np.str_(model_sha256))
    tmp.replace(path)
    return path


def load_trees(model_path: Path, card: dict[str, Any]) -> tuple[tuple[Any, ...], float, float, int] | None:
    """(forest, a, b, number of features) from the flat arrays beside ``model_path``, or None when they are
    missing, unreadable, or not read from this very model file (its sha256 and the card's must both match)."""
    path = trees_path(model_path)
    expected = card.get("model_sha256")
    if not expected or not path.is_file():
        return None
    try:
        with np.load(path, allow_pickle=False) as z:
            if str(z["model_sha256"]) != expected or sha256_bytes(model_path.read_bytes()) != expected:
                return None
            forest = (z["feature"].astype(np.intp), z["threshold"].astype(np.float64), z["missing_left"].astype(bool),
                      z["left"].astype(np.intp), z["right"].astype(np.intp), z["leaf"].astype(bool),
                      z["value"].astype(np.float64), z["roots"].astype(np.intp), float(z["baseline"]), int(z["depth"]))
            return forest, float(z["a"]), float(z["b"]), int(z["n_features"])
    except (OSError, KeyError, ValueError, TypeError):
        return None


class FarmModel:
    """A loaded, checked classifier with its card: ``assess(traits)`` gives probability, label and reasons."""

    def __init__(self, estimator: Any, card: dict[str, Any], path: Path | None = None,
                 trees: tuple[tuple[Any, ...], float, float, int] | None = None) -> None:
        """From a fitted estimator, or (``estimator`` None) from a tree model's flat arrays (``load_trees``):
        then the estimator is read from ``path`` only if something asks for it (``predict_proba``)."""
        self._estimator = estimator
        self.card = card
        self.path = path
        self.feature_names: tuple[str, ...] = tuple(card["feature_names"])
        cut = card.get("thresholds", {})
        self.thresholds = Thresholds(float(cut.get("content_farm", 0.7)), float(cut.get("suspicious", 0.3)))
        where = path or "model"
        self._forest: tuple[Any, ...] | None = None
        # A statistic constrained to the farm direction (link density) is no furniture a reader can check: it
        # stays out of the findings and signals, as it does of the reasons (it can be a ``profile`` statistic).
        self._findings = frozenset(card.get("monotonic_increasing", ())) - NOT_REASONS
        try:
            if trees is None and estimator is not None and _is_tree_model(estimator):
                fitted, a, b = tree_parts(estimator)
                trees = (_flatten_trees(fitted), a, b, int(fitted.n_features_in_))
            if trees is not None:
                self._forest, self._a, self._b, n = trees
                self._median = np.asarray(card.get("clean_median", ()), dtype=np.float64)
                if self._median.shape != (len(self.feature_names),):
                    raise ValueError("its card has no clean_median for every trait")
                self._explainable = np.array([name not in NOT_REASONS for name in self.feature_names])
                self._children = _child_table(self._forest)
            else:
                self._mean, self._scale, self._coef, self._intercept, self._a, self._b = linear_parts(estimator)
                n = self._coef.shape[0]
                self._weights = self._coef / self._scale
        except (ValueError, AttributeError, TypeError, IndexError) as exc:
            raise ModelError(f"{where}: not a farm model of this version ({exc})") from None
        if n != len(self.feature_names):
            raise ModelError(f"{where}: model has {n} features, its card lists {len(self.feature_names)}")

    @property
    def estimator(self) -> Any:
        """The fitted scikit-learn estimator (read from the model file on first use when loaded from its arrays)."""
        if self._estimator is None:
            if self.path is None:
                raise ModelError("model: no estimator and no model file to read it from")
            self._estimator = safe_load_estimator(self.path, self.card.get("model_sha256"))
        return self._estimator

    @property
    def is_trees(self) -> bool:
        """Whether this is a tree model (else the linear one)."""
        return self._forest is not None

    @classmethod
    def load(cls, path: str | Path | None = None) -> "FarmModel":
        """Load and check a model file and its card (default: the model shipped in the package)."""
        from features import feature_names

        model_path = Path(path) if path is not None else MODEL_PATH
        if not model_path.is_file():
            raise ModelError(f"{model_path}: no model file here (run `detector train` to build one)")
        card = read_card(model_path)
        current = feature_names()
        if card["feature_names"] != current:
            missing = sorted(set(current) - set(card["feature_names"]))
            extra = sorted(set(card["feature_names"]) - set(current))
            raise ModelError(f"{model_path}: model was trained on other traits than this version computes "
                             f"(new: {', '.join(missing) or '-'}; gone: {', '.join(extra) or '-'}; or reordered); "
                             "run `detector train` to rebuild it")
        trees = load_trees(model_path, card)
        if trees is not None:
            return cls(None, card, model_path, trees)
        estimator = safe_load_estimator(model_path, card.get("model_sha256"))
        return cls(estimator, card, model_path)

    def vector(self, traits: Sequence[Trait]) -> np.ndarray:
        """Raw trait values in the model's feature order (a trait missing from ``traits`` is a ModelError)."""
        if len(traits) == len(self.feature_names) and all(t.name == n for t, n in zip(traits, self.feature_names)):
            return np.fromiter((t.value for t in traits), dtype=np.float64, count=len(traits))
        by_name = {t.name: t.value for t in traits}
        missing = [n for n in self.feature_names if n not in by_name]
        if missing:
            raise ModelError(f"{self.path or 'model'}: traits missing for the model: {', '.join(missing)}")
        return np.array([by_name[n] for n in self.feature_names], dtype=np.float64)

    def _logit_parts(self, raw: np.ndarray) -> tuple[np.ndarray, float]:
        centred = squash(raw) - self._mean
        parts = centred * self._weights
        return parts, float(parts.sum()) + self._intercept

    def _probability(self, decision: float) -> float:
        z = self._a * decision + self._b
        return 1.0 / (1.0 + math.exp(z)) if z < 700 else 0.0

    def probability(self, traits: Sequence[Trait]) -> float:
        """Calibrated probability that the page is a content farm."""
        raw = self.vector(traits)
        if self.is_trees:
            return self._probability(float(self._decisions(squash(raw)[None, :])[0]))
        return self._probability(self._logit_parts(raw)[1])

    def predict_proba(self, raw: np.ndarray) -> np.ndarray:
        """Probabilities of a batch of raw trait rows, through scikit-learn (for evaluation)."""
        return self.estimator.predict_proba(squash(raw))[:, 1]

    def assess(self, traits: Sequence[Trait]) -> Assessment:
        """Probability, label and the reasons (traits that pushed the probability up most, with evidence).

        A page labelled clean gets no trait reasons (every page has some small pushes; they are not findings), only
        the farm furniture it carries as ``signals``.
        """
        raw = self.vector(traits)
        if self.is_trees:
            return self._assess_trees(traits, raw)
        parts, decision = self._logit_parts(raw)
        probability = self._probability(decision)
        # The calibrator maps the decision through a; when a > 0 a positive part lowers the probability.
        direction = -1.0 if self._a > 0 else 1.0
        pushes = parts * direction
        candidates = [j for j, (name, value) in enumerate(zip(self.feature_names, raw))
                      if value > 0 and name not in NOT_REASONS]
        return self._assessment(probability, pushes, candidates, traits)

    def _assessment(self, probability: float, pushes: np.ndarray, candidates: Iterable[int],
                    traits: Sequence[Trait]) -> Assessment:
        """Label and reasons from each trait's push: pushes of traits that share a user-facing reason add up;
        the reason shows the evidence of its strongest trait. Clean pages get no trait reasons; the farm
        furniture they carry (findings that push up at all) is listed as ``signals``, too weak to flag the page:
        outside probes read an empty explanation of a page at 0.28 with five farm traits as the tool seeing none."""
        contributions = tuple((n, round(float(p), 4)) for n, p in zip(self.feature_names, pushes))
        label = self.thresholds.label(probability)
        if label == "clean":
            return Assessment(probability, label, (), contributions, self._signals(traits, pushes))
        by_name = {t.name: t for t in traits}
        pushed = [(by_name[self.feature_names[j]], float(pushes[j])) for j in candidates if pushes[j] > 0]
        by_reason = _by_reason(pushed)
        found = {REASON_NAMES.get(t.name, t.name) for t, _ in pushed if t.name in self._findings}
        ranked = sorted(by_reason.items(), key=lambda kv: -kv[1][0])
        others = [name for name, (total, _, _) in ranked if name not in found and total >= MIN_CONTRIBUTION]
        listed = found | set(others[:MAX_REASONS])
        reasons = tuple(_reason(name, trait, by_name) for name, (_, _, trait) in ranked if name in listed)
        return Assessment(probability, label, reasons, contributions)

    def _signals(self, traits: Sequence[Trait], pushes: np.ndarray) -> tuple[str, ...]:
        """A clean page's farm furniture: every farm trait (a finding) it carries, whatever its push (a probe saw a
        join-group prompt, a share bar and five ad slots left out of a list of one), in the reasons' form, the
        strongest push first; copy evidence aside (the copy relations say it, and a credited reprint's "copied
        text" is no farm's furniture)."""
        push = dict(zip(self.feature_names, pushes))
        present = sorted((t for t in traits if t.value > 0 and t.name in self._findings
                          and REASON_NAMES.get(t.name, t.name) not in RESTATED_RELATIONS),
                         key=lambda t: -push.get(t.name, 0.0))
        by_reason = _by_reason((t, max(push.get(t.name, 0.0), 0.0)) for t in present)
        ranked = sorted(by_reason.items(), key=lambda kv: (-kv[1][0], kv[0]))
        by_name = {t.name: t for t in traits}
        return tuple(_reason(name, trait, by_name) for name, (_, _, trait) in ranked)

    def _decisions(self, X: np.ndarray) -> np.ndarray:
        """The trees' raw decision values of rows ``X`` (squashed), all trees walked at once with numpy: the
        same sums as ``decision_function`` without its per-tree call overhead (a test checks they agree)."""
        feature, threshold, go_left_missing, _, _, _, value, roots, baseline, depth = self._forest
        children = self._children
        node = np.broadcast_to(roots, (X.shape[0], len(roots)))
        # Flat ``take`` lookups: cheaper than fancy indexing of small arrays, which this loop does a few per level.
        flat = X.ravel()
        offsets = (np.arange(X.shape[0]) * X.shape[1])[:, None]
        missing = bool(np.isnan(X).any())  # trait values are finite: the missing-value rule is then never needed
        for _ in range(depth):
            x = flat.take(offsets + feature.take(node))
            go_left = x <= threshold.take(node)
            if missing:
                go_left = np.where(np.isnan(x), go_left_missing.take(node), go_left)
            node = children.take(2 * node + go_left)
        return baseline + value.take(node).sum(axis=1)

    def _assess_trees(self, traits: Sequence[Trait], raw: np.ndarray) -> Assessment:
        """Tree model: each trait above its clean-training median is set back to that median, one at a time, all
        rows in one call to the trees; a trait's push is the drop in the calibrated logit (``-a`` x the drop in
        the trees' decision value). Traits at or below the median push 0."""
        x = squash(raw)
        explainable = np.flatnonzero((x > self._median) & self._explainable & (raw > 0))
        decision, pushes = self._pushes(x, explainable)
        assessment = self._assessment(self._probability(decision), pushes, explainable, traits)
        if assessment.label == "clean" or assessment.reasons:
            return assessment
        # Flagged, and no farm trait explains it: the descriptive statistics that did, either side of the median
        # (a probe's page at 0.31 showed no reason at all; its text stood almost alone on the page).
        _, pushes = self._pushes(x, np.flatnonzero((x != self._median) & ~self._explainable))
        reason = _profile_reason(self.feature_names, raw, pushes)
        return replace(assessment, reasons=(reason,)) if reason else assessment

    def _pushes(self, x: np.ndarray, columns: np.ndarray) -> tuple[float, np.ndarray]:
        """(the trees' decision value of squashed row ``x``, each trait's push): for each of ``columns``, the drop
        in the calibrated logit when that trait alone is set back to its clean-training median (all rows in one
        call to the trees); other traits push 0."""
        batch = np.repeat(x[None, :], 1 + len(columns), axis=0)
        batch[1 + np.arange(len(columns)), columns] = self._median[columns]
        decisions = self._decisions(batch)
        pushes = np.zeros(len(self.feature_names))
        pushes[columns] = -self._a * (decisions[0] - decisions[1:])
        return float(decisions[0]), pushes


@lru_cache(maxsize=4)
def _cached(path: str) -> FarmModel:
    return FarmModel.load(path)


def load_model(path: str | Path | None = None) -> FarmModel:
    """A model loaded once per process and path (default: the shipped one); ModelError when refused."""
    return _cached(str(Path(path) if path is not None else MODEL_PATH))
