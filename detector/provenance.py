"""Who copied whom: direction and credit of a verified match, and the chain back to the original.

Direction evidence, strongest first: a canonical link to the other site, one-sided credit (the copy names or
links its source, and was not published more than a day before it), a wire credit on both pages to the same
agency (two runs of one agency story: siblings, no direction), a press release both pages print as one
(siblings), publication time, a date on one page only
(the undated one is taken for the copy), then containment asymmetry (the copy is the one mostly made of the
other's text). Otherwise the direction is unknown, and neither page is taken for the copy.
"""

from __future__ import annotations

import os
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from urllib.parse import urlsplit
from functools import lru_cache
from datetime import datetime, timedelta, timezone

import numpy as np

from detector.agencies import (ACRONYM, agency_of_domain, dateline_tags, initials, is_agency_site, named_agency_keys,
                               names_site, runs_agency_story, shared_agency, site_keys, wire_agencies, wire_keys)
from detector.agencies import byline_names as _byline_names
from detector.person_byline import signed_by_person
from detector.records import (DOUBTED_EVIDENCE, KNOWN_ORIGINAL_EVIDENCE, SELF_NAMED_EVIDENCE, SIBLING_EVIDENCE,
                              TEASER_EVIDENCE, UPSTREAM_EVIDENCE, WIRE_COPY_EVIDENCE, Article, Direction, Match,
                              Origin, is_stated, is_wire_copy, per_article_cache)
from detector.stated_sources import prints_press_release
from detector.urls import host, is_http_url, link_domains, registered_domain, site_label

DERIVATION_RANK = {"whole": 3, "partial": 2, "quotes_only": 1}
_ASYMMETRY = 0.15
_NEAREST_MARGIN = 0.1  # a credited source within this share of the best-covering one is preferred
#: How much farmier on its own than the later page (which reads clean) a page dated earlier must read for the
#: dates to be doubted. It was 0.5, for suspicious earlier pages only: two outside probes' verbatim copies,
#: backdated by a day or two and reading 0.21 and 0.37 against their originals' 0.04 and 0.02, took the
#: originals' place, and with every page indexed an original read as a content farm (0.997).
_DOUBT_MARGIN = 0.15
#: Or this much farmier at this many times the odds: probes 53 and 54's bare verbatim copies, backdated a day,
#: read 0.125 and 0.16 against 0.014 and 0.055 (0.08 and 0.12 against 0.013 and 0.029 after a retraining) and
#: made their originals content farms (0.993, 0.997). Low probabilities move with each retraining by their ratio
#: more than by their difference, so the odds weigh them. Among the uncredited copies of probes 49-54 dated after
#: their originals, the copy read farmier in every pair where it read clean. The gap was 0.04 until a retraining
#: read probe 53's copy at 0.047 against its original's 0.012 (four times the odds): a newsroom was a content farm
#: again. A doubted pair is left undecided, which accuses neither page.
_DOUBT_MIN_GAP = 0.03
_DOUBT_ODDS = 2.5
UNDATED_EVIDENCE = "undated (the other is dated)"  # ``direction_evidence`` of a direction a missing date gave
#: Of a direction a crawl's record gave: the undated page was captured before the date the other page states.
CAPTURED_EVIDENCE = "captured by a crawl before the other's stated date"
CONTAINMENT_EVIDENCE = "containment"  # of a direction only the two shares gave (one page holds the other)
#: The opening of the evidence of a pair undecided because this page's earlier date was doubted.
_TAKEN_FIRST = "is taken for the original"  # what a doubted pair's evidence says when no date ordered it
_THIS_DOUBTED = (f"{DOUBTED_EVIDENCE} this page is dated earlier", f"{DOUBTED_EVIDENCE} this page {_TAKEN_FIRST}")
_TIE = 0.02  # sources covering this much the same share of the page are the same text: the earliest is taken


@lru_cache(maxsize=1024)
def _fold(text: str) -> str:
    if text.isascii():  # nothing to decompose: casefold of ASCII is lower()
        return text.lower()
    return unicodedata.normalize("NFKD", text.casefold()).translate(_combining())


@lru_cache(maxsize=1)
def _combining() -> dict[int, None]:
    """``str.translate`` table deleting every combining mark (diacritics left over by NFKD)."""
    return {c: None for c in range(0x20000) if unicodedata.combining(chr(c))}  # no marks above


# A company's legal form at the end of its name ("Vodovod Posavina d.o.o.", "Acme Media Ltd."): credits
# usually leave it out. Matched on folded text, with or without the dots.
_LEGAL_FORM = re.compile(
    r"[\s,]+(?:d\.?\s?o\.?\s?o|d\.?\s?d|sh\.?\s?p\.?\s?k|sh\.?\s?a|ltd|limited|llc|inc|corp|plc|gmbh|ag|kg|"
    r"s\.?\s?a|s\.?\s?l|s\.?\s?r\.?\s?l|s\.?\s?p\.?\s?a|sarl|ltda|lda|b\.?\s?v|n\.?\s?v|a\.?\s?d|e\.?\s?v)\.?$")


def source_names(source: Article) -> list[tuple[str, bool]]:
    """Names by which a copy may credit a source, longest first, each with whether only a capitalised mention
    counts: its site name (also without a legal form) and domain, and its distinctive domain label (also with
    its hyphens as spaces: ``vodovod-posavina`` is credited as "Vodovod Posavina"). A label is often a word
    (``times``, ``star``, ``mirror``, ``express``): "Sunday Times" names a paper, "three times" does not; a label
    with digits (``nh24``) is no word, and counts however it is written. A
    site name of two or three capitals ("N1", "RTS", "СДК") counts written in capitals."""
    label = site_label(source.domain)
    sitename = _fold(source.sitename or "").strip()
    names: dict[str, bool] = {}
    for name in (sitename, _LEGAL_FORM.sub("", sitename), source.domain):
        names.setdefault(_fold(name).strip(), False)
    for name in (label, re.sub(r"[-_]+", " ", label)):  # a word needs its capital; "nh24" is no word
        names.setdefault(_fold(name).strip(), bool(re.fullmatch(r"[^\W\d_]+(?: [^\W\d_]+)*", name)))
    found = [(n, capital) for n, capital in names.items() if len(n) >= 4]
    short = (source.sitename or "").strip()
    if 2 <= len(short) <= 3 and short == short.upper() and short.isalnum():  # "N1", "RTS", "СДК": in capitals
        found.append((_fold(short), True))
    return sorted(found, key=lambda nc: len(nc[0]), reverse=True)


@lru_cache(maxsize=256)
def _capitalised(name: str) -> re.Pattern[str]:
    """A mention of ``name`` (folded) whose words start with a capital: "Times", "TIMES", "Vodovod Posavina";
    a name of up to three characters in capitals only ("RTS", "N1": "As" is a word, "AS" a paper)."""
    if len(name) <= 3:
        return re.compile(rf"(?<!\w){re.escape(name.upper())}(?!\w)")
    words = r"\s+".join(f"{re.escape(w[0].upper())}(?i:{re.escape(w[1:])})" for w in name.split())
    return re.compile(rf"(?<!\w){words}(?!\w)")


def canonical_to(page: Article, other: Article) -> bool:
    """Whether ``page``'s canonical link names ``other`` itself: its site and its path (a trailing slash, the
    scheme, ``www.``, the query and the fragment aside). A syndicated story's canonical link names the one
    article it republishes, not every page of that site: a partner's page matched with another story of the
    original's site (shared topic words) was taken for its canonical copy."""
    if not page.canonical or not other.domain or registered_domain(page.canonical) != other.domain:
        return False
    return _path(page.canonical) == _path(other.url)


def _path(url: str) -> str:
    try:
        return urlsplit(url.strip()).path.rstrip("/").lower()
    except ValueError:
        return url


@per_article_cache(maxsize=512)  # asked up to three times per verified pair (both directions, then the credit)
def credits(copy: Article, source: Article) -> str | None:
    """Evidence that ``copy`` names or links ``source`` (canonical, a link, or the source's name), else None."""
    if not source.domain or source.domain == copy.domain:
        return None
    if canonical_to(copy, source):
        return "canonical"
    if source.domain in link_domains(copy.links):
        return f"link:{source.domain}"
    # The byline and the dateline first: where a newsroom credits a wire or partner story (the evidence tells
    # the place of the credit, ``features.copy_evidence.credit_in_byline``, when the text names the source too)
    for name in _byline_names(copy.author):  # "By Continental Press Agency": how a wire reprint credits its agency
        if _names_source(name, source):
            return f"byline:{_fold(name)}"
    # "ASHGROVE (CRP) —" for the Cascade Regional Press, when the copy wrote it: a dateline the source's own text
    # opens with ("HONOLULU (HawaiiNewsNow) -") is copied with the text, as a name the text mentions is below
    own_tags = None
    for tag in dateline_tags(copy):
        if _names_source(tag, source):
            own_tags = dateline_tags(source) if own_tags is None else own_tags
            if tag not in own_tags:
                return f"dateline:{_fold(tag)}"
    named = next((name for name, copied in _read_mentions(copy, source) if not copied), None)
    if named is not None:
        return f"named:{named}"
    for name in copy.credited:  # the page's credit lines, read on the whole page (``Article.credited``)
        if _names_source(name, source):
            return f"named:{_fold(name)}"
    return None


