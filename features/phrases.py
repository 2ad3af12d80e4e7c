"""Phrase lists of content-farm boilerplate, loaded from per-language TOML data files, and their matcher.

The data lives in ``features/phrases/<lang>.toml`` (one file per language, a ``[phrases]`` table of
category -> list of phrasings). Matching is done on *folded* text (lowercased, diacritics stripped, curly
quotes and dashes made plain) split into tokens (runs of word characters, or single punctuation marks), so a
match is always on word boundaries and insensitive to case and accents: ``"Kërkesa"`` matches ``"kerkesa"``.

A phrasing is a sequence of tokens; two tokens are special: ``...`` is a gap of up to ``MAX_GAP`` tokens
and ``{n}`` matches any number. Phrases are indexed by their first two tokens, so one pass over a text's
tokens finds every phrase of every category and language at once (the cost hardly grows with the lists).

Example:
    >>> book = phrasebook()
    >>> sorted({h.category for h in book.find(tokenize(fold("To join the group, just click: Join Group")))})
    ['join_group', 'promo_cta']
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from itertools import compress, count, islice
from operator import not_
from pathlib import Path

PHRASE_DIR = Path(__file__).with_name("phrases")
CATEGORIES: tuple[str, ...] = (
    "promo_cta",
    "join_group",
    "share_widget",
    "related_heading",
    "subscribe_push",
    "source_marker",
    "read_more",
    "reports_that",
    "clickbait",
    "superlative",
    "syndication_credit",
    "press_release",
    "release_marks",
    "site_utility",
    "ai_leftover",
    "stop_words",
    "person_titles",
    "public_bodies",
    "media_nouns",
    "pronouns",
)
# Categories kept as word sets, read one word at a time, not indexed as phrases (stop words would match almost
# every token; a title of a person is read on the first word of a name).
WORD_SET_CATEGORIES = frozenset({"stop_words", "person_titles", "public_bodies", "media_nouns", "pronouns"})
GAP = "..."
NUMBER = "{n}"
MAX_GAP = 8
SEPARATOR = "\n"  # put between lines when searching many lines at once; no phrase or gap spans it

TOKEN_PATTERN = r"\w+|[^\w\s]"
_TOKEN = re.compile(TOKEN_PATTERN)
_PLAIN = {
    "\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u0060": "'", "\u00b4": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2013": "-", "\u2014": "-", "\u2212": "-", "\u00a0": " ", "\u2026": ".",
}
#: ``str.translate`` table of ``_PLAIN`` alone: typographic quotes and dashes made plain, case kept.
PLAIN_PUNCTUATION = str.maketrans(_PLAIN)


class _FoldTable(dict[int, str]):
    """``str.translate`` table that folds one character to exactly one character, filled on demand.

    Keeping the length unchanged means offsets and tokens of the folded text line up with the original.
    """

    def __missing__(self, code: int) -> str:
        char = chr(code)
        folded = _PLAIN.get(char)
        if folded is None:
            base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)).lower()
            if len(base) == 1:
                folded = base
            else:
                lower = char.lower()
                folded = lower if len(lower) == 1 else char
        self[code] = folded
        return folded


_FOLD_TABLE = _FoldTable()


# Runs of characters other than ASCII-without-backtick: the only ones whose folding is not plain lowercasing.
_NOT_PLAIN_ASCII = re.compile(r"([^\x00-\x5f\x61-\x7f]+)")


def fold(text: str) -> str:
    """Lowercase ``text``, strip its diacritics and plain its quotes, keeping its length (NFC input assumed).

    An all-ASCII text is only lowercased (a backtick stays). Otherwise every character goes through the fold
    table; as the table lowercases ASCII letters and keeps other ASCII characters but the backtick, only the
    runs of other characters are translated (``str.translate`` is slow per character), the rest lowercased.
    """
    if text.isascii():
        return text.lower()
    parts = _NOT_PLAIN_ASCII.split(text)
    parts[0::2] = [p.lower() for p in parts[0::2]]
    parts[1::2] = [p.translate(_FOLD_TABLE) for p in parts[1::2]]
    return "".join(parts)


def fold_many(texts: list[str]) -> list[str]:
    """``[fold(t) for t in texts]`` for texts without a newline, with one ``fold`` call for all non-ASCII texts.

    ``fold`` of a non-ASCII text maps each character on its own and keeps newlines, so those texts joined by
    newlines fold to their folds joined; the ASCII ones are lowercased one by one, as ``fold`` does (joining
    them too would turn their backticks into quotes, and send them through the slower character map).
    """
    plain = list(map(str.isascii, texts))
    if all(plain):
        return list(map(str.lower, texts))
    others = iter(fold("\n".join(compress(texts, map(not_, plain)))).split("\n"))
    return [text.lower() if ascii_only else next(others) for text, ascii_only in zip(texts, plain)]


def tokenize(folded: str) -> list[str]:
    """Tokens of a (folded) text: runs of word characters and single punctuation marks."""
    return _TOKEN.findall(folded)


def token_start(folded: str, index: int) -> int:
    """Where token ``index`` of ``tokenize(folded)`` starts in ``folded`` (0 past the last): a phrase hit's token
    offset as a character offset, which ``fold`` keeps for the text it folded."""
    found = next(islice(_TOKEN.finditer(folded), index, None), None)
    return found.start() if found else 0


#: Marks opening a quotation that ``fold`` leaves as they are: single quotes (one is also an apostrophe, so it
#: only counts right before the quoted words) and the angled and low single ones.
_SINGLE_OPENINGS = frozenset("'‚‹")


def in_quotation(tokens: list[str] | tuple[str, ...], start: int) -> bool:
    """Whether token ``start`` of a folded line stands inside a quotation opened before it on the line: after an odd
    number of double quotes (``fold`` makes every double quotation mark, "“„«»", a plain one), or right after a
    single opening mark. A phrase a sentence quotes as an example is not the page's own line: a report on farms
    quoting their source line or a chatbot's leftover."""
    return tokens[:start].count('"') % 2 == 1 or (start > 0 and tokens[start - 1] in _SINGLE_OPENINGS)


