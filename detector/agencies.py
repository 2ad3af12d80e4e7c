"""Which news agencies a page credits for its story: the wire credit that publishers of agency copy print.

Two newspapers running the same AP or dpa story share most of their text, and the one published later is not
a copy of the other: both took it from the agency. ``provenance.direction`` treats two pages that credit the
same agency as siblings. A credit is read where publishers put it, not anywhere in the text (a story may quote
"Reuters reported" without being Reuters copy):

- the byline or author metadata ("Mike Holland, Associated Press", "dpa", "Reuters");
- the dateline tag in the first paragraph (the second, after a headline line) or the tag closing one of the
  last paragraphs ("WASHINGTON (AP) —",
  "Berlin (dpa) -", "... (Reuters)");
- a short credit line among the last paragraphs, opening with a source marker of the phrase lists
  (``features/phrases``: "Source: AFP", "Quelle: dpa", "Fuente: EFE") or a wire credit ("With AFP",
  "Copyright 2024 The Associated Press").
"""

from __future__ import annotations

import re

from detector.records import Article, per_article_cache
from detector.urls import site_label

#: Agency -> names it is credited by. Abbreviations are matched case-sensitively and only as whole words.
AGENCIES: dict[str, tuple[str, ...]] = {
    "AP": ("AP", "Associated Press"),
    "Reuters": ("Reuters", "REUTERS"),
    "AFP": ("AFP", "Agence France-Presse", "Agence France Presse"),
    "dpa": ("dpa", "DPA", "Deutsche Presse-Agentur"),
    "EFE": ("EFE", "Agencia EFE"),
    "Europa Press": ("Europa Press",),
    "ANSA": ("ANSA", "Ansa"),
    "AGI": ("AGI",),
    "Adnkronos": ("Adnkronos", "ADNKRONOS"),
    "Lusa": ("Lusa", "LUSA"),
    "Agência Brasil": ("Agência Brasil",),
    "PA": ("PA", "PA Media", "Press Association"),
    "Bloomberg": ("Bloomberg",),
    "UPI": ("UPI", "United Press International"),
    "CP": ("The Canadian Press", "La Presse Canadienne", "Presse Canadienne"),
    "AAP": ("AAP", "Australian Associated Press"),
    "APA": ("APA",),
    "KNA": ("KNA",),
    "epd": ("epd",),
    "SDA": ("SDA", "Keystone-SDA", "ATS"),
    "Belga": ("Belga", "BELGA"),
    "ANP": ("ANP",),
    "Agerpres": ("Agerpres", "AGERPRES"),
    "Mediafax": ("Mediafax", "MEDIAFAX"),
    "Tanjug": ("Tanjug", "TANJUG", "Танјуг", "ТАНЈУГ"),
    "Beta": ("Beta", "BETA", "Бета", "БЕТА"),
    "FoNet": ("FoNet", "Fonet", "FONET", "ФоНет", "Фонет", "ФОНЕТ"),
    "Hina": ("Hina", "HINA"),
    "Fena": ("Fena", "FENA", "Фена", "ФЕНА"),
    "Srna": ("SRNA", "СРНА"),  # "Srna" and "Mina" are also first names: capitals only
    "MINA": ("MINA", "MINA-business"),
    "ATA": ("ATA",),
    "MIA": ("MIA", "МИА"),
    "BTA": ("BTA", "БТА"),
    "STA": ("STA",),
    "PAP": ("PAP",),
    "ČTK": ("ČTK", "CTK"),
    "MTI": ("MTI",),
    "TASR": ("TASR",),
    "Anadolu": ("Anadolu", "Anadolu Agency", "Anadolu Ajansı", "AA"),
    "DHA": ("DHA", "Demirören Haber Ajansı"),
    "İHA": ("İHA", "İhlas Haber Ajansı"),
    "ANA-MPA": ("ANA-MPA", "ΑΠΕ-ΜΠΕ", "ΑΠΕ"),
    "CNA": ("ΚΥΠΕ",),
    "Xinhua": ("Xinhua",),
    "Kyodo": ("Kyodo",),
    "Yonhap": ("Yonhap",),
    "TASS": ("TASS", "ТАСС", "ИТАР-ТАСС"),
    "RIA Novosti": ("RIA Novosti", "РИА Новости"),
    "Interfax": ("Interfax", "Интерфакс"),
    "Ukrinform": ("Ukrinform", "Укрінформ"),
    "UNIAN": ("UNIAN", "УНІАН"),
    "BelTA": ("BelTA", "БелТА"),
    "PTI": ("PTI",),
    "IANS": ("IANS",),
    "ANI": ("ANI",),
    "Bernama": ("Bernama",),
    "Antara": ("Antara",),
    "Notimex": ("Notimex",),
    "Télam": ("Télam",),
    # The Nordic and Baltic agencies (an outside probe's Swedish paper running a TT story, "ÄLVSTRÄSK (TT)" and
    # "Anna Lund/TT", read as the uncredited copy of another paper's pickup: 0.998), and others of the languages
    # the phrase lists read: Vietnamese, Arabic (credited by their Arabic initials, "(واس)"), Japanese, Latin
    # American.
    "TT": ("TT", "TT Nyhetsbyrån"),
    "NTB": ("NTB",),
    "Ritzau": ("Ritzau", "Ritzaus Bureau"),
    "STT": ("STT", "STT-FNB"),
    "BNS": ("BNS",),
    "ELTA": ("ELTA",),
    "LETA": ("LETA",),
    "VNA": ("TTXVN", "VNA", "Thông tấn xã Việt Nam"),
    "MENA": ("MENA", "أ ش أ"),
    "SPA": ("واس",),
    "WAM": ("WAM", "وام"),
    "QNA": ("QNA", "قنا"),
    "KUNA": ("KUNA", "كونا"),
    "SANA": ("SANA", "سانا"),
    "Jiji": ("Jiji Press", "Jiji"),
    "Prensa Latina": ("Prensa Latina",),
    "Andina": ("Andina",),
    "LaPresse": ("LaPresse",),
    "Italpress": ("Italpress",),
    # Moldova's and francophone Africa's (an outside probe's Moldpres story, run by two papers, read as one's
    # uncredited copy of the other: content_farm, 0.999), Morocco's, Tunisia's.
    "Moldpres": ("Moldpres", "MOLDPRES"),
    "IPN": ("IPN",),
    "Infotag": ("Infotag", "INFOTAG"),
    "APS": ("APS", "Algérie Presse Service", "Agence de Presse Sénégalaise"),
    "AIP": ("AIP", "Agence Ivoirienne de Presse"),
    "MAP": ("MAP", "Maghreb Arabe Presse"),
    "TAP": ("TAP", "Tunis Afrique Presse"),
    # English-language Africa's and South Asia's (an outside probe's "Source: GNA" pickup of a Ghana News Agency
    # story read as the uncredited copy of a farm's earlier run, content_farm 0.999; alone, as a farm's source line)
    "GNA": ("GNA", "Ghana News Agency"),
    "NAN": ("NAN", "News Agency of Nigeria"),
    "Kenya News Agency": ("Kenya News Agency",),  # "KNA" alone is read as the German KNA: the same verdicts
    "ENA": ("ENA", "Ethiopian News Agency"),
    "APP": ("APP", "Associated Press of Pakistan"),
    "BSS": ("BSS", "Bangladesh Sangbad Sangstha"),
    "UNB": ("UNB", "United News of Bangladesh"),
    "UNI": ("UNI", "United News of India"),
    "PNA": ("PNA", "Philippine News Agency"),
}