def _mentions(page: Article, site: Article) -> Iterator[tuple[str, int, int]]:
    """Where ``page``'s title and text name ``site``: (the name as folded, start, end in the folded text), by its
    names (``source_names``), then by a spelling of its domain label (``_spelled_names``); lazily, names found first."""
    written = f"{page.title or ''}\n{page.text}"
    haystack = _fold(written)
    for name, capital in source_names(site):
        if name not in haystack:  # a plain substring test first: most names are absent, and it is much cheaper
            continue
        if capital:  # offsets in the written text, mapped to the folded one (NFKD may change lengths)
            for a, b in _named_spans(name, written):
                yield name, len(_fold(written[:a])), len(_fold(written[:b]))
        else:
            for hit in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", haystack):
                yield name, hit.start(), hit.end()
    for spelled, a, b in _spelled_names(site_label(site.domain), written):
        yield _fold(spelled), len(_fold(written[:a])), len(_fold(written[:b]))


@per_article_cache(maxsize=1024)
def _read_mentions(page: Article, site: Article) -> tuple[tuple[str, bool], ...]:
    """Each mention of ``site`` in ``page``'s title and text (``_mentions``), and whether it sits in text copied
    from ``site`` (``_copied_mention``: the site's own promo line or byline carried along by a copy). A mention
    not copied credits the site (``credits``); one copied says the text is the site's (``_self_named``). Read once
    per pair, as ``direction`` asks both."""
    found: list[tuple[str, bool]] = []
    haystack = own = ""
    for name, start, end in _mentions(page, site):
        if not own:  # the two folded texts, only needed when the name is found
            haystack = _fold(f"{page.title or ''}\n{page.text}")
            own = _spaced(_fold(f"{site.title or ''}\n{site.text}"))
        found.append((name, _copied_mention(haystack, start, end, own)))
    return tuple(found)


def joint_publication(this: Article, other: Article) -> bool:
    """Whether two pages of different sites sharing a story each name both sites in their text: a piece the two
    publish together ("Cette chronique paraît simultanément dans Le Courrier du Lac et L'Arc jurassien"; an outside
    probe's column, run by both papers hours apart, had the later run read as the earlier's uncredited copy). A
    copy of one site's story names the copier's own site nowhere in the text it took."""
    if not this.domain or not other.domain or this.domain == other.domain:
        return False
    return all(next(_mentions(page, site), None) is not None for page in (this, other) for site in (this, other))


#: Legal forms left out when two owners' names are compared ("Pinnacle Media Inc." is "Pinnacle Media").
_OWNER_LEGAL_FORMS = frozenset(
    "inc incorporated llc llp ltd limited corp corporation co plc pty gmbh ag kg se sa spa srl sl sas sarl bv nv ab "
    "oy as asa doo dd ltda lda dac the".split())
_MEXICAN_FORM = re.compile(r"\bs\.?\s?a\.?\s+de\s+c\.?\s?v\.?|\bs\.?\s+de\s+r\.?\s?l\.?(?:\s+de\s+c\.?\s?v\.?)?")
_OWNER_GROUP_WORDS = frozenset("group gruppe groupe grupo gruppo network family".split())


def owner_key(name: str) -> str:
    """An owner's name as compared: folded words, legal forms, "the" and a closing "group" left out ("Pinnacle
    Media Inc." -> "pinnacle media", "the Wessex & Severn Newspapers group" -> "wessex severn newspapers"); empty
    when nothing but those is left."""
    folded = _MEXICAN_FORM.sub(" ", _fold(name))  # "S.A. de C.V.": a legal form of three words
    tokens: list[str] = []
    initials = False  # whether the last token is a run of one-letter words
    for word in re.findall(r"[^\W_]+", folded):  # initials written apart are one word: "S.A" is "sa"
        if len(word) == 1 and initials:
            tokens[-1] += word
        else:
            tokens.append(word)
            initials = len(word) == 1
    words = [w for w in tokens if w not in _OWNER_LEGAL_FORMS]
    while words and words[-1] in _OWNER_GROUP_WORDS:
        words.pop()
    return " ".join(words)


def shared_owner(this: Article, other: Article) -> str | None:
    """The company both pages' sites name as their owner (``Article.owners``: a copyright notice, "A Pinnacle Media
    station"), when it is the site of neither alone, else None: sister stations of a broadcast group and titles of
    a newspaper chain run one another's stories whole, often uncredited (an outside probe's three stations of one
    group read as one another's uncredited copies, content_farm 0.99). An owner naming one page's own site and not
    the other's is that site's copyright carried by the other page (a whole-page scrape): no sister."""
    if not this.owners or not other.owners or not this.domain or not other.domain or this.domain == other.domain:
        return None
    theirs = {owner_key(o): o for o in other.owners}
    for owner in this.owners:
        key = owner_key(owner)
        if key and key in theirs and _owner_names(key, this) == _owner_names(key, other):
            return owner
    return None


def _owner_names(key: str, page: Article) -> bool:
    """Whether an owner's key names the page's own site: the site's name or domain label inside it ("harbour times
    media" of the Harbour Times at harbourtimes.com), or the other way round (``names_site``)."""
    joined = key.replace(" ", "")
    return names_site(key, page) or any(
        len(site.replace(" ", "")) >= 4 and (f" {site} " in f" {key} " or site.replace(" ", "") in joined)
        for site in site_keys(page))


_NOT_ASCII_ALNUM = re.compile("[^a-z0-9]+")
_NAME_PARTS = re.compile(r"\s+[-|:–—]\s+")


def _alnum(text: str) -> str:
    """The letters and digits of ``text``, folded (``_fold``); an ASCII text in one regex pass, not char by char."""
    if text.isascii():
        return _NOT_ASCII_ALNUM.sub("", text.lower())
    return "".join(c for c in _fold(text) if c.isalnum())


def _sub_label(url: str) -> str:
    """The first label of a page's host when it is a subdomain of its site ("ssp" of ssp.vallealto.gob.mx; "" for
    www.site.example or site.example)."""
    name, site = host(url), registered_domain(url)
    if not name or not site or not name.endswith(f".{site}"):
        return ""
    label = name.split(".", 1)[0]
    return "" if label in ("www", "m", "amp") or f"{label}.{site}" != name else label


def credited_as(credit: str | None, copy: Article) -> str | None:
    """A name credit as the page's credit line gives it in full, when that line holds the name matched
    ("named:serra alta" from "Fonte: Prefeitura de Serra Alta"): whether the page credits a public body
    (``official_statement``) is read on the whole name (an outside probe's Portuguese, Croatian and Hungarian
    copies of official statements counted as credited copies where the English ones counted as none)."""
    if not credit or not credit.startswith("named:"):
        return credit
    said = credit.split(":", 1)[1]
    within = re.compile(rf"(?<!\w){re.escape(said)}(?!\w)")  # as words: "rts" is not in "sports weekly"
    for name in copy.credited:
        full = _fold(name).strip()
        if full != said and within.search(full):
            return f"named:{full}"
    return credit


def _names_source(name: str, source: Article) -> bool:
    """Whether a name a page credits (``Article.credited``: "Agencia Centinela", "@BalkanWeb", "nh24.de",
    "The New York Times") names ``source``: its host, its site name, its domain label, or a written-out name that
    spells the label."""
    name = name.strip().lstrip("@")
    if "." in name and " " not in name:  # a host: the same site
        return registered_domain(name if "//" in name else f"//{name}") == source.domain
    key, label = _alnum(name), _alnum(site_label(source.domain))
    if len(key) < 2:
        return False
    sitename = source.sitename or ""
    # a site name in parts ("LN - Lübecker Nachrichten") is credited by any part of three letters or more too
    parts = [_alnum(part) for part in _NAME_PARTS.split(sitename)] if _NAME_PARTS.search(sitename) else []
    sitenames = {_alnum(sitename), _alnum(_LEGAL_FORM.sub("", _fold(sitename))), *(p for p in parts if len(p) > 2)}
    if key in sitenames - {""} or key == label or (label.startswith("the") and key == label[3:]):
        return True
    if ACRONYM.fullmatch(name) and source.sitename and key in initials(source.sitename):
        return True  # "(AIN)" for the Agencia Ibérica de Noticias (an outside probe's agency pickup read uncredited)
    if ACRONYM.fullmatch(name) and len(key) >= 3 and key == _alnum(_sub_label(source.url)):
        return True  # "Fuente: SSP" for ssp.vallealto.gob.mx, a body's own site under its government's domain
    words = [_alnum(w) for w in name.split() if _alnum(w)]
    if _declined(words, sitename):
        return True
    while len(words) > 2 and words[0] in NAME_ARTICLES:  # "The New York Times"
        words = words[1:]
    return len(words) >= 2 and _spells(label, words)


#: A case ending: what a declined word may add to or change at the end of its stem ("Poslovnom tjedniku" for
#: "Poslovni Tjednik", "Večernjem listu" for "Večernji list", "Gazety Wyborczej" for "Gazeta Wyborcza").
_ENDING_CHARS = 3
_STEM_CHARS = 3


def _declined(words: list[str], sitename: str) -> bool:
    """Whether the credited ``words`` (``_alnum`` keys) open with the site's name of two words or more, each word
    as written or declined (a stem of ``_STEM_CHARS`` letters or more in common, each side ending in at most
    ``_ENDING_CHARS`` other letters): Slavic and Baltic credits name a paper in the case the sentence asks for, so
    "izvorno objavljen u Poslovnom tjedniku Jadran" credits "Poslovni Tjednik Jadran" (an outside probe's partner
    reprint read as an uncredited copy). One-word names must match as written: "Dan" is not "Danas"."""
    site = [_alnum(w) for w in sitename.split() if _alnum(w)]
    if len(site) < 2 or len(words) < len(site):
        return False
    return all(_same_stem(said, own) for said, own in zip(words, site))


def _same_stem(a: str, b: str) -> bool:
    if a == b:
        return True
    common = len(os.path.commonprefix((a, b)))
    return common >= _STEM_CHARS and len(a) - common <= _ENDING_CHARS and len(b) - common <= _ENDING_CHARS


