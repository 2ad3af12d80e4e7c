"""Copy matches of one article against an index: candidates, exact verification, alignment, provenance.

Candidates are the union of MinHash LSH near-duplicates and winnowed-posting matches (``Index.candidates``),
at most ``max_candidates`` of them; each is verified exactly by aligning the two texts. ``Match.jaccard`` is
the *exact* Jaccard similarity of the two texts' alignment-shingle sets (``align_shingle`` words), not a
MinHash estimate. A match's derivation also weighs how much of the copy all verified documents of the source's
site cover together (a rewrite of a wire story draws on several of its versions). After verification, a best
source that carries no more of this page than an earlier source does gives way to it
(``provenance.mark_same_text``); matches with pages that copied this page's own source are marked as siblings
(``provenance.mark_siblings``): neither copied the other; then the sources of this page's best source are
marked upstream (``provenance.mark_upstream``): this page took their text through the nearer copy.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace

from detector.agencies import is_agency_site
from detector.align import (Alignment, Overlap, Text, align, may_match, overlap, prepare, rewritten_outside_quotes,
                            shared)
from detector.config import Config
from detector.derive import Decision, all_quoted, copy_is_this, decide
from detector.docprint import DocPrint, docprint
from detector.index import Candidate, Index
from detector.provenance import (Doubt, aside_words, credited_as, credits, date_doubts, direction, doubt_by_credit,
                                 mark_same_text, mark_siblings, mark_syndicated, mark_teasers, mark_upstream)
from detector.records import Article, Match, is_wire_copy, match_order
from detector.urls import normalise_url


@dataclass(frozen=True, slots=True)
class Verified:
    """One candidate after exact verification: the match, and the alignment and decision behind it
    (``candidate`` is the index's candidate record; None when the other text came from elsewhere, as in Spark)."""

    match: Match
    candidate: Candidate | None
    alignment: Alignment
    decision: Decision


def verify(article: Article, index: Index | Sequence[Index], exclude: Collection[str] = (),
           dp: DocPrint | None = None, doubt: Doubt | None = None) -> list[Verified]:
    """Every candidate in ``index`` (or in any of several indexes) that verifiably shares text with ``article``
    (see ``verify_against``).

    The candidates of several indexes are verified together, as one set: whether a page copied another or
    both took the text from a third (``provenance.mark_siblings``) depends on every page found, wherever it
    is stored. A partner's credited reprint was told it copied a farm in the audit's batch, whose source (the
    reprint's too) sat in the ``--index`` of originals; each index alone showed only half of the three.
    A URL stored in more than one index counts once (the first index wins). Indexes of one run share a config.
    """
    indexes = list(index) if isinstance(index, (list, tuple)) else [index]
    if not indexes:
        return []
    others = indexed_candidates(article, indexes, dp)
    return verify_against(article, others, indexes[0].config, exclude, doubt) if others else []


def indexed_candidates(article: Article, indexes: Sequence[Index], dp: DocPrint | None = None,
                       have: Collection[str] = ()) -> list[tuple[Candidate | None, Article]]:
    """The candidate documents of ``article`` in every index, read from it; a URL in more than one index, or
    in ``have`` (pages the caller already holds), counts once (the first index wins)."""
    cfg = indexes[0].config
    dp = dp or docprint(article.text, cfg)
    seen = set(have)
    found: list[tuple[Candidate | None, Article]] = []
    for one in indexes:
        same = one.config.fingerprint == cfg.fingerprint
        candidates = one.candidates(dp if same else docprint(article.text, one.config))
        docs = one.get_many([c.doc_id for c in candidates]) if candidates else {}
        for c in candidates:
            doc = docs.get(c.doc_id)
            if doc is not None and doc.article.url not in seen:
                seen.add(doc.article.url)
                found.append((c, doc.article))
    return found


def verify_against(article: Article, others: Sequence[tuple[Candidate | None, Article]], cfg: Config,
                   exclude: Collection[str] = (), doubt: Doubt | None = None) -> list[Verified]:
    """Which of ``others`` verifiably share text with ``article``, each with its alignment and decision.

    The one verification of both engines: the local engine passes an index's candidates, the Spark engine the
    pages its join paired with this one. The article itself (same URL) and pages of its own site are never
    matches: a site reusing its own navigation, footer or promo text is not syndication. With ``doubt`` (each
    page's farm probability on its own), directions only the dates gave are weighed (``provenance.Doubt``,
    ``provenance.doubt_by_credit``) before the sibling and same-text marks are drawn from them.
    """
    skip = {normalise_url(u) for u in (article.url, *exclude)}
    others = [(candidate, other) for candidate, other in others
              if normalise_url(other.url) not in skip and not (article.domain and other.domain == article.domain)]
    if not others:  # an audit's page finds itself in the run's index: nothing to read closer
        return []
    this = prepare(article.text, cfg.align_shingle)
    pairs: list[tuple[Candidate | None, Article, Text, Alignment]] = []
    for candidate, other in others:
        prepared = prepare(other.text, cfg.align_shingle)
        both = shared(this, prepared)
        if not may_match(this, prepared, cfg.align_shingle, cfg.min_match_words, cfg.rewrite_containment,
                         cfg.rewrite_terms, both):
            continue
        alignment = align(this, prepared, cfg.align_shingle, cfg.align_gap, cfg.min_passage_words, both)
        if alignment.this_covered < cfg.min_match_words and not alignment.rewritten(
                cfg.rewrite_containment, cfg.rewrite_terms):
            continue
        pairs.append((candidate, other, prepared, alignment))
    by_site: dict[str, list[tuple[Text, Article]]] = {}  # the pages of each site this page shares text with
    for _, other, prepared, _ in pairs:
        by_site.setdefault(other.domain or other.url, []).append((prepared, other))
    site_overlap: dict[str, Overlap] = {}
    found: list[Verified] = []
    articles: dict[str, Article] = {}
    for candidate, other, prepared, alignment in pairs:
        dirn, evidence = direction(article, other, alignment.share_of_this, alignment.share_of_other, cfg.originals)
        if dirn == "this_copies_other":
            credit = _credit_not_copied(article, other, [page for _, page in by_site[other.domain or other.url]])
        elif dirn == "other_copies_this":
            credit = credits(other, article)
        else:  # no copy, but a page running an agency's story under its credit does credit it
            credit = "wire" if is_wire_copy(evidence) else None
        credited = credit is not None
        key = other.domain or other.url
        if copy_is_this(alignment, dirn):
            if key not in site_overlap:  # the same for every match of one site
                site_overlap[key] = overlap(this, [text for text, _ in by_site[key]])
            site = site_overlap[key]
        else:
            site = overlap(prepared, [this])
        rewritten = None
        if alignment.non_quote_words < cfg.min_match_words:  # only quotations shared: is the rest a rewrite?
            rewritten = rewritten_outside_quotes(this, prepared, cfg.rewrite_containment, cfg.rewrite_terms)
        decision = decide(alignment, dirn, cfg, site=site, rewritten=rewritten,
                          credited=credited and dirn == "this_copies_other")
        match = Match(
            url=other.url,
            domain=other.domain,
            published=other.published,
            share_of_this=alignment.share_of_this,
            share_of_other=alignment.share_of_other,
            jaccard=alignment.jaccard,
            derivation=decision.derivation,
            direction=dirn,
            credited=credited,
            passages=alignment.passages,
            direction_evidence=evidence,
            quoted_only=all_quoted(alignment, cfg.min_match_words),
            credit=credit,
        )
        found.append(Verified(match, candidate, alignment, decision))
        articles[match.url] = other
    if not found:  # nothing to mark (and no word offsets to compute)
        return found
    found.sort(key=lambda v: match_order(v.match))
    pages = [articles[v.match.url] for v in found]
    raw = [v.match for v in found]
    if doubt is not None:
        raw = doubt_by_credit(doubt.matches(raw, article, pages), article, pages, doubt)
    doubted = date_doubts(raw, pages, doubt)
    headline = aside_words(article, this.starts)  # the words two copies may share beside their source
    syndicated = mark_syndicated(raw, pages, this.starts, cfg.min_match_words, headline)
    earliest = mark_same_text(syndicated, this.starts, cfg.min_match_words, headline, doubted)
    siblings = mark_siblings(earliest, this.starts, cfg.min_match_words, doubted, is_agency_site(article), headline)
    marked = mark_teasers(mark_upstream(siblings, this.starts, cfg.min_match_words, doubted), article)
    return [Verified(m, v.candidate, v.alignment, v.decision) if m is not v.match else v
            for m, v in zip(marked, found)]


def _credit_not_copied(article: Article, other: Article, same_site: list[Article]) -> str | None:
    """``credits(article, other)``, but for a mention of the site's name that this page took from another page of
    that site it also copies (a copy stitched from two stories of one trade magazine kept one story's "the company
    told Shelf & Store", and was read as crediting the other story it took: an outside probe), and with a name
    credit as the page's credit line gives it in full (``credited_as``)."""
    credit = credits(article, other)
    if credit is not None and credit.startswith("named:") and len(same_site) > 1:
        site_text = "\n\n".join(page.text for page in same_site)
        credit = credits(article, replace(other, text=site_text, paragraphs=tuple(site_text.split("\n\n"))))
    return credited_as(credit, article)


def find_matches(article: Article, index: Index | Sequence[Index], exclude: Collection[str] = (),
                 dp: DocPrint | None = None, doubt: Doubt | None = None) -> list[Match]:
    """Every document of the index (or indexes) this article verifiably shares text with, most of this article
    first (``doubt``: see ``verify_against``)."""
    return [v.match for v in verify(article, index, exclude=exclude, dp=dp, doubt=doubt)]


def stored_matches(index: Index, url: str, exclude: Collection[str] = ()) -> list[Match]:
    """Matches of a document already in the index (used to walk a chain back to its original)."""
    doc = index.get(url)
    if doc is None:
        return []
    return find_matches(doc.article, index, exclude=exclude)