_STREAM = re.compile(TOKEN_PATTERN + "|" + SEPARATOR)


def token_stream(folded: list[str]) -> tuple[list[str], list[int]]:
    """Tokens of many folded texts (none holding a newline) as one stream, each text followed by ``SEPARATOR``,
    and where each text's tokens start: one tokenizer call instead of one per text.

    No token spans a newline, so tokenizing the texts joined by newlines gives each text's tokens in turn.
    """
    if not folded:
        return [], []
    stream = _STREAM.findall(SEPARATOR.join(folded) + SEPARATOR)
    breaks = list(compress(count(1), map(SEPARATOR.__eq__, stream)))
    return stream, [0, *breaks[:-1]]


@dataclass(frozen=True, slots=True)
class Phrase:
    """One phrasing of one category in one language, as folded tokens."""

    tokens: tuple[str, ...]
    category: str
    language: str
    text: str


@dataclass(frozen=True, slots=True)
class PhraseHit:
    """Where a phrase matched: token offsets ``[start, end)`` into the token list that was searched."""

    category: str
    language: str
    phrase: str
    start: int
    end: int


def _match(tokens: Sequence[str], pos: int, pattern: tuple[str, ...], k: int) -> int:
    """End offset of ``pattern[k:]`` matched at ``tokens[pos:]``, or -1."""
    n = len(tokens)
    while k < len(pattern):
        want = pattern[k]
        if want == GAP:
            for skip in range(MAX_GAP + 1):
                if pos + skip > n or (skip and tokens[pos + skip - 1] == SEPARATOR):
                    break
                end = _match(tokens, pos + skip, pattern, k + 1)
                if end >= 0:
                    return end
            return -1
        if pos >= n:
            return -1
        got = tokens[pos]
        if got != want and not (want == NUMBER and got.isdigit()):
            return -1
        pos += 1
        k += 1
    return pos