#: Words that may precede a name without making it part of a longer one: "The Times", "Le Monde", "Die Welt".
NAME_ARTICLES = frozenset("the a an la le les el los las il lo die der das o os al".split())


def _named_spans(name: str, text: str) -> list[tuple[int, int]]:
    """Where ``name`` (folded) is written as a name of its own in ``text``: capitalised (``_capitalised``), and,
    for a one-word name, neither inside a longer capitalised name ("European Space Agency" does not name
    space.com, "The Times" does name a times) nor capitalised only because it opens a sentence ("Space travel
    ..." names no site)."""
    spans = []
    for hit in _capitalised(name).finditer(text):
        a, b = hit.span()
        if " " not in name and not _stands_alone(text, a, b):
            continue
        spans.append((a, b))
    return spans


def _stands_alone(text: str, a: int, b: int) -> bool:
    """Whether the word at ``text[a:b]`` is a name of its own: no capitalised word follows it, and the word before
    it neither ends a sentence nor is capitalised (an article aside: "The Times"); with no word before it, only
    after a colon, a parenthesis, an @ or a dash ("Source: Space", "(Space)")."""
    before = text[max(0, a - 40):a]
    words_before = before.split()
    previous = words_before[-1] if words_before and before[-1:].isspace() else ""
    after = text[b:b + 40].split()
    following = after[0] if after and text[b:b + 1].isspace() else ""
    if following[:1].isupper() and following[:1].isalpha():
        return False  # "Space Agency"
    if previous:
        if previous[-1:] in ".!?…\"”»":
            return False  # opens a sentence
        if previous[:1].isupper() and previous.lower() not in NAME_ARTICLES and previous[-1:].isalpha():
            return False  # "European Space"
        return True
    return bool(before.rstrip()) and before.rstrip()[-1:] in ":(@-–—|/"  # "Source:Space", "(Space)"


_WORD = re.compile(r"[^\W\d_][\w'’&-]*")
_RUN_JOINERS = frozenset({"of", "the"})  # may stand inside a written name: "Bank of England", "Voice of the People"
_RUN_MAX = 6


def _name_runs(text: str) -> Iterator[list[tuple[str, int, int]]]:
    """Runs of capitalised words in ``text`` (``of``/``the`` between them allowed), separated by spaces only:
    where a paper's name is written out. Each word as (word, start, end)."""
    run: list[tuple[str, int, int]] = []
    for m in _WORD.finditer(text):
        word, start = m.group(), m.start()
        gap = text[run[-1][2]:start] if run else ""
        joined = bool(run) and (gap.isspace() or (gap in (".", ". ") and len(run[-1][0]) == 1))  # "A.M.", "U.S."
        if word[:1].isupper() and len(run) < _RUN_MAX and (joined or not run):
            run.append((word, start, m.end()))
            continue
        if joined and word in _RUN_JOINERS and len(run) < _RUN_MAX - 1:
            run.append((word, start, m.end()))
            continue
        if run:
            yield run
        run = [(word, start, m.end())] if word[:1].isupper() else []
    if run:
        yield run


def _spelled_names(label: str, text: str) -> list[tuple[str, int, int]]:
    """Names written out in ``text`` that spell a site's domain label: two words or more, each giving its initial
    or its whole self, one of three letters or more given whole ("The New York Times" spells ``nytimes``, "Los
    Angeles Times" ``latimes``); or, for a label opening with "the", the rest as a word of its own ("Guardian"
    for ``theguardian``). Capitalised words only, so common words never spell a site. (name, start, end) each."""
    label = _alnum(label)
    if len(label) < 4:
        return []
    bare = label[3:] if label.startswith("the") and len(label) >= 7 else ""
    runs, starts = _capitalised_runs(text)
    out = []
    # only a capitalised word whose key opens with the label's first letter can open a spelling, and only
    # one opening with the bare name's can be it: the text's words are looked up by that letter
    for r, i in sorted({*starts.get(label[0], ()), *(starts.get(bare[0], ()) if bare else ())}):
        words = runs[r]
        word, start, end, key = words[i]
        if bare and key == bare and _stands_alone(text, start, end):
            out.append((word, start, end))
        if key[:1] != label[0]:
            continue
        for j in range(i + 2, len(words) + 1):
            if words[j - 1][0][:1].isupper() and _spells(label, [w[3] for w in words[i:j]]):
                out.append((" ".join(w[0] for w in words[i:j]), start, words[j - 1][2]))
    return out


@lru_cache(maxsize=64)  # a page's text is read once for every source it is checked against
def _capitalised_runs(text: str) -> tuple[list[list[tuple[str, int, int, str]]], dict[str, list[tuple[int, int]]]]:
    """``_name_runs`` of ``text`` with each word's key (``_alnum``), and where each capitalised word stands (run,
    position in it), by its key's first letter."""
    runs = [[(word, start, end, _alnum(word)) for word, start, end in run] for run in _name_runs(text)]
    starts: dict[str, list[tuple[int, int]]] = {}
    for r, words in enumerate(runs):
        for i, (word, _, _, key) in enumerate(words):
            if key and word[:1].isupper():
                starts.setdefault(key[0], []).append((r, i))
    return runs, starts


def _spells(label: str, words: list[str]) -> bool:
    """Whether ``label`` is the words in order, each as its initial or whole, one of three letters or more
    given whole."""

    def walk(i: int, pos: int, whole: bool) -> bool:
        if i == len(words):
            return pos == len(label) and whole
        w = words[i]
        if not w or not label.startswith(w[0], pos):
            return False
        if label.startswith(w, pos) and walk(i + 1, pos + len(w), whole or len(w) >= 3):
            return True
        return len(w) > 1 and walk(i + 1, pos + 1, whole)

    return walk(0, 0, False)


@lru_cache(maxsize=256)
def _spaced(text: str) -> str:
    return " ".join(text.split())


_CONTEXT_CHARS = 1000  # how far to look for the words around a mention (four words fit many times over)


@lru_cache(maxsize=8)
def _context_patterns(context: int) -> tuple[re.Pattern[str], re.Pattern[str]]:
    return re.compile(rf"(?:\S+\s+){{0,{context}}}$"), re.compile(rf"(?:\s*\S+){{0,{context}}}")


def _copied_mention(haystack: str, start: int, end: int, source_text: str, context: int = 4) -> bool:
    """Whether a mention of the source's name sits in text copied from the source (its own promo footer or
    byline carried along by a copy): the name with ``context`` words before or after it, or both, occurs in the
    source too.

    The mention's word starts where its token does: in "press@source.example" or "www.source.example" the
    words before are those before "press@" or "www.", not none. They are looked for in the ``_CONTEXT_CHARS``
    before the mention only: an end-anchored search over the whole text before it was tried at every
    position (milliseconds on a long page)."""
    before, after = _context_patterns(context)
    floor = max(0, start - _CONTEXT_CHARS)
    while start > floor and not haystack[start - 1].isspace():  # back to the start of the mention's token
        start -= 1
    lo = before.search(haystack, max(0, start - _CONTEXT_CHARS), start)
    hi = after.match(haystack, end, min(len(haystack), end + _CONTEXT_CHARS))
    name_words = len(haystack[start:end].split())
    # Either side alone may show it: a copied editor's note opening the text follows the copy's own title.
    for snippet in (haystack[lo.start() if lo else start:end], haystack[start:hi.end() if hi else end]):
        if len(snippet.split()) >= name_words + context and " ".join(snippet.split()) in source_text:
            return True
    snippet = haystack[lo.start() if lo else start:hi.end() if hi else end]
    if len(snippet.split()) < context + 1:
        return False
    return " ".join(snippet.split()) in source_text


_LOCAL_SLACK_S = 14 * 3600  # UTC offsets run from -12:00 to +14:00


def _instant(value: datetime) -> tuple[datetime, bool]:
    """A UTC instant to compare, and whether it is precise (has a time of day)."""
    if value.tzinfo is None:
        precise = (value.hour, value.minute, value.second) != (0, 0, 0)
        return value.replace(tzinfo=timezone.utc), precise
    return value.astimezone(timezone.utc), True


def earlier(a: datetime | None, b: datetime | None) -> int:
    """-1 when ``a`` was published before ``b``, 1 when after, 0 when unknown or too close to tell (under a
    minute apart; or under 14 hours apart when only one of the two times has a UTC offset)."""
    if a is None or b is None:
        return 0
    (ia, pa), (ib, pb) = _instant(a), _instant(b)
    if pa and pb:
        gap = (ia - ib).total_seconds()
        # a local time without offset against one with: it may be off by any zone's offset
        unsure = _LOCAL_SLACK_S if (a.tzinfo is None) != (b.tzinfo is None) else 60
        return 0 if abs(gap) < unsure else (-1 if gap < 0 else 1)
    if ia.date() == ib.date():
        return 0
    return -1 if ia < ib else 1


_CREDIT_CLOCK_SLACK = timedelta(hours=26)  # the widest gap two readings of one local time can make


def _long_before(a: datetime | None, b: datetime | None) -> bool:
    """Whether ``a`` was published more than a day (``_CREDIT_CLOCK_SLACK``) before ``b``."""
    if a is None or b is None:
        return False
    return _instant(b)[0] - _instant(a)[0] > _CREDIT_CLOCK_SLACK


