"""The per-page steps of an audit, run in worker processes: extract (stage 1) and find copies (stage 2).

Stage 1 needs nothing but the page: read or parse it, extract the article, fingerprint it, and ask the scorer
for the page's own verdict (traits and farm probability once the classifier lands). Stage 2 runs once every
page of the batch is indexed: it matches one article against the run's index (and the user's ``--index``),
traces the chain back to the original, and merges that copy evidence into the stage-1 verdict.
Both return their checkpoint line already serialised (``record_line``), so the parent only writes it: the
parent's work per page stays small and it competes less with the workers for the cores.
"""

from __future__ import annotations

import json
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from detector.config import DEFAULT, Config
from detector.docprint import DocPrint, docprints, from_query_record, query_record
from detector.errors import DetectorError, InputError
from detector.extract import Extracted, extract
from detector.index import Index
from detector.provenance import Doubt, origin_and_chain, page_p
from detector.pubdate import parse_datetime
from detector.records import Article, Match, Trait, Verdict
from detector.score import (Scorer, copy_reasons, examined, merged_matches, stored_probability, verdict_reasons,
                            stored_source_matches)
from detector.sources import Target, load
from detector.audit_inputs import Item
from detector.audit_state import record_line
from features.registry import MATCH_FAMILIES

if TYPE_CHECKING:
    from detector.classify import Thresholds

_COPY_REASONS = ("copied_from:", "uncredited_copy:", "copied_by:")
# Key of a stage-1 verdict dict holding its traits' evidence (``Verdict.to_dict`` keeps only their values), so
# that stage 2, re-asking the classifier, gives the reasons ``score()`` gives: ``promo_footer ("To join...")``,
# not ``promo_footer (1x)``. The final verdict (``batch_verdict``) is built afresh and does not carry it.
EVIDENCE = "trait_evidence"
COPY_TRAIT_FAMILIES = MATCH_FAMILIES  # the trait families that read a page's matches (PageView.matches)


@dataclass(frozen=True, slots=True)
class Extraction:
    """Stage-1 result of one item: its article, fingerprint and page-local verdict, or an error."""

    name: str
    article: Article | None
    docprint: DocPrint | None
    verdict: dict[str, Any]
    error: str | None = None

    def record(self, fingerprint: str) -> str:
        """The ``extracted.jsonl`` line of this result (``name`` and ``url`` first: see ``Checkpoint.heads``), with
        the query half of its fingerprint (made under the config whose ``fingerprint`` is given) for stage 2."""
        return record_line({"name": self.name, "url": self.article.url if self.article else None,
                            "error": self.error, "verdict": self.verdict,
                            "article": self.article.to_dict() if self.article else None,
                            "print": query_record(self.docprint, fingerprint) if self.docprint else None})


def article_from_dict(data: dict[str, Any]) -> Article:
    """An Article back from its ``to_dict()`` (checkpoints store articles as JSON)."""
    return Article(url=data["url"], domain=data["domain"], title=data.get("title"), text=data["text"],
                   paragraphs=tuple(data.get("paragraphs") or ()), published=parse_datetime(data.get("published")),
                   author=data.get("author"), sitename=data.get("sitename"), canonical=data.get("canonical"),
                   language=data.get("language"), description=data.get("description"),
                   links=tuple(data.get("links") or ()), credited=tuple(data.get("credited") or ()),
                   seen=parse_datetime(data.get("seen")), release=data.get("release") is True,
                   owners=tuple(data.get("owners") or ()))


def _error(name: str, url: str | None, message: str) -> Extraction:
    return Extraction(name, None, None, Verdict(target=name, url=url, error=message).to_dict(), message)


