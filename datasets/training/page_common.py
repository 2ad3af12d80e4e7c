"""Shared pieces for generated pages: invented sites, dates, brands, paragraph markup, records.

Why: farm and clean generators must draw sites, dates and chrome the same way, so that
nothing but the planted traits separates the labels.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from corpus_sources import SourceDoc
from phrasebook import LANGUAGES, P, pick
from templates import Template
from templates.kit import esc


# Share of sites, farm and clean alike, whose CMS writes internal links (logo, menu, related posts) as absolute
# URLs, as WordPress does; the others write them relative. One value for both labels: an earlier build gave every
# farm template but one an absolute logo link and every clean template a relative one, so "share of links that
# leave the site" told the labels apart by construction (and the farm template without it was missed in CV).
ABSOLUTE_LINKS = 0.6


@dataclass(frozen=True, slots=True)
class Site:
    """An invented website: one template, one language, one host."""

    template: Template
    lang: str
    host: str
    name: str
    link_base: str = ""  # "https://<host>" when the site writes its internal links absolute (see make_sites)


def make_sites(seed: int, templates: tuple[Template, ...], prefix: str, taken: set[str]) -> dict[tuple[str, str], Site]:
    """One invented host per (template, language), unique across the whole corpus."""
    rng = random.Random(f"{seed}:sites:{prefix}")
    sites: dict[tuple[str, str], Site] = {}
    for t in templates:
        for lang in LANGUAGES:
            words = P[lang]["words"]
            a, b = rng.sample(words, 2)
            tld = rng.choice(("example", "example", "test"))
            host = f"{a}-{b}.{tld}" if rng.random() < 0.6 else f"{a}{b}{rng.choice(['', '24', '-online', '-news'])}.{tld}"
            if t.id == "farm_mobile_lite":
                host = "m." + host
            n = 2
            base = host
            while host in taken:
                stem, _, tld_ = base.rpartition(".")
                host = f"{stem}{n}.{tld_}"
                n += 1
            taken.add(host)
            name = rng.choice(P[lang]["site_pat"]).format(a=a.title(), b=b.title())
            # Own drawer per host, so the other draws (and so every other page) stay as they were.
            absolute = random.Random(f"{seed}:links:{host}").random() < ABSOLUTE_LINKS
            sites[(t.id, lang)] = Site(t, lang, host, name, f"https://{host}" if absolute else "")
    return sites


def pick_date(rng: random.Random) -> datetime:
    """A publication time between 2019 and 2024 with a plausible European/American offset."""
    start = datetime(2019, 1, 1)
    moment = start + timedelta(minutes=rng.randrange(6 * 365 * 24 * 60))
    return moment.replace(second=0, tzinfo=timezone(timedelta(hours=rng.choice((-5, 0, 1, 2, 3)))))


def date_after(rng: random.Random, src: SourceDoc) -> datetime:
    """A copy's publication time: 1 to 5 days after the source's publication day (farms and syndication copy
    what is already out), or a random time when the source's day is unknown.

    Why: an earlier build dated copies at random, so about half of them looked older than their source, the copy
    engine read the source as the copy ("other copies this") and the copy evidence of those farms was 0."""
    if src.published is None:
        return pick_date(rng)
    start = datetime(src.published.year, src.published.month, src.published.day)
    moment = start + timedelta(days=1, minutes=rng.randrange(4 * 24 * 60))
    return moment.replace(tzinfo=timezone(timedelta(hours=rng.choice((-5, 0, 1, 2, 3)))))


def brand(src: SourceDoc) -> str:
    """How a page would name the source publication."""
    return src.sitename or src.site


def p_blocks(paras: list[str]) -> list[str]:
    """Plain paragraphs to escaped <p> elements."""
    return [f"<p>{esc(p)}</p>" for p in paras]


def chrome(rng: random.Random, lang: str) -> tuple[list[str], list[str]]:
    """Navigation labels and footer phrases in the page language."""
    nav = rng.sample(P[lang]["nav"], rng.randint(4, 7))
    footer = [pick(rng, lang, "rights", html=False), pick(rng, lang, "privacy", html=False)]
    return nav, footer


def record(page_id: str, *, url: str, label: int, kind: str, template: str, src: SourceDoc | None,
           source_site: str, source_url: str, language: str, transforms: list[str],
           traits: list[str], hard: bool = False) -> dict[str, Any]:
    """One labels.jsonl row (path is filled in by the writer)."""
    return {"id": page_id, "path": f"pages/{page_id}.html", "url": url, "label": label, "kind": kind,
            "template": template, "source_site": source_site, "source_url": source_url,
            "source_corpus": src.corpus if src else "seed-case", "language": language,
            "transforms": transforms, "traits_planted": traits, "hard": hard}
