"""A small batch whose stories share sentences of one pool (as press-release boilerplate does), with farms copying
them whole or in part and later, a partner's reprint whose canonical link names its original, and blogs: every
page has more candidates than ``max_candidates``, and many candidates tie."""

from __future__ import annotations

import random
from pathlib import Path

WORDS = ("council harbour budget ferry school rail bridge river market tax vote mayor clinic farm grain orchard "
         "museum library stadium festival tunnel airport station factory union wage pension court judge police "
         "storm flood drought forest wolf salmon vineyard quarry mine port canal reservoir dam tram bus cycle lane "
         "housing rent landlord tenant permit zoning hospital nurse doctor vaccine exam pupil teacher college grant "
         "loan bank credit export import tariff cargo container crane dock pier lighthouse coast cliff beach dune "
         "ridge valley glacier summit trail hut shelter bakery brewery dairy cheese olive lemon wheat barley "
         "apprentice engineer architect surveyor auditor inspector minister senator deputy envoy treaty border "
         "customs passport visa census survey ballot campaign rally poll debate hearing inquiry report audit "
         "budgetary fiscal surplus deficit bond yield inflation subsidy levy toll fare ticket commuter carriage").split()
ORIGINALS = ("ledger-daily.example", "metro-herald.example", "coastal-tribune.example")
FARMS = ("newsbuzz-hub.example", "viral-today.example", "trend-feed.example")
_FARM_EXTRAS = ('<div class="share">Spread the love <a href="https://facebook.com/sharer.php?u=x">Facebook</a> '
                '<a href="https://twitter.com/intent/tweet?url=x">Twitter</a></div>'
                '<div class="related"><h3>Similar posts</h3><ul><li><a href="/a">Shocking: you will not believe '
                'this</a></li><li><a href="/b">What happened next will amaze you</a></li></ul></div>'
                '<ins class="adsbygoogle"></ins><ins class="adsbygoogle"></ins>')


def _sentence(rng: random.Random) -> str:
    words = rng.sample(WORDS, 14)
    return words[0].capitalize() + " " + " ".join(words[1:]) + "."


def _page(domain: str, slug: str, title: str, paragraphs: list[str], date: str, extra: str = "",
          canonical: str | None = None) -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f'<html><head><title>{title}</title><link rel="canonical" href="{canonical or f"https://{domain}/{slug}"}">'
            f'<meta property="article:published_time" content="{date}"></head><body><article><h1>{title}</h1>'
            f'<p class="byline">By Staff of {domain}</p>{body}</article>{extra}</body></html>')


def write_overlap_pages(folder: Path, seed: int = 3) -> list[Path]:
    """Write the batch (26 pages) into ``folder``; returns the files."""
    rng = random.Random(seed)
    pool = [_sentence(rng) for _ in range(10)]
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(7):
        own = [_sentence(rng) for _ in range(6)]
        paragraphs = own[:3] + rng.sample(pool, 3) + own[3:]
        title = f"Story {i} {own[0][:30]}"
        domain = ORIGINALS[i % 3]
        (folder / f"o{i:02d}.html").write_text(_page(domain, f"story-{i}", title, paragraphs,
                                                     f"2024-03-{i + 1:02d}T08:00:00Z"), encoding="utf-8")
        for j, farm in enumerate(FARMS):
            if (i + j) % 3 != 2:
                kept = paragraphs if j != 1 else paragraphs[:5]
                (folder / f"f{i:02d}{j}.html").write_text(_page(farm, f"story-{i}-{j}", title, kept,
                                                                f"2024-03-{i + 10:02d}T09:00:00Z", _FARM_EXTRAS),
                                                          encoding="utf-8")
        if i == 0:  # a partner's credited reprint; its canonical link names the original, so it reads as that URL
            (folder / "r00.html").write_text(_page("partner.example", "reprint", title, paragraphs,
                                                   "2024-03-02T08:00:00Z", canonical=f"https://{domain}/story-0"),
                                             encoding="utf-8")
    for k in range(4):
        paragraphs = [_sentence(rng) for _ in range(5)] + rng.sample(pool, 2)
        (folder / f"u{k}.html").write_text(_page(f"blog{k}.example", f"post-{k}", f"Post {k}", paragraphs,
                                                 f"2024-02-{k + 1:02d}T08:00:00Z"), encoding="utf-8")
    return sorted(folder.glob("*.html"))


def originals_in_an_index(tmp: Path) -> tuple[Path, Path]:
    """The batch written into ``tmp/pages`` without its originals and the partner's reprint, which are in an
    index (``tmp/originals.sqlite``) instead: (pages folder, index path)."""
    from detector.index import Index
    from detector.sources import expand, load

    pages, originals = tmp / "pages", tmp / "originals"
    originals.mkdir(parents=True)
    for page in write_overlap_pages(pages):
        if page.name.startswith(("o", "r")):
            page.rename(originals / page.name)
    index_path = tmp / "originals.sqlite"
    with Index(index_path) as index:
        index.add([load(t).article for t in expand([str(originals)])])
    return pages, index_path