def extract_item(item: Item, config: Config = DEFAULT) -> Extraction:
    """Stage 1 for one item; never raises (an unreadable page becomes an Extraction with ``error``)."""
    url = item.name if item.kind == "url" else (item.page.final_url if item.page else None)
    try:
        if item.kind == "file":
            extracted = load(Target(item.name, "file", path=item.path), config=config)
        elif item.kind in ("page", "url") and item.page is not None:
            extracted = extract(item.page, config, target=item.name)
        elif item.kind == "doc" and item.article is not None:
            extracted = Extracted(item.article, None)
        else:
            raise InputError(item.name, item.error or "nothing to read")
        extracted, page = examined(extracted)
        verdict = Scorer(None, config).verdict(item.name, extracted, page)
        local = {**verdict.to_dict(), EVIDENCE: {t.name: t.evidence for t in verdict.traits if t.evidence}}
        (dp,) = docprints([extracted.article.text], config)
    except InputError as err:
        return _error(item.name, url, err.message)
    except Exception as err:  # noqa: BLE001 - one bad page must not end a 100k-page audit
        last = traceback.extract_tb(err.__traceback__)[-1]
        return _error(item.name, url, f"internal error: {type(err).__name__}: {err} ({last.name}:{last.lineno})")
    return Extraction(item.name, extracted.article, dp, local)


def reassess(local: dict[str, Any], article: Article, matches: Sequence[Match]) -> dict[str, Any]:
    """Traits and classifier output redone with the batch's copy evidence (the DOM is gone by stage 2).

    The traits that change when matches are given are recomputed on the article with and without matches;
    the stage-1 DOM traits are kept, with their evidence (``EVIDENCE``), so the reasons read as ``score()``'s;
    the model is asked again. Only the ``COPY_TRAIT_FAMILIES`` read a page's matches, so only their traits are
    computed (twice), not every trait. Without the classifier modules (or without matches) the stage-1 values
    stand.
    """
    evidence = local.get(EVIDENCE) or {}
    keep = {"traits": local.get("traits") or {}, "farm_probability": local.get("farm_probability"),
            "label": local.get("label"), "reasons": [r for r in local.get("reasons") or ()
                                                     if not r.startswith(_COPY_REASONS)],
            "signals": list(local.get("signals") or ())}
    if not matches or not keep["traits"]:
        return keep
    try:
        from detector.classify import load_model
        from features.registry import compute_traits
        from features.view import PageView
    except ImportError:
        return keep
    bare = compute_traits(PageView(article, None, ()), COPY_TRAIT_FAMILIES)
    with_copies = compute_traits(PageView(article, None, tuple(matches)), COPY_TRAIT_FAMILIES)
    changed = {t.name: t for t, b in zip(with_copies, bare) if t.value != b.value}
    if not changed:
        return keep
    traits = tuple(changed.get(name) or Trait(name, float(value), evidence.get(name))
                   for name, value in keep["traits"].items())
    assessment = load_model().assess(traits)
    return {"traits": {t.name: t.value for t in traits}, "farm_probability": round(assessment.probability, 4),
            "label": assessment.label, "reasons": list(assessment.reasons), "signals": list(assessment.signals)}


def copy_verdict(local: dict[str, Any], article: Article, indexes: Sequence[Index],
                 p_of: Callable[[str], float | None] | None = None, dp: DocPrint | None = None) -> dict[str, Any]:
    """Stage 2: the stage-1 verdict (as a dict) with matches, origin, chain and copy reasons filled in; with
    ``p_of``, directions only the dates gave are weighed in the copy search itself (``provenance.Doubt``), for
    this page and for the sources met along its chain. ``dp``: the article's fingerprint under the first index's
    config, when stage 1 kept it (else it is computed)."""
    this_p = page_p(local.get("farm_probability"), p_of(article.url) if p_of else None)
    matches = merged_matches(article, indexes, doubt=doubt_with(this_p, p_of), dp=dp)
    return batch_verdict(local, article, matches, lambda url, seen: stored_source_matches(
        indexes, url, seen, lambda source: doubt_with(p_of(source) if p_of else None, p_of)))


def doubt_with(this_p: float | None, p_of: Callable[[str], float | None] | None) -> Doubt | None:
    """How a page's copy search weighs directions only the dates gave (``provenance.Doubt``): its own farm
    probability ``this_p`` against ``p_of(url)``, another page's own (None when unknown), at the shipped model's
    thresholds. None without ``p_of`` or a classifier: then the dates decide."""
    cuts = model_thresholds() if p_of is not None else None
    return Doubt(lambda: this_p, p_of, cuts.content_farm, cuts.suspicious) if p_of and cuts else None


