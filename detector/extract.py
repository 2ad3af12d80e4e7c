"""Main text and metadata of a page: trafilatura on the decoded page, under a hard time limit of our own.

The DOM is parsed once here and handed on, since spam traits (share widgets, footers, ad slots) live in the
parts of the page that main-content extraction drops on purpose.
"""

from __future__ import annotations

import re
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any
from urllib.parse import urljoin, urlsplit

import lxml.etree
import lxml.html
import trafilatura
from lxml.html import HtmlElement

from detector.archive_capture import (Capture, is_archive_address, may_be_capture, original_url, restore,
                                      saved_address)
from detector.charset import decode_html
from detector.config import DEFAULT, Config
from detector.consent_banners import consent_prune_xpaths
from detector.live_blog import MIN_UPDATES, as_one_article
from detector.local_zone import localized
from detector.credited_author import shown_byline, structured_author
from detector.errors import ExtractError
from detector.own_url import inferred_domain, jsonld_own_url
from detector.page_metadata import page_metadata, publication_day
from detector.pubdate import day_only, parse_datetime, published_time, shown_date, shown_time
from detector.records import Article, Page
from detector.urls import is_http_url, registered_domain, without_tracking

MIN_WORDS = 5
# trafilatura's own date is only a fallback (pubdate.py reads the markup to the minute), so skip htmldate's
# slow extensive search; fast=True skips the readability/justext second opinions (also more accurate on the
# scrapinghub benchmark: F1 0.951 vs 0.948, see ../shared/corpora/scrapinghub-aeb/README.md).
_DATE_PARAMS = {"extensive_search": False, "original_date": True}


@dataclass(frozen=True, slots=True)
class Extracted:
    """An article together with the parsed DOM of its whole page (None for text-only documents)."""

    article: Article
    dom: HtmlElement | None


class _Timeout(BaseException):
    """Raised by the alarm; a BaseException so that a library's ``except Exception`` cannot swallow it."""


#: After the limit, the alarm repeats at this interval until the block gives up (a swallowed alarm is retried).
_REPEAT_S = 0.25


def _disarm(previous: object) -> bool:
    """Stop the timer and restore the previous handler; True when an alarm fired while doing so."""
    fired = False
    while True:
        try:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous if previous is not None else signal.SIG_DFL)  # type: ignore[arg-type]
            return fired
        except _Timeout:
            fired = True


@contextmanager
def time_limit(seconds: float, target: str) -> Iterator[None]:
    """Raise ExtractError when the block runs longer than ``seconds`` (main thread only; elsewhere no-op).

    The alarm interrupts Python code only: a single call into C (lxml, regex) is interrupted when it
    returns. It raises a BaseException internally so that ``except Exception`` in a library cannot swallow
    it, and repeats every 0.25 s until the block gives up.
    """
    if seconds <= 0 or threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def on_alarm(signum: int, frame: object) -> None:
        raise _Timeout

    def quiet_timeouts(unraisable: Any) -> None:
        """An alarm that lands in a weakref or ``__del__`` callback cannot propagate and Python would print it
        as "Exception ignored in ..."; the repeating alarm fires again, so that one is dropped silently."""
        if not isinstance(unraisable.exc_value, _Timeout):
            previous_hook(unraisable)

    previous = signal.signal(signal.SIGALRM, on_alarm)
    previous_hook, sys.unraisablehook = sys.unraisablehook, quiet_timeouts
    fired = False
    try:
        try:
            signal.setitimer(signal.ITIMER_REAL, seconds, _REPEAT_S)
            yield
        finally:
            fired = _disarm(previous)
            sys.unraisablehook = previous_hook
    except _Timeout:
        fired = True
    if fired:
        raise ExtractError(target, f"extraction took longer than {seconds:g} s")


#: A start tag longer than this many characters is checked for an excess of attributes.
_LONG_TAG = 4096
#: Attributes kept per start tag: libxml2 compares each new attribute with all earlier ones (quadratic), so
#: one tag with 200,000 attributes (2 MB) holds its parser, in C where no alarm reaches, for minutes.
MAX_ATTRIBUTES = 512
_ATTRIBUTE = re.compile(r"""[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]*))?""")


#: A stretch of more than ``_LONG_TAG`` characters between two ``>``: only such a stretch can hold a long tag. (The
#: search starts only at a ``>`` and reads each stretch once: linear time, no copy of the page.)
_LONG_STRETCH = re.compile(f">([^>]{{{_LONG_TAG + 1},}})(?=>)")


