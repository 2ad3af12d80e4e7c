"""A live blog's updates, read as one article.

A live blog often sets each timestamped update in an ``<article>`` of its own, side by side in the page's main
column. trafilatura takes the first ``<article>`` for the whole article, so such a page read as its latest update
alone (an outside probe's flood live blog: 47 words of about 370, nothing in the rest of it matchable). A page that
declares itself a live blog (schema.org ``LiveBlogPosting``) or marks those elements as live updates is read with
them made plain blocks, on a copy of its tree: the column holding them is then the article.
"""

from __future__ import annotations

import re
from copy import deepcopy

from lxml import etree
from lxml.html import HtmlElement

from detector.jsonld import documents, values

__all__ = ["as_one_article"]

MIN_UPDATES = 3  # fewer <article> elements side by side are an article and its asides, not a stream of updates
_ARTICLES = etree.XPath("//article[not(ancestor::article)]")
_WORDS = re.compile(r"[a-z0-9]+")


def as_one_article(dom: HtmlElement) -> HtmlElement:
    """``dom`` itself, or, for a live blog set as sibling ``<article>`` updates, a copy whose updates are plain
    ``<div>`` elements (``MIN_UPDATES`` or more in one parent, the page a live blog)."""
    articles = _ARTICLES(dom)
    if len(articles) < MIN_UPDATES:
        return dom
    by_parent: dict[int, list[HtmlElement]] = {}
    for element in articles:
        by_parent.setdefault(id(element.getparent()), []).append(element)
    stream = max(by_parent.values(), key=len)
    if len(stream) < MIN_UPDATES or not (_marked_live(stream) or _declares_live_blog(dom)):
        return dom
    path = dom.getroottree().getpath
    wanted = {path(element) for element in stream}
    copy = deepcopy(dom)
    copied = copy.getroottree()
    for element in _ARTICLES(copy):
        if copied.getpath(element) in wanted:  # a plain block: no class of its own trafilatura takes for the post
            element.tag = "div"
            for name in ("class", "id"):
                element.attrib.pop(name, None)
    return copy


def _marked_live(elements: list[HtmlElement]) -> bool:
    """Whether the elements' classes or ids, or their parent's, call them live updates: a word opening with
    "live" ("live-post", "liveblog-entry") or "ticker"."""
    marks = " ".join(f"{e.get('class') or ''} {e.get('id') or ''}" for e in (*elements, elements[0].getparent())
                     if e is not None).lower()
    return any(word.startswith("live") or word == "ticker" for word in _WORDS.findall(marks))


def _declares_live_blog(dom: HtmlElement) -> bool:
    """Whether the page's JSON-LD calls it a ``LiveBlogPosting``."""
    for document in documents(dom, "LiveBlogPosting"):
        for kind in values(document, ("@type",)):
            if kind == "LiveBlogPosting" or (isinstance(kind, list) and "LiveBlogPosting" in kind):
                return True
    return False