def batch_verdict(local: dict[str, Any], article: Article, matches: Sequence[Match],
                  matches_of: Callable[[str, frozenset[str]], Sequence[Match]]) -> dict[str, Any]:
    """A page's final verdict (as a dict) once its batch matches are known: origin, chain, copy reasons,
    and the classifier asked again with the copy evidence. Both engines (local, Spark) build it here, from
    matches (this page's, and ``matches_of`` a source's met along the chain) whose dates their copy search
    has already weighed (``doubt_with``)."""
    origin, chain = origin_and_chain(article.url, matches, matches_of)
    verdict = Verdict(target=local["target"], url=article.url, domain=article.domain, title=article.title,
                      published=article.published, matches=tuple(matches), origin=origin, chain=chain,
                      reasons=copy_reasons(matches)).to_dict()
    own = reassess(local, article, matches)
    verdict.update(traits=own["traits"], farm_probability=own["farm_probability"], label=own["label"],
                   reasons=list(verdict_reasons(verdict["reasons"], own["reasons"])), signals=own["signals"])
    return verdict


def model_thresholds() -> Thresholds | None:
    """The shipped model's thresholds, or None without a classifier (then the dates decide, as before)."""
    try:
        from detector.classify import load_model

        return load_model().thresholds
    except Exception:  # noqa: BLE001 - no classifier: the dates decide, as before
        return None


# --------------------------------------------------------------------------- process-pool entry points

_STATE: dict[str, Any] = {}
READER_CACHE_MIB = 16  # SQLite page cache per stage-2 reader: flat memory however big the index grows


def init_worker(config: Config, index_paths: Sequence[str]) -> None:
    """Pool initializer: remember the config and the indexes stage 2 searches (opened at its first page)."""
    _STATE.clear()
    _STATE["config"] = config
    _STATE["index_paths"] = tuple(index_paths)


def _probability_of(url: str) -> float | None:
    """A page's own farm probability as an index keeps it: the run's index holds every batch page's (stage 1
    stored it), a user's index those it was built with (``score.stored_probability``)."""
    return stored_probability(_indexes(), url)


def _indexes() -> list[Index]:
    """The run's index and the user's indexes, opened read-only once per process (stage 1 must have finished
    writing the run's index before the first stage-2 page, so it is not opened earlier)."""
    if "indexes" not in _STATE:
        _STATE["indexes"] = [Index(path, _STATE.get("config", DEFAULT), readonly=True)
                             for path in _STATE["index_paths"]]
        for index in _STATE["indexes"]:
            index.limit_cache(READER_CACHE_MIB)
    return _STATE["indexes"]


def release_worker() -> None:
    """Close what ``init_worker`` and stage 2 opened (for the in-process worker of a one-worker audit)."""
    for index in _STATE.pop("indexes", ()):
        index.close()
    _STATE.clear()


def run_stage1(item: Item) -> tuple[Extraction, str]:
    """The item's extraction and its checkpoint line."""
    config = _STATE.get("config", DEFAULT)
    result = extract_item(item, config)
    return result, result.record(config.fingerprint)


def run_stage2(task: tuple[dict[str, Any], dict[str, Any]], dp: DocPrint | None = None) -> dict[str, Any]:
    """``(local verdict, article dict)`` -> the full verdict dict; an internal failure becomes the error. ``dp``:
    the article's fingerprint as stage 1 made it, if it was made under the run's config."""
    local, article = task
    try:
        return copy_verdict(local, article_from_dict(article), _indexes(), _probability_of, dp)
    except (DetectorError, Exception) as err:  # noqa: BLE001
        failed = {key: value for key, value in local.items() if key != EVIDENCE}
        failed["error"] = f"copy search failed: {type(err).__name__}: {err}"
        return failed


def run_stage2_line(line: str) -> tuple[str, str | None, str]:
    """One ``extracted.jsonl`` line -> ``(name, the copy search's error or None, its verdicts.jsonl line)``; a
    page stage 1 could not read keeps its stage-1 verdict (its error was reported by stage 1)."""
    record = json.loads(line)
    if record.get("article") is None:
        return record["name"], None, record_line({"name": record["name"], "verdict": record["verdict"]})
    indexes = _indexes()
    dp = from_query_record(record.get("print"), indexes[0].config.fingerprint) if indexes else None
    verdict = run_stage2((record["verdict"], record["article"]), dp)
    return record["name"], verdict.get("error"), record_line({"name": record["name"], "verdict": verdict})