#: Agency -> the registered domains of its own news sites (where its stories appear under its own name).
AGENCY_DOMAINS: dict[str, tuple[str, ...]] = {
    "AP": ("apnews.com", "ap.org"), "Reuters": ("reuters.com",), "AFP": ("afp.com",), "dpa": ("dpa.com",),
    "EFE": ("efe.com",), "Europa Press": ("europapress.es",), "ANSA": ("ansa.it",), "AGI": ("agi.it",),
    "Adnkronos": ("adnkronos.com",), "Lusa": ("lusa.pt",), "PA": ("pa.media",), "Bloomberg": ("bloomberg.com",),
    "UPI": ("upi.com",), "CP": ("thecanadianpress.com",), "AAP": ("aap.com.au",), "APA": ("apa.at",),
    "SDA": ("keystone-sda.ch",), "Belga": ("belganewsagency.eu",), "ANP": ("anp.nl",), "Agerpres": ("agerpres.ro",),
    "Mediafax": ("mediafax.ro",), "Tanjug": ("tanjug.rs",), "Beta": ("beta.rs",), "FoNet": ("fonet.rs",),
    "Hina": ("hina.hr",), "Fena": ("fena.ba",), "Srna": ("srna.rs",), "MINA": ("mina.news",), "MIA": ("mia.mk",),
    "BTA": ("bta.bg",), "STA": ("sta.si",), "PAP": ("pap.pl",), "ČTK": ("ctk.cz",), "MTI": ("mti.hu",),
    "TASR": ("tasr.sk",), "Anadolu": ("aa.com.tr",), "DHA": ("dha.com.tr",), "İHA": ("iha.com.tr",),
    "ANA-MPA": ("amna.gr",), "Xinhua": ("xinhuanet.com", "news.cn"), "Kyodo": ("kyodonews.net",),
    "Yonhap": ("yna.co.kr",), "TASS": ("tass.com", "tass.ru"), "RIA Novosti": ("ria.ru",),
    "Interfax": ("interfax.com", "interfax.ru"), "Ukrinform": ("ukrinform.net", "ukrinform.ua"),
    "UNIAN": ("unian.net", "unian.ua"), "BelTA": ("belta.by",), "PTI": ("ptinews.com",), "IANS": ("ians.in",),
    "ANI": ("aninews.in",), "Bernama": ("bernama.com",), "Antara": ("antaranews.com",), "Télam": ("telam.com.ar",),
    "TT": ("tt.se",), "NTB": ("ntb.no",), "Ritzau": ("ritzau.dk",), "STT": ("stt.fi",), "ELTA": ("elta.lt",),
    "LETA": ("leta.lv",), "VNA": ("vnanet.vn",), "MENA": ("mena.org.eg",), "SPA": ("spa.gov.sa",), "WAM": ("wam.ae",),
    "QNA": ("qna.org.qa",), "KUNA": ("kuna.net.kw",), "SANA": ("sana.sy",), "Jiji": ("jiji.com",),
    "Prensa Latina": ("prensa-latina.cu",), "Andina": ("andina.pe",), "LaPresse": ("lapresse.it",),
    "Italpress": ("italpress.com",), "Moldpres": ("moldpres.md",), "IPN": ("ipn.md",), "Infotag": ("infotag.md",),
    "APS": ("aps.dz", "aps.sn"), "AIP": ("aip.ci",), "MAP": ("mapexpress.ma",), "TAP": ("tap.info.tn",),
    "GNA": ("gna.org.gh",), "NAN": ("nannews.ng",), "Kenya News Agency": ("kenyanews.go.ke",), "ENA": ("ena.et",),
    "APP": ("app.com.pk",), "BSS": ("bssnews.net",), "UNB": ("unb.com.bd",), "UNI": ("uniindia.com",),
    "PNA": ("pna.gov.ph",),
}
_AGENCY_OF_DOMAIN = {domain: agency for agency, domains in AGENCY_DOMAINS.items() for domain in domains}