def direction(this: Article, other: Article, share_of_this: float, share_of_other: float,
              originals: tuple[str, ...] = ()) -> tuple[Direction, str | None]:
    """Which of the two copied the other, and the evidence used. ``originals`` are sites the user knows publish
    their own journalism (``Config.originals``): after what a page states (canonical link, credit, an agency's
    wire copy), one of their pages is the source of another site's, whatever the dates say."""
    if this.domain and other.domain != this.domain and canonical_to(this, other):
        return "this_copies_other", "canonical"
    if other.domain and this.domain != other.domain and canonical_to(other, this):
        return "other_copies_this", "canonical"
    for page, agency_site in ((this, other), (other, this)):
        agency = agency_of_domain(agency_site.domain)
        if agency and agency in wire_agencies(page):  # the agency's own story, run under its credit: wire copy
            return "unknown", f"{SIBLING_EVIDENCE} {agency} {WIRE_COPY_EVIDENCE})"
        if runs_agency_story(page, agency_site):  # an agency on no list, credited as the listed ones are
            name = agency_site.sitename or agency_site.domain
            return "unknown", f"{SIBLING_EVIDENCE} {name} {WIRE_COPY_EVIDENCE})"
    this_credits, other_credits = credits(this, other), credits(other, this)
    for credit, agency_site in ((this_credits, other), (other_credits, this)):
        if credit and is_agency_site(agency_site):  # "Con información de Agencia X" on a paper's reprint
            name = agency_site.sitename or agency_site.domain
            return "unknown", f"{SIBLING_EVIDENCE} {name} {WIRE_COPY_EVIDENCE}, credited)"
    if (owner := shared_owner(this, other)) is not None:
        return "unknown", f"{SIBLING_EVIDENCE} their owner, {owner} (sister sites)"
    if joint_publication(this, other):
        return "unknown", f"{SIBLING_EVIDENCE} a joint publication (each page's text names both sites)"
    # A credit names the page copied from, so it cannot point at a page published more than a day later (a
    # local paper named in an older story); within a day, time zones read wrong could reverse the order.
    if this_credits and not other_credits and not _long_before(this.published, other.published):
        return "this_copies_other", f"credit ({this_credits})"
    if other_credits and not this_credits and not _long_before(other.published, this.published):
        return "other_copies_this", f"credit ({other_credits})"
    agencies = wire_agencies(this) & wire_agencies(other)
    if agencies:  # two runs of the same wire story: neither copied the other
        return "unknown", f"{SIBLING_EVIDENCE} {', '.join(sorted(agencies))} (wire credit on both)"
    if (agency := shared_agency(this, other)) is not None:  # the same, of an agency on no list
        return "unknown", f"{SIBLING_EVIDENCE} {agency} (wire credit on both)"
    if prints_press_release(this) and prints_press_release(other):  # a release is written to be run as it
        return "unknown", f"{SIBLING_EVIDENCE} a press release (both pages print it as one)"  # stands: no copy
    if (release := _release_of(this, other)) is not None:
        return "unknown", f"{SIBLING_EVIDENCE} a press release ({release.domain or release.url} prints it as one)"
    this_known, other_known = this.domain in originals, other.domain in originals
    if this_known != other_known and this.domain and other.domain:  # a farm may backdate what it copies
        return (("other_copies_this", f"{KNOWN_ORIGINAL_EVIDENCE}{this.domain})") if this_known
                else ("this_copies_other", f"{KNOWN_ORIGINAL_EVIDENCE}{other.domain})"))
    if (named := _self_named(this, other)) is not None:  # after the press releases: a release names its issuer
        return named
    dirn, evidence = _ordered(this, other, share_of_this, share_of_other)
    copy, source = (this, other) if dirn == "this_copies_other" else (other, this)
    third = _canonical_third_site(copy, source) if dirn != "unknown" else None
    if third:
        return "unknown", f"{SIBLING_EVIDENCE} {third} (the canonical link of {copy.domain or 'the later page'})"
    wire = sorted(wire_agencies(copy) - wire_agencies(source)) if dirn != "unknown" else []
    if not wire and dirn != "unknown":  # an agency on no list, named as one ("Lakeline Content Agency", a column
        # syndicate: an outside probe's client paper, crediting only the syndicate, read as the columnist's home
        # paper's uncredited copy), that names neither site
        wire = sorted(k for k in named_agency_keys(copy) - wire_keys(source)
                      if not names_site(k, copy) and not names_site(k, source))
    if wire:  # the later page runs the story under the agency's credit: it took it from the agency, not from a
        # page that stripped the credit (an outside probe's Reuters run was made the copy of a farm's earlier one)
        return "unknown", f"{SIBLING_EVIDENCE} {', '.join(wire)} (the later page runs it under the agency's credit)"
    return dirn, evidence


def _self_named(this: Article, other: Article) -> tuple[Direction, str] | None:
    """The direction the text two pages share gives when it names one of their two sites, and only one, as a
    newsroom names itself in its own story ("told Cape Meridian", "Stay tuned with News India Today 24"): that
    site's page wrote it, and the other took it with the name, whatever the dates say (outside probes' copies,
    dated a day before their originals, had the originals made their copies; a farm copying a farm's text with
    the first farm's name in it was left undecided). Not when either page runs a wire story (an agency's story
    may name a paper that runs it) nor when each page's copied text names the other's site."""
    if not this.domain or not other.domain or this.domain == other.domain:
        return None
    if wire_agencies(this) or wire_agencies(other) or named_agency_keys(this) or named_agency_keys(other):
        return None
    this_names_other, other_names_this = _names_in_shared(this, other), _names_in_shared(other, this)
    if (this_names_other is None) == (other_names_this is None):
        return None
    if this_names_other is not None:
        return "this_copies_other", f"{SELF_NAMED_EVIDENCE}{other.domain}: {this_names_other})"
    return "other_copies_this", f"{SELF_NAMED_EVIDENCE}{this.domain}: {other_names_this})"


def _names_in_shared(page: Article, site: Article) -> str | None:
    """The name of ``site`` that ``page``'s text gives in words ``site``'s own page has around it too, else None."""
    return next((name for name, copied in _read_mentions(page, site) if copied), None)


def _release_of(this: Article, other: Article) -> Article | None:
    """The page of the two that prints a press release (``direction`` has made the pair siblings when both do),
    dated and not after the other: the release itself (a wire's or the company's page), which the other page ran
    as releases are meant to be run, credited or not (an outside probe's trade magazine, printing two paragraphs
    of a vendor's release in a sponsored post, was an uncredited copy of the release wire and content_farm, 0.96).
    An undated page, or one dated after the page it shares text with, is not the release by its label alone: a
    farm could label its copy so."""
    for page, rest in ((this, other), (other, this)):
        if page.published is not None and earlier(page.published, rest.published) <= 0 and prints_press_release(page):
            return page
    return None


def _canonical_third_site(copy: Article, other: Article) -> str | None:
    """The site ``copy``'s canonical link names when it is neither page's and the page credits it where a reader
    sees it too (a visible link to it, or a credit naming it): ``copy`` states twice that its text is that site's,
    so the dates or the shares alone cannot make it a copy of ``other`` (a partner's reprint, with the original
    absent from the index, was told it copied a farm that had dated its own copy a day earlier). A canonical
    link alone, which no reader sees, is not enough: a farm pointing it at any third site escaped its copy
    relation (an outside probe)."""
    if not copy.canonical or not is_http_url(copy.canonical):
        return None
    site = registered_domain(copy.canonical)
    if not site or site in (copy.domain, other.domain):
        return None
    named = Article(url=copy.canonical, domain=site, title=None, text="")  # the site the canonical link names
    credited = site in link_domains(copy.links) or any(_names_source(n, named) for n in copy.credited)
    return site if credited else None


def _ordered(this: Article, other: Article, share_of_this: float, share_of_other: float
             ) -> tuple[Direction, str | None]:
    """The direction only the dates, a missing date or the two shares give (``direction``'s weakest evidence)."""
    order = earlier(this.published, other.published)
    if order > 0:
        return "this_copies_other", "published later"
    if order < 0:
        return "other_copies_this", "published earlier"
    if this.published is None and earlier(this.seen, other.published) < 0:  # it existed before the other's date
        return "other_copies_this", CAPTURED_EVIDENCE
    if other.published is None and earlier(other.seen, this.published) < 0:
        return "this_copies_other", CAPTURED_EVIDENCE
    if this.published is None and other.published is not None:  # publishers date their stories; farms often
        return "this_copies_other", UNDATED_EVIDENCE  # strip the date from what they copy (see doubt_backdated)
    if other.published is None and this.published is not None:
        return "other_copies_this", UNDATED_EVIDENCE
    if share_of_this - share_of_other >= _ASYMMETRY:
        return "this_copies_other", CONTAINMENT_EVIDENCE
    if share_of_other - share_of_this >= _ASYMMETRY:
        return "other_copies_this", CONTAINMENT_EVIDENCE
    return "unknown", _unordered(this.published, other.published)


UNORDERED_EVIDENCE = "unordered:"  # opening of the evidence of a pair nothing put in order (``_unordered``)


def _unordered(a: datetime | None, b: datetime | None) -> str:
    """Why the dates of an undecided pair do not order it (the evidence had been empty, which an outside probe
    could not read: "unknown", and no reason)."""
    if a is None or b is None:
        return f"{UNORDERED_EVIDENCE} neither page is dated, and neither holds the other's text"
    (ia, pa), (ib, pb) = _instant(a), _instant(b)
    if not (pa and pb):
        return f"{UNORDERED_EVIDENCE} dated the same day, {'neither' if not (pa or pb) else 'one'} with a time of day"
    if (a.tzinfo is None) != (b.tzinfo is None):  # the clocks as the pages show them (an outside probe read "4.2
        # hours apart" of 07:30-05:00 and 08:15, the first taken in UTC)
        hours = abs((a.replace(tzinfo=None) - b.replace(tzinfo=None)).total_seconds()) / 3600
        return (f"{UNORDERED_EVIDENCE} published {hours:.1f} hours apart by the clocks the pages show, one time "
                "without a UTC offset (its zone unknown: any of 26 hours)")
    return f"{UNORDERED_EVIDENCE} published within a minute of each other"