@dataclass(frozen=True)
class PhraseBook:
    """All phrasings of all languages, plus the word-set categories.

    Phrases are indexed by their first two tokens (``pairs``) when the second is a plain token, else by the
    first (``singles``, also holding one-token phrases and ``{n}``-led ones under ``"{n}"``). Finding the
    positions where some phrase may start is then two C-level passes, and nearly every candidate matches.
    """

    languages: tuple[str, ...]
    phrases: tuple[Phrase, ...]
    word_sets: dict[str, frozenset[str]]
    singles: dict[str, tuple[Phrase, ...]]
    pairs: dict[tuple[str, str], tuple[Phrase, ...]]

    def find(self, tokens: Sequence[str], categories: frozenset[str] | None = None) -> list[PhraseHit]:
        """Every phrase (of ``categories``, default all) found in ``tokens``, in order of position."""
        singles, pairs = self.singles, self.pairs
        numbers = singles.get(NUMBER, ())
        last = len(tokens) - 1
        # One C-level pass finds the tokens that begin some phrase; only those (about a tenth) are looked at.
        starts = {
            pos for pos in compress(count(), map(self.first_tokens.__contains__, tokens))
            if tokens[pos] in singles or (pos < last and (tokens[pos], tokens[pos + 1]) in pairs)
        }
        if numbers:
            starts.update(compress(count(), map(str.isdigit, tokens)))
        hits: list[PhraseHit] = []
        for pos in sorted(starts):
            token = tokens[pos]
            candidates = singles.get(token, ())
            if pos < last:
                candidates = candidates + pairs.get((token, tokens[pos + 1]), ())
            if numbers and token.isdigit():
                candidates = candidates + numbers
            for phrase in candidates:
                if categories is not None and phrase.category not in categories:
                    continue
                end = _match(tokens, pos + 1, phrase.tokens, 1)
                if end >= 0:
                    hits.append(PhraseHit(phrase.category, phrase.language, phrase.text, pos, end))
        return hits

    @cached_property
    def first_tokens(self) -> frozenset[str]:
        """Tokens that begin some phrase (keys of ``singles`` and first tokens of ``pairs``)."""
        return frozenset(self.singles).union(first for first, _ in self.pairs)

    def words(self, category: str) -> frozenset[str]:
        """The folded word set of a word-set category (e.g. ``stop_words``) across all languages."""
        return self.word_sets.get(category, frozenset())

    def count(self, category: str, language: str | None = None) -> int:
        """How many phrasings a category has (in one language, or in all)."""
        return sum(1 for p in self.phrases if p.category == category and language in (None, p.language))


def _phrase_tokens(text: str, where: str) -> tuple[str, ...]:
    # "…" is a gap too; folding would make it a plain "." (a token to match), so it is read before folding.
    tokens = tuple(_TOKEN.findall(fold(unicodedata.normalize("NFC", text.replace("…", " ... ")))))
    # The tokenizer splits "..." into three dots and "{n}" into three marks; join them back.
    joined = " ".join(tokens).replace(". . .", GAP).replace("{ n }", NUMBER)
    tokens = tuple(joined.split(" "))
    if not tokens or tokens[0] in (GAP, "") or tokens[-1] == GAP:
        raise ValueError(f"{where}: phrase {text!r} is empty or starts/ends with a gap")
    return tokens


_SR_DIGRAPHS = (("dž", "џ"), ("lj", "љ"), ("nj", "њ"))
_SR_LETTERS = str.maketrans(dict(zip("abcčćdđefghijklmnoprsštuvzž", "абцчћдђефгхијклмнопрсштувзж")))
_WORD_OR_NUMBER_SLOT = re.compile(r"\{n\}|[^\W\d_]+")


