"""An audit's tables from its verdicts: pages (one row each), domains (aggregated, scored, ranked), copy edges.

Pure functions over verdict dicts (``Verdict.to_dict()``) and polars frames, shared by the local and the Spark
engine so both produce the same tables.

Domain score (documented in the README, "How domains are ranked"):
    copy_score = 0.4 * copy_extent + 0.6 * uncredited_copy_extent
                 (the mean over the domain's pages of how much each page copied: the share of its text taken
                 from its source / 0.5, at most 1, so a page that took half its text or more counts in full;
                 and the same counting only pages that do not credit the source)
    score      = 0.5 * copy_score + 0.5 * median_farm_probability   (when the classifier gave probabilities)
               = copy_score                                         (otherwise)
    verdict    = content_farm if score >= 0.5 and some page is labelled content_farm, or took half its text or
                 more without credit, or two pages are copied without credit, or at least half the pages are
                 labelled content_farm,
                 suspicious if score >= 0.25 and some page is flagged or copied without credit, or at least
                 half the pages are labelled content_farm or suspicious, or at least a fifth of them (two pages
                 or more) are labelled content_farm,
                 else clean
Credited reuse weighs less than uncredited: a clean page republished with credit is syndication, not a farm.
The page labels come from the classifier, which already weighs a page's copy evidence, so a domain whose
pages are content-farm pages is a content-farm domain even when the copied text was not found (the
original is outside the batch and the index). A page counts as *copied* when its strongest source match
took the whole text or a substantial part of it (``provenance.is_copy``: derivation ``whole`` or ``partial``,
at least a tenth of the page, a passage in common), not when it only quotes. The score weighs a page that copied less than half its text by how much it took: an independent report
sharing two officials' quotes and a stock phrase with another outlet's story (a partial match over 12% of the
page, uncredited) made a newsroom's one-page domain "content_farm" when every copied page counted in full.
Rank 1 is the worst verdict with the highest score (ties: more copied pages, then name).
Domain-list hits are reported in ``listed_on`` and never enter the score.

Counting pages: the pages table has one row per input, but domain aggregates and domain edges count a page
(a URL) once. A URL read twice (a file and a WARC record of the same page, two crawls) is one page of its
domain, counted by its first row in the pages table (``counted_pages``); a domain edge's ``pages`` are the
distinct pages of the copying domain that took text from the source domain, and its ``share`` divides them by
the same page count as the domain's ``pages``.
"""

from __future__ import annotations

import json
from functools import lru_cache
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import polars as pl

from detector import provenance
from detector.records import Match, is_sibling, is_stated, is_upstream, iso
from detector.render import shown_score
from detector.urls import domain_of, is_http_url

FARM_AT, SUSPICIOUS_AT = 0.5, 0.25
COPIED_WEIGHT, UNCREDITED_WEIGHT = 0.4, 0.6
#: A page that took this share of its text or more counts as a copy in full in the domain score; less, in proportion.
FULL_COPY_SHARE = 0.5
_EXTENT = (pl.col("share_copied").fill_null(0.0) / FULL_COPY_SHARE).clip(upper_bound=1.0)
MAJORITY = 0.5  # share of a domain's pages whose page label carries the domain verdict
#: A domain with at least this share of its pages labelled content_farm (and two pages or more) is suspicious
#: whatever its score: a mostly original site running verbatim uncredited copies on 3 of its 13 pages scored
#: 0.19 (its median page is clean) and read clean (an outside probe of an ad network's domains).
FARM_PAGES_TO_REVIEW, FARM_PAGES_MIN = 0.2, 2
SCORE_DECIMALS = 6  # scores are sums of weighted shares: rounded so that 0.6949000000000001 reads 0.6949
_VERDICT_ORDER = {"content_farm": 0, "suspicious": 1, "clean": 2}
_RANK = provenance.DERIVATION_RANK
CHUNK = 10_000