#: A copy covering less of a page than this is no evidence that the page is a copy (``is_copy``): a paragraph
#: quoted without a credit the reader can see, or the stock phrases of one writing template, reach that far on
#: pages written for themselves. Training pages never had such a match, so any share, 0.007 of a page, read as a
#: copy: an outside probe's newsrooms went from 0.04-0.1 to 0.4-0.75 with 1-12% shared with a farm's pages.
MIN_COPY_SHARE = 0.1


def takes_text(derivation: str, quoted_only: bool, has_passage: bool) -> bool:
    """Whether a pair's shared text is text one page took from the other, whichever way: a passage in common,
    more than quotations (``quotes_only``) and not all of it inside quotation marks (``quoted_only``). Takes a
    match's fields, so that verdict dicts are asked without being parsed back into matches.

    Content words alone, whatever derivation they suggest, take nothing: two newsrooms' own reports of one event
    (or pages of one writing template) read as each other's uncredited "partial" copies (an outside probe: every
    newsroom of an ad network's audit flagged; on the METER corpus a third of the newspapers' independent reports
    of a wire story had such a match). Nor do quoted words: two reports quoting one official share them word for
    word and the event's names and places by their words, which the derivation reads as a rewrite around the
    quotes (an outside probe's independent report and brief read suspicious, their sites content farms)."""
    return has_passage and derivation != "quotes_only" and not quoted_only


def reuses(match: Match) -> bool:
    """``takes_text`` of a match."""
    return takes_text(match.derivation, match.quoted_only, bool(match.passages))


def is_copy(match: Match) -> bool:
    """A match that makes this page a copy (of the whole or a substantial part of its text): it took text from
    the other page (``reuses``), at least ``MIN_COPY_SHARE`` of this page. Only such a match is an
    ``uncredited_copy:`` reason, a copy-evidence trait and a copied page of the tables. Text taken with a credit
    naming a public body (``official_statement``) is no copy: a statement is published to be reported."""
    return (match.direction == "this_copies_other" and reuses(match) and match.share_of_this >= MIN_COPY_SHARE
            and not official_statement(match))


def official_statement(match: Match) -> bool:
    """Whether the page credits the other as a public body's statement ("according to the Marikina Heights Police
    District", the police's release indexed at its own site): a newsroom's story built on a police or ministry
    statement, credited, read as a credited partial copy and suspicious (0.66) once the release was indexed (an
    outside probe)."""
    if not match.credited or not (match.credit or "").startswith("named:"):
        return False
    from features.attribution import is_public_body  # data of the features package, read lazily

    return is_public_body(match.credit.split(":", 1)[1])


def counts_as_source(match: Match) -> bool:
    """A match that makes the other page this page's source: text taken (``reuses``), or credited quotations.
    A match with no passage in common is neither, credited or not: a story linking a magazine it quoted nothing
    from had been given that magazine as its origin."""
    return match.direction == "this_copies_other" and (reuses(match) or match.credited and bool(match.passages))


def best_source(matches: Sequence[Match]) -> Match | None:
    """The strongest source among a page's matches: more derived first, then more of this page covered (the
    nearest copy in a chain covers more than the original does), a credited source winning near-ties, and of
    sources covering the same share (an original and its syndicated copy) the earliest published."""
    sources = [m for m in matches if counts_as_source(m)]
    if not sources:
        return None
    top = max(sources, key=lambda m: (DERIVATION_RANK[m.derivation], m.share_of_this, m.credited))
    near = [m for m in sources if m.credited and DERIVATION_RANK[m.derivation] == DERIVATION_RANK[top.derivation]
            and m.share_of_this >= top.share_of_this - _NEAREST_MARGIN]
    if near and not top.credited:
        top = max(near, key=lambda m: m.share_of_this)
    tied = [m for m in sources if m.credited == top.credited and m.derivation == top.derivation
            and m.share_of_this >= top.share_of_this - _TIE and m.published is not None]
    if len(tied) > 1 and top.published is not None:  # the original and its syndicated copy: the earlier one
        in_order = [m for m in tied if not order_breaks(m)]
        if in_order and len(in_order) < len(tied):  # unless this page keeps one's reordering of the text
            tied = in_order
        return min(tied, key=lambda m: (_instant(m.published)[0], -m.share_of_this))
    return top


def order_breaks(match: Match) -> int:
    """How often the other page's shared text runs backwards where this page's runs on: 0 when this page keeps the
    other's order of paragraphs, 2 when two paragraphs of the other were swapped on the way.

    A farm that shuffles what it copies leaves its order in every copy taken from it: an outside probe's copy of a
    shuffled copy covered the newsroom's story and the shuffled copy alike, and the newsroom, earlier, was named its
    source, the shuffled copy its sibling. The order it shares with one and not the other says which it took."""
    passages = sorted((p for p in match.passages if p.this_end - p.this_start >= _ORDER_PASSAGE_CHARS),
                      key=lambda p: p.this_start)
    return sum(b.other_start < a.other_start for a, b in zip(passages, passages[1:]))


#: Only passages of a paragraph's length tell an order: a headline or a lead's few words, shared out of place,
#: do not (two pickups of one agency story were each other's source by a 69-character fragment).
_ORDER_PASSAGE_CHARS = 150


def _keeps_order_over(best: Match, older: Match) -> bool:
    """Whether this page keeps ``best``'s order of the text and not ``older``'s (``order_breaks``), both carrying
    as much of it (``_TIE``): two paragraphs an excerpt shares are in order whatever the whole page did."""
    return (not order_breaks(best) and order_breaks(older) > 0
            and best.share_of_this >= older.share_of_this - _TIE)


def _covered(starts: np.ndarray, match: Match, aside: np.ndarray | None = None) -> np.ndarray:
    """Which words of this page (by their start offsets) lie in the match's passages, but for those ``aside``."""
    mask = np.zeros(len(starts), dtype=bool)
    for p in match.passages:
        mask[np.searchsorted(starts, p.this_start):np.searchsorted(starts, p.this_end)] = True
    return mask if aside is None else mask & ~aside


def _within(shared: np.ndarray, other: np.ndarray, min_words: int) -> bool:
    """Whether the words of this page in ``shared`` all lie in ``other`` (but for fewer than ``min_words``): the
    text this page shares with one page is text it shares with the other too."""
    return int((shared & ~other).sum()) < min_words


_REPRINT_EXTRA = 0.2
_OPENING_CHARS = 200  # a passage starting this far into the other page's text still holds its opening sentence


def _holds_opening(match: Match) -> bool:
    """Whether this page shares the other page's opening (a passage starting within ``_OPENING_CHARS``)."""
    return any(p.other_start <= _OPENING_CHARS for p in match.passages)


def mark_syndicated(matches: Sequence[Match], others: Sequence[Article], starts: np.ndarray,
                    min_words: int, aside: np.ndarray | None = None) -> list[Match]:
    """Matches with a syndicated copy of another matched page set to ``unknown`` direction (siblings).

    Page P shares text with Q and with S, and Q's canonical link names S (Q republished S): whatever P shares
    with Q (all but fewer than ``min_words`` words) it shares with S too, so Q is no source of P, whatever the
    two dates say (a partner's copy dated like its original sat in P's chain, between P and the original);
    unless P states that it took the text from Q (credits Q, not S): then Q is its source and S upstream of it
    (a copy crediting the partner's reprint it took was called an uncredited copy of the original).
    ``others[i]`` is the page of ``matches[i]``; evidence ``sibling: both derive from <S domain>``. Up to
    ``_REPRINT_EXTRA`` of what P shares with Q may lie outside what it shares with S when P holds S's opening
    (``_holds_opening``): a reprint prints whole what the original's extraction may lose before it (its lead
    paragraph in a standfirst box: an outside probe's farm copy was traced through a partner's canonical reprint
    for the 30 words of the lead); a copy that left out S's opening paragraph and took one only the reprint has
    took it from the reprint (another probe's reworded copy). Words in
    ``aside`` (this page's headline line and republication notes, ``aside_words``) need not lie in S: the reprint prints the headline
    in its text where the original keeps it out, and a farm's copy was traced through a partner's canonical reprint
    for its headline alone (an outside probe).
    """
    out = list(matches)
    for i, (match, other) in enumerate(zip(matches, others)):
        if match.direction == "unknown" or not other.canonical or is_stated(match.direction_evidence):
            continue  # a copy crediting the reprint it took the text from names its source: that stands
        for source, page in zip(matches, others):
            if source is match or source.domain == match.domain or not canonical_to(other, page):
                continue
            shared = _covered(starts, match, aside)
            extra = int(_REPRINT_EXTRA * shared.sum()) if _holds_opening(source) else 0
            if _within(shared, _covered(starts, source), max(min_words, extra)):
                out[i] = replace(match, direction="unknown", credited=False,
                                 direction_evidence=f"{SIBLING_EVIDENCE} {source.domain}")
                break
    return out


_WORDS = re.compile(r"\w+")


TEASER_MAX_WORDS = 80  # a card's snippet, cut off; a longer paragraph ending in "..." is prose
TEASER_MIN_CARDS = 3  # snippets on a page that make it a digest of cards
_CUT_OFF = re.compile(r"(?:…|\.\.\.)\s*$")


def _teaser_spans(article: Article) -> list[tuple[int, int]]:
    """Character spans of the text's paragraphs that are snippets cut off with an ellipsis (a card's teaser)."""
    spans: list[tuple[int, int]] = []
    at = 0
    for paragraph in article.text_paragraphs():
        start = article.text.find(paragraph, at)
        if start < 0:
            continue
        at = start + len(paragraph)
        if _CUT_OFF.search(paragraph) and len(paragraph.split()) <= TEASER_MAX_WORDS:
            spans.append((start, at))
    return spans