def _trim_attributes(text: str) -> str:
    """The page with every start tag cut to its first ``MAX_ATTRIBUTES`` attributes (linear time).

    A tag runs from the first ``<`` after the previous tag to the next ``>``, so each stretch between two ``>``
    holds at most one, from its first ``<``: only the long stretches are visited, not every tag of the page.
    """
    if len(text) < _LONG_TAG:
        return text
    first = text.find(">")
    stretches = [(0, first)] if first > _LONG_TAG else []
    stretches += [m.span(1) for m in _LONG_STRETCH.finditer(text, max(first, 0))] if first >= 0 else []
    parts: list[str] = []
    done = 0
    for begin, end in stretches:
        start = text.find("<", begin, end)
        if start < 0 or end - start <= _LONG_TAG or not text[start + 1 : start + 2].isalpha():
            continue
        attributes = _ATTRIBUTE.findall(text, start + 1, end)
        if len(attributes) <= MAX_ATTRIBUTES + 1:  # the tag name matches the pattern too
            continue
        parts.append(text[done:start])
        parts.append("<" + " ".join(attributes[: MAX_ATTRIBUTES + 1]) + ">")
        done = end + 1
    if not parts:
        return text
    parts.append(text[done:])
    return "".join(parts)


#: Every element is a plain ``HtmlElement``, chosen in C. lxml.html's own lookup picks a Python class per tag
#: (forms, inputs, labels) in a Python callback each time an element is touched, about 5% of extraction and of
#: the traits; neither trafilatura nor the traits use those classes' extra methods.
_PLAIN_HTML_CLASSES = lxml.etree.ElementDefaultClassLookup(
    element=HtmlElement, comment=lxml.html.HtmlComment, pi=lxml.html.HtmlProcessingInstruction,
    entity=lxml.html.HtmlEntity)


#: C0 control characters but tab, newline and return: no HTML text holds them on purpose (a vertical tab pasted
#: from a word processor does), and lxml refuses them where trafilatura copies text into a new tree, which
#: failed the whole page ("extraction failed (ValueError)", or "no article text found").
_CONTROL_CHARS = bytes([*range(0x09), 0x0b, 0x0c, *range(0x0e, 0x20)])
_CONTROL = re.compile(f"[{re.escape(_CONTROL_CHARS.decode('ascii'))}]")
#: ``_CONTROL`` as bytes: in UTF-8 these characters are single bytes no other character's encoding contains.
_CONTROL_BYTES = bytes.maketrans(_CONTROL_CHARS, b" " * len(_CONTROL_CHARS))
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>")


def _utf8(text: str) -> bytes:
    """The page as UTF-8 for the parser, control characters as spaces and an XML declaration removed.

    Most pages hold no control character: that is checked on the encoded bytes (a byte table, several times
    quicker than a regex over the text), and then the page is encoded once."""
    data = text.encode("utf-8", "replace")
    if data.translate(_CONTROL_BYTES) != data:
        text = _CONTROL.sub(" ", text)
    elif not _XML_DECLARATION.match(text):
        return data
    return _XML_DECLARATION.sub("", text).encode("utf-8", "replace")


def parse_dom(html: bytes, charset: str | None) -> HtmlElement:
    """The page as an lxml tree, decoded with the declared charset (or a detected one), control characters
    read as spaces."""
    data = _utf8(_trim_attributes(decode_html(html, charset)))
    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, huge_tree=False)
    parser.set_element_class_lookup(_PLAIN_HTML_CLASSES)
    dom = lxml.html.document_fromstring(data, parser=parser)
    if dom is None:
        raise ValueError("no HTML tree")
    return dom


def _absolute(base: str, href: str) -> str | None:
    """``href`` resolved against ``base``; None for a link Python cannot parse (``http://[not an IP]/``)."""
    try:
        absolute = urljoin(base, href) if href and is_http_url(base) else href
        urlsplit(absolute).port  # noqa: B018 - raises ValueError on a bad host or port
    except ValueError:
        return None
    return absolute


def _canonical(dom: HtmlElement, base: str) -> tuple[str | None, str | None]:
    """The page's canonical link and its og:url (either may be None): the first of each, in page order, that
    resolves to an http(s) URL. One pass over the page's link and meta elements."""
    found: dict[str, str] = {}
    for element in dom.iter("link", "meta"):
        if element.tag == "link":
            kind, value = "canonical", element.get("href") if element.get("rel") == "canonical" else None
        else:
            kind, value = "og", element.get("content") if element.get("property") == "og:url" else None
        if value is None or kind in found:
            continue
        absolute = _absolute(base, value.strip())
        if absolute and is_http_url(absolute):
            found[kind] = absolute
            if len(found) == 2:
                break
    return found.get("canonical"), found.get("og")