def agency_of_domain(domain: str | None) -> str | None:
    """The news agency whose own site ``domain`` (a registered domain) is, if any."""
    return _AGENCY_OF_DOMAIN.get(domain or "")


_NAMES = {name: agency for agency, names in AGENCIES.items() for name in names}
_NAME = "|".join(re.escape(n) for n in sorted(_NAMES, key=len, reverse=True))
_AGENCY_NAME = re.compile(rf"(?<![\w-])({_NAME})(?![\w-])")
#: "(AP)", "(dpa/AFP)", "(Reuters) -": a parenthesised tag of agency names only; or one between slashes, as
#: Albanian, Romanian and Serbian datelines write it ("TIRANË, 12 shkurt /ATA/ –", "București, 7 nov /Agerpres/ -").
_TAG = re.compile(rf"\(\s*((?:{_NAME})(?:\s*[/,;&]\s*(?:{_NAME}))*)\s*\)"
                  rf"|(?<![\w/:])/\s*((?:{_NAME})(?:\s*[,;&]\s*(?:{_NAME}))*)\s*/(?![\w/])")
#: Wire-credit openings the phrase lists do not hold as source markers ("With AFP", "Copyright 2024 The AP").
_WIRE_CREDIT_START = re.compile(r"^[^\w©]*(?:©|(?:with|avec|copyright)\b)", re.I)
_SOURCE_MARKER = frozenset({"source_marker"})
LAST_PARAGRAPHS = 3
HEADLINE_CHARS = 150  # a first "paragraph" this short is a headline or kicker: the dateline may follow it
CREDIT_LINE_CHARS = 100