def mark_teasers(matches: Sequence[Match], article: Article) -> list[Match]:
    """Matches whose shared text is only the snippets of a digest page's cards made no copy (derivation
    ``quotes_only``, evidence ``teaser: ...``): a portal's topic page, a newsletter or a roundup shows a cut-off
    teaser of each of several sites' stories (an outside probe's topic page of six cards, each naming its
    publisher, read as the uncredited copy of every story it teased: suspicious, 0.886, and its portal's domain
    with it). A digest is a page of ``TEASER_MIN_CARDS`` snippets or more whose matches take nothing but snippets
    from two sites or more; a farm's excerpt of one story, cut off before its "Read more", stays a copy."""
    spans = _teaser_spans(article)
    if len(spans) < TEASER_MIN_CARDS:
        return list(matches)

    def teased(match: Match) -> bool:
        return bool(match.passages) and all(
            any(a <= p.this_start and p.this_end <= b for a, b in spans) for p in match.passages)

    teaser = [m.direction != "other_copies_this" and teased(m) for m in matches]
    sites = {m.domain or m.url for m, t in zip(matches, teaser) if t}
    if len(sites) < 2:
        return list(matches)
    evidence = f"{TEASER_EVIDENCE} a snippet of its story on a digest of {len(sites)} sites' stories"
    return [replace(m, derivation="quotes_only", direction="unknown", credited=False, direction_evidence=evidence)
            if t else m for m, t in zip(matches, teaser)]


def title_line_words(article: Article, starts: np.ndarray) -> np.ndarray:
    """Which words of the page (by their start offsets) lie in a body line that repeats its title.

    A headline kept or pasted into the body is text a copy's sources carry as their title, outside the body
    text that is compared: a farm that also kept it in its body seems to cover more of a later copy than the
    original does, only by the headline. A line repeats the title when at least 80% of the words of either are
    in the other (a site name after the title aside) and it has at least three words.
    """
    mask = np.zeros(len(starts), dtype=bool)
    title = set(_WORDS.findall(_fold(article.title or "")))
    if len(title) < 3:
        return mask
    offset = 0
    for line in article.text.split("\n"):
        end = offset + len(line)
        words = set(_WORDS.findall(_fold(line)))
        if 3 <= len(words) <= 2 * len(title) + 2 and len(words & title) >= 0.8 * min(len(words), len(title)):
            mask[np.searchsorted(starts, offset):np.searchsorted(starts, end)] = True
        offset = end + 1
    return mask


_NOTE = frozenset({"syndication_credit"})
_NOTE_CHARS = 400  # a republication note is a line or two; a paragraph of story that mentions one is none


def aside_words(article: Article, starts: np.ndarray) -> np.ndarray:
    """Words of the page (by their start offsets) that two copies may share without either taking them from the
    other: its title lines (``title_line_words``) and its republication notes ("This article was originally
    published by X and is republished here under a Creative Commons license"). Two nonprofits' reprints of one
    investigation print the same licence note under it; the later one was called the earlier one's uncredited
    copy for those 20 words, which the original does not carry (an outside probe)."""
    from features.phrases import fold_many, phrasebook, token_stream  # data of the features package, read lazily

    mask = title_line_words(article, starts)
    spans, lines = [], []  # the short lines (character span, text): one phrase search over all of them
    offset = 0
    for line in article.text.split("\n"):
        if line.strip() and len(line) <= _NOTE_CHARS:
            spans.append((offset, offset + len(line)))
            lines.append(line)
        offset += len(line) + 1
    if not lines:
        return mask
    stream, firsts = token_stream(fold_many(lines))
    for line in {bisect_right(firsts, hit.start) - 1 for hit in phrasebook().find(stream, _NOTE)}:
        begin, end = spans[line]
        mask[np.searchsorted(starts, begin):np.searchsorted(starts, end)] = True
    return mask


def mark_same_text(matches: Sequence[Match], starts: np.ndarray, min_words: int, aside: np.ndarray,
                   doubted: Callable[[str, str], bool] | None = None) -> list[Match]:
    """Matches with a best source that carries no more of this page than an earlier source does set to
    ``unknown`` direction (a sibling of that source), until the best source is the earliest of those.

    Page P copied S's text, and so did Q before P: when what P shares with Q lies (but for fewer than
    ``min_words`` words, and for the words ``aside``: P's title lines and republication notes, ``aside_words``)
    in what P shares with S, on another site and published before Q, nothing says P took it from Q rather than
    from S, and the earliest is the source (as for sources covering the same share, ``best_source``). A best source that P states (canonical
    link, credit) stays. Its evidence reads ``sibling: both derive from <S domain>``. An older source that
    ``doubted(older, best)`` (``date_doubts``) is not preferred for its date, and a best source that won a tie
    for its date gives way to a later source that carries as much of this page when ``doubted(best, later)``
    (farms were traced to a backdated farm instead of the newsroom all of them took the story from).
    """
    out = list(matches)
    for _ in range(len(out)):
        best = best_source(out)
        if best is None or best.published is None or is_stated(best.direction_evidence):
            break
        rivals = [s for s in out if s is not best and counts_as_source(s) and s.domain != best.domain]
        older = [s for s in rivals if earlier(s.published, best.published) < 0
                 and not (doubted is not None and doubted(s.url, best.url))]
        # the best source won a tie for being earliest, but its date is doubted against a later rival
        older += [s for s in rivals if doubted is not None and s not in older and doubted(best.url, s.url)]
        if not older:
            break
        own = _covered(starts, best, aside)
        earlier_source = next((s for s in older if _within(own, _covered(starts, s), min_words)
                               and not _keeps_order_over(best, s)), None)
        if earlier_source is None:
            break
        out[next(i for i, m in enumerate(out) if m is best)] = replace(best, direction="unknown", credited=False,
                                       direction_evidence=f"{SIBLING_EVIDENCE} {earlier_source.domain}")
    return out


def mark_siblings(matches: Sequence[Match], starts: np.ndarray, min_words: int,
                  doubted: Callable[[str, str], bool] | None = None, agency_page: bool = False,
                  aside: np.ndarray | None = None) -> list[Match]:
    """Matches with pages that copied one of this page's own sources set to ``unknown`` direction (siblings).

    Page P's match with page Q is a sibling when the text P shares with Q is (all but fewer than ``min_words``
    words) text P also shares with another of its sources S, on another site, published before Q: both took it
    from S, P did not copy Q nor Q copy P. S is P's best source when it qualifies, else any other source: a
    page stitched from two originals has a sibling in the syndicated copy of either. P's best source is never
    a sibling, nor is Q when either page states the direction (a canonical link, or one crediting the other),
    nor Q sharing no passage with P (content words in common only: there is no shared text to have taken from S).
    Q may be a page whose direction with P nothing decided (published the same day): it is a sibling all the
    same, not an edge between two pages that each took the text from S. So is an undated Q whose direction
    with P only a missing date or containment gave: nothing orders Q after S, but nothing says either page took
    the text from the other rather than from S, and Q's own verdict, which may see S dated before P, calls P
    its sibling (an outside probe saw the two ends of one pair disagree, and a farm's credited excerpt of a
    newsroom story called a copy of another farm's copy of it, the longer text, by containment).
    Words in ``aside`` (``aside_words``: the headline a copy keeps as its first line, a licence note) are not asked to lie
    in S: an excerpt farm's copy carries the headline as text where the newsroom's page keeps it out of its text,
    and a later copy of a copy was called that farm's uncredited copy for its 13 headline words (an outside probe).
    Such a match neither becomes a source nor makes a ``copied_from``/``uncredited_copy``/
    ``copied_by`` reason; its evidence reads ``sibling: both derive from <S domain>``. ``starts`` are the
    character offsets of P's words. An S that ``doubted(S, Q)`` (``date_doubts``: a backdated farm, or a page
    third pages do not credit over Q) is no source of Q for its date. A page against which P's own earlier date
    was doubted (``doubt_backdated``, ``doubt_by_credit``: P may have backdated its copy) counts as such an S: a
    backdated farm's own verdict called the later copies of the newsroom's story its copies, while theirs called
    it their sibling.
    """
    if not agency_page:  # a page running an agency's story: its other matches may have taken it from the agency
        wire = [m for m in matches if is_wire_copy(m.direction_evidence) and m.passages]
        matches = _siblings_of(matches, wire, starts, min_words, doubted, aside=aside)
    best = best_source(matches)
    # this page's date was doubted against a page's (this one may be a backdated farm): that page may be the
    # source of this one and of a later copy of the text the two share, as a source is
    undecided_pair = [m for m in matches if (m.direction_evidence or "").startswith(_THIS_DOUBTED) and m.passages]
    sources = [*([best] if best is not None else []),
               *(m for m in matches if m is not best and counts_as_source(m)), *undecided_pair]
    return _siblings_of(matches, sources, starts, min_words, doubted, keep=best, aside=aside)


