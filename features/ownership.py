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
from bisect import bisect_right
from itertools import accumulate

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
#: An ownership line, or one opening a footer line: "A Pinnacle Media station", "Part of the Wessex & Severn
#: Newspapers group", "X is a member of Shannonside Regional Media", "Published by Harbour Newspapers Ltd", "Ein
#: Angebot der Mediengruppe Nordland" (an outside probe's sister titles named their group so, and were read as one
#: another's uncredited copies). The name opens with a capital.
_LEADS = (r"part of|a member of|published by|owned by|operated by|a division of|a subsidiary of|ein angebot der|"
          r"ein angebot von|teil der|eine marke der|herausgegeben von|una publicaci[oó]n de|un medio de|parte del?|"
          r"empresa del?|empresa d[oa]|um ve[ií]culo d[oa]|uma publica[cç][aã]o d[oa]|une publication d[eu]|"
          r"un m[ée]dia d[eu]|fait partie d[eu]|membre d[eu]|una testata d[ei]l?|fa parte d[ei]l?|propriedade d[aeo]|"
          r"propiedad de|propri[ée]t[ée] d[eu]|di propriet[aà] d[ei]l?")
_OWNED = re.compile(r"^(?i:an?)\s+([A-ZÀ-Ý][^.|·•;]{2,60}?)\s+(?i:station|company|publication|newspaper|property|brand|"
                    r"title|website|site)\b"
                    rf"|(?i:\b(?:{_LEADS}))\s+(?:the\s+|el\s+|la\s+|o\s+|a\s+|le\s+|il\s+)?([A-ZÀ-Ý][^.|·•;©—–]{{2,60}})")
#: What a line naming an owner holds, folded: a notice's mark or an ownership line's lead (``_LEADS``); each is
#: looked for once in the whole page's folded text, so the lines holding none are never read one by one (a regular
#: expression of every lead, run over the page, cost more than all the rest).
_CUES = ("©", "(c)", "copyright", "part of", "member of", "published by", "owned by", "operated by", "division of",
         "subsidiary of", "angebot der", "angebot von", "teil der", "marke der", "herausgegeben von", "publicacion de",
         "medio de", "parte d", "empresa d", "veiculo d", "publicacao d", "publication d", "media d", "partie d",
         "membre d", "testata d", "propriedade d", "propiedad de", "propriete d", "proprieta d")


#: Where a holder's name ends: "All rights reserved", a sentence's or a list's end, an address or a link row.
_HOLDER_END = re.compile(r"\s*(?:\ball rights reserved\b|\btodos los derechos\b|\balle rechte\b|\btous droits\b|"
                         r"\btutti i diritti\b|\btodos os direitos\b|[|·•/;]|\.\s|\s-\s|\s–\s|\d{3,}|,\s*\d)",
                         re.IGNORECASE)
#: Words that make a name a company's (folded): legal forms and words for media companies, in the lists' languages.
COMPANY_WORDS = frozenset((
    "inc incorporated llc llp ltd limited corp corporation co company plc pty gmbh ag kg sa spa srl sl sas sarl "
    "bv nv ab oy asa doo dd ltda lda dac group groupe grupo gruppo gruppe media medien medios midia broadcasting "
    "broadcast communications multimedios multimedia comunicacion comunicaciones comunicacao comunicacoes "
    "comunicazione holdings holding networks network publishing publications newspapers verlag "
    "mediengruppe verlagsgruppe editora editorial ediciones edizioni editions radiodifusion televisao television"
).split())
_PARTS = re.compile(r"\s+[·•—–]\s+")  # the parts of a notice naming more than one body (a "|" row is links)
_MAX_WORDS = 8  # an owner's name, not a sentence that mentions copyright
_WORD = re.compile(r"[^\W_]+")


def _company(name: str) -> str | None:
    """``name`` cut to an owner's name when it is a company's (a capitalised name with one of ``COMPANY_WORDS``),
    else None."""
    name = _HOLDER_END.split(name, maxsplit=1)[0].strip(" ,.:-–")
    words = _WORD.findall(fold(name))
    if (not words or not name[0].isupper() or len(words) > _MAX_WORDS or COMPANY_WORDS.isdisjoint(words)
            or not owner_key(name)):
        return None
    return name


def owners(view: PageView) -> tuple[str, ...]:
    """The owning companies the page's lines outside its story name in a copyright notice or an ownership line, in
    page order."""
    lines = view.lines
    folded = "\n".join(line.norm for line in lines)
    starts = list(accumulate((len(line.norm) + 1 for line in lines[:-1]), initial=0))
    cued = {i for i, line in enumerate(lines) if line.norm.startswith(("a ", "an "))}
    for cue in _CUES:
        at = folded.find(cue)
        while at >= 0:
            cued.add(bisect_right(starts, at) - 1)
            at = folded.find(cue, at + 1)
    found: list[str] = []
    story = view.article.text
    for text in (lines[i].text for i in sorted(cued)):
        if len(text) > 300 or text in story:  # the story's own sentences name companies; a copy carries them too
            continue
        lowered = text.lower()
        candidates: list[str] = []
        if ("©" in text or "copyright" in lowered or "(c)" in lowered) and not _VENDOR.search(text):
            # each part of a notice that lists the site and its owner ("© 2026 La Voz · Grupo Editorial X S.A.");
            # an ownership line inside it is read as one, below
            candidates += [part for m in _NOTICE.finditer(text) for part in _PARTS.split(m.group(1).split("|")[0])
                           if not _OWNED.search(part)]
        candidates += [m.group(1) or m.group(2) for m in _OWNED.finditer(text.strip())]
        found += [name for name in map(_company, candidates) if name]
    return tuple({owner_key(name): name for name in reversed(found)}.values())[::-1]  # one name per owner, the first