PAGE_SCHEMA: dict[str, Any] = {
    "target": pl.String, "url": pl.String, "domain": pl.String, "title": pl.String, "published": pl.String,
    "farm_probability": pl.Float64, "label": pl.String, "reasons": pl.List(pl.String), "matches": pl.Int64,
    "copied": pl.Boolean, "uncredited": pl.Boolean, "share_copied": pl.Float64, "derivation": pl.String,
    "source_url": pl.String, "source_domain": pl.String, "origin_url": pl.String, "origin_domain": pl.String,
    "chain": pl.List(pl.String), "sources": pl.List(pl.Struct({
        "url": pl.String, "domain": pl.String, "published": pl.String, "share": pl.Float64, "derivation": pl.String,
        "credited": pl.Boolean, "evidence": pl.String})),
    "traits": pl.String, "listed_on": pl.List(pl.String), "error": pl.String,
}
EDGE_SCHEMA: dict[str, Any] = {
    "kind": pl.String, "source": pl.String, "target": pl.String, "source_domain": pl.String,
    "target_domain": pl.String, "share": pl.Float64, "share_of_source": pl.Float64, "pages": pl.Int64,
    "derivation": pl.String, "direction": pl.String, "credited": pl.Boolean, "credited_share": pl.Float64,
}


def _as_match(match: dict[str, Any]) -> Match:
    """A match dict as a ``Match`` for the provenance rules, which ask only whether it has a passage."""
    return Match.from_dict({**match, "passages": (match.get("passages") or [])[:1]})


#: The pages-table columns that measure a page (its verdict): null on a refused row, which has no measurement, so
#: that a mean over the column is a mean over the pages audited (a refused row read ``share_copied`` 0.0).
MEASURED = ("farm_probability", "label", "reasons", "matches", "copied", "uncredited", "share_copied", "derivation",
            "source_url", "source_domain", "origin_url", "origin_domain", "chain", "sources", "traits")


def page_row(verdict: dict[str, Any], listed_on: Callable[[str], tuple[str, ...]] | None = None) -> dict[str, Any]:
    """One flattened pages-table row of a verdict dict (a refused page: its ``MEASURED`` columns null)."""
    url = verdict.get("url") or (verdict["target"] if is_http_url(verdict["target"]) else None)
    domain = verdict.get("domain") or domain_of(url)
    measured = dict.fromkeys(MEASURED) if verdict.get("error") else _measurement(verdict)
    return {  # a URL that could not be fetched keeps its address and site: its domain's errors count it
        "target": verdict["target"], "url": url, "domain": domain, "title": verdict.get("title"),
        "published": verdict.get("published"), **measured,
        "listed_on": list(listed_on(domain)) if listed_on and domain else [],
        "error": verdict.get("error"),
    }


def _measurement(verdict: dict[str, Any]) -> dict[str, Any]:
    """The ``MEASURED`` columns of a page that was read: its label, its strongest source, origin and chain.

    ``copied`` and ``uncredited`` weigh every copy of the page (``provenance.is_copy``), not its strongest
    source alone: a roundup whose largest excerpt went uncredited, beside a credited one the source rules
    rank first, read "credited" in the pages and domain tables while its reasons said ``uncredited_copy``
    (an outside probe). ``share_copied`` is the strongest source's share when that is a copy, else the largest
    copy's."""
    matches = [_as_match(m) for m in verdict.get("matches") or []]  # parsed once: a page's rows ask them thrice
    best = provenance.best_source(matches)  # the source ``score`` names (a 100% uncredited copy is not outranked
    copies = [m for m in matches if provenance.is_copy(m)]  # by a credited half)
    origin = verdict.get("origin") or {}
    return {
        "farm_probability": verdict.get("farm_probability"), "label": verdict.get("label"),
        "reasons": list(verdict.get("reasons") or []), "matches": len(matches),
        "copied": bool(copies), "uncredited": any(not m.credited and not m.upstream for m in copies),
        "share_copied": (best.share_of_this if best in copies
                         else max((m.share_of_this for m in copies), default=0.0)),
        "derivation": best.derivation if best else None,
        "source_url": best.url if best else None, "source_domain": (best.domain or None) if best else None,
        "origin_url": origin.get("url"), "origin_domain": origin.get("domain"),
        "chain": list(verdict.get("chain") or []), "sources": _sources(matches),
        "traits": json.dumps(verdict.get("traits") or {}, sort_keys=True),
    }


