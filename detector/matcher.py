"""Copy matches of one article against an index: candidates, exact verification, alignment, provenance."""

from __future__ import annotations

from collections.abc import Collection

from detector.align import align, prepare
from detector.docprint import DocPrint, docprints
from detector.fingerprint import jaccard_estimate
from detector.index import Index
from detector.provenance import credits, derivation, direction
from detector.records import Article, Match
from detector.urls import normalise_url


def find_matches(article: Article, index: Index, exclude: Collection[str] = (), dp: DocPrint | None = None) -> list[Match]:
    """Every indexed document this article verifiably shares text with, most of this article first.

    The article itself (same URL) and pages of its own site are never matches: a site reusing its own
    navigation, footer or promo text is not syndication.
    """
    cfg = index.config
    dp = dp or docprints([article.text], cfg)[0]
    candidates = index.candidates(dp)
    if not candidates:
        return []
    docs = index.get_many([c.doc_id for c in candidates])
    skip = {normalise_url(u) for u in (article.url, *exclude)}
    this = prepare(article.text, cfg.align_shingle)
    matches: list[Match] = []
    for candidate in candidates:
        doc = docs.get(candidate.doc_id)
        if doc is None:
            continue
        other = doc.article
        if normalise_url(other.url) in skip or (article.domain and other.domain == article.domain):
            continue
        alignment = align(this, prepare(other.text, cfg.align_shingle), cfg.align_shingle, cfg.align_gap,
                          cfg.min_passage_words)
        if alignment.this_covered < cfg.min_match_words:
            continue
        share_this, share_other = alignment.share_of_this, alignment.share_of_other
        dirn, evidence = direction(article, other, share_this, share_other)
        if dirn == "this_copies_other":
            credited = credits(article, other) is not None
        elif dirn == "other_copies_this":
            credited = credits(other, article) is not None
        else:
            credited = False
        matches.append(Match(
            url=other.url,
            domain=other.domain,
            published=other.published,
            share_of_this=share_this,
            share_of_other=share_other,
            jaccard=jaccard_estimate(dp.signature, doc.signature),
            derivation=derivation(share_this, share_other, alignment.non_quote_words, dirn, cfg),
            direction=dirn,
            credited=credited,
            passages=alignment.passages,
            direction_evidence=evidence,
        ))
    matches.sort(key=lambda m: (m.share_of_this, m.share_of_other), reverse=True)
    return matches


def stored_matches(index: Index, url: str, exclude: Collection[str] = ()) -> list[Match]:
    """Matches of a document already in the index (used to walk a chain back to its original)."""
    doc = index.get(url)
    if doc is None:
        return []
    return find_matches(doc.article, index, exclude=exclude)
