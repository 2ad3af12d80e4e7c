"""Copy-evidence traits: how much of the page is found elsewhere, from how many sites, credited or not.

They read ``PageView.matches`` (verified ``detector.records.Match`` records from the index, possibly none).
Only a match whose ``direction`` is ``this_copies_other``, whose derivation is more than ``quotes_only`` (shared
quotations, names or stock phrases are not copying: two reports of one speech quote the same words) and that
shares at least one passage (content words alone are no copy, ``provenance.counts_as_source``) makes this page a
copy. One with ``other_copies_this``
is evidence that this page is the *source* (counted by ``copied_by_others``); one of unknown direction (the same
text on two pages, nothing to tell which came first: a wire story, a twin page) accuses neither page; a sibling
copy (see ``detector.provenance.mark_siblings``) is left out too. With no matches every value is 0.
"""

from __future__ import annotations

from detector.provenance import is_copy
from detector.records import Match
from features.registry import trait
from features.view import PageView, host_of

FAMILY = "copy_evidence"


def copies(view: PageView) -> list[Match]:
    """Matches where this page is the copy (``provenance.is_copy``: text taken, at least ``MIN_COPY_SHARE`` of the
    page), on another site than its own.

    A sibling (a page that took the same text from this page's own source) is not a source: what this page
    owes, and whether it credits it, is told by the match with that source.
    """
    return [
        m
        for m in view.matches
        if is_copy(m) and not m.sibling and not m.upstream and not view.is_own_host(host_of(m.domain) or host_of(m.url))
    ]


def strongest(matches: list[Match]) -> Match | None:
    """The match covering most of this page (None for none)."""
    return max(matches, key=lambda m: m.share_of_this, default=None)


@trait(
    name="max_share_copied",
    meaning="Largest share of this page's words copied from one other site's document (max share_of_this).",
    family=FAMILY,
)
def max_share_copied(view: PageView) -> tuple[float, str | None]:
    """The core copy measure: containment of this page in another, not Jaccard similarity."""
    best = strongest(copies(view))
    return (best.share_of_this, best.url) if best else (0.0, None)


@trait(
    name="uncredited_share_copied",
    meaning="Largest share of this page's words found in another site's document that the page does not credit.",
    family=FAMILY,
)
def uncredited_share_copied(view: PageView) -> tuple[float, str | None]:
    """Copying without naming the source is what separates a farm from syndication."""
    best = strongest([m for m in copies(view) if not m.credited])
    return (best.share_of_this, best.url) if best else (0.0, None)


@trait(
    name="copied_without_credit",
    meaning="1 when a match says this page copies another site without crediting it.",
    family=FAMILY,
)
def copied_without_credit(view: PageView) -> tuple[float, str | None]:
    """A direction-resolved uncredited copy: the strongest single reason."""
    found = [m for m in copies(view) if m.direction == "this_copies_other" and not m.credited]
    return (1.0, found[0].domain) if found else (0.0, None)


@trait(
    name="source_domains",
    meaning="Distinct other sites whose documents this page copies text from.",
    family=FAMILY,
)
def source_domains(view: PageView) -> tuple[float, str | None]:
    """Aggregators stitch pages from several sources; a single rewrite has one."""
    domains = list(dict.fromkeys(host_of(m.domain) or host_of(m.url) for m in copies(view)))
    return float(len(domains)), (", ".join(domains) if domains else None)


@trait(
    name="whole_copy",
    meaning="1 when another site's document contains this page whole (derivation 'whole').",
    family=FAMILY,
)
def whole_copy(view: PageView) -> tuple[float, str | None]:
    """Verbatim republication of an entire article."""
    found = [m for m in copies(view) if m.derivation == "whole"]
    return (1.0, found[0].url) if found else (0.0, None)


@trait(
    name="copied_by_others",
    meaning="Other sites' documents that copy this page (matches with direction other_copies_this).",
    family=FAMILY,
)
def copied_by_others(view: PageView) -> tuple[float, str | None]:
    """Being copied is a mark of an original; it pulls the farm score down."""
    domains = list(dict.fromkeys(m.domain for m in view.matches if m.direction == "other_copies_this" and m.passages))
    return float(len(domains)), (", ".join(domains) if domains else None)


#: How a newsroom credits the wire or partner story it runs: in the byline ("Tom Larkin, Cascade Regional Press")
#: or the dateline ("ASHGROVE (CRP) —"), the credit ``detector.provenance.credits`` reads there.
_NEWSROOM_CREDITS = ("byline:", "dateline:")


@trait(
    name="credit_in_byline",
    meaning="1 when the page's copied text is credited to its source in the byline or dateline, as newsrooms "
            "credit wire and partner stories (farms credit in a source line, if at all).",
    family=FAMILY,
)
def credit_in_byline(view: PageView) -> tuple[float, str | None]:
    """A wire pickup and a farm copy can both credit their source; where the credit stands tells them apart: an
    agency pickup credited in its byline read as suspicious (0.75) before its credit's place counted."""
    best = strongest(copies(view))
    if best is None or not (best.credit or "").startswith(_NEWSROOM_CREDITS):
        return 0.0, None
    return 1.0, best.credit