#: A credited name made of agency names only: "dpa", "AFP/Reuters", "Agencia EFE", "dpa & AFP".
_ONLY_AGENCIES = re.compile(rf"\s*(?:{_NAME})(?:\s*(?:[/,;&+]|\band\b|\bund\b|\by\b|\bet\b|\bi\b|\be\b)\s*(?:{_NAME}))*[\s.]*")


#: A news agency by its name, whatever agency it is: "Agencia Centinela", "Agence Bretagne Presse", "Hina News
#: Agency", "Nachrichtenagentur X", "Agjencia Telegrafike", "Novinska agencija X", "Indo-Asian Wire Service", "X
#: News Service" (a syndication service's). An agency writes to be reprinted.
_AGENCY_WORD = re.compile(  # "Zentral-Nachrichten-Agentur" too
    r"(?i)(?<![\w])(?:agencia|agência|agence|agency|agentur|nachrichtenagentur|presseagentur|agenzia|agenția|"
    r"press association|agentia|agjencia|agencija|agencja|агенција|агенция|wire service|news service|newswire)(?![\w-])")
#: A domain label naming an agency: ``agenciacentinela``, ``agencenord``.
_AGENCY_LABEL = re.compile(r"(?i)^(?:agencia|agence|agenzia|agentia|agjencia|agencija)[a-z0-9-]{3,}$")
GENERIC_AGENCY_WORDS = 5  # a credited name longer than this is a sentence, not an agency's name


def is_agency_credit(name: str) -> bool:
    """Whether a credited name is one or more news agencies and nothing else ("Tanjug", "dpa/AFP", or any
    "Agencia X"/"X News Agency"): the credit publishers of wire copy print, which says nothing against the page
    (``features.attribution``)."""
    name = name.strip().lstrip("@")
    if " " not in name and _AGENCY_LABEL.match(name.lower().removeprefix("www.").split(".")[0]):
        return True  # "agenciacentinela.mx"
    return bool(_ONLY_AGENCIES.fullmatch(name)) or (
        len(name.split()) <= GENERIC_AGENCY_WORDS and bool(_AGENCY_WORD.search(name))) or _unnamed_agencies(name)


def _unnamed_agencies(name: str) -> bool:
    """Whether a credit is to agencies left unnamed, alone or beside named ones ("(With inputs from agencies)",
    "PTI and agencies", "Redacción con agencias" is a newsroom's and is not)."""
    if not _AGENCIES_BYLINE.search(name):  # most names: no regex split
        return False
    parts = split_names(name)
    return (any(_AGENCIES_BYLINE.fullmatch(p) for p in parts)
            and all(_AGENCIES_BYLINE.fullmatch(p) or _ONLY_AGENCIES.fullmatch(p) for p in parts))


def is_agency_site(article: Article) -> bool:
    """Whether a page is a news agency's own (a known agency's domain, or a site named as one: "Agencia
    Centinela", agenciacentinela.mx), whose stories other papers reprint under its credit; or a site whose own
    story opens with a dateline tagged with its own name or initials ("MANILA (PAW) —" on the Pan-Asia Wire's
    site): the wire's mark, which a paper's own reporting does not carry (an outside probe's pickup of such an
    agency's story, crediting it, read as its credited copy, suspicious once the agency's page was indexed)."""
    return bool(agency_of_domain(article.domain)) or is_agency_credit(article.sitename or "") or (
        bool(article.domain) and is_agency_credit(article.domain)) or _tags_itself(article)


