"""Build the labelled training corpus of content-farm (1) and clean (0) pages.

Usage (from the repository root):
    .venv/bin/python datasets/training/build.py --corpora ../shared/corpora --out datasets/training/generated \
        [--seed 0] [--limit N] [--workers 2] [--no-card]

Why: no public labelled content-farm page set exists. This script re-hosts the *real* bodies of
two public article corpora (read at run time, never stored in the repository) into invented farm
sites, legitimate syndication pages and clean publisher templates, and keeps the real pages as
negatives. The output is deterministic for a given seed. `--limit` caps sources *per corpus*.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(HERE))

from clean_pages import make_clean, make_syndication  # noqa: E402
from corpus_sources import SourceDoc, host_of, load_htmldate, load_scrapinghub  # noqa: E402
from farm_pages import make_farm  # noqa: E402
from page_common import Site, make_sites, record  # noqa: E402
from phrasebook import LANGUAGES  # noqa: E402
from templates import CLEAN_TEMPLATES, FARM_TEMPLATES  # noqa: E402

SEED_CASE = REPO / "tests" / "fixtures" / "seed-case"
CARD = HERE / "CARD.md"
HARD_FARM_SHARE = 0.18


class Rotation:
    """Round-robin over (template, language) pairs so small builds still cover all of them."""

    def __init__(self, seed: int, name: str, sites: dict[tuple[str, str], Site], template_ids: list[str]) -> None:
        rng = random.Random(f"{seed}:rotation:{name}")
        self.templates = rng.sample(template_ids, len(template_ids))
        self.langs = rng.sample(list(LANGUAGES), len(LANGUAGES))
        self.sites = sites
        self.i = 0

    def next(self) -> Site:
        i = self.i
        self.i += 1
        t = self.templates[i % len(self.templates)]
        lang = self.langs[(i + i // len(self.templates)) % len(self.langs)]
        return self.sites[(t, lang)]


def _canonical(html: bytes) -> str:
    m = re.search(rb'<link rel="canonical" href="([^"]+)"', html)
    return m.group(1).decode() if m else ""


def seed_pages() -> list[tuple[bytes, dict[str, Any]]]:
    """The seed case: botasot (positive), thetimes and kyivpost (negatives). BalkanWeb is left out (ambiguous)."""
    if not SEED_CASE.is_dir():
        return []
    out = []
    balkan_url = _canonical((SEED_CASE / "balkanweb.html").read_bytes())
    for name, label, src_url in (("botasot", 1, balkan_url), ("thetimes", 0, None), ("kyivpost", 0, None)):
        raw = (SEED_CASE / f"{name}.html").read_bytes()
        url = _canonical(raw)
        src = src_url or url
        traits = (["title_repeated", "promo_footer", "copied_promo", "attribution_line", "share_widget",
                   "related_posts", "push_prompt", "dense_ads", "missing_byline"] if label else [])
        out.append((raw, record(f"seed-{name}", url=url, label=label, kind="seed", template=f"real:{host_of(url)}",
                                src=None, source_site=host_of(src), source_url=src, language="en",
                                transforms=["verbatim"] if label else [], traits=traits)))
    return out


def real_page(src: SourceDoc) -> tuple[bytes, dict[str, Any]]:
    """The publisher's own page, unchanged."""
    rec = record(f"real-{src.key}", url=src.url, label=0, kind="real", template=f"real:{src.site}", src=src,
                 source_site=src.site, source_url=src.url, language=src.language, transforms=[], traits=[])
    return src.read_html(), rec


def generate(sources: list[SourceDoc], seed: int) -> list[tuple[bytes, dict[str, Any]]]:
    """All pages for all sources, in a fixed order."""
    taken: set[str] = set()
    farm_sites = make_sites(seed, FARM_TEMPLATES, "farm", taken)
    clean_sites = make_sites(seed, CLEAN_TEMPLATES, "clean", taken)
    farm_rot = Rotation(seed, "farm", farm_sites, [t.id for t in FARM_TEMPLATES])
    clean_rot = Rotation(seed, "clean", clean_sites, [t.id for t in CLEAN_TEMPLATES])
    titles = [s.title for s in sources]
    pages = seed_pages()
    for idx, src in enumerate(sources):
        plan = random.Random(f"{seed}:{src.key}:plan")
        others = titles[:idx] + titles[idx + 1:]
        pages.append(real_page(src))
        html, rec = make_syndication(random.Random(f"{seed}:syn-{src.key}"), f"syn-{src.key}", src, clean_rot.next())
        pages.append((html.encode("utf-8"), rec))
        for j in range(1 + (plan.random() < 0.5)):
            pid = f"clean-{src.key}-{j}"
            html, rec = make_clean(random.Random(f"{seed}:{pid}"), pid, src, clean_rot.next(), others)
            pages.append((html.encode("utf-8"), rec))
        for j in range(3 + (plan.random() < 0.35)):
            pid = f"farm-{src.key}-{j}"
            rng = random.Random(f"{seed}:{pid}")
            html, rec = make_farm(rng, pid, src, farm_rot.next(), others, hard=rng.random() < HARD_FARM_SHARE)
            pages.append((html.encode("utf-8"), rec))
    return pages


