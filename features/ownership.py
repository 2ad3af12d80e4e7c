"""The company a page's site says owns it: the holder of its copyright notice ("© 2026 Pinnacle Media Inc. All
rights reserved.") or its ownership line ("A Pinnacle Media station.", "Part of Harbour Newspapers Ltd").

Why: the sister stations of a broadcast group, and the titles of a newspaper chain, run one another's stories
whole, often with no credit line (an outside probe's three stations of one group, in one template, read as one
another's uncredited copies, content_farm 0.99, and one of them ranked the second-worst farm domain of its audit).
A story shared within one owner's sites is no copy of someone else's journalism; ``detector.provenance`` makes two
pages whose sites name the same owning company siblings. Only a company is read as an owner (its name carries a
legal form or a word for a media company: "Inc.", "GmbH", "Media", "Broadcasting", "Newspapers"): a theme's
"© Newspaper by tagDiv" or a platform's notice names none, so two sites built on one theme are not made sisters.
"""

from __future__ import annotations

import re

from detector.provenance import owner_key
from features.phrases import fold
from features.view import PageView

__all__ = ["owners"]

#: A copyright notice and what it names: "© 2026 X", "Copyright © 2019-2026 X", "(c) 2026, X", "Copyright 2026 X".
_NOTICE = re.compile(r"(?:(?:©|\(c\)|\bcopyright\b)\s*)+(?:\d{4}(?:\s*[-–]\s*\d{4})?)?\s*[,.:]?\s*(.+)",
                     re.IGNORECASE)
#: A line crediting the software, theme or host a site is built with ("Forum software by XenForo® © XenForo Ltd.",
#: "Theme by ... © ..."): the vendor owns no site that runs it.
_VENDOR = re.compile(r"\b(?:powered by|software|theme|template|designed by|developed by|plugin|hosted by|hosting)\b",
                     re.IGNORECASE)
#: An ownership line: "A Pinnacle Media station", "A Harbour Newspapers publication", "Part of Harbour Group".
_OWNED = re.compile(r"^(?:an?\s+(.{3,60}?)\s+(?:station|company|publication|newspaper|property|brand|title)"
                    r"|part\s+of\s+(?:the\s+)?(.{3,60}?)(?:\s+(?:group|network|family))?)\s*[.!]?$", re.IGNORECASE)
#: Where a holder's name ends: "All rights reserved", a sentence's or a list's end, an address or a link row.
_HOLDER_END = re.compile(r"\s*(?:\ball rights reserved\b|\btodos los derechos\b|\balle rechte\b|\btous droits\b|"
                         r"\btutti i diritti\b|\btodos os direitos\b|[|·•/;]|\.\s|\s-\s|\s–\s|\d{3,})", re.IGNORECASE)
#: Words that make a name a company's (folded): legal forms and words for media companies, in the lists' languages.
COMPANY_WORDS = frozenset((
    "inc incorporated llc llp ltd limited corp corporation co company plc pty gmbh ag kg sa spa srl sl sas sarl "
    "bv nv ab oy asa doo dd ltda lda group groupe grupo gruppo gruppe media medien medios midia broadcasting "
    "broadcast communications holdings holding networks network publishing publications newspapers verlag "
    "mediengruppe verlagsgruppe editora editorial ediciones edizioni editions radiodifusion televisao television"
).split())
_MAX_WORDS = 8  # an owner's name, not a sentence that mentions copyright
_WORD = re.compile(r"[^\W_]+")


def _company(name: str) -> str | None:
    """``name`` cut to an owner's name when it is a company's (a capitalised name with one of ``COMPANY_WORDS``),
    else None."""
    name = _HOLDER_END.split(name, maxsplit=1)[0].strip(" ,.:-–")
    words = _WORD.findall(fold(name))
    if not words or not name[0].isupper() or len(words) > _MAX_WORDS or COMPANY_WORDS.isdisjoint(words) or not owner_key(name):
        return None
    return name


def owners(view: PageView) -> tuple[str, ...]:
    """The owning companies the page's lines name in a copyright notice or an ownership line, in page order."""
    found: list[str] = []
    for line in view.lines:
        text = line.text
        if len(text) > 300:
            continue
        lowered = text.lower()
        candidates: list[str] = []
        if ("©" in text or "copyright" in lowered or "(c)" in lowered) and not _VENDOR.search(text):
            candidates += [m.group(1) for m in _NOTICE.finditer(text)]
        if lowered.startswith(("a ", "an ", "part of")):
            owned = _OWNED.match(text.strip())
            if owned:
                candidates.append(owned.group(1) or owned.group(2))
        found += [name for name in map(_company, candidates) if name]
    return tuple(dict.fromkeys(found))
