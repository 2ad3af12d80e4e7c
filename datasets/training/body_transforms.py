"""Deterministic body and headline transforms that content farms apply to copied articles.

Why: farms rarely re-host a body untouched; excerpts, shuffled paragraphs with ad lines, light
rewording and clickbait headlines are common, and a detector must see through all of them.
Each function takes an explicit `random.Random` so the build is reproducible for a seed.
"""
from __future__ import annotations

import random
import re

from phrasebook import pick

# Small synonym tables for "spinning" (English and German bodies dominate the inputs).
SYNONYMS: dict[str, list[str]] = {
    "said": ["stated", "noted", "told reporters", "declared"], "says": ["states", "notes", "claims"],
    "big": ["large", "huge"], "large": ["big", "sizeable"], "small": ["little", "tiny"],
    "important": ["crucial", "significant"], "new": ["fresh", "latest"], "people": ["individuals", "folks"],
    "however": ["nevertheless", "still"], "also": ["additionally", "too"], "many": ["numerous", "plenty of"],
    "company": ["firm", "business"], "government": ["administration", "authorities"], "help": ["assist", "aid"],
    "show": ["reveal", "demonstrate"], "shows": ["reveals", "demonstrates"], "begin": ["start", "commence"],
    "quickly": ["rapidly", "fast"], "about": ["around", "roughly"], "buy": ["purchase", "acquire"],
    "sagte": ["erklärte", "betonte"], "groß": ["riesig", "gewaltig"], "neue": ["frische", "aktuelle"],
    "auch": ["ebenfalls", "zudem"], "aber": ["jedoch", "allerdings"], "schnell": ["rasch", "zügig"],
    "wichtig": ["bedeutend", "zentral"], "Menschen": ["Leute", "Personen"], "dit": ["a déclaré", "a affirmé"],
}
_WORD = re.compile(r"\b([A-Za-zÄÖÜäöüß]+)\b")


def verbatim(paras: list[str]) -> list[str]:
    """The copied body as is."""
    return list(paras)


def excerpt(rng: random.Random, paras: list[str]) -> list[str]:
    """The first two to four paragraphs (at least ~40 words when the body allows)."""
    k = rng.randint(2, 4)
    out = paras[:k]
    while sum(len(p.split()) for p in out) < 40 and len(out) < len(paras):
        out.append(paras[len(out)])
    return out


def shuffle_local(rng: random.Random, paras: list[str]) -> list[str]:
    """Swap some neighbouring paragraphs (farm re-assembly keeps the lede, scrambles the rest)."""
    out = list(paras)
    for i in range(1, len(out) - 1):
        if rng.random() < 0.35:
            out[i], out[i + 1] = out[i + 1], out[i]
    return out


def ad_lines(rng: random.Random, paras: list[str], lang: str) -> list[str]:
    """Paragraph list with text ad markers ("ADVERTISEMENT", "Reklamë", ...) inserted."""
    out: list[str] = []
    for i, p in enumerate(paras):
        out.append(p)
        if i < len(paras) - 1 and rng.random() < 0.3:
            out.append(pick(rng, lang, "ad_label", html=False))
    return out


def reword(rng: random.Random, paras: list[str]) -> list[str]:
    """Light spinning: synonym swaps and a dropped sentence here and there."""
    out: list[str] = []
    for p in paras:
        sentences = re.split(r"(?<=[.!?])\s+", p)
        if len(sentences) > 2 and rng.random() < 0.3:
            del sentences[rng.randrange(1, len(sentences))]
        text = " ".join(sentences)

        def swap(m: re.Match[str]) -> str:
            word = m.group(1)
            alts = SYNONYMS.get(word) or SYNONYMS.get(word.lower())
            if alts and rng.random() < 0.6:
                alt = rng.choice(alts)
                return alt[0].upper() + alt[1:] if word[0].isupper() else alt
            return word

        out.append(_WORD.sub(swap, text))
    return out


_KEYWORD_WORD = re.compile(r"[^\W\d_]{4,}")


def key_phrase(rng: random.Random, title: str) -> str | None:
    """Two or three words of the headline, as an SEO farm picks the phrase it repeats ("Omar threatening guilty"
    is as likely as a sensible one), or None when the headline has too few long words."""
    words = _KEYWORD_WORD.findall(title)
    if len(words) < 2:
        return None
    k = min(len(words), rng.choice((2, 3, 3)))
    start = rng.randrange(0, len(words) - k + 1)
    return " ".join(words[start:start + k])


def keyword_stuff(rng: random.Random, paras: list[str], phrase: str, site: str, year: int) -> tuple[list[str], list[str]]:
    """Keyword stuffing, the SEO farm's way of making a copied body rank: the key phrase as subheadings between
    paragraphs, opening paragraphs ("Phrase: ..."), and a closing line of its variants. Language-free: the phrase
    is the headline's own words. Returns (paragraphs, subheadings): subheadings are placed by the caller."""
    cap = phrase[0].upper() + phrase[1:]
    share = rng.uniform(0.3, 1.6)  # how often the phrase opens a paragraph (capped at every one) or ends a sentence
    # (half as often): light to as heavy as real SEO pages, whose key phrase fills a quarter of the text
    out = []
    for i, p in enumerate(paras):
        sentences = re.split(r"(?<=[.!?])\s+", p)
        sentences = [f"{t} {cap}." if j and rng.random() < share / 2 else t for j, t in enumerate(sentences)]
        text = " ".join(sentences)
        out.append(f"{cap}: {text}" if i and rng.random() < share else text)
    variants = [cap, f"{cap} {year}", f"{cap} – {site}", f"{cap}?", f"{cap} {year}: {phrase}"]
    headings = rng.sample(variants, rng.randint(2, 5))
    out.append(" | ".join([phrase, f"{phrase} {year}", f"{phrase} {site.lower()}", *rng.sample(variants, 2)]))
    return out, headings


def bait_headline(rng: random.Random, title: str, lang: str) -> str:
    """A clickbait version of the original headline, phrased in the farm's language."""
    return pick(rng, lang, "bait_headline", html=False, title=title)