def _sources(matches: list[Match]) -> list[dict[str, Any]]:
    """Every source of a page (``provenance.counts_as_source``), the most of the page first: a copy stitched
    from two stories names both, and a takedown list needs each one's date (an outside probe)."""
    found = sorted((m for m in matches if provenance.counts_as_source(m)), key=lambda m: (-m.share_of_this, m.url))
    return [{"url": m.url, "domain": m.domain, "published": iso(m.published), "share": m.share_of_this,
             "derivation": m.derivation, "credited": m.credited, "evidence": m.direction_evidence} for m in found]


def _edge_rank(match: dict[str, Any]) -> int:
    """How much a verdict's view of a pair is to be trusted when the two pages' verdicts disagree (lower wins):
    an upstream source marked by the page that took the text through a nearer copy, then a direction one page
    states (canonical link, credit), then a sibling found from a page's own sources, then the copy's own
    time-based view, then the other page's."""
    evidence = match.get("direction_evidence")
    if is_upstream(evidence):
        return -1
    if is_stated(evidence):
        return 0
    if is_sibling(evidence):
        return 1
    return 2 if match["direction"] == "this_copies_other" else 3


def page_edges(verdict: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Page -> page copy edges (source -> copy) seen from one verdict; ``unknown`` direction in URL order.

    A pair that shares no text taken one way or the other (``provenance.takes_text``: quotations, content words
    alone), uncredited, makes no edge, as it makes no reason. Nor does an upstream source (the source of this page's source): the graph draws who took the text from
    whom, and the text reached this page through the nearer copy, whose own edge leads on upstream. Such a pair
    gives a ``_veto`` row, so that the other page's view of it (which sees only a copy of itself) makes no
    edge either. Siblings (both pages took the text from a third) are edges of direction ``sibling``: neither
    copied the other, but they show who carries the same text.
    """
    this, domain = verdict.get("url"), verdict.get("domain")
    for m in verdict.get("matches") or []:
        passage = bool(m.get("passages"))
        if not (provenance.takes_text(m["derivation"], bool(m.get("quoted_only")), passage) or m["credited"] and passage):
            continue
        evidence = m.get("direction_evidence")
        if m["direction"] == "this_copies_other":
            src, dst, sd, dd, share, other = m["url"], this, m["domain"], domain, m["share_of_this"], m["share_of_other"]
        elif m["direction"] == "other_copies_this":
            src, dst, sd, dd, share, other = this, m["url"], domain, m["domain"], m["share_of_other"], m["share_of_this"]
        else:
            pair = sorted([(this, domain, m["share_of_this"]), (m["url"], m["domain"], m["share_of_other"])])
            (src, sd, other), (dst, dd, share) = pair
        yield {"kind": "page", "source": src, "target": dst, "source_domain": sd, "target_domain": dd,
               "share": share, "share_of_source": other, "pages": 1, "derivation": m["derivation"],
               "direction": _edge_direction(m["direction"], evidence),
               "credited": m["credited"], "credited_share": 1.0 if m["credited"] else 0.0,
               "_rank": _edge_rank(m), "_veto": is_upstream(evidence)}


def _edge_direction(direction: str, evidence: str | None) -> str:
    """``sibling`` (neither copied the other), ``unknown`` (one did, which is not known) or ``source_to_copy``."""
    if is_sibling(evidence):
        return "sibling"
    return "unknown" if direction == "unknown" else "source_to_copy"


def page_frame(rows: Iterable[dict[str, Any]]) -> pl.DataFrame:
    """A pages-table frame of page rows (``page_row``)."""
    return pl.DataFrame(list(rows), schema=PAGE_SCHEMA)


def page_edge_frame(edges: Iterable[dict[str, Any]]) -> pl.DataFrame:
    """Page edges (``page_edges``, with their ``_rank``) as a frame, before de-duplication."""
    return pl.DataFrame(list(edges), schema=dict(EDGE_SCHEMA, _rank=pl.Int64, _veto=pl.Boolean))


def dedupe_page_edges(frames: Iterable[pl.DataFrame]) -> pl.DataFrame:
    """One edge per pair of pages, whichever way round: both pages' verdicts see the pair, and when they
    disagree (one says sibling, the other says copy) the more trusted view is kept (``_edge_rank``); between
    views equally trusted, the more derived, then the larger share, so that the table never depends on which
    worker finished first. A pair whose kept view is an upstream source (``_veto``) is dropped."""
    parts = list(frames) or [page_edge_frame(())]
    low, high = pl.min_horizontal("source", "target"), pl.max_horizontal("source", "target")
    derived = pl.col("derivation").replace_strict(_RANK, default=0, return_dtype=pl.Int8)
    return (pl.concat(parts, how="vertical").with_columns(_low=low, _high=high, _derived=derived)
            .sort(["_low", "_high", "_rank", "_derived", "share", "source"], descending=[False, False, False, True,
                                                                                      True, False])
            .unique(["_low", "_high"], keep="first", maintain_order=True).filter(~pl.col("_veto"))
            .drop("_rank", "_veto", "_low", "_high", "_derived"))


def build_pages_and_page_edges(verdicts: Iterable[dict[str, Any]],
                               listed_on: Callable[[str], tuple[str, ...]] | None = None
                               ) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The pages table and the page-level edges of verdicts held in memory (an audit streams them instead,
    see ``audit_finish``)."""
    chunks, edge_chunks, rows, edges = [], [], [], []
    for verdict in verdicts:
        edges.extend(page_edges(verdict))
        rows.append(page_row(verdict, listed_on))
        if len(rows) >= CHUNK:
            chunks.append(page_frame(rows))
            edge_chunks.append(page_edge_frame(edges))
            rows, edges = [], []
    chunks.append(page_frame(rows))
    edge_chunks.append(page_edge_frame(edges))
    return pl.concat(chunks, how="vertical"), dedupe_page_edges(edge_chunks)


#: A row that was read and belongs to a domain; a row that is its URL's first (rows without a URL all are).
_READ = pl.col("error").is_null() & pl.col("domain").is_not_null() & (pl.col("domain") != "")
_FIRST_OF_URL = pl.col("url").is_null() | pl.col("url").is_first_distinct()


def _once(pages: pl.LazyFrame) -> pl.LazyFrame:
    """The rows with each URL's first (rows without a URL all kept)."""
    return pages.filter(_FIRST_OF_URL)


def counted_pages(pages: pl.DataFrame | pl.LazyFrame) -> pl.LazyFrame:
    """Pages that domain aggregates count: read, belonging to a domain, and each URL once (its first row)."""
    return _once(pages.lazy().filter(_READ))


def repeated_rows(pages: pl.DataFrame | pl.LazyFrame) -> pl.LazyFrame:
    """Rows that were read but that ``counted_pages`` leaves out (a URL's second and later rows)."""
    return pages.lazy().filter(_READ).filter(~_FIRST_OF_URL)


def domain_edges(page_edges_frame: pl.DataFrame, pages: pl.DataFrame | pl.LazyFrame) -> pl.DataFrame:
    """Domain -> domain edges: pages copied (distinct copier pages), share of the copier's pages (as counted
    by ``counted_pages``), share of them credited. A page of no known domain (a saved file without a canonical
    link) keeps its page edges but makes no domain edge: there is no domain row to join it to.

    ``pages`` may be lazy (``pl.scan_parquet`` of a written pages table): only two columns are read.
    """
    sizes = counted_pages(pages).group_by("domain").agg(pl.len().alias("_size")).collect()
    named = (pl.col("source_domain").fill_null("") != "") & (pl.col("target_domain").fill_null("") != "")
    grouped = (page_edges_frame.filter(named & (pl.col("source_domain") != pl.col("target_domain")))
               .group_by("source_domain", "target_domain", "direction")
               .agg(pl.col("target").n_unique().alias("pages"), pl.col("share").mean().alias("share_of_text"),
                    pl.col("share_of_source").mean(), pl.col("credited").mean().alias("credited_share"),
                    pl.col("derivation").sort_by(pl.col("derivation").replace_strict(_RANK, default=0)).last()))
    joined = grouped.join(sizes, left_on="target_domain", right_on="domain", how="left")
    return joined.select(
        pl.lit("domain").alias("kind"), pl.col("source_domain").alias("source"),
        pl.col("target_domain").alias("target"), "source_domain", "target_domain",
        (pl.col("pages") / pl.col("_size")).clip(0, 1).alias("share"),  # null: the copier is outside the audit
        "share_of_source", pl.col("pages").cast(pl.Int64), "derivation", "direction",
        (pl.col("credited_share") > 0.5).alias("credited"), "credited_share",  # most pages credit: half do not
    ).sort(["pages", "source", "target", "direction"], descending=[True, False, False, False])  # group order is
    # a hash's: a pair seen both as a copy and undecided gives two rows, whose order must not depend on it


#: The ways a publication time is written in the pages table: ISO 8601 with an offset or ``Z``, local (no
#: offset, taken as UTC), with or without fractions of a second, or a day alone.
_AWARE_FORMATS = ("%Y-%m-%dT%H:%M:%S%.f%:z", "%Y-%m-%dT%H:%M:%S%:z", "%Y-%m-%dT%H:%M:%S%.fZ", "%Y-%m-%dT%H:%M:%SZ")
_LOCAL_FORMATS = ("%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M:%S")


def published_instant(text: pl.Expr) -> pl.Expr:
    """A ``published`` string as a UTC instant, whichever ISO 8601 form it takes (null when none).

    Each form has its own explicit format: with ``format=None`` polars takes the format from the first row and
    reads every other form as null, so a domain's first and last publication depended on row order.
    """
    aware = [text.str.to_datetime(f, strict=False, time_zone="UTC").dt.cast_time_unit("us") for f in _AWARE_FORMATS]
    local = [text.str.to_datetime(f, strict=False).dt.cast_time_unit("us").dt.replace_time_zone("UTC")
             for f in _LOCAL_FORMATS]
    day = text.str.to_date("%Y-%m-%d", strict=False).cast(pl.Datetime("us")).dt.replace_time_zone("UTC")
    return pl.coalesce([*aware, *local, day])


def domains_table(pages: pl.DataFrame | pl.LazyFrame, edges: pl.DataFrame,
                  listed_on: Callable[[str], tuple[str, ...]] | None = None,
                  prevalence: pl.DataFrame | None = None) -> pl.DataFrame:
    """Per-domain aggregates, the documented score, verdict and rank (one row per domain with a page).

    ``pages`` may be lazy: only the columns the aggregates need are read. ``prevalence`` (from
    ``prevalence_table``) saves reading the ``traits`` column when the caller counted traits as it wrote pages.
    """
    ok = counted_pages(pages)
    base = ok.with_columns(published_instant(pl.col("published")).alias("_at")).group_by("domain").agg(
        pl.len().alias("pages"),
        pl.col("copied").sum().alias("copied_pages"),
        pl.col("uncredited").sum().alias("uncredited_pages"),
        _EXTENT.mean().alias("copy_extent"),
        pl.when(pl.col("uncredited")).then(_EXTENT).otherwise(0.0).fill_null(0.0).mean()
        .alias("uncredited_copy_extent"),
        pl.col("farm_probability").median().alias("median_farm_probability"),
        (pl.col("label") == "content_farm").sum().alias("farm_pages"),
        pl.col("label").is_in(["content_farm", "suspicious"]).sum().alias("_flagged_pages"),
        (pl.col("uncredited") & (pl.col("share_copied") >= FULL_COPY_SHARE)).sum().alias("_uncredited_whole"),
        pl.col("farm_probability").quantile(0.9, "nearest").alias("p90_farm_probability"),
        pl.col("_at").min().alias("first_published"), pl.col("_at").max().alias("last_published"),
        pl.col("_at").is_not_null().sum().alias("_dated"),
    )
    if prevalence is None:
        prevalence = trait_prevalence(ok.select("domain", "traits").collect())
    errors = _once(pages.lazy().filter(pl.col("error").is_not_null() & pl.col("domain").is_not_null())).group_by(
        "domain").agg(pl.len().alias("errors"))
    # A source without a site (a saved file with no canonical link) is no domain to rank among top sources.
    sources = (ok.filter(pl.col("copied") & (pl.col("source_domain").fill_null("") != ""))
               .group_by("domain", "source_domain").agg(pl.len().alias("n"))
               .sort(["n", "source_domain"], descending=[True, False])
               .group_by("domain", maintain_order=True)
               .agg(pl.struct(pl.col("source_domain").alias("domain"), pl.col("n").alias("pages")).head(5)
                    .alias("top_sources"), pl.col("source_domain").first().alias("top_source")))
    copied_by = (edges.lazy().filter((pl.col("kind") == "page") & (pl.col("direction") == "source_to_copy")
                              & (pl.col("derivation") != "quotes_only"))
                 .group_by("source_domain").agg(pl.col("target").n_unique().alias("copied_by_pages"))
                 .rename({"source_domain": "domain"}))
    table = (base.join(errors, on="domain", how="left").join(sources, on="domain", how="left")
             .join(copied_by, on="domain", how="left").join(prevalence.lazy(), on="domain", how="left")
             .collect())
    days = ((pl.col("last_published") - pl.col("first_published")).dt.total_days() + 1).clip(lower_bound=1)
    table = table.with_columns(
        pl.col("errors").fill_null(0).cast(pl.Int64), pl.col("copied_by_pages").fill_null(0).cast(pl.Int64),
        pl.col("farm_pages").cast(pl.Int64),
        (pl.col("copied_pages") / pl.col("pages")).alias("share_copied"),
        (pl.col("uncredited_pages") / pl.col("pages")).alias("share_copied_uncredited"),
        pl.when(pl.col("_dated") > 0).then(pl.col("_dated") / days).alias("pages_per_day"),
    ).with_columns((COPIED_WEIGHT * pl.col("copy_extent") + UNCREDITED_WEIGHT * pl.col("uncredited_copy_extent"))
                   .round(SCORE_DECIMALS).alias("copy_score"))
    table = table.with_columns(
        pl.when(pl.col("median_farm_probability").is_not_null())
        .then(0.5 * pl.col("copy_score") + 0.5 * pl.col("median_farm_probability"))
        .otherwise(pl.col("copy_score")).round(SCORE_DECIMALS).alias("score"))
    table = table.with_columns(
        pl.when(_FARM_BY_SCORE | _FARM_BY_PAGES).then(pl.lit("content_farm"))
        .when(_SUSPICIOUS_BY_SCORE | _SUSPICIOUS_BY_PAGES | _SUSPICIOUS_BY_FARM_PAGES).then(pl.lit("suspicious"))
        .otherwise(pl.lit("clean"))
        .alias("verdict"),
        pl.col("domain").map_elements(lambda d: list(listed_on(d)) if listed_on else [],
                                      return_dtype=pl.List(pl.String)).alias("listed_on"),
    ).with_columns(_verdict_reason(),
                   pl.col("verdict").replace_strict(_VERDICT_ORDER, return_dtype=pl.Int8).alias("_severity")
    ).sort(["_severity", "score", "copied_pages", "domain"], descending=[False, True, True, False])
    table = table.with_row_index("rank", offset=1).with_columns(pl.col("rank").cast(pl.Int64))
    return table.select(
        "rank", "domain", "verdict", "verdict_reason", "score", "copy_score", "pages", "errors", "farm_pages", "copied_pages",
        "share_copied",
        "uncredited_pages", "share_copied_uncredited", "copy_extent", "uncredited_copy_extent", "copied_by_pages",
        "top_source", "top_sources",
        "median_farm_probability", "p90_farm_probability", "trait_prevalence", "first_published",
        "last_published", "pages_per_day", "listed_on")


#: The rules of the domain verdict (module docstring), each once: the verdict and its reason read them both.
#: A content_farm verdict by score also needs a page labelled content_farm, or a page that took half its text or
#: more without credit, or two pages copied without credit: a domain whose one page was a credited summary
#: labelled suspicious scored 0.517 and was called a content farm, and a newsroom whose one page lifted three
#: paragraphs (31% of it) without credit scored 0.74 (probe 43): its copy counted in the page's probability and
#: again in the copy score. One such page makes the domain suspicious.
UNCREDITED_PAGES_FOR_FARM = 2
_SOME_FARM_EVIDENCE = ((pl.col("farm_pages") > 0) | (pl.col("_uncredited_whole") > 0)
                       | (pl.col("uncredited_pages") >= UNCREDITED_PAGES_FOR_FARM))
_FARM_BY_SCORE = (pl.col("score") >= FARM_AT) & _SOME_FARM_EVIDENCE
_FARM_BY_PAGES = pl.col("farm_pages") >= MAJORITY * pl.col("pages")
#: Suspicious by score needs a flagged page or an uncredited copy too: a newsroom whose one page was a clean,
#: credited syndicated story scored 0.31 and was called suspicious (an outside probe).
_SUSPICIOUS_BY_SCORE = (pl.col("score") >= SUSPICIOUS_AT) & (
    (pl.col("_flagged_pages") > 0) | (pl.col("uncredited_pages") > 0))
_SUSPICIOUS_BY_PAGES = pl.col("_flagged_pages") >= MAJORITY * pl.col("pages")
_SUSPICIOUS_BY_FARM_PAGES = ((pl.col("farm_pages") >= FARM_PAGES_MIN)
                             & (pl.col("farm_pages") >= FARM_PAGES_TO_REVIEW * pl.col("pages")))


def _verdict_reason() -> pl.Expr:
    """The whole rule that gave a domain its verdict, in one line: the score against its threshold and the page
    counts the rule also needs ("score 0.850 >= 0.5 and 4 of 4 pages content_farm, 3 copied without credit").
    A suspicious domain scoring 0.24 is no contradiction once the page rule is shown, nor one scoring 0.28 with
    a suspicious page once the flagged page it needs is; reads the ``verdict`` column."""
    score = pl.col("score").map_elements(shown_score, return_dtype=pl.String)  # cut as every score is shown
    verdict = pl.col("verdict")
    farm = pl.format("{} of {} pages", "farm_pages", "pages")
    flagged = pl.format("{} of {} pages", "_flagged_pages", "pages")
    return (pl.when((verdict == "content_farm") & _FARM_BY_SCORE)
            .then(pl.format("score {} >= {} and {} content_farm, {} copied without credit", score, _at(FARM_AT),
                            farm, "uncredited_pages"))
            .when(verdict == "content_farm")
            .then(pl.format("{} content_farm, at least half (score {} < {})", farm, score, _at(FARM_AT)))
            .when((verdict == "suspicious") & (pl.col("score") >= FARM_AT))
            .then(pl.format("score {} >= {}, but no page content_farm and {} copied without credit, none of half "
                            "its text; {} flagged", score, _at(FARM_AT), "uncredited_pages", flagged))
            .when((verdict == "suspicious") & _SUSPICIOUS_BY_SCORE)
            .then(pl.format("score {} >= {} and {} flagged, {} copied without credit", score, _at(SUSPICIOUS_AT),
                            flagged, "uncredited_pages"))
            .when((verdict == "suspicious") & _SUSPICIOUS_BY_PAGES)
            .then(pl.format("{} content_farm or suspicious, at least half (score {} < {})", flagged, score,
                            _at(SUSPICIOUS_AT)))
            .when(verdict == "suspicious")
            .then(pl.format("{} content_farm, at least a fifth (score {} < {})", farm, score, _at(SUSPICIOUS_AT)))
            .when(pl.col("score") >= SUSPICIOUS_AT)
            .then(pl.format("score {} >= {}, but no page flagged and none copied without credit", score,
                            _at(SUSPICIOUS_AT)))
            .otherwise(pl.format("score {} < {} and {} flagged, under half", score, _at(SUSPICIOUS_AT), flagged))
            .alias("verdict_reason"))


def _at(threshold: float) -> pl.Expr:
    """A threshold as the reason writes it (``0.5``, ``0.25``)."""
    return pl.lit(f"{threshold:g}")


TraitCounts = dict[tuple[str, str], int]


@lru_cache(maxsize=1)
def measures() -> frozenset[str]:
    """Traits that measure every page (word count, stop-word share, n-gram shares, link density): non-zero on
    nearly every page, so "present on 100% of pages" says nothing and crowds the prevalence table and chart."""
    try:
        from features.registry import trait_specs
    except ImportError:  # without the trait modules, verdicts hold no traits to count
        return frozenset()
    kept = {"title_repeated"}  # a repetition trait that is a finding, not a measure
    return frozenset(spec.name for spec in trait_specs()
                     if spec.family in ("text_stats", "repetition") and spec.name not in kept) | {
        "link_density", "main_text_share", "outbound_link_share"}


def count_traits(counts: TraitCounts, domain: str, traits: dict[str, Any], step: int = 1) -> None:
    """Add one page's traits to ``counts`` ((domain, trait) -> pages where the trait is present, value > 0),
    but for the ``measures``; ``step=-1`` takes a page counted by mistake back out."""
    skip = measures()
    for name, value in traits.items():
        if name in skip:
            continue
        key = (domain, name)
        counts[key] = counts.get(key, 0) + step * (float(value or 0) > 0)


def uncount_repeats(counts: TraitCounts, pages: pl.DataFrame | pl.LazyFrame) -> TraitCounts:
    """``counts`` made while streaming every read row, less the rows ``counted_pages`` leaves out (only those
    rows' traits are read, so a batch without repeated URLs costs one pass over the ``url`` column)."""
    for domain, traits in repeated_rows(pages).select("domain", "traits").collect().iter_rows():
        count_traits(counts, domain, json.loads(traits), step=-1)
    return counts


def prevalence_table(counts: TraitCounts, ok_pages: pl.DataFrame | pl.LazyFrame) -> pl.DataFrame:
    """Per domain, the share of its pages on which each trait is present, most prevalent first."""
    if not counts:
        return pl.DataFrame(schema={"domain": pl.String, "trait_prevalence": pl.List(
            pl.Struct({"trait": pl.String, "share": pl.Float64}))})
    sizes = ok_pages.lazy().group_by("domain").agg(pl.len().alias("_n")).collect()
    frame = pl.DataFrame({"domain": [d for d, _ in counts], "trait": [t for _, t in counts],
                          "_on": list(counts.values())}, schema={"domain": pl.String, "trait": pl.String,
                                                                "_on": pl.Int64})
    return (frame.join(sizes, on="domain").with_columns((pl.col("_on") / pl.col("_n")).alias("share"))
            .sort(["share", "trait"], descending=[True, False]).group_by("domain", maintain_order=True)
            .agg(pl.struct("trait", "share").alias("trait_prevalence")))


def trait_prevalence(ok_pages: pl.DataFrame) -> pl.DataFrame:
    """Per domain, the share of its pages on which each trait is present (value > 0), most prevalent first."""
    counts: TraitCounts = {}
    for domain, traits in ok_pages.select("domain", "traits").iter_rows():
        count_traits(counts, domain, json.loads(traits))
    return prevalence_table(counts, ok_pages)


def edges_table(page_edges_frame: pl.DataFrame, pages: pl.DataFrame | pl.LazyFrame) -> pl.DataFrame:
    """Page edges followed by domain edges, in one table with a ``kind`` column."""
    return pl.concat([page_edges_frame.select(list(EDGE_SCHEMA)), domain_edges(page_edges_frame, pages)],
                     how="vertical_relaxed")


def csv_safe(frame: pl.DataFrame) -> pl.DataFrame:
    """The frame with nested columns (lists, structs) as JSON text, which CSV can hold."""
    nested = [c for c, t in frame.schema.items() if isinstance(t, (pl.List, pl.Struct, pl.Array))]
    if not nested:
        return frame
    return frame.with_columns(pl.col(c).map_elements(json_text, return_dtype=pl.String) for c in nested)


def json_text(value: Any) -> str:
    """A list or struct cell as CSV holds it: JSON, its non-ASCII text kept as it is."""
    return json.dumps(value.to_list() if hasattr(value, "to_list") else value, ensure_ascii=False, default=str)
