"""Publication time to the minute, with its UTC offset, from the page's own markup.

trafilatura (htmldate) gives a day; ordering copies made on the same day needs the minute, so we read
``article:published_time`` and similar meta tags, JSON-LD ``datePublished`` and ``<time datetime>`` first.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone, tzinfo
from itertools import chain, islice
from urllib.parse import urlsplit

from lxml import etree
from lxml.html import HtmlElement

from detector.jsonld import documents, values
from detector.local_zone import zone_named

_META_KEYS = (
    "article:published_time",
    "og:published_time",
    "published_time",
    "datepublished",
    "date",
    "dc.date",
    "dc.date.issued",
    "dcterms.created",
    "pubdate",
    "publishdate",
    "sailthru.date",
    "parsely-pub-date",
    "cxenseparse:recs:publishtime",
)
_DAY_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_datetime(value: str | None) -> datetime | None:
    """An ISO 8601-ish timestamp as a datetime (aware when it carries an offset); None when unparseable."""
    if not value:
        return None
    text = value.strip()
    if not text:
        return None
    text = re.sub(r"\s+", "T", text, count=1) if re.match(r"^\d{4}-\d{2}-\d{2}\s+\d", text) else text
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    text = re.sub(r"([+-]\d{2})(\d{2})$", r"\1:\2", text)  # +0200 -> +02:00
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        match = re.match(r"^(\d{4}-\d{2}-\d{2})", text)
        if not match:
            return None
        try:
            parsed = datetime.fromisoformat(match.group(1))
        except ValueError:
            return None
    if not 1990 <= parsed.year <= 2100:
        return None
    return parsed


def _jsonld_dates(dom: HtmlElement) -> list[str]:
    return [value for data in documents(dom) for value in values(data, _JSONLD_DATE_KEYS) if isinstance(value, str)]


_JSONLD_DATE_KEYS = ("datePublished", "dateCreated", "uploadDate")


def _meta_dates(dom: HtmlElement) -> list[str]:
    by_key: dict[str, str] = {}
    for meta in dom.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").strip().lower()
        content = meta.get("content")
        if key in _META_KEYS and content and key not in by_key:
            by_key[key] = content
    return [by_key[k] for k in _META_KEYS if k in by_key]


def _time_dates(dom: HtmlElement) -> list[str]:
    values = [el.get("datetime") for el in dom.iter("time") if el.get("datetime")]
    values += [el.get("content") for el in dom.xpath('//*[@itemprop="datePublished"][@content]')]
    return [v for v in values if v]


def published_time(dom: HtmlElement | None, fallback_day: str | None = None) -> datetime | None:
    """The most precise publication time the page states.

    A candidate with a time of day beats a bare day; among equals the order is meta tags, JSON-LD,
    ``<time>``. ``fallback_day`` (trafilatura's date) is used when the markup states nothing.
    """
    candidates: list[datetime] = []
    if dom is not None:
        for raw in _meta_dates(dom) + _jsonld_dates(dom) + _time_dates(dom):
            parsed = parse_datetime(raw)
            if parsed is not None:
                candidates.append(parsed)
    precise = [c for c in candidates if c.tzinfo is not None or (c.hour, c.minute, c.second) != (0, 0, 0)]
    if precise:
        return precise[0]
    if candidates:
        return candidates[0]
    if fallback_day and _DAY_ONLY.match(fallback_day.strip()):
        return parse_datetime(fallback_day)
    return parse_datetime(fallback_day)


#: Elements that show a page's date to readers: <time> without a datetime, and date/time/meta/byline classes or
#: ids in any case (a byline often ends with the date: "By Jo Barnes · 12 September 2024, 09:15"; Joomla K2's
#: date line is "itemDateCreated"). Tested in Python on the elements with a class or id: an XPath lowercasing
#: every class with ``translate`` cost 7 ms a page, this 1 ms.
_DATE_CLASS_WORDS = ("date", "time", "publish", "posted", "submitted", "created", "meta", "byline", "fecha", "datum",
                     "dato", "data")
_DATE_ID_WORDS = ("date", "time", "fecha", "datum")
_CLASSED = etree.XPath("//time | //*[@class or @id]")


def _is_date_element(element: HtmlElement) -> bool:
    """Whether the element shows a date to readers, by its tag, class or id (see ``_DATE_CLASS_WORDS``)."""
    if element.tag == "time":
        return True
    marks, name = (element.get("class") or "").lower(), (element.get("id") or "").lower()
    return any(w in marks for w in _DATE_CLASS_WORDS) or any(w in name for w in _DATE_ID_WORDS)


_CLOCK = re.compile(r"(?<![\d:])([01]?\d|2[0-3])(?::|h(?=\d))([0-5]\d)(?![\d:])(?:\s*([AaPp])\.?\s*[Mm]\.?(?!\w))?")
#: Times written with a dot, which only a word before or after tells from a date or a number: Nordic "kl. 14.05",
#: Finnish "klo 14.05", Estonian "kell 14.05", German and Dutch "14.05 Uhr" / "14.05 uur", Dutch "om 14 uur" (an
#: outside probe's Nordic and Flemish date lines were read as a day without its time), French "10 h 12". Groups as
#: ``_CLOCK``'s.
_WORD_CLOCKS = (
    re.compile(r"(?<![^\W\d_])(?:kl|klo|kello|kell)\.?\s*([01]?\d|2[0-3])[.:]([0-5]\d)(?!\d)()"),
    re.compile(r"(?<![\d.:])([01]?\d|2[0-3])\.([0-5]\d)()\s*(?:Uhr|uur|u\.)(?!\w)"),
    re.compile(r"(?<![^\W\d_])om\s+([01]?\d|2[0-3])()()\s*uur(?!\w)"),
    # French of Quebec and Switzerland with spaces: "à 10 h 12", "16 h 05" (an outside probe's Quebec date lines)
    re.compile(r"(?<![\d.:])([01]?\d|2[0-3])\s?h\s([0-5]\d)(?![\d:])()"),
    # British, with a dot: "Mon 3 Nov 2025 06.00 GMT", "6.30pm" (an outside probe's UK date line read as a day)
    re.compile(r"(?<![\d.:])([01]?\d|2[0-3])\.([0-5]\d)(?:\s?([AaPp])\.?[Mm]\b\.?|()(?=\s?(?:GMT|BST|UTC)\b))"),
)


def _find_clock(text: str) -> re.Match[str] | None:
    """The first time of day in ``text``: ``_CLOCK``'s forms, else one of ``_WORD_CLOCKS``."""
    return _CLOCK.search(text) or next((m for p in _WORD_CLOCKS if (m := p.search(text)) is not None), None)
SHOWN_DATE_CHARS = 150  # a date line is short: longer text is a paragraph that may mention any time
SHOWN_DATES_SEEN = 40  # elements read, in page order: the article's date line comes early


_NUMERIC_DATE = re.compile(r"(?<![\d.:/-])(\d{1,4})[./-](\d{1,2})[./-](\d{2,4})(?![\d:/-])")
_IN_COMMENTS = etree.XPath("boolean(ancestor-or-self::*[contains(@class, 'comment') or contains(@id, 'comment')])")


def _shows_day(text: str, day: datetime) -> bool:
    """Whether a short text shows ``day``: a numeric date equal to it (d.m.y, m/d/y or y-m-d), or, with no
    numeric date at all, the day's number on its own and the year ("14 March 2025", "26. Mai 2008")."""
    numeric = _NUMERIC_DATE.findall(text)
    if numeric:
        wanted = {(day.day, day.month), (day.month, day.day)}
        for a, b, c in numeric:
            first, second, last = int(a), int(b), int(c)
            if len(a) == 4 and (first, second, last) == (day.year, day.month, day.day):
                return True
            if last in (day.year, day.year % 100) and (first, second) in wanted:
                return True
        return False
    return str(day.year) in text and re.search(rf"(?<![\d:/-])0?{day.day}(?![\d:/-])", text) is not None


def shown_time(dom: HtmlElement, day: datetime) -> datetime | None:
    """``day`` with the time of day the page shows next to it ("14 March 2025, 09:12", "14.03.2025 - 9:12 PM"),
    else None.

    For pages whose markup states only a day (or nothing, and htmldate found the day): two copies made on one
    day are ordered by the minute. Only a short date element outside the comments that shows that very day
    counts (a comment's or a teaser's time on another day does not); the first one in page order wins. The
    time has no offset (the page's local time).
    """
    for element in islice(filter(_is_date_element, _CLASSED(dom)), SHOWN_DATES_SEEN):
        text = " ".join(element.text_content().split())
        if not text or len(text) > SHOWN_DATE_CHARS:
            continue
        clock = _find_clock(text)
        if clock is None or not _shows_day(text[:clock.start()] + " " + text[clock.end():], day) or _IN_COMMENTS(element):
            continue
        timed = _at_clock(day, clock)
        if timed is not None:
            return timed
    return None


def _at_clock(day: datetime, clock: re.Match[str]) -> datetime | None:
    """``day`` at the time ``_CLOCK`` matched, in the zone written after it ("8:10 PM EST", "10:30am AEDT",
    "14:05 (GMT+2)": ``_zone_after``), else local with no offset; None for an impossible "13:05 PM"."""
    hour, minute = int(clock.group(1)), int(clock.group(2) or 0)
    if clock.group(3):
        if hour > 12:
            return None
        hour = hour % 12 + (12 if clock.group(3) in "Pp" else 0)
    return day.replace(hour=hour, minute=minute, second=0, microsecond=0, tzinfo=_zone_after(clock))


#: Zone abbreviations news sites write after a time, as fixed offsets in hours (a standard and a daylight name
#: each say which one is meant). Ambiguous ones are read as English-language news uses them: IST is India's,
#: CST the US Central zone's, AST the Atlantic's.
ZONE_OFFSETS: dict[str, float] = {
    "UTC": 0, "GMT": 0, "Z": 0, "WET": 0, "BST": 1, "WEST": 1, "CET": 1, "CEST": 2, "EET": 2, "EEST": 3, "MSK": 3,
    "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7, "AKST": -9, "AKDT": -8,
    "HST": -10, "AST": -4, "ADT": -3, "NST": -3.5, "NDT": -2.5, "IST": 5.5, "PKT": 5, "ICT": 7, "WIB": 7,
    "WITA": 8, "WIT": 9, "PHT": 8, "PHST": 8, "SGT": 8, "HKT": 8, "MYT": 8, "AWST": 8, "JST": 9, "KST": 9,
    "ACST": 9.5, "ACDT": 10.5,
    "AEST": 10, "AEDT": 11, "NZST": 12, "NZDT": 13, "WAT": 1, "CAT": 2, "SAST": 2, "EAT": 3,
}
#: US zones written without standard or daylight ("9:30 a.m. ET"): the offset depends on the day.
ZONE_NAMES = {"ET": "America/New_York", "CT": "America/Chicago", "MT": "America/Denver", "PT": "America/Los_Angeles"}
_ZONE = re.compile(r"[\s(]{0,3}(?P<name>[A-Z]{1,5})(?:\s?(?P<sign>[+\-−])(?P<h>\d{1,2})(?::?(?P<m>\d{2}))?)?(?![\w+-])")


def _zone_after(clock: re.Match[str]) -> tzinfo | None:
    """The zone written right after a matched time (``ZONE_OFFSETS``, ``ZONE_NAMES``, or "GMT+2" / "UTC-04:00"),
    else None: a local time whose zone the page leaves to its reader."""
    found = _ZONE.match(clock.string, clock.end())
    if found is None:
        return None
    name = found.group("name")
    if found.group("sign") and name in ("GMT", "UTC"):
        hours = int(found.group("h")) + int(found.group("m") or 0) / 60
        if hours > 14:
            return None
        return timezone(timedelta(hours=-hours if found.group("sign") in "-−" else hours))
    if found.group("sign"):
        return None
    if name in ZONE_OFFSETS:
        return timezone(timedelta(hours=ZONE_OFFSETS[name]))
    if name in ZONE_NAMES:
        return zone_named(ZONE_NAMES[name])
    return None


#: A day written in numbers the way a date line writes it: d.m.yyyy (dots, optionally a trailing dot: "14.04.2025.")
#: or yyyy-mm-dd. Slashes and d-m-y dashes are left out: "04/05/2025" is April in one country and May in another.
_SHOWN_DAY = re.compile(r"(?<![\d.:/-])(?:(\d{1,2})\.\s?(\d{1,2})\.\s?((?:19|20)\d\d)|((?:19|20)\d\d)-(\d{1,2})-(\d{1,2}))"
                        r"(?![\d:/-])")
_H1 = etree.XPath("//h1")
_WORD = re.compile(r"[^\W\d_]{2,}")
DATE_LINE_WORDS = 6  # "Autor: Jelena Stojković | 14.04.2025., 09:00"; "The council met on 14.04.2025 at 09:00 to..." is prose
HEADER_BLOCK_CHARS = 600
SHOWN_DAY_SEEN = 40  # elements read after the headline: the article's date line comes right under it


#: A day written with its month's name: "14 јуни 2025", "20. svibnja 2025", "14 de junio de 2025", "May 20, 2025".
_NAMED_DAY = re.compile(r"(?<!\d)\d{1,2}\.?\s+(?:de\s+)?[^\W\d_]{3,12}\.?,?\s+(?:de\s+)?(?:19|20)\d\d(?!\d)|"
                        r"(?<![^\W\d_])[^\W\d_]{3,12}\.?\s+\d{1,2},?\s+(?:19|20)\d\d(?!\d)")
#: The languages whose month names are read (dateparser's codes): the phrase lists' languages and their neighbours.
DATE_LANGUAGES = ("en", "sq", "sr-Cyrl", "sr-Latn", "hr", "bs", "mk", "de", "fr", "es", "pt", "ro", "it", "pl", "el",
                  "nl", "sv", "da", "nb", "fi", "cs", "sk", "sl", "bg", "uk", "lt", "lv", "et", "hu", "tr")
_NAMED_DAY_SETTINGS = {"STRICT_PARSING": True, "DATE_ORDER": "DMY", "REQUIRE_PARTS": ["day", "month", "year"],
                       "RETURN_AS_TIMEZONE_AWARE": False}


def _day_in(text: str, language: str | None = None) -> datetime | None:
    """The first day a short text shows: a numeric one (``_SHOWN_DAY``), else one with a month's name
    (``_NAMED_DAY``, read by ``named_day``), when it is a real calendar day."""
    found = _SHOWN_DAY.search(text)
    if found is not None:
        g = found.groups()
        day, month, year = (g[0], g[1], g[2]) if g[0] else (g[5], g[4], g[3])
        try:
            return datetime(int(year), int(month), int(day))
        except ValueError:
            return None
    slashed = _SLASH_DAY.search(text)
    if slashed is not None and (order := _slash_order(slashed, text, language)) is not None:
        first, second, year = map(int, slashed.groups())
        month, day = (first, second) if order == "mdy" else (second, first)
        try:
            return datetime(year, month, day)
        except ValueError:
            return None
    named = _NAMED_DAY.search(text)
    return named_day(named.group(), language) if named is not None else None


#: A day written with slashes, which the US (and the Philippines) write month first and most of the world day first.
_SLASH_DAY = re.compile(r"(?<![\d/.:-])(\d{1,2})/(\d{1,2})/((?:19|20)\d\d)(?![\d/])")
_US_MARK = re.compile(r"\b[ap]\.m\.|\b(?:[ECMP][SD]?T)\b")
_MONTH_FIRST = ("en-us", "en-ph", "en-ca")  # English of the US, the Philippines and (often) Canada


def _slash_order(found: re.Match[str], text: str, language: str | None) -> str | None:
    """How a slashed day is written, "mdy" or "dmy", or None when it cannot be told. A number over 12 tells; else
    the page's language (its ``lang``, region and all): month first in American English ("en-US"), or on an
    English page of no region (or of no stated language) whose date line carries an American mark
    (``_US_MARK``: "a.m." with its dots, a US zone: "Posted 11/06/2026 8:30 a.m."); day first in any other
    language and in the English of other regions ("en-GB", "en-IN"). Outside probes' pages were misdated by
    htmldate's day-first reading ("11/06/2026 8:30 a.m." on a US station's page read as 11 June), and their
    French, Albanian and Italian date lines ("03/11/2025 à 15:40") went unread, a theme's "today" in the top bar
    taking their place."""
    first, second = int(found.group(1)), int(found.group(2))
    if first > 12 >= second:
        return "dmy"
    if second > 12 >= first:
        return "mdy"
    lang = (language or "").lower().replace("_", "-")
    if lang.startswith(_MONTH_FIRST):
        return "mdy"
    if lang in ("", "en"):
        return "mdy" if _US_MARK.search(text) else None
    return "dmy"


#: dateparser's codes of a page's language where they differ (a page's ``lang`` is "sr", "nb", "cnr").
_DATE_LANGUAGE_OF = {"sr": ("sr-Latn", "sr-Cyrl"), "cnr": ("sr-Latn", "sr-Cyrl"), "sh": ("sr-Latn", "hr", "bs"),
                     "no": ("nb",), "nn": ("nb",)}
#: A month's name in the genitive, as South Slavic dates write it ("24. avgusta 2023", "5. januarja 2024",
#: "1. новембра 2024"), which dateparser knows only in some of those languages: its nominative is tried too
#: (the ending dropped; "-bra" as "-bar").
_GENITIVE_MONTH = re.compile(r"(?<=[^\W\d_]{3})(?:(?P<b>бра|bra)|ja|ја|a|а)(?=\.?,?\s+(?:19|20)\d\d)")


def _nominative(found: re.Match[str]) -> str:
    ending = found.group("b")
    return "" if ending is None else ("бар" if ending == "бра" else "bar")


def named_day(text: str, language: str | None = None) -> datetime | None:
    """The day of a date written with its month's name ("14 shtator 2023", "17. listopada 2022."), read by
    dateparser in the page's own language first (``language``, its ``lang``: "listopada" is October in Croatian,
    November in Polish), then in any of ``DATE_LANGUAGES``; a South Slavic genitive month by its nominative too."""
    import dateparser  # only undated pages get here; its language data loads once

    code = (language or "").split("-")[0].lower()
    wanted = _DATE_LANGUAGE_OF.get(code, (code,))
    own = [c for c in DATE_LANGUAGES if c in wanted or c.split("-")[0] == code]
    for text_form in dict.fromkeys((text, _GENITIVE_MONTH.sub(_nominative, text, count=1))):
        for languages in ([own] if own else []) + [list(DATE_LANGUAGES)]:
            parsed = dateparser.parse(text_form, languages=languages, settings=_NAMED_DAY_SETTINGS)
            if parsed is not None:
                return datetime(parsed.year, parsed.month, parsed.day)
    return None


def shown_date(dom: HtmlElement, title: str | None = None, language: str | None = None) -> datetime | None:
    """The day a page without any date in its markup shows in its date line, with the time shown beside it.

    Outside probes' originals showed "Objavljeno: 27.03.2025 u 09:00", "Аутор: … | 14.04.2025., 09:00" (in a
    table cell, under a headline set in ``<font>``) or "14 јуни 2025, 18:00" (above an ``<h2>`` headline) and
    nothing in their markup, so their copies' direction was left undecided, or a dated farm copy made them its
    copy. Only short texts beside the headline (the first ``<h1>``, else the element reading ``title``) count,
    outside the comments: the date elements (``_is_date_element``) before it in a header block of its own (kicker,
    date, headline, byline: under ``HEADER_BLOCK_CHARS``), then what follows it, up to ``SHOWN_DAY_SEEN`` elements: a date element showing a day, or any element showing a day and a time
    of day in a few words. A header bar's date elsewhere on the page is often today's (the day the page was
    saved), and a long text, which a copy carries too, is never read (htmldate's extensive search, which reads
    it, gave copies their originals' dates). A month's name is read in ``language`` (the page's ``lang``) first.
    """
    for headline in _headlines(dom, title):
        found = _date_line_beside(headline, language)
        if found is not None:
            return found
    return None


def _date_line_beside(headline: HtmlElement, language: str | None) -> datetime | None:
    """The date line a headline shows beside it (``shown_date``)."""
    parent = headline.getparent()
    if parent is not None and parent.tag not in ("body", "html") and len(parent.text_content()) <= HEADER_BLOCK_CHARS:
        for element in headline.itersiblings(preceding=True):  # a date line above the headline, in its header
            for node in element.iter():
                if _is_date_element(node) and (found := _date_line(node, True, language)) is not None:
                    return found
    # What follows the headline: its siblings, then its parent's (a headline wrapped in a header of its own).
    following = chain(headline.itersiblings(), parent.itersiblings() if parent is not None else ())
    for node in islice(chain.from_iterable(el.iter() for el in following), SHOWN_DAY_SEEN):
        found = _date_line(node, _is_date_element(node), language)
        if found is not None:
            return found
    return None


_HEADINGS = etree.XPath("//h1 | //h2 | //h3 | //b | //strong | //font")
_OG_TITLE = etree.XPath("//meta[@property='og:title']/@content")


HEADLINE_CANDIDATES = 3


def _headlines(dom: HtmlElement, title: str | None) -> list[HtmlElement]:
    """The page's headline elements: its first ``<h1>`` but for a masthead (``_is_masthead``); else the heading,
    bold or font elements whose text is the title (``title``, the ``<title>`` or og:title, a long part of one beside a site name, or what follows a label
    such as "Obituary: "), in page order, at most ``HEADLINE_CANDIDATES``: a masthead in bold may show the title's
    site-name part before the headline does (an outside probe's table-layout obituary page)."""
    first = next((h1 for h1 in _H1(dom) if not _is_masthead(h1)), None)
    if first is not None:
        return [first]
    titles = [t for t in (title, dom.findtext(".//title"), *_OG_TITLE(dom)) if t]
    wanted = {" ".join(t.split()).casefold() for t in titles}
    wanted |= {" ".join(part.split()).casefold() for t in titles for part in re.split(r"\s+[|–—-]\s+", t)
               if len(part) > 20}
    wanted |= {part.split(": ", 1)[1] for part in wanted if ": " in part}  # "Obituary: Margaret Ellen Hoskins, 91"
    if not wanted:
        return []
    found: list[HtmlElement] = []
    for element in _HEADINGS(dom):
        text = " ".join(element.text_content().split())
        if len(text) < 300 and text.casefold() in wanted:
            outer = element  # the outermost element of that text (a <font> around a <b>): its siblings are the page's
            while (up := outer.getparent()) is not None and " ".join(up.text_content().split()) == text:
                outer = up
            if outer not in found:
                found.append(outer)
            if len(found) == HEADLINE_CANDIDATES:
                break
    return found


#: Class and id words of a site's name set as a heading ("site-title", "logo", "brand").
_MASTHEAD_MARKS = ("site-title", "site-name", "sitename", "logo", "brand", "masthead")
_LINK_TARGETS = etree.XPath("descendant-or-self::a/@href | descendant-or-self::a/@rel")


def _is_masthead(h1: HtmlElement) -> bool:
    """Whether an ``<h1>`` is the site's name, not a story's headline: marked as the site title or logo, or a
    link to the home page (WordPress themes set the site's name in the first ``<h1>``, and an outside probe's
    farm pages, dated under their story's own ``<h1>``, read undated)."""
    marks = f"{h1.get('class') or ''} {h1.get('id') or ''}".lower()
    if any(mark in marks for mark in _MASTHEAD_MARKS):
        return True
    return any(map(_is_home, _LINK_TARGETS(h1)))


def _is_home(target: str) -> bool:
    """Whether a link's ``href`` or ``rel`` is a site's home page ("/", "https://site.example/", rel="home")."""
    target = target.strip().lower()
    if target in ("home", "/", "./", "index.html", "index.php"):
        return True
    parts = urlsplit(target)
    return bool(parts.netloc) and parts.path in ("", "/") and not parts.query


#: A date line's opening word, which makes a day without a time a date line too: "Posted Thursday, February 6,
#: 2025" under an obituary's headline (an outside probe's page read undated), "Objavljeno: 14.04.2025.".
_POSTED = re.compile(
    r"\W*(?:posted|published|publicado|publicada|publié|publiée|pubblicato|publicat|publicată|publikuar|botuar|"
    r"objavljeno|објављено|објавено|veröffentlicht|opublikowano|gepubliceerd|yayınlanma|δημοσιεύθηκε)\b",
    re.IGNORECASE)


def _date_line(element: HtmlElement, marked: bool, language: str | None = None) -> datetime | None:
    """The day a short element shows as a date line: any numeric day in a date element, else a day beside a time
    or after a publication word (``_POSTED``)."""
    if not isinstance(element.tag, str):
        return None
    text = " ".join(element.text_content().split())
    if not text or len(text) > SHOWN_DATE_CHARS:
        return None
    clock = _find_clock(text)
    if not marked and ((clock is None and not _POSTED.match(text) and not _only_a_day(text))
                       or len(_WORD.findall(text)) > DATE_LINE_WORDS):  # a sentence is no date line
        return None
    day = _day_in(text, language)  # after the cheap tests: a day with a month's name goes through dateparser
    if day is None or not 1995 <= day.year <= 2100 or _IN_COMMENTS(element):
        return None
    return (_at_clock(day, clock) if clock else None) or day


def _only_a_day(text: str) -> bool:
    """Whether a short text is a day and nothing else but a weekday or a place ("17 de marzo de 2025", "Lunes, 17
    de marzo de 2025", "14.04.2025."): a government bulletin showed its date so under its headline, unmarked, and
    a dated farm copy made it its copy (an outside probe)."""
    found = _SHOWN_DAY.search(text) or _NAMED_DAY.search(text)
    if found is None or text[found.end():].strip(" .,"):
        return False
    before = text[:found.start()].strip()
    return not before or _WEEKDAY_OR_PLACE.fullmatch(before) is not None


_WEEKDAY_OR_PLACE = re.compile(r"[^\W\d_]{2,14}[,.]?")  # "Lunes,", "Lima," before the day; not "Autor: J. S. |"


def day_only(value: datetime | None) -> bool:
    """Whether a publication time is a bare day (no offset, midnight): the minute is still to be found."""
    return value is not None and value.tzinfo is None and (value.hour, value.minute, value.second) == (0, 0, 0)