def serbian_cyrillic(text: str) -> str:
    """A Serbian Latin phrasing in Serbian Cyrillic ("pridružite se grupi" -> "придружите се групи").

    Serbian is written in both scripts (most national outlets publish in Cyrillic), and a phrase file holds one;
    a file with ``scripts = ["latin", "cyrillic"]`` is matched in both. Letters without a Cyrillic counterpart
    (q, w, x, y: brand names) stay as they are, so such a phrasing simply finds nothing in Cyrillic text.
    """
    def word(match: re.Match[str]) -> str:
        token = match.group(0)
        if token == NUMBER:
            return token
        for latin, cyrillic in _SR_DIGRAPHS:
            token = token.replace(latin, cyrillic)
        return token.translate(_SR_LETTERS)

    return _WORD_OR_NUMBER_SLOT.sub(word, text.lower())


#: Transliterations a phrase file may ask for (``scripts = ["latin", "cyrillic"]``), by language.
_OTHER_SCRIPTS = {("sr", "cyrillic"): serbian_cyrillic}


def load_phrasebook(directory: Path = PHRASE_DIR) -> PhraseBook:
    """Read every ``*.toml`` phrase file in ``directory`` and build the index.

    Raises ValueError naming the file when a file has no ``language``, an unknown category, or a bad phrase.
    """
    phrases: list[Phrase] = []
    word_sets: dict[str, set[str]] = {c: set() for c in WORD_SET_CATEGORIES}
    languages: list[str] = []
    for path in sorted(directory.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        language = data.get("language")
        if not isinstance(language, str) or not language:
            raise ValueError(f"{path.name}: missing 'language = \"xx\"'")
        languages.append(language)
        scripts = _transliterations(path, language, data.get("scripts", ()))
        for category, items in data.get("phrases", {}).items():
            if category not in CATEGORIES:
                raise ValueError(f"{path.name}: unknown category {category!r}; known: {', '.join(CATEGORIES)}")
            items = list(dict.fromkeys([*items, *(convert(text) for convert in scripts for text in items)]))
            for text in items:
                if category in WORD_SET_CATEGORIES:
                    word_sets[category].add(fold(unicodedata.normalize("NFC", text)))
                    continue
                phrases.append(Phrase(_phrase_tokens(text, path.name), category, language, text))
    # Longer phrasings first, so evidence names the most specific phrase.
    phrases.sort(key=lambda p: -len(p.tokens))
    singles: dict[str, list[Phrase]] = {}
    pairs: dict[tuple[str, str], list[Phrase]] = {}
    for phrase in phrases:
        first = phrase.tokens[0]
        if len(phrase.tokens) == 1 or first == NUMBER or phrase.tokens[1] in (GAP, NUMBER):
            singles.setdefault(first, []).append(phrase)
        else:
            pairs.setdefault((first, phrase.tokens[1]), []).append(phrase)
    return PhraseBook(
        languages=tuple(languages),
        phrases=tuple(phrases),
        word_sets={k: frozenset(v) for k, v in word_sets.items()},
        singles={k: tuple(v) for k, v in singles.items()},
        pairs={k: tuple(v) for k, v in pairs.items()},
    )


def _transliterations(path: Path, language: str, scripts: Sequence[str]) -> list[Callable[[str], str]]:
    """The transliterations a phrase file asks for besides its own Latin script; ValueError naming the file
    for a script this language has none to."""
    out = []
    for name in scripts:
        if name == "latin":
            continue
        if (language, name) not in _OTHER_SCRIPTS:
            raise ValueError(f"{path.name}: no transliteration to {name!r} for this language")
        out.append(_OTHER_SCRIPTS[(language, name)])
    return out


@lru_cache(maxsize=1)
def phrasebook() -> PhraseBook:
    """The phrase book of the packaged data files, loaded once per process."""
    return load_phrasebook(PHRASE_DIR)
