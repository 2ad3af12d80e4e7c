"""Whether a page is signed by a person: a writer's name, not a desk, the site, an agency or a CMS account.

The date doubt (``provenance.doubt_backdated``) weighs two pages that share a story by how farmy each reads on
its own: a farm may backdate its copy. Of the backdated copies in 27 outside probes, all but one were signed by
no one, by the site ("Terrace Talk", "Metro Coast"), a desk ("News Desk", "Redacción", "EPD Editors") or "Admin",
while 22 of their 26 originals named their writer. A newsroom original reading a little farmier than its bare copy
(a share bar and two ad slots on a short story) had its copy left undecided, uncaught; its writer's name says
which page is the newsroom's.
"""

from __future__ import annotations

import re
import unicodedata

from detector.agencies import BYLINE_WORDS, agency_key, is_agency_credit
from detector.records import Article
from detector.urls import site_label

__all__ = ["signed_by_person"]

#: What names a role, a desk, a team or an account, not a writer ("agency_key" drops the generic words of a
#: credited body: "Staff Writer", "Web Desk", "La rédaction"; these are a site's own).
_NOT_A_NAME = frozenset(
    "admin administrator webmaster siteadmin wpadmin editor editors team equipe équipe equipo redação redacción "
    "redakcja redakce redazione redactie redaktion rédaction desk staff news newsroom bureau online digital web "
    "contributor contributors guest sponsored partner press release daily insider digest feed bot merkezi haber "
    "objavio objavila posted published".split())
_JOINERS = re.compile(r"\s*(?:,|;|\||·|&|\band\b|\bund\b|\by\b|\be\b|\bet\b|\bi\b)\s*", re.I)
_BY = re.compile(rf"^\s*(?:written\s+by|{'|'.join(sorted(BYLINE_WORDS, key=len, reverse=True))})\s*:?\s+", re.I)
_PARTICLES = frozenset("de da do dos das del della di van von der den le la bin binti al el ter ten".split())
_MAX_CHARS = 80


def _alnum(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in folded if c.isalnum())


def _capitalised(word: str) -> bool:
    """A word opening with a capital, or with a letter of a script without case (Arabic, Devanagari)."""
    first = word[:1]
    return first.isupper() or (first.isalpha() and not first.islower())


def signed_by_person(article: Article) -> bool:
    """Whether the page's byline names a person: two to four capitalised words (name particles aside), none a
    role, desk or account word, not the page's own site and not a news agency."""
    author = (article.author or "").strip()
    if not author or len(author) > _MAX_CHARS:
        return False
    first = _JOINERS.split(_BY.sub("", author), maxsplit=1)[0].strip(" .-–—")
    words = first.split()
    if not 2 <= len(words) <= 4 or any(w.lower().strip(".") in _NOT_A_NAME for w in words):
        return False
    if not all(_capitalised(w) or w.lower() in _PARTICLES for w in words) or not _capitalised(words[0]):
        return False
    if any(any(c.isdigit() for c in w) for w in words) or is_agency_credit(first) or not agency_key(first):
        return False
    key = _alnum(first)
    own = {_alnum(article.sitename or ""), _alnum(site_label(article.domain) if article.domain else "")} - {""}
    return not any(key in name or name in key for name in own)