def _siblings_of(matches: Sequence[Match], sources: Sequence[Match], starts: np.ndarray, min_words: int,
                 doubted: Callable[[str, str], bool] | None, keep: Match | None = None,
                 aside: np.ndarray | None = None) -> list[Match]:
    """``mark_siblings``' rule for given sources S: each match Q but ``keep`` (no stated direction, a passage in
    common) whose text shared with this page lies within what this page shares with an S on another site,
    dated before Q (or Q undated and only weakly ordered) and not ``doubted`` against Q, set to a sibling of S. An
    S this page states its source (its canonical link or its credit names S) is one whatever the doubt: a
    content-sharing reprint crediting a newsroom was made the copy of a farm, dated before the reprint, because the
    newsroom's page read farmier than the farm's copy and its date was doubted against it (an outside probe).

    The agency's own page is such an S for a page running its story (a wire-copy match): even that page's best
    source may have taken the text from the agency (an excerpt farm linking the agency was called the uncredited
    copy of a paper's run of the story)."""
    dated = [(s, _covered(starts, s)) for s in sources if s.published is not None]
    if not dated:
        return list(matches)
    out: list[Match] = []
    for match in matches:
        # same day, say; or a pair whose dates the pages contradict (a doubted pair): both may still derive from S
        undecided = match.direction == "unknown" and (match.direction_evidence is None or match.direction_evidence
                                                      .startswith((UNORDERED_EVIDENCE, DOUBTED_EVIDENCE)))
        if (match is not keep and match.passages and (match.direction != "unknown" or undecided)
                and not is_stated(match.direction_evidence)):
            own = _covered(starts, match, aside)
            source = next((s for s, shared in dated if s is not match and s.domain != match.domain
                           and (earlier(s.published, match.published) < 0 or _undated_weakly_ordered(match)
                                or _backdated_against(match, s, doubted))
                           and not (doubted is not None and doubted(s.url, match.url)
                                    and not is_stated(s.direction_evidence))
                           and _within(own, shared, min_words) and not _keeps_order_over(match, s)), None)
            if source is not None:
                match = replace(match, direction="unknown", credited=False,
                                direction_evidence=f"{SIBLING_EVIDENCE} {source.domain}")
        out.append(match)
    return out


def _backdated_against(match: Match, source: Match, doubted: Callable[[str, str], bool] | None) -> bool:
    """Whether Q (``match``) is dated before S (``source``) and that date is no proof against S (``doubted``: Q
    reads as a farm, S clean): Q may have backdated its copy of S. A roundup stitched from two newsroom stories
    was called the uncredited copy of a farm that had dated its copy of one of them two days early, while the
    farm's own verdict called the roundup its sibling (an outside probe)."""
    return (doubted is not None and match.published is not None and source.published is not None
            and earlier(match.published, source.published) < 0 and doubted(match.url, source.url))


def _undated_weakly_ordered(match: Match) -> bool:
    """Whether the other page is undated and only a missing date or containment set the pair's direction."""
    return match.published is None and match.direction_evidence in (UNDATED_EVIDENCE, CONTAINMENT_EVIDENCE)


def mark_upstream(matches: Sequence[Match], starts: np.ndarray, min_words: int,
                  doubted: Callable[[str, str], bool] | None = None) -> list[Match]:
    """Matches with the sources of this page's best source marked ``upstream`` (direction kept).

    Page P copied B, and B took the text from S, published before B: P shares with S nothing (but fewer than
    ``min_words`` words) it does not also share with B. S is where P's text comes from (it stays a source and
    ``copied_from`` reason, and the chain runs through B to it), but P took it from B: whether P credits S is
    not what to hold against P (B credited or not), so an upstream source makes no ``uncredited_copy`` reason
    and no copy-evidence trait. Its evidence reads ``upstream, via <B domain>; <the direction evidence>``. An S
    whose date is no proof against B's (``doubted(S, B)``, ``date_doubts``) is B's sibling instead, not
    upstream: a backdated farm sat upstream of the newsroom in later copies' chains.
    """
    best = best_source(matches)
    if best is None or best.published is None:
        return list(matches)
    through_best = _covered(starts, best)
    out: list[Match] = []
    for match in matches:
        if (match is not best and counts_as_source(match) and not match.sibling and match.domain != best.domain
                and earlier(match.published, best.published) < 0
                and _within(_covered(starts, match), through_best, min_words)):
            if doubted is not None and doubted(match.url, best.url):  # its date is no proof it is B's source
                match = replace(match, direction="unknown", credited=False,
                                direction_evidence=f"{SIBLING_EVIDENCE} {best.domain}")
            else:
                match = replace(match, direction_evidence=f"{UPSTREAM_EVIDENCE} {best.domain}; "
                                                          f"{match.direction_evidence}")
        out.append(match)
    return out


def doubt_backdated(matches: Sequence[Match], this_p: float | None, p_of: Callable[[str], float | None],
                    farm_cut: float, clean_cut: float, signed: Callable[[str], bool] | None = None,
                    this_signed: bool = False) -> list[Match]:
    """Matches whose direction only the dates gave, undecided when the pages themselves say the opposite.

    Page P (clean on its own: farm probability without copy evidence below ``clean_cut``) shares text with Q,
    dated earlier, that reads as a content farm on its own (at least ``farm_cut``), or at least ``_DOUBT_MARGIN``
    above P: a farm may backdate what it copies, and outside probes saw the original turned into a content farm
    by its own copy (backdated farms read 0.89, 0.37 and 0.21 against originals at 0.002-0.04). Such a match
    keeps its shares but no direction (``unknown``, evidence ``undecided: ...``): P is no copy of Q, nor Q of P.
    The same when P reads as a farm and Q, clean, is dated later.

    A missing date is weaker evidence still: the date reader finds none on about one real news page in twenty,
    so an undated page that reads clean on its own is not taken for the copy of a dated one that does not (one
    that reads suspicious or worse: an outside probe saw a real original made a content farm by a dated farm
    copy). A dated page that reads clean keeps the undated one its copy: a bare undated copy of a newsroom's
    story is the simplest farm there is (another probe's went clean when any undated clean page was doubted).
    A direction a page states (canonical, credit) stands; ``p_of(url)`` is None for a page of unknown score.

    An upstream source (``mark_upstream``: Q dated before B, the page P took its text from) is doubted the same
    way between B and Q: P's syndicated copy of a newsroom's story had a backdated farm as its origin, upstream of
    the newsroom, although the newsroom's own verdict left that pair undecided (an outside probe).

    Who signs the two pages weighs too (``signed(url)``, ``this_signed``: ``person_byline.signed_by_person``):
    backdated copies are signed by no one, the site, a desk or "Admin", newsrooms by their writers. A page dated
    earlier that a person signs, against a later one no person signs, is doubted only when it reads as a content
    farm, not for reading a little farmier (newsroom originals with a share bar on a short story let their bare
    copies go: an outside probe); an unsigned one against a signed later one as soon as it reads no cleaner.
    """
    out: list[Match] = []
    best = best_source(matches) if any(m.upstream for m in matches) else None
    for match in matches:
        if match.direction == "unknown" or is_stated(match.direction_evidence) or (match.upstream and best is None):
            out.append(match)
            continue
        copies = match.direction == "this_copies_other"
        other_p = p_of(match.url)
        copy_p, original_p = (this_p, other_p) if copies else (other_p, this_p)
        other_signed = signed is not None and signed(match.url)
        later_signed, earlier_signed = (this_signed, other_signed) if copies else (other_signed, this_signed)
        if match.upstream and best is not None:  # the pair to doubt is the best source and this earlier page
            copy_p = p_of(best.url)
            later_signed = signed is not None and signed(best.url)
        if match.direction_evidence == UNDATED_EVIDENCE:
            if copy_p is not None and original_p is not None and copy_p < clean_cut <= original_p:
                undated = "this page" if copies else "the other page"
                match = replace(match, direction="unknown", credited=False, direction_evidence=(
                    f"{DOUBTED_EVIDENCE} {undated} has no date but reads clean on its own ({copy_p:.2f}, without "
                    f"copy evidence), and the dated one does not ({original_p:.2f}; a missing date is no proof of "
                    f"copying); the dates alone said: "
                    f"{match.direction_evidence}"))
        elif _reads_backdated(original_p, copy_p, farm_cut, clean_cut, signatures := int(earlier_signed) - int(
                later_signed)):
            earlier_one = "the other page" if copies else "this page"
            reads = _backdated_reading(original_p, copy_p, farm_cut, clean_cut, signatures)  # type: ignore[arg-type]
            if match.direction_evidence in _DATED_ONLY:
                match = replace(match, direction="unknown", credited=False, direction_evidence=(
                    f"{DOUBTED_EVIDENCE} {earlier_one} is dated earlier but reads {reads}, and the later one reads "
                    f"clean (a farm may backdate what it copies); the dates alone said: {match.direction_evidence}"))
            else:  # containment or a capture time put it first, not its date
                match = replace(match, direction="unknown", credited=False, direction_evidence=(
                    f"{DOUBTED_EVIDENCE} {earlier_one} {_TAKEN_FIRST} ({match.direction_evidence}) but reads "
                    f"{reads}, and the other one reads clean"))
        out.append(match)
    return out


def _reads_backdated(earlier_p: float | None, later_p: float | None, farm_cut: float, clean_cut: float,
                     signatures: int = 0) -> bool:
    """Whether the page dated earlier reads as a content farm on its own (or ``_DOUBT_MARGIN`` above the later
    one, or ``_DOUBT_MIN_GAP`` above at ``_DOUBT_ODDS`` times its odds) and the later one reads clean: the earlier
    date is then no proof (``doubt_backdated``).

    ``signatures`` weighs who signs them (``person_byline``): +1, the earlier page signed by a person and the later
    not, doubts the earlier one only when it reads as a content farm; -1, the later page signed and the earlier
    not (as a backdated copy against its original), as soon as it reads no cleaner than the later one: a
    retraining moved probe 70's backdated copy from 2.6 to 2.0 times its original's odds, and the newsroom became
    its copy, a content farm."""
    if earlier_p is None or later_p is None or later_p >= clean_cut:
        return False
    if earlier_p >= farm_cut:
        return True
    if signatures > 0:
        return False
    if signatures < 0 and earlier_p >= later_p:
        return True
    return earlier_p - later_p >= _DOUBT_MARGIN or (
        earlier_p - later_p >= _DOUBT_MIN_GAP and _odds(earlier_p) >= _DOUBT_ODDS * _odds(later_p))


