"""Marks a copy site leaves in its own frame, in any language: a DMCA notice, and a CMS's default account signing
the article.

Why: both are read from markup and a few fixed tokens, not from phrasings, so they hold on pages in languages and
wordings no phrase list knows (an outside probe whose farm furniture was worded anew read 11 of its 18 farm copies
clean without an index; 10 of those 18 farms linked a DMCA page, none of its 34 clean pages did).

- A site living off other sites' text keeps a DMCA page (a takedown address that keeps its host's abuse desk
  away) or a DMCA.com badge far more often than a newsroom, which publishes a copyright or legal notice instead:
  of the 571 real publisher pages of the two corpora four link one (a tech site's "Privacy / DMCA contact", small
  news sites' menus, a legal article's anchor), of the 672 farm pages outside probes wrote 47, of their 744 clean
  pages none.
- "admin" signing an article is WordPress's first account left as it came: a site that posts in bulk has no
  writers to sign. Newsrooms sign a name, a desk or the paper: six real pages of 571 show a CMS account (small
  sites, a ministry), 55 of the probes' 672 farm pages, none of their clean ones.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from features.metadata import AUTHOR_META
from features.registry import trait
from features.view import PageView

#: "dmca" closing a word of a link's target or text: "/dmca/", "dmca-policy", "DMCA.com Protection Status",
#: "privacydmca.html"; not opening a longer one ("/dmcapital/").
_DMCA = re.compile(r"dmca(?![a-z])", re.IGNORECASE)
#: Addresses and e-mails in a signature: "/author/admin/#author" names the login, "webmaster@..." a mailbox.
_ADDRESS = re.compile(r"\S*[/@]\S*")
#: Accounts a CMS creates before anyone writes (WordPress, Joomla, Blogger's defaults), folded.
DEFAULT_ACCOUNTS = frozenset({"admin", "administrator", "webmaster", "siteadmin", "wpadmin", "adminadmin"})
#: What every one of them holds: a line without either is no signature by one (a substring test, before any word is
#: read).
_ACCOUNT_HINTS = ("admin", "webmaster")
_WORD = re.compile(r"\w+")
#: A shown byline is a short line near the headline: "admin", "By admin", "Posted by admin on March 12, 2025".
BYLINE_MAX_WORDS = 8
BYLINE_SEEN_LINES = 80
#: Words beside "admin" that make a line site chrome, not a signature ("Site Admin", "Admin login").
_CHROME_WORDS = frozenset({"site", "login", "log", "panel", "dashboard", "area", "contact", "email", "mail"})


@trait(
    name="dmca_notice",
    meaning="Links to a DMCA policy, takedown form or DMCA.com badge (a copy site's shield against complaints).",
    family="boilerplate",
)
def dmca_notice(view: PageView) -> tuple[float, str | None]:
    """Distinct DMCA links on the page, the first as evidence."""
    summary = view.summary
    if summary is None or "dmca" not in "\n".join(a.href + a.text for a in summary.anchors).lower():
        return 0.0, None  # nearly every page: one join and one search, no per-link pattern
    found = dict.fromkeys(a.href for a in summary.anchors if _DMCA.search(a.href) or _DMCA.search(a.text))
    if not found:
        return 0.0, None
    return float(len(found)), next(iter(found))


@trait(
    name="default_byline",
    meaning="The article is signed by a CMS's default account (admin, administrator, webmaster).",
    family="metadata",
)
def default_byline(view: PageView) -> tuple[float, str | None]:
    """1.0 when the extracted author (a JSON-LD author among them), an author meta tag or a shown byline is such an
    account."""
    for name in _signatures(view):
        words = _WORD.findall(_ADDRESS.sub(" ", name.casefold()))
        if not DEFAULT_ACCOUNTS.isdisjoint(words) and _CHROME_WORDS.isdisjoint(words):
            return 1.0, name[:80]
    return 0.0, None


def _signatures(view: PageView) -> Iterator[str]:
    """Where a page signs its article, most explicit first; shown lines only when they are short."""
    if view.article.author:
        yield view.article.author
    summary = view.summary
    if summary is None:
        return
    for key in AUTHOR_META:
        if summary.meta.get(key):
            yield summary.meta[key]
    for line in view.lines[:BYLINE_SEEN_LINES]:
        if line.text.count(" ") < BYLINE_MAX_WORDS and any(hint in line.norm for hint in _ACCOUNT_HINTS):
            yield line.text

