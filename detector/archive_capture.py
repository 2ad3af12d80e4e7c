"""A web archive's capture of a page, read as the page it captured; and the address a saved copy gives itself.

Researchers often hold a farm's page only as a Wayback Machine or archive.today capture, and save pages with
SingleFile or a browser's reader view. The Wayback Machine rewrites every link of the page (its canonical link
too) to ``https://web.archive.org/web/<time>/<link>`` and injects its toolbar; archive.today sends links through
``https://archive.ph/o/<id>/<link>``, heads the page with its own bar and states the capture's address and time as
the page's og:url and publication time. Read as they stood, an outside probe's Wayback capture of a farm page read
as a syndicated page whose every link left the site (0.01 against the page's own 0.999), so that a backdated farm,
no longer doubted, made a newsroom its copy; archive.today captures were pages of archive.ph, dated when captured.

``restore`` undoes an archive's rewriting in place, before anything reads the page, and says what page it captured
and when; ``saved_address`` reads the address a SingleFile save or a Firefox reader view names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone

from lxml import etree
from lxml.html import HtmlElement

__all__ = ["Capture", "is_archive_address", "may_be_capture", "original_url", "restore", "saved_address"]

_WAYBACK = re.compile(r"^(?:(?:https?:)?//(?:web\.)?archive\.org)?/web/(\d{4,14})(?:[a-z]{2}_)?/+(.+)$", re.I)
_TODAY_HOSTS = r"archive\.(?:ph|today|is|li|vn|fo|md)"
_TODAY_OUT = re.compile(rf"^(?:https?:)?//{_TODAY_HOSTS}/o/[A-Za-z0-9]+/(.+)$", re.I)
_TODAY_STAMP = re.compile(rf"^(?:https?:)?//{_TODAY_HOSTS}/(\d{{4}})\.(\d\d)\.(\d\d)-(\d\d)(\d\d)(\d\d)/(https?://.+)$",
                          re.I)
_TODAY_PAGE = re.compile(rf"^(?:https?:)?//{_TODAY_HOSTS}(?:/|$)", re.I)
_URL_ATTRIBUTES = ("href", "src", "action", "content", "srcset", "data-src", "poster")
_WAYBACK_MARKS = etree.XPath("//*[@id='wm-ipp-base'] | //script[contains(., '__wm.wombat')]")
_WAYBACK_CHROME = etree.XPath(
    "//*[@id='wm-ipp-base' or @id='wm-ipp' or @id='wm-ipp-print' or @id='donato']"
    " | //script[contains(@src, 'archive.org/_static') or contains(@src, '/_static/js/')"
    " or contains(., '__wm.') or contains(., 'archive_analytics')]"
    " | //link[contains(@href, 'archive.org/_static')]")
_TOOLBAR_URL = etree.XPath("string(//input[@id='wmtbURL']/@value)")
_TODAY_ITEM_URL = etree.XPath("string(//meta[@itemprop='url']/@content)")
#: archive.today's own metadata, stating the capture (its address, its time, archive.ph as the site), not the page
_TODAY_META = etree.XPath(
    "//meta[@property='og:url' or @property='og:site_name' or @property='article:published_time'"
    " or @property='article:modified_time' or @itemprop='url' or @itemprop='datePublished'"
    " or @itemprop='dateModified'] | //link[@rel='bookmark']")
_SAVED_FROM = etree.XPath("//input[@value][ancestor::table][contains(normalize-space(ancestor::tr[1]), 'Saved from')]")


@dataclass(frozen=True, slots=True)
class Capture:
    """What an archive's capture says of the page it captured."""

    url: str | None  # the captured page's own address
    captured: datetime | None  # when the archive captured it (the page existed then)


def original_url(url: str | None) -> str | None:
    """The captured page's address of an archive's address of it (``https://web.archive.org/web/2026.../https://x/``,
    ``https://archive.ph/2026.03.12-081500/https://x/``), else None."""
    if not url:
        return None
    found = _WAYBACK.match(url.strip()) or _TODAY_OUT.match(url.strip())
    if found is not None:
        return _absolute(found.groups()[-1])
    stamped = _TODAY_STAMP.match(url.strip())
    return stamped.group(7) if stamped else None


#: What every capture's bytes hold: its archive's name (in its links, scripts or bar) or Wayback's relative links.
_CAPTURE_HINTS = (b"archive.org", b"/web/", b"archive.ph", b"archive.today", b"archive.is/", b"archive.li/",
                  b"archive.vn/", b"archive.md/", b"archive.fo/")


def may_be_capture(html: bytes) -> bool:
    """Whether a page's bytes may be an archive's capture: a substring test, before ``restore``'s searches of the
    tree (1.5 ms a page, on every page)."""
    return any(hint in html for hint in _CAPTURE_HINTS)


_ARCHIVE_ORG = re.compile(r"^https?://(?:web\.)?archive\.org/", re.I)


def is_archive_address(url: str | None) -> bool:
    """Whether ``url`` is an address of the Wayback Machine or archive.today, not of a page they captured."""
    url = (url or "").strip()
    return bool(url) and any(p.match(url) for p in (_WAYBACK, _TODAY_PAGE, _ARCHIVE_ORG))