def _backdated_reading(earlier_p: float, later_p: float, farm_cut: float, clean_cut: float, signatures: int) -> str:
    """How the page dated earlier reads, as the evidence of ``_reads_backdated`` says it: as a content farm, farmier
    than the later one, or (weighed by who signs them) no cleaner while it names no writer and the later one does
    (an outside probe read "farmier (0.05 on its own against 0.04)" of two clean pages and took it for a slip)."""
    if earlier_p >= farm_cut:
        return "as a content farm"
    numbers = f"{earlier_p:.2f} on its own against {later_p:.2f}"
    if signatures < 0 and not _reads_backdated(earlier_p, later_p, farm_cut, clean_cut):
        return f"no cleaner ({numbers}) and names no writer while the later one does"
    return f"farmier ({numbers})"


def _odds(p: float) -> float:
    return p / (1.0 - p) if p < 1.0 else float("inf")


def page_p(own: float | None, stored: float | None) -> float | None:
    """A page's farm probability for weighing dates: its own, or the one the index's page at its URL had if lower
    (that page is this one as indexed before, or the article a newsroom's AMP or print edition names as
    canonical: probe 53's AMP edition read 0.22 on its own, above a backdated copy's 0.10, and became that copy's
    content-farm copy while the article itself, indexed at 0.014, had the pair undecided)."""
    return own if stored is None or own is None else min(own, stored)


@dataclass(frozen=True)
class Doubt:
    """What a direction only the dates gave is weighed against: each page's farm probability on its own.

    Given to the copy search (``matcher.verify_against``), it doubts those directions before the sibling and
    same-text marks are drawn from them: a backdated farm's date made it a newsroom's source in those marks (the
    newsroom's other copies read "sibling: both derive from" the farm) although the pair itself was doubted.
    ``this_p`` is called only when some direction rests on dates (a page's own probability may cost a model call).
    """

    this_p: Callable[[], float | None]
    p_of: Callable[[str], float | None]
    farm_cut: float
    clean_cut: float

    def __post_init__(self) -> None:
        # the marks ask for the same few pages' probabilities over and over (an index query each): once a page
        object.__setattr__(self, "p_of", lru_cache(maxsize=None)(self.p_of))

    def matches(self, matches: Sequence[Match], article: Article | None = None,
                others: Sequence[Article] = ()) -> list[Match]:
        """``doubt_backdated`` of the matches (``others[i]`` the page of ``matches[i]``, ``article`` this page: who
        signs them)."""
        if not any(m.direction != "unknown" and not is_stated(m.direction_evidence) for m in matches):
            return list(matches)
        signed = {m.url: signed_by_person(o) for m, o in zip(matches, others)}
        return doubt_backdated(matches, self.this_p(), self.p_of, self.farm_cut, self.clean_cut,
                               lambda url: signed.get(url, False),
                               article is not None and signed_by_person(article))

    def backdated(self, earlier_url: str, later_url: str, signatures: int = 0) -> bool:
        """Whether the page dated earlier is no source of the later one for its date alone (``_reads_backdated``,
        ``signatures`` as there)."""
        return _reads_backdated(self.p_of(earlier_url), self.p_of(later_url), self.farm_cut, self.clean_cut,
                                signatures)

    def clean(self, url: str) -> bool:
        """Whether the page reads clean on its own (known and below the suspicious cut)."""
        p = self.p_of(url)
        return p is not None and p < self.clean_cut


_DATED_ONLY = ("published later", "published earlier")


def _credited_over(later: Article, first: Article, others: Sequence[Article], doubt: Doubt,
                   this: Article | None = None) -> str | None:
    """The site of a third page, clean on its own, that names or links ``later`` as its source and not ``first``
    (a partner's reprint, canonical to the newsroom's story), else None; None too when ``later`` reads as a
    content farm on its own: a page crediting it took the text from it, which says nothing of where it took it
    from (an outside probe's farm, crediting the farm it copied, made that farm's uncredited copy of a newsroom's
    story undecided). ``this``: the page being scored, whose probability is its own (``Doubt.this_p``)."""
    p = doubt.this_p() if later is this else doubt.p_of(later.url)
    if p is not None and p >= doubt.farm_cut:
        return None
    return next((o.domain for o in others if o is not later and o is not first and doubt.clean(o.url)
                 and credits(o, later) is not None and credits(o, first) is None), None)


def date_doubts(matches: Sequence[Match], others: Sequence[Article], doubt: Doubt | None
                ) -> Callable[[str, str], bool]:
    """``doubted(earlier_url, later_url)``: whether, of two matched pages, the one dated earlier is no source of
    the other for its date alone: it reads as a content farm and the later one clean (``Doubt.backdated``), or a
    third matched page credits the later one and not it (``_credited_over``); never when the later page credits
    the earlier one (a partner's reprint canonical to a newsroom story that reads a little farmier than the
    reprint for its community box: an outside probe's reworded copy called the newsroom a sibling deriving from
    its own reprint). The same-text and sibling marks ask it before taking the earlier page for the source of
    both (``others[i]`` is the page of ``matches[i]``)."""
    if doubt is None:
        return lambda earlier_url, later_url: False
    pages = {m.url: o for m, o in zip(matches, others)}
    named: dict[tuple[str, str], bool] = {}  # the marks ask about the same pairs over and over

    def names_earlier(first: Article, later: Article) -> bool:
        pair = (first.url, later.url)
        if pair not in named:
            named[pair] = credits(later, first) is not None
        return named[pair]

    def doubted(earlier_url: str, later_url: str) -> bool:
        first, later = pages.get(earlier_url), pages.get(later_url)
        if first is not None and later is not None and names_earlier(first, later):
            return False  # the later page names the earlier one its source (probe 55: a partner's canonical reprint)
        signatures = (int(signed_by_person(first)) - int(signed_by_person(later))
                      if first is not None and later is not None else 0)
        if doubt.backdated(earlier_url, later_url, signatures):
            return True
        return first is not None and later is not None and _credited_over(later, first, others, doubt) is not None

    return doubted


def doubt_by_credit(matches: Sequence[Match], article: Article, others: Sequence[Article], doubt: Doubt
                    ) -> list[Match]:
    """Matches whose direction only the dates gave, undecided when a third page credits the later one.

    Page P and page Q share a story, Q dated earlier; a third page R with the same text, clean on its own, names
    or links P as its source (a partner's reprint, canonical to P) and not Q: R says P is where the story is
    from, so Q's earlier date is no proof that P copied Q. A farm that backdated its copy while reading clean
    otherwise took the newsroom's story over, and the newsroom read as a content farm for "copying" it (an
    outside probe). Seen from either page of the pair; evidence ``undecided: ...``. ``others[i]`` is the page
    of ``matches[i]``.
    """
    out = list(matches)
    for i, (match, other) in enumerate(zip(matches, others)):
        if match.direction == "unknown" or match.direction_evidence not in _DATED_ONLY:
            continue
        copies = match.direction == "this_copies_other"
        later, first = (article, other) if copies else (other, article)
        third = _credited_over(later, first, others, doubt, article)
        if third is not None:
            earlier_one = "the other page" if copies else "this page"
            out[i] = replace(match, direction="unknown", credited=False, direction_evidence=(
                f"{DOUBTED_EVIDENCE} {earlier_one} is dated earlier, but {third} credits the later one (a date "
                f"alone is no proof of who copied whom); the dates alone said: {match.direction_evidence}"))
    return out


def trace_chain(url: str, matches: Sequence[Match], matches_of: Callable[[str, frozenset[str]], Sequence[Match]],
                max_depth: int = 10) -> tuple[Match, ...]:
    """The sources of a page back to the original, nearest first (empty when the page copies nothing).

    ``matches_of(url, seen)`` gives an indexed document's own matches, leaving out the pages already in the chain.
    """
    chain: list[Match] = []
    seen = {url}
    current = best_source(matches)
    while current is not None and current.url not in seen and len(chain) < max_depth:
        chain.append(current)
        seen.add(current.url)
        upstream = best_source(matches_of(current.url, frozenset(seen)))
        if upstream is not None and not upstream.credited and carried_share(current, upstream) < CARRIED_SHARE:
            break  # what the page took did not come that way: a source naming its own keeps its chain
        current = upstream
    return tuple(chain)


#: How much of the text a page took from its source must have come to that source from the source's own
#: uncredited source for a chain to go on to it (a source it credits continues the chain whatever the overlap:
#: BalkanWeb's rewrite credits The Times, and shares only quotations with it).
CARRIED_SHARE = 0.5


def carried_share(took: Match, upstream: Match) -> float:
    """Of the text of ``took.url`` that the page took (the other side of ``took``'s passages), the share that
    ``upstream``'s passages (that page's own, this side) cover: how much of what was taken came through it.
    Stories sharing two boilerplate sentences made a verbatim copy's origin the blog that wrote them first,
    through the original it copied (an outside probe's chains ran through unrelated newsroom stories)."""
    size = max([p.other_end for p in took.passages] + [p.this_end for p in upstream.passages], default=0)
    taken, came = np.zeros(size, dtype=bool), np.zeros(size, dtype=bool)
    for p in took.passages:
        taken[p.other_start:p.other_end] = True
    for p in upstream.passages:
        came[p.this_start:p.this_end] = True
    total = int(taken.sum())
    return float((taken & came).sum()) / total if total else 1.0  # no passage (content words only): goes on


def origin_and_chain(url: str, matches: Sequence[Match],
                     matches_of: Callable[[str, frozenset[str]], Sequence[Match]]) -> tuple[Origin | None, tuple[str, ...]]:
    """The original a page's text comes from and the chain of URLs from it to the page (empty when none)."""
    sources = trace_chain(url, matches, matches_of)
    if not sources:
        return None, ()
    first = sources[-1]
    origin = Origin(url=first.url, domain=first.domain, published=first.published)
    return origin, tuple(m.url for m in reversed(sources)) + (url,)