def _tags_itself(article: Article) -> bool:
    """Whether the page's opening dateline carries its own site's tag (``names_site``)."""
    return bool(article.sitename or article.domain) and any(names_site(key, article) for key in dateline_keys(article))


def _agencies_in(text: str) -> set[str]:
    return {_NAMES[m.group(1)] for m in _AGENCY_NAME.finditer(text)}


def _tagged(paragraph: str) -> set[str]:
    found: set[str] = set()
    for tag in _TAG.finditer(paragraph):
        found |= _agencies_in(tag.group(1) or tag.group(2))
    return found


def _is_credit_line(line: str) -> bool:
    """Whether a short line opens with a source marker of the packaged phrase lists ("Source:", "Quelle:",
    "Fuente:", "Burimi:" ...) or with a wire credit ("With AFP", "Copyright ... The Associated Press")."""
    if _WIRE_CREDIT_START.match(line):
        return True
    from features.phrases import fold, phrasebook, tokenize  # data of the features package, read lazily

    tokens = tokenize(fold(line))
    lead = next((i for i, t in enumerate(tokens) if t[0].isalnum()), len(tokens))  # skip leading "-", "("
    return any(hit.start == lead for hit in phrasebook().find(tokens, _SOURCE_MARKER))


#: Short lines that may stand above a story's first paragraph in extracted text: a section label, a headline, a
#: standfirst, a byline, a place (an outside probe's agency pickup had five above its "JAÉN, 4 Nov. (AIN) -").
OPENING_LINES = 7


def _opening(article: Article, after_standfirst: bool = False) -> tuple[str, ...]:
    """The paragraphs a dateline may open: the first paragraph of text and the short lines above it (headline,
    section label, date: an AMP page's text had "España" and its headline above "Ávila, 3 mar (EFE).-", and its
    EFE story went unread as wire copy), at most ``OPENING_LINES``; ``after_standfirst``: the paragraph after it
    too, for a strict dateline (a pickup's "PORTO (TSOS) —" under its standfirst went unread as a credit)."""
    paragraphs = article.text_paragraphs()[:OPENING_LINES]
    first = next((i for i, p in enumerate(paragraphs) if len(p) >= HEADLINE_CHARS), len(paragraphs) - 1)
    return tuple(paragraphs[: first + 1 + after_standfirst])


#: What joins the names of a byline or a shared credit: "Jane Roe, Valley Herald", "Anna Berg und Tom Ulm", and,
#: written in lowercase only (a name may be "Con Coughlin"), "with": "(FR mit dpa)", "Jane Roe with Reuters".
_NAME_JOINERS = re.compile(r"\s*(?:[,;|/&·+]|\band\b|\bund\b|\by\b|\bet\b|\bi\b|\be\b"
                           r"|(?-i:\b(?:mit|with|con|avec|com|cu|me|sa)\b))\s*", re.I)
#: Words opening a byline, by language ("By", "Von", "Por", "Par", "Di", "Nga", "Od", "Piše", "Autor", "Yazan"),
#: a colon after them allowed; "Written by" too.
BYLINE_WORDS = frozenset(
    "by von por par di de nga od piše pise пише autor autores autorka autore auteur autora yazan από".split())
_BY = re.compile(rf"^\s*(?:written\s+by|{'|'.join(sorted(BYLINE_WORDS, key=len, reverse=True))})\s*:?\s+", re.I)


def split_names(text: str) -> list[str]:
    """The names a credit joins (``_NAME_JOINERS``), blanks left out."""
    return [part for part in (p.strip() for p in _NAME_JOINERS.split(text)) if part]


def after_byline_word(text: str) -> str | None:
    """What follows a byline's opening word ("By Gordon Pyle" -> "Gordon Pyle"), None when ``text`` opens with none."""
    found = _BY.match(text)
    return text[found.end():] if found else None