#: Links a reader sees with the article: not hidden, and not in the site's chrome (menus, header, footer,
#: sidebars, blogrolls) unless inside an ``<article>``. A link to a site in a footer or a partners box, or a hidden
#: one, credits no source (an outside probe had a blogroll link make a copy "credited").
#: Links to other sites (``$own``: the page's registered domain, '' when unknown).
_OUTSIDE_LINKS = lxml.etree.XPath(
    "//a[starts-with(normalize-space(@href), 'http') or starts-with(normalize-space(@href), '//')]"
    "[$own = '' or not(contains(@href, $own))]")
_CHROME_TAGS = frozenset({"nav", "header", "footer", "aside"})
_CHROME_CLASSES = ("footer", "sidebar", "widget", "blogroll", "partner", "menu")
_CHROME_IDS = ("footer", "sidebar", "menu")
#: Classes of an article's body container, which holds the article whatever chrome holds it: Blogger puts every
#: post inside ``<div class="widget Blog">``, so a farm's "read the whole story at <source>" link read as chrome
#: and its copy as uncredited (an outside probe).
_BODY_CLASSES = ("post-body", "entry-content", "article-body", "article__body", "story-body")
_LOWER_NO_SPACE = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz", " ")


def is_hidden(element: HtmlElement) -> bool:
    """Whether no reader sees the element itself: its ``hidden`` attribute, or an inline ``display:none`` or
    ``visibility:hidden`` (ASCII case and spaces ignored)."""
    if element.get("hidden") is not None:
        return True
    style = (element.get("style") or "").translate(_LOWER_NO_SPACE)
    return "display:none" in style or "visibility:hidden" in style


def in_hidden(element: HtmlElement) -> bool:
    """Whether the element or one around it is hidden (``is_hidden``): what it says, no reader sees (also read by
    ``features.attribution`` for credit lines)."""
    return is_hidden(element) or any(map(is_hidden, element.iterancestors()))


def _chrome(element: HtmlElement) -> bool:
    """Whether the element is site chrome: a nav, header, footer or aside, or marked so by its class or id."""
    if element.tag in _CHROME_TAGS:
        return True
    if element.tag in ("body", "html"):  # "has-sidebar-right" on <body> (Joomla) marks the layout, not chrome
        return False
    marks, name = element.get("class") or "", element.get("id") or ""
    return any(m in marks for m in _CHROME_CLASSES) or any(m in name for m in _CHROME_IDS)


def _article_like(element: HtmlElement) -> bool:
    """Whether the element holds an article: an ``<article>``, an ``itemprop="articleBody"`` or a body container
    by its class (``_BODY_CLASSES``)."""
    if element.tag == "article" or "articleBody" in (element.get("itemprop") or ""):
        return True
    marks = element.get("class") or ""
    return any(m in marks for m in _BODY_CLASSES)


#: Classes and ids of a list of other stories shown with the article, beside the related-post marks of the DOM
#: traits (``features.dom_marks.RELATED_MARK``): teaser lists, most-read boxes ("teaser-list--auch",
#: "inline-teaser", "meistgelesen"). Their links point at other stories, not at the story's source: an outside
#: probe's sister title linking a different story of the sister site in its "Auch interessant" list was read as
#: crediting that site for a story it ran uncredited, and an earlier original as its copy.
_STORY_LIST_MORE = (r"recommend|teaser|most-?read|meistgelesen|popular|trending|more-from|auch-interessant|"
                    r"lesen-sie-auch|weitere-artikel|lees-ook|leggi-anche|lire-aussi|te-puede-interesar")


@lru_cache(maxsize=1)
def _story_list_mark() -> re.Pattern[str]:
    from features.dom_marks import RELATED_MARK  # the features package imports this module: read lazily

    return re.compile(f"{RELATED_MARK.pattern}|{_STORY_LIST_MORE}")


def _story_list(element: HtmlElement) -> bool:
    """Whether the element is a list of other stories (``_story_list_mark``) and not the article's body."""
    marks = f"{element.get('class') or ''} {element.get('id') or ''}".lower()
    return bool(_story_list_mark().search(marks)) and not _article_like(element)


