"""Publication dates against people's labels: how often the date the copy engine orders pages by is the right day.

Copy direction between two pages that state nothing else comes from their dates (``detector.provenance``), so a
date read too late can make an original the copy of a farm dated in between. This run reads every page of
``../shared/corpora/htmldate-dev`` (391 real pages with the publication day a person assigned) with
``detector.extract`` and compares the day of ``Article.published`` with the label, side by side with htmldate's
own ``find_date`` (original date, fast and extensive search) on the same page.

    .venv/bin/python benchmarks/date_bench.py [--no-write]

"later" is the harmful error for provenance (an original read as published later than it was); a day off by one
is counted apart, as time zones make it.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import CORPORA, table, write_section  # noqa: E402
from detector.errors import InputError  # noqa: E402
from detector.extract import extract, parse_dom  # noqa: E402
from detector.sources import read_page_bytes  # noqa: E402

KINDS = ("exact", "later by 1 day", "later", "earlier by 1 day", "earlier", "none")


def kind(found: date | None, gold: date) -> str:
    """How a found day stands to the labelled one."""
    if found is None:
        return "none"
    if found == gold:
        return "exact"
    side = "later" if found > gold else "earlier"
    return f"{side} by 1 day" if abs((found - gold).days) == 1 else side


def _day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text[:10]) if text else None
    except ValueError:
        return None


def measure(root: Path) -> tuple[dict[str, Counter[str]], int, list[str], float]:
    """Counts of ``KINDS`` per reader, pages read, the pages detector dated later than labelled, ms per page."""
    from htmldate import find_date

    labels = json.loads((root / "labels.json").read_text(encoding="utf-8"))
    counts: dict[str, Counter[str]] = {name: Counter() for name in ("detector", "htmldate fast", "htmldate extensive")}
    later: list[str] = []
    seconds = 0.0
    pages = 0
    for url, label in labels.items():
        path = root / label["file"]
        gold = _day(label.get("date"))
        if gold is None or not path.exists():
            continue
        data = path.read_bytes()
        try:
            page = read_page_bytes(data, path.name, url, 10_000_000)
            start = time.perf_counter()
            published = extract(page, target=path.name).article.published
            seconds += time.perf_counter() - start
        except InputError:
            continue  # not an article page for the extractor: nothing to order copies by
        pages += 1
        found = published.date() if published else None
        read = kind(found, gold)
        counts["detector"][read] += 1
        if read == "later":
            later.append(f"{path.name} (labelled {gold}, read {found})")
        dom = parse_dom(data, None)
        for name, extensive in (("htmldate fast", False), ("htmldate extensive", True)):
            counts[name][kind(_day(find_date(dom, url=url, original_date=True, extensive_search=extensive)), gold)] += 1
    return counts, pages, later, 1000 * seconds / max(pages, 1)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--no-write", action="store_true", help="print only; do not rewrite the RESULTS.md section")
    args = ap.parse_args()
    counts, pages, later, ms = measure(CORPORA / "htmldate-dev")
    rows = [(name, *(f"{c[k]} ({c[k] / pages:.1%})" for k in KINDS)) for name, c in counts.items()]
    body = "\n".join([
        f"{pages} htmldate-dev pages the extractor reads as articles (of 391), each page's day against the day a "
        "person labelled; htmldate's own reader (original date) on the same pages beside it. The detector reads "
        "the markup's time first (meta tags, JSON-LD, `<time>`), then the date line beside the headline, then "
        f"htmldate's fast search. Extraction with the date: {ms:.1f} ms per page.",
        "",
        table(rows, ("reader", *KINDS)),
        "",
        "Dated later than labelled (by more than a day), which can turn an original into the copy of a page "
        "dated in between: " + ("; ".join(later) or "none") + ".",
    ])
    print(body)
    if not args.no_write:
        write_section("Publication dates against labels", body)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