def byline_names(author: str | None) -> list[str]:
    """The names a byline gives ("By Jane Roe, Valley Herald" -> "Jane Roe", "Valley Herald"): a wire reprint is
    bylined with its agency, a syndicated story often with its outlet. An outside probe's reprint bylined "By
    Continental Press Agency", an agency no list knows, was read as an uncredited copy of the agency's page; a
    wire byline prints the writer in capitals before the agency ("By TOM LARKIN Cascade Regional Press": probe 54's
    agency pickup read as the agency's uncredited copy)."""
    if not author:
        return []
    parts = split_names(_BY.sub("", author))
    return [name for part in parts for name in _writer_then_outlet(part) if len(name) > 2]


def _writer_then_outlet(part: str) -> list[str]:
    """A byline part as its writer in capitals and the outlet after it ("TOM LARKIN Cascade Regional Press", "ANA
    COSTA pv magazine"), else the part itself. An outlet in capitals after the writer ("JOÃO COSTA FDP
    Bundestagsfraktion") cannot be told from the writer's third name, so each split after two words is offered."""
    words = part.split()
    caps = next((i for i, w in enumerate(words) if not (len(w) > 1 and w.isupper())), len(words))
    if 2 <= caps < len(words):
        return [" ".join(words[:caps]), *(" ".join(words[i:]) for i in range(2, caps + 1))]
    return [part]


@per_article_cache(maxsize=1024)
def wire_agencies(article: Article) -> frozenset[str]:
    """The agencies ``article`` credits in its byline, dateline tag or closing credit line (see the module)."""
    found: set[str] = set()
    if article.author:
        found |= _agencies_in(article.author)
    for paragraph in _opening(article):
        found |= _tagged(paragraph[:200])
    for paragraph in article.text_paragraphs()[-LAST_PARAGRAPHS:]:
        line = " ".join(paragraph.split())
        found |= _tagged(line[-60:])
        if len(line) <= CREDIT_LINE_CHARS:
            if _is_credit_line(line):
                found |= _agencies_in(line)
            elif line.strip("()-–— .") in _NAMES:
                found.add(_NAMES[line.strip("()-–— .")])
    return frozenset(found)


# --- any agency, listed or not -----------------------------------------------------------------------------
#: Words that name what a credited body is, not which one: "Meridian Press Agency", "Meridian Staff" and
#: "(Meridian)" are one agency's credits, keyed ``meridian``.
_GENERIC_WORDS = frozenset(
    "the press news agency agencia agência agence agentur nachrichtenagentur presseagentur agenzia agenția agentia "
    "agjencia agencija agencja агенција агенция wire newswire service services staff media group international "
    "de del da do des der die la le el "
    # a newsroom's own desk or role, not a body's name: "Staff Writer", "Web Desk", "Redacción" (an outside probe:
    # a farm keeping the original's "Staff Writer" byline was read as running the same wire story)
    "writer writers reporter reporters correspondent correspondents contributor contributors editor editors "
    "editorial desk web online digital team newsroom report reports redacción redaccion redação redacao redaktion "
    "rédaction redaction redakcija redazione redactie redakce redakcja".split())
#: A dateline's parenthesised credit at the opening of a story: "LISBON (Meridian) —", "Berlin (dpa) -"; or one
#: between slashes, as Romanian, Moldovan, Albanian and Serbian datelines write it: "Chișinău, 11 noiembrie
#: /MOLDPRES/." (an outside probe's two runs of a Moldpres story read as one's uncredited copy of the other).
_DATELINE = re.compile(r"^[^\W\d_][^()\n]{0,40}?\(\s*([^\W\d_][\w&.'’ /-]{0,40}?)\s*\)\s*\.?\s*[—–-]"
                       r"|^[^\W\d_][^()/\n]{0,40}?(?<![\w:.])/\s*([^\W\d_][\w&.'’ -]{0,40}?)\s*/\s*[.:—–-]")
#: Domain labels are written without spaces: "meridianpress" is keyed ``meridian`` once these are cut off its end.
_LABEL_SUFFIXES = ("newsagency", "agency", "press", "news", "wire", "media")
_STAFF = re.compile(r"(?i)\b(?:staff|wire|desk|redacción|redaktion|rédaction|redação|redakcija)\b")


