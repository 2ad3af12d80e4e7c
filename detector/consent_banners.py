"""Consent banners to leave out of a page's article text: the cookie and consent-management boxes of a site.

Their wording is a vendor's or a plugin's, the same on thousands of sites (the IAB consent text of Italian sites:
"Noi e terze parti selezionate utilizziamo cookie ..."), and trafilatura may keep it as a paragraph. Then two sites
share text that neither wrote: an outside probe's short correction notice was matched to its sister paper's reprint
through its banner alone and read as a content farm (0.98). trafilatura prunes what the XPaths select before it
extracts, on a copy of the tree; the DOM the traits read keeps the banner (it is part of the page).
"""

from __future__ import annotations

from lxml import etree
from lxml.html import HtmlElement

__all__ = ["consent_prune_xpaths"]

#: Marks in an id or a class of consent boxes: words of the box's own naming and consent platforms'. Not a bare
#: "cmp" (Adobe's core components are all "cmp-…", article text too) nor a bare "cookie" (a recipe).
MARKS = ("consent", "cookie-banner", "cookie-notice", "cookie-law", "cookie-bar", "cookiebar", "cookie-popup",
         "cookie-modal", "cookies-banner", "cookie-wall", "cookiewall", "cookienotice", "cookie-info", "cookie_notice",
         "cookiebot", "gdpr", "qc-cmp", "cmpbox", "onetrust", "didomi", "usercentrics", "iubenda", "truste",
         "sp_message", "cc-window", "osano", "borlabs", "cmplz")
#: The id and class values of the body's children and grandchildren: consent platforms and plugins put their box
#: there, over the page ("qc-cmp2-container", "onetrust-consent-sdk", "cookie-law-info-bar"), and reading two levels
#: costs a small part of reading every element's (0.4 ms a page).
_VALUES = etree.XPath("./*/@id | ./*/@class | ./*/*/@id | ./*/*/@class", smart_strings=False)
#: A consent box holds a few paragraphs; an element with more is a wrapper ("gdpr-ok" on a page's main div) and is
#: left alone, so that no article is pruned with it (and extraction retries without pruning when nothing is left).
MAX_BOX_CHARS = 3000
MAX_BOX_PARAGRAPHS = 4
MAX_VALUES = 20  # distinct marked values a page may name: enough for any CMP, and a hostile page costs no more


def consent_prune_xpaths(dom: HtmlElement) -> list[str] | None:
    """An XPath selecting the page's consent boxes (the elements whose id or class value, on the body's first two
    levels, holds a mark), or None when the page names none; the values are compared whole, which costs a small part
    of searching every element's attributes for the marks in XPath (3 ms a page)."""
    body = dom.find("body") if dom.tag == "html" else None
    if body is None:
        return None
    values = list(dict.fromkeys(_VALUES(body)))
    joined = "\n".join(values).lower()
    if not any(mark in joined for mark in MARKS):
        return None
    marked = [value for value in values
              if "'" not in value and any(mark in value.lower() for mark in MARKS)][:MAX_VALUES]
    if not marked:
        return None
    tests = " or ".join(f"@id='{value}' or @class='{value}'" for value in marked)
    return [f"//body//*[{tests}][count(.//p) <= {MAX_BOX_PARAGRAPHS}][string-length(.) < {MAX_BOX_CHARS}]"]