def write(pages: list[tuple[bytes, dict[str, Any]]], out: Path) -> None:
    """pages/<id>.html and labels.jsonl; the pages folder is rebuilt from scratch."""
    page_dir = out / "pages"
    if page_dir.exists():
        shutil.rmtree(page_dir)
    page_dir.mkdir(parents=True)
    with (out / "labels.jsonl").open("w", encoding="utf-8") as fh:
        for raw, rec in pages:
            (out / rec["path"]).write_bytes(raw)
            fh.write(json.dumps(rec, ensure_ascii=False, sort_keys=False) + "\n")


def counts(records: list[dict[str, Any]]) -> dict[str, dict[str, int]]:
    """Counts by label, kind, corpus, template, language (farm pages and all), transform and trait."""
    c: dict[str, Counter[str]] = {k: Counter() for k in
                                  ("label", "kind", "source_corpus", "template", "language_farm", "language_all",
                                   "transform", "trait_farm", "trait_negative", "hard")}
    for r in records:
        c["label"][str(r["label"])] += 1
        c["kind"][r["kind"]] += 1
        c["source_corpus"][r["source_corpus"]] += 1
        c["template"][r["template"] if not r["template"].startswith("real:") else f"real:* ({r['kind']})"] += 1
        c["language_all"][r["language"]] += 1
        if r["kind"] == "farm":
            c["language_farm"][r["language"]] += 1
        for t in r["transforms"]:
            c["transform"][t] += 1
        for t in r["traits_planted"]:
            c["trait_farm" if r["label"] else "trait_negative"][t] += 1
        c["hard"][f"label {r['label']} hard={r['hard']}"] += 1
    return {k: dict(sorted(v.items())) for k, v in c.items()}


def counts_markdown(tab: dict[str, dict[str, int]], total: int, seed: int, seconds: float) -> str:
    """The CARD.md counts section."""
    lines = [f"Full build, seed {seed}: **{total} pages**, built in {seconds:.0f} s.", ""]
    for key, table in tab.items():
        lines += [f"**{key}**", "", "| value | pages |", "|---|---:|"]
        lines += [f"| {k} | {v} |" for k, v in table.items()] + [""]
    return "\n".join(lines)


def update_card(card: Path, text: str) -> None:
    """Replace the part of CARD.md between the counts markers."""
    start, end = "<!-- counts:start -->", "<!-- counts:end -->"
    body = card.read_text("utf-8") if card.exists() else f"# Training corpus\n\n{start}\n{end}\n"
    head, _, rest = body.partition(start)
    _, _, tail = rest.partition(end)
    card.write_text(f"{head}{start}\n{text}\n{end}{tail}", "utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpora", type=Path, required=True, help="folder holding scrapinghub-aeb/ and htmldate-dev/")
    ap.add_argument("--out", type=Path, required=True, help="output folder (pages/ and labels.jsonl)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--limit", type=int, default=None, help="at most N source articles per corpus")
    ap.add_argument("--workers", type=int, default=2, help="processes for trafilatura extraction")
    ap.add_argument("--no-card", action="store_true", help="do not rewrite the counts table in CARD.md")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    if not args.corpora.is_dir():
        print(f"corpora folder not found: {args.corpora}", file=sys.stderr)
        return 2
    sources = load_scrapinghub(args.corpora / "scrapinghub-aeb", args.limit)
    sources += load_htmldate(args.corpora / "htmldate-dev", args.limit, args.workers)
    pages = generate(sources, args.seed)
    write(pages, args.out)
    records = [r for _, r in pages]
    tab = counts(records)
    seconds = time.perf_counter() - t0
    (args.out / "counts.json").write_text(json.dumps({"seed": args.seed, "limit": args.limit, "total": len(records),
                                                      "counts": tab}, indent=1), "utf-8")
    print(f"{len(sources)} sources -> {len(records)} pages in {args.out} ({seconds:.1f} s)")
    for key in ("label", "kind", "language_farm"):
        print(f"  {key}: {tab[key]}")
    print(f"  farm templates: {len([k for k in tab['template'] if k.startswith('farm_')])}")
    if args.limit is None and not args.no_card:
        update_card(CARD, counts_markdown(tab, len(records), args.seed, seconds))
        print(f"  counts written to {CARD}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