def _seen_with_article(link: HtmlElement, memo: dict[HtmlElement, tuple[bool, bool, bool, bool]]) -> bool:
    """Whether a reader sees ``link`` with the article, as a link it gives: neither it nor an ancestor hidden, no
    chrome ancestor unless an article holds it (``_article_like``), and in no list of other stories
    (``_story_list``), wherever that stands. ``memo`` keeps each ancestor's (in an article, in chrome, hidden, in a
    story list), counting its own ancestors, so the links of one page walk each ancestor once, not once per link."""
    if is_hidden(link):
        return False
    chain: list[HtmlElement] = []
    article = chrome = hidden = listed = False
    for ancestor in link.iterancestors():
        known = memo.get(ancestor)
        if known is not None:
            article, chrome, hidden, listed = known
            break
        chain.append(ancestor)
    for ancestor in reversed(chain):
        article = article or _article_like(ancestor)
        chrome = chrome or _chrome(ancestor)
        hidden = hidden or is_hidden(ancestor)
        listed = listed or _story_list(ancestor)
        memo[ancestor] = (article, chrome, hidden, listed)
    return not hidden and not listed and (article or not chrome)


def _links(dom: HtmlElement, own: str) -> tuple[str, ...]:
    """Absolute links to other sites a reader sees with the article (``_seen_with_article``; links to the page's
    own site ``own``, relative or not, credit no one).

    Kept as written: a malformed one simply has no host later (``urls.host`` returns '').
    """
    seen: dict[str, None] = {}
    memo: dict[HtmlElement, tuple[bool, bool, bool, bool]] = {}
    for link in _OUTSIDE_LINKS(dom, own=own or ""):
        if not _seen_with_article(link, memo):
            continue
        href = str(link.get("href")).strip()
        lowered = href[:8].lower()
        if lowered.startswith(("http://", "https://")):
            seen.setdefault(href, None)
        elif lowered.startswith("//"):
            seen.setdefault("https:" + href, None)
    return tuple(seen)


def _html_language(dom: HtmlElement) -> str | None:
    locale = _html_locale(dom)
    return locale.split("-")[0] if locale else None


def _html_locale(dom: HtmlElement) -> str | None:
    """The page's ``lang`` whole, region and all ("en-us"): how it writes a slashed date (``detector.pubdate``)."""
    lang = dom.get("lang") or next(iter(dom.xpath("//html/@lang")), None)
    return str(lang).strip().lower().replace("_", "-") or None if lang else None


def _date_language(language: str | None, dom: HtmlElement) -> str | None:
    """The page's language with the region its ``lang`` gives, when that names the same language."""
    locale = _html_locale(dom)
    return locale if locale and (language is None or locale.split("-")[0] == language) else language


def page_url(page: Page, canonical: str | None, og_url: str | None = None, dom: HtmlElement | None = None) -> str:
    """The page's own URL: the fetched final URL (without tracking parameters: ``?utm_source=...`` names no
    other page), else its canonical link, else its file URL.

    A syndicated page points its canonical link at the original on another site while its og:url names
    itself; then og:url is the page's own address (else the copy would take the original's place). When its
    og:url points there too, its JSON-LD article address may still name it (``detector.own_url``).
    """
    if is_http_url(page.final_url):
        return without_tracking(page.final_url)
    if og_url and canonical and registered_domain(og_url) != registered_domain(canonical):
        return og_url
    claimed = canonical or og_url
    if claimed and dom is not None:
        return jsonld_own_url(dom, claimed) or claimed
    return claimed or page.final_url


def _main_text(dom: HtmlElement, url: str | None) -> Any:
    """trafilatura's main text of the page, its consent boxes left out (``detector.consent_banners``); when that
    leaves too little text, the page read whole (a wrapper named like a consent box holds the article)."""
    prune = consent_prune_xpaths(dom)
    doc = trafilatura.bare_extraction(dom, url=url, with_metadata=False, include_comments=False, include_tables=True,
                                      deduplicate=False, fast=True, prune_xpath=prune)
    if prune and (doc is None or len((doc.text or "").split()) < MIN_WORDS):
        doc = trafilatura.bare_extraction(dom, url=url, with_metadata=False, include_comments=False,
                                          include_tables=True, deduplicate=False, fast=True)
    return doc