def restore(dom: HtmlElement) -> Capture | None:
    """Undo a Wayback Machine's or archive.today's rewriting of a captured page, in place (links and canonical
    links back to the page's own, the archive's bar and scripts and its own metadata removed), and say what it
    captured; None, the page untouched, when it is no archive's capture."""
    canonical = _canonical_href(dom)
    if _WAYBACK_MARKS(dom) or _WAYBACK.match(canonical):
        return _restore_wayback(dom, canonical)
    stamp = _TODAY_STAMP.match(_TODAY_ITEM_URL(dom).strip())
    saved_from = _SAVED_FROM(dom)
    if stamp is not None or (saved_from and any(_TODAY_PAGE.match(a) for a in dom.xpath("//a/@href")[:40])):
        return _restore_archive_today(dom, stamp, saved_from)
    return None


def _restore_wayback(dom: HtmlElement, canonical: str) -> Capture:
    url = (_TOOLBAR_URL(dom) or "").strip() or original_url(canonical)
    _drop_all(_WAYBACK_CHROME(dom))
    stamps = _rewrite(dom, _WAYBACK)
    return Capture(url, _wayback_time(stamps[0]) if stamps else None)


def _restore_archive_today(dom: HtmlElement, stamp: re.Match[str] | None, saved_from: list[HtmlElement]
                           ) -> Capture:
    url = stamp.group(7) if stamp else (saved_from[0].get("value") or "").strip() or None
    captured = _valid_time(*map(int, stamp.groups()[:6])) if stamp is not None else None
    _drop_all(_TODAY_META(dom))
    if saved_from:  # the archive's bar: the block of the page's body holding its "Saved from" field
        bar = saved_from[0]
        while bar.getparent() is not None and bar.getparent().tag != "body":
            bar = bar.getparent()
        _drop_all([bar])
    _rewrite(dom, _TODAY_OUT)
    return Capture(url if url and url.startswith(("http://", "https://")) else None, captured)


def _rewrite(dom: HtmlElement, pattern: re.Pattern[str]) -> list[str]:
    """Every URL attribute an archive rewrote, back to the address it stood for; the first groups matched
    (the Wayback capture times), in page order."""
    groups: list[str] = []
    for element in dom.iter():
        if not isinstance(element.tag, str):
            continue
        for name in _URL_ATTRIBUTES:
            value = element.get(name)
            if not value or "archive" not in value and not value.startswith("/web/"):
                continue
            if name == "srcset":
                element.set(name, " ".join(_unwrapped(part, pattern, groups) for part in value.split(" ")))
            else:
                element.set(name, _unwrapped(value.strip(), pattern, groups))
    return groups


def _unwrapped(value: str, pattern: re.Pattern[str], groups: list[str]) -> str:
    found = pattern.match(value)
    if found is None:
        return value
    if found.re is _WAYBACK:
        groups.append(found.group(1))
    return _absolute(found.groups()[-1])


def _absolute(rest: str) -> str:
    """A captured link as the archive keeps it ("https://x/", "http:/x/" with one slash, "x/"), made whole."""
    rest = re.sub(r"^(https?):/+", r"\1://", rest)
    return rest if rest.startswith(("http://", "https://", "//", "mailto:", "#")) else f"http://{rest}"


def _drop_all(elements: list[HtmlElement]) -> None:
    """Remove each element but the root (lxml's ``drop_tree``: its tail text stays in place)."""
    for element in elements:
        if element.getparent() is not None:
            element.drop_tree()


def _canonical_href(dom: HtmlElement) -> str:
    return next((str(h).strip() for h in dom.xpath("//link[@rel='canonical']/@href")), "")


def _wayback_time(stamp: str) -> datetime | None:
    digits = (stamp + "0" * 14)[:14]
    return _valid_time(int(digits[:4]), int(digits[4:6]) or 1, int(digits[6:8]) or 1, int(digits[8:10]),
                       int(digits[10:12]), int(digits[12:14]))


def _valid_time(*parts: int) -> datetime | None:
    try:
        return datetime(*parts, tzinfo=timezone.utc)
    except ValueError:
        return None


_SINGLEFILE_URL = re.compile(rb"<!--\s*Page saved with SingleFile.{0,200}?\burl:\s*(https?://[^\s<>\"']+)", re.S | re.I)
_SINGLEFILE_HEAD = 4096  # SingleFile writes its comment first in the page
_READER_DOMAIN = etree.XPath("//a[contains(concat(' ', normalize-space(@class), ' '), ' reader-domain ')]/@href")


def saved_address(html: bytes, dom: HtmlElement) -> str | None:
    """The address a saved copy names as the page it saved: SingleFile's comment opening the page ("Page saved
    with SingleFile ... url: https://...", read from the raw page: the parser drops comments), a Firefox reader
    view's site link (its ``reader-domain``, which links the article). An outside probe's saves read as pages of
    a local file, their article counted twice for its site."""
    found = _SINGLEFILE_URL.search(html[:_SINGLEFILE_HEAD])
    if found is not None:
        return found.group(1).decode("ascii", "replace")
    href = next((str(h).strip() for h in _READER_DOMAIN(dom)), "")
    return href if href.startswith(("http://", "https://")) else None