def agency_key(name: str) -> str:
    """A credited body's name without the words that only say what it is ("Meridian Press Agency": meridian);
    empty when nothing else is left ("Staff Writer", "Redacción") or only a letter or two."""
    words = [w for w in re.findall(r"[^\W_]+", name.lower()) if w not in _GENERIC_WORDS]
    key = " ".join(words)
    return key if len(key.replace(" ", "")) >= 3 else ""


def site_keys(article: Article) -> frozenset[str]:
    """The keys (``agency_key``) a page's own site goes by: its site name, and its domain's label with a
    trailing "press", "news"... cut off."""
    keys = {agency_key(article.sitename or "")}
    label = site_label(article.domain) if article.domain else ""
    keys.add(label)
    for suffix in _LABEL_SUFFIXES:
        if label.endswith(suffix) and len(label) > len(suffix) + 2:
            keys.add(label[: -len(suffix)])
    return frozenset(k for k in keys if k)


def wire_keys(article: Article) -> frozenset[str]:
    """Keys (``agency_key``) of the agencies ``article`` runs a story of, listed or not: those it states
    (``stated_wire_keys``) and a dateline's tag ("LISBON (Meridian) —"). A dateline also tags a publisher's own
    stories ("HOUSTON (KTRK) --", a TV station's call letters), so a tag alone makes no two pages siblings
    (``shared_agency``); it does tie a page to an agency's own page (``runs_agency_story``)."""
    return stated_wire_keys(article) | dateline_keys(article)


#: An acronym standing as a name ("AIN", "DNM"): an agency's tag, credited or in a dateline.
ACRONYM = re.compile(r"[A-ZÀ-Ý]{2,6}")


@per_article_cache(maxsize=1024)
def stated_wire_keys(article: Article) -> frozenset[str]:
    """Keys (``agency_key``) of the agencies ``article`` states it runs a story of: the listed agencies it credits
    (``wire_agencies``), a credit line naming an agency ("Source: Meridian Press Agency", ``Article.credited``) and
    an agency or desk byline ("By Meridian Staff", "Ana Costa, Meridian Press Agency", or the tag of its own
    dateline: "AAN" over "LUANDA (AAN) —"), with the initials of the names given in full. A regional agency on no
    list is credited as the big ones are; papers running its story are its siblings, not copies of one another
    (an outside probe saw three flagged as content farms)."""
    keys = {name.lower() for name in wire_agencies(article)}  # a listed agency by its name ("AP" too)
    # a credited acronym is an agency's tag too ("(DNM)" closing a story another paper runs under "OBERSTAUFEN (DNM)
    # –": an outside probe's two pickups read as each other's copies); one naming either page's site is no third
    # party (``shared_agency``); so is a credit naming the tag of the page's own dateline ("Sursa: MOLDPRES" under
    # "Chișinău, 11 noiembrie /MOLDPRES/.": an outside probe's two runs of an agency story read as copies)
    tags = dateline_keys(article)
    names = [n for n in article.credited
             if is_agency_credit(n) or ACRONYM.fullmatch(n.strip()) or agency_key(n) in tags]
    names += [part for part in byline_names(article.author)
              if is_agency_credit(part) or _STAFF.search(part) or agency_key(part) in tags]
    keys.update(agency_key(n) for n in names)
    # an agency named in full goes by its initials too ("Agência Atlântica de Notícias" is AAN): two outside
    # probes' pickups, one bylined with the full name and one with "AAN", read as each other's copies
    keys.update(short for n in names for short in acronyms(n))
    return frozenset(k for k in keys if k)


def named_agency_keys(article: Article) -> frozenset[str]:
    """Keys (``agency_key``) of the bodies named as agencies ("Lakeline Content Agency", "Agencia Centinela") that
    the page's credit lines or byline credit, and of the acronyms its credit lines give as their whole credit
    ("Source: SNA", "(With inputs from IWS)"): a distributor's or a wire's credit. An acronym in a byline is not
    one (a desk's "NEC Web Desk", a writer's initials)."""
    names = [n for n in byline_names(article.author) if is_agency_credit(n)]
    names += [n for n in article.credited if is_agency_credit(n) or ACRONYM.fullmatch(n.strip())]
    return frozenset(k for k in map(agency_key, names) if k)


