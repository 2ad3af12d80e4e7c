"""Invitations to join a group placed with the article: a Facebook group, a WhatsApp group, a private Telegram or
Viber invite.

Why: a farm's promo footer ("To join the group ... just click: Join Group and your request will be approved") is
written in any language and wording, so phrase lists miss many of them; the link it carries is what the promo is
for, and its target looks the same in every language. Links to a newsroom's own broadcast outlets (an app-store
page, a WhatsApp channel, a public Telegram channel) are not counted: publishers print "Get our app" and "Follow
our WhatsApp channel" under their articles as often as farms do (an outside probe: six of eight flagged newsroom
pages were flagged by an app or channel promo, one 0.95 -> 0.14 without it). Links in the site's chrome (header,
menu, site footer) are left out; links inside an ``<article>`` always count. Share buttons (``sharer``,
``t.me/share``, ``api.whatsapp.com/send``) are not invitations and never match.
"""

from __future__ import annotations

import re

from lxml import etree
from lxml.html import HtmlElement

from features.registry import trait
from features.view import PageView

FAMILY = "boilerplate"

# Cheap pre-filter on the hrefs the DOM summary already holds; only the few hits are looked up in the DOM.
_HINTS = ("groups/", ".me/", "whatsapp.com/", "viber.com")
_BY_HREF = etree.XPath("//a[normalize-space(@href)=$href]")
_TARGET = re.compile(
    r"^(?:https?:)?//(?:[a-z0-9-]+\.)*(?:"
    r"facebook\.com/groups/[^/?#\s]+"
    r"|t(?:elegram)?\.me/(?:\+|joinchat/)[^/?#\s]+"
    r"|chat\.whatsapp\.com/[^/?#\s]+"
    r"|invite\.viber\.com/\S+)",
    re.IGNORECASE,
)
_LINE_MAX_CHARS = 300  # a promo line; longer is the container around it (a whole <main> with the headline)
_CHROME_TAGS = frozenset({"nav", "header", "footer"})
_CHROME_CLASS = re.compile(
    r"(?:^|[\s_-])(?:footer|colophon|navbar|nav|menu|masthead|topbar|site-header|header)(?:$|[\s_-])", re.IGNORECASE
)


def in_chrome(anchor: HtmlElement) -> bool:
    """True when the link sits in the site's header, menu or footer and not inside an ``<article>``."""
    chrome = False
    for el in anchor.iterancestors():
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag == "article":
            return False
        if not chrome and (tag in _CHROME_TAGS or _CHROME_CLASS.search(f"{el.get('class', '')} {el.get('id', '')}")):
            chrome = True
    return chrome


def cta_targets(view: PageView) -> list[tuple[str, str]]:
    """Distinct group-invitation link targets outside the site chrome, in page order, each with the text of the
    block that carries it (the promo line a reader sees)."""
    summary = view.summary
    if view.dom is None or summary is None:
        return []
    hrefs = [a.href for a in summary.anchors]
    joined = "\n".join(hrefs)  # no hint holds a newline: one is in some link exactly when it is in the joined text
    if not any(h in joined for h in _HINTS):
        return []  # most pages: no link to look at one by one
    found: dict[str, str] = {}
    for href in dict.fromkeys(href for href in hrefs if any(h in href for h in _HINTS)):
        if not _TARGET.match(href):
            continue
        for el in _BY_HREF(view.dom, href=href):
            if not in_chrome(el):
                block = el.getparent() if el.getparent() is not None else el
                line = " ".join(block.text_content().split())
                if len(line) > _LINE_MAX_CHARS:  # the link sits loose in a big container: its own words
                    line = " ".join(el.text_content().split())
                found.setdefault(href.split("#", 1)[0].rstrip("/").lower(), line)
                break
    return list(found.items())


@trait(
    name="community_cta_links",
    meaning=("Links with the article inviting readers to join a group: a Facebook or WhatsApp group, a private "
             "Telegram or Viber invite (not an app, a channel or a page)."),
    family=FAMILY,
)
def community_cta_links(view: PageView) -> tuple[float, str | None]:
    """The promo footer's link, whatever language or wording the promo is in."""
    targets = cta_targets(view)
    if not targets:
        return 0.0, None
    href, line = targets[0]
    return float(len(targets)), (f"{line} [{href}]" if line else href)
