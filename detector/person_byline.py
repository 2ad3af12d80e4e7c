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

from detector.agencies import after_byline_word, agency_key, is_agency_credit, split_names
from detector.credited_author import name_key
from detector.records import Article, per_article_cache
from detector.urls import site_label

__all__ = ["signed_by_person"]

#: What names a role, a desk, a team or an account, not a writer ("agency_key" drops the generic words of a
#: credited body: "Staff Writer", "Web Desk", "La rédaction"; these are a site's own).
_NOT_A_NAME = frozenset(
    "admin administrator webmaster siteadmin wpadmin editor editors team equipe équipe equipo redação redacción "
    "redakcja redakce redazione redactie redaktion rédaction desk staff news newsroom bureau online digital web "
    "contributor contributors guest sponsored partner press release daily insider digest feed bot merkezi haber "
    "objavio objavila posted published".split())
_PARTICLES = frozenset("de da do dos das del della di van von der den le la bin binti al el ter ten".split())
_MAX_CHARS = 80


def _capitalised(word: str) -> bool:
    """A word opening with a capital, or with a letter of a script without case (Arabic, Devanagari)."""
    first = word[:1]
    return first.isupper() or (first.isalpha() and not first.islower())


@per_article_cache(maxsize=1024)
def signed_by_person(article: Article) -> bool:
    """Whether the page's byline names a person: two to four capitalised words (name particles aside), none a
    role, desk or account word, not the page's own site and not a news agency."""
    author = (article.author or "").strip()
    if not author or len(author) > _MAX_CHARS:
        return False
    names = split_names(after_byline_word(author) or author)  # "By Jane Roe and Ana Li": "Jane Roe"
    first = names[0].strip(" .-–—") if names else ""
    words = first.split()
    if not 2 <= len(words) <= 4 or any(w.lower().strip(".") in _NOT_A_NAME for w in words):
        return False
    if not all(_capitalised(w) or w.lower() in _PARTICLES for w in words) or not _capitalised(words[0]):
        return False
    if any(any(c.isdigit() for c in w) for w in words) or is_agency_credit(first) or not agency_key(first):
        return False
    key = name_key(first)
    own = {name_key(article.sitename or ""), name_key(site_label(article.domain) if article.domain else "")} - {""}
    return not any(key in name or name in key for name in own)