def extract(page: Page, config: Config = DEFAULT, target: str | None = None) -> Extracted:
    """Article text and metadata of a page; raises ExtractError (naming the input) when there is none."""
    name = target or page.url
    if not page.html.strip():
        raise ExtractError(name, "empty page")
    with time_limit(config.extract_timeout_s, name):
        try:
            dom = parse_dom(page.html, page.charset)
        except (ValueError, lxml.etree.ParserError) as err:
            raise ExtractError(name, f"not parseable as HTML ({err})") from None
        except Exception as err:  # a parser bug on one hostile page must not stop a batch
            raise ExtractError(name, f"not parseable as HTML ({type(err).__name__})") from None
        try:
            # an archive's capture read as the page it captured (in place)
            capture = restore(dom) if may_be_capture(page.html) else None
            base = _captured_address(page.final_url, capture)
            canonical, og_url = _canonical(dom, base)
            url = page_url(replace(page, final_url=base), canonical, og_url, dom)
            if not is_http_url(url):  # a saved copy naming its address where no link element does
                url = saved_address(page.html, dom) or url
            meta = page_metadata(dom, url if is_http_url(url) else None)
            # a saved page naming no address of its own: the site it links and names itself by
            domain = registered_domain(url) if is_http_url(url) else (inferred_domain(dom) or "")
            author = meta.author or structured_author(dom, meta.sitename, domain)
            author = (author and shown_byline(dom, author)) or author
            live = page.html.count(b"<article") >= MIN_UPDATES  # a live blog's updates may be its <article>s
            doc = _main_text(as_one_article(dom) if live else dom, url if is_http_url(url) else meta.url)
            links = _links(dom, domain)
            language = (doc.language if doc is not None else None) or _html_language(dom)
            published = None
            if doc is not None:  # htmldate's day only when the markup states no time (pubdate.py)
                published = (published_time(dom) or shown_date(dom, meta.title, _date_language(language, dom))
                             or published_time(None, publication_day(dom, meta.url, _DATE_PARAMS)))
                if day_only(published):  # the day alone: the minute from the page's visible date line
                    published = shown_time(dom, published) or published
        except ExtractError:
            raise
        except Exception as err:  # trafilatura raises many kinds on hostile pages; each is one refused input
            raise ExtractError(name, f"extraction failed ({type(err).__name__})") from None
    if doc is None or not (doc.text or "").strip():
        raise ExtractError(name, "no article text found")
    paragraphs = tuple(filter(None, (_cells(p) for p in doc.text.split("\n"))))
    text = "\n\n".join(paragraphs)
    if len(text.split()) < MIN_WORDS:
        raise ExtractError(name, f"too little text ({len(text.split())} words)")
    article = Article(
        url=url,
        domain=domain,
        title=meta.title,
        text=text,
        paragraphs=paragraphs,
        published=localized(published, domain, language),
        author=author,
        sitename=meta.sitename,
        canonical=canonical or og_url,
        language=language,
        description=meta.description,
        links=links,
        seen=page.captured or (capture.captured if capture is not None else None),
    )
    return Extracted(article=article, dom=dom)


def _captured_address(final_url: str, capture: Capture | None) -> str:
    """The address a page was read from, the archive's address of a capture taken back to the page's own (a WARC
    of Wayback captures, an archive.ph page fetched): the page is the site's, not the archive's."""
    if capture is None and not is_archive_address(final_url):
        return final_url
    own = original_url(final_url) or (capture.url if capture is not None else None)
    return own if own and (is_archive_address(final_url) or not is_http_url(final_url)) else final_url


_TABLE_RULE = re.compile(r"\|(?:\s*:?-{3,}:?\s*\|)+")
_CELL_BREAK = re.compile(r"(?<!\\)\|")


def _cells(line: str) -> str:
    """A line of trafilatura's text with a table row ("| a | b \\| c |  |", Markdown; a nested table's row may
    lack its closing pipe) read as its non-empty cells joined by " | ", the row rule ("|---|---|") dropped: a page
    laid out in tables (a 2005 portal) otherwise has every line of its article framed in pipes, which no
    headline, source line or copy of it matches."""
    line = line.strip()
    if not line.startswith("|"):  # a row's first cell opens it; a nested table's row may run on without a close
        return line
    if _TABLE_RULE.fullmatch(line.replace(" ", "")):
        return ""
    body = line[1:-1] if line.endswith("|") and not line.endswith("\\|") else line[1:]
    cells = (cell.strip().replace("\\|", "|") for cell in _CELL_BREAK.split(body))
    return " | ".join(cell for cell in cells if cell)


def article_from_text(url: str, text: str, title: str | None = None, published: str | None = None,
                      sitename: str | None = None, canonical: str | None = None, author: str | None = None,
                      description: str | None = None) -> Article:
    """An Article for an already-extracted document (JSONL input): paragraphs split on blank lines or lines."""
    chunks = re.split(r"\n\s*\n", text) if "\n\n" in text else text.split("\n")
    paragraphs = tuple(c.strip() for c in chunks if c.strip())
    domain = registered_domain(url) if is_http_url(url) else ""
    return Article(
        url=url,
        domain=domain,
        title=title,
        text="\n\n".join(paragraphs),
        paragraphs=paragraphs,
        published=localized(parse_datetime(published), domain, None),
        sitename=sitename,
        canonical=canonical,
        author=author,
        description=description,
    )