@per_article_cache(maxsize=1024)
def dateline_keys(article: Article) -> frozenset[str]:
    """Keys (``agency_key``) of the tags of the datelines opening the page's text ("MANILA (PAW) —": paw)."""
    return frozenset(k for k in map(agency_key, dateline_tags(article)) if k)


def dateline_tags(article: Article) -> tuple[str, ...]:
    """The tags of the datelines opening the text: "ASHGROVE (CRP) —" gives "CRP", an agency's EFE-style "San
    Evaristo, 5 mar (AAN).-" "AAN", a dpa-style "Falkenau (zna) -" "zna" (an outside probe's pickups of three
    agencies on no list read as their uncredited copies: the tags went unread)."""
    tags = (_DATELINE.match(paragraph[:120]) for paragraph in _opening(article, after_standfirst=True))
    return tuple(dict.fromkeys(tag.group(1) or tag.group(2) for tag in tags if tag is not None))


def names_site(key: str, article: Article) -> bool:
    """Whether a credited body's key names the page's own site: its site name or domain label, a word of either
    ("herald" of the Daily Herald at dailyherald.com, "meridian" of meridianpress.org), or its site name's
    initials ("avp" of the Agence Vauclair Presse)."""
    joined = key.replace(" ", "")
    for site in site_keys(article):
        if key == site or f" {key} " in f" {site} " or (" " not in site and len(joined) >= 4 and joined in site):
            return True
    return " " not in key and 2 <= len(key) <= 6 and bool(article.sitename) and key in initials(article.sitename)


#: Words a name's initials leave out: "Agencia Ibérica de Noticias" is AIN, "Bosnia and Herzegovina News" BHN.
_LINK_WORDS = frozenset("de del della delle di da do dos das des du e et y i und and of for für za na u në të".split())


def initials(name: str) -> set[str]:
    """A name's acronyms, folded (``features.phrases.fold``: lowercase, no diacritics): the initials of all its
    words, and of its words but the linking ones."""
    from features.phrases import fold  # data of the features package, read lazily

    words = re.findall(r"[^\W\d_]+", fold(name))
    return {"".join(w[0] for w in words), "".join(w[0] for w in words if w not in _LINK_WORDS)} - {""}


def acronyms(name: str) -> set[str]:
    """A name's ``initials`` of three letters or more: what an agency named in full goes by ("Pan-Asia Wire": paw;
    "Agência Atlântica de Notícias": aan)."""
    return {short for short in initials(name) if len(short) >= 3}


def shared_agency(this: Article, other: Article) -> str | None:
    """The key of an agency both pages run a story of, one of them stating it (not by a dateline alone), when it
    names neither page's own site (a copy of a paper's own "Herald Staff" story keeps that byline: no third
    party), else None."""
    both = (wire_keys(this) & stated_wire_keys(other)) | (stated_wire_keys(this) & wire_keys(other))
    shared = [k for k in both if not names_site(k, this) and not names_site(k, other)]
    return min(shared) if shared else None


#: A byline crediting wire copy without naming the agency: "Staff and agencies", "Redacción con agencias".
_AGENCIES_BYLINE = re.compile(r"(?i)(?<![\w])(?:agencies|agencias|agências|agences|agenzie|agenturen|agencije|agencji|"
                              r"agjencitë|agjenci|agenții|agentii)(?![\w])")


def runs_agency_story(page: Article, agency_site: Article) -> bool:
    """Whether ``page`` credits, as wire copy, the news agency whose own site ``agency_site`` is (listed, or a
    site named as an agency: "Meridian Press Agency"), by its name or tag, or by a byline crediting agencies
    unnamed ("Staff and agencies": an outside probe's quality paper read as the agency's uncredited copy)."""
    if not is_agency_site(agency_site):
        return False
    if page.author and len(page.author) <= CREDIT_LINE_CHARS and _AGENCIES_BYLINE.search(page.author):
        return True
    return any(names_site(k, agency_site) for k in wire_keys(page) if not names_site(k, page))
