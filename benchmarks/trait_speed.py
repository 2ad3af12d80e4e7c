"""Cost of scoring a page on top of extraction: traits + model + explanation, side by side with extraction.

    .venv/bin/python benchmarks/trait_speed.py [--pages 200] [--repeat 5] [--profile out.prof] [--write]

It prints; ``--write`` also replaces the "Time per page" block of the classifier section of
``benchmarks/RESULTS.md`` (``benchmarks/eval_classifier.py`` runs the same measurement when it rewrites the
whole section).

Pages: the seed case and ``--pages`` real pages (half htmldate-dev, half scrapinghub-aeb, a fixed sample).
Per page, in one process and one run: extraction (``detector.extract.extract``, which parses the DOM) is timed
``--repeat`` times and so is scoring, as ``detector.score`` runs it (``examined``: the page's credits, release marks
and owners read into its article on a fresh ``PageView``; ``compute_traits`` on that view, ``FarmModel.assess``)
and, on its own, the traits part (``compute_traits``); each page's figure is the median of its
repeats, then the median and p95 over pages are reported. Wall time (``perf_counter``) and this thread's CPU time (``thread_time``, not inflated when other jobs
load the machine) are both given. Index matching is not included (it is the copy engine's cost).
"""

from __future__ import annotations

import argparse
import cProfile
import gzip
import os
import random
import re
import statistics
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import CORPORA, REPO, RESULTS, command_line, machine  # noqa: E402
from detector.classify import MODEL_PATH, FarmModel, load_model, read_card, safe_load_estimator  # noqa: E402
from detector.errors import InputError, ModelError  # noqa: E402
from detector.extract import extract  # noqa: E402
from detector.score import examined  # noqa: E402
from detector.sources import read_page_bytes  # noqa: E402
from features import PageView, compute_traits  # noqa: E402

SEED = REPO / "tests" / "fixtures" / "seed-case"


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def sample_pages(n: int) -> list[Path]:
    """The seed pages plus n real pages (half from each corpus), a fixed sample."""
    hd = sorted((CORPORA / "htmldate-dev" / "pages").glob("*.html"))
    sh = sorted((CORPORA / "scrapinghub-aeb" / "html").glob("*.html.gz"))
    rng = random.Random(0)
    picked = rng.sample(hd, min(len(hd), n - n // 2)) + rng.sample(sh, min(len(sh), n // 2))
    return sorted(SEED.glob("*.html")) + picked


def read(path: Path) -> bytes:
    return gzip.decompress(path.read_bytes()) if path.name.endswith(".gz") else path.read_bytes()


def _timed(fn, repeat: int) -> tuple[float, float, object]:
    walls, cpus, out = [], [], None
    for _ in range(repeat):
        c0, w0 = time.thread_time(), time.perf_counter()
        out = fn()
        w1, c1 = time.perf_counter(), time.thread_time()
        walls.append((w1 - w0) * 1e3)
        cpus.append((c1 - c0) * 1e3)
    return statistics.median(walls), statistics.median(cpus), out


def shipped_model() -> tuple[FarmModel, str | None]:
    """The shipped model, and a note when it was trained on other traits than this checkout computes.

    Then it is loaded as trained (it reads its own traits by name from the computed ones): its cost does not
    depend on a trait it does not use, and a timing run need not wait for a retraining.
    """
    try:
        return load_model(), None
    except ModelError as err:
        card = read_card(MODEL_PATH)
        model = FarmModel(safe_load_estimator(MODEL_PATH, card.get("model_sha256")), card, MODEL_PATH)
        return model, f"the shipped model does not match the current traits, so it was loaded as trained ({err})"


def measure(paths: list[Path], repeat: int, profile: Path | None = None) -> dict[str, object]:
    model, note = shipped_model()
    load_before = os.getloadavg()[0]
    rows = []
    prof = cProfile.Profile() if profile else None
    for path in paths:
        data = read(path)
        try:
            page = read_page_bytes(data, path.name, f"https://{path.stem[:12]}.example/{path.stem}", 10_000_000)
            ext_wall, ext_cpu, extracted = _timed(lambda: extract(page, target=path.name), repeat)
        except InputError:
            continue

        def traits() -> object:
            return compute_traits(PageView(extracted.article, extracted.dom, ()))

        def score() -> object:
            _, page = examined(extracted)  # the whole page's credits and owners, read before the traits
            return model.assess(compute_traits(page))

        score()  # warm: first-call imports and phrase-book load are per process, not per page
        if prof is not None:
            prof.enable()
        sc_wall, sc_cpu, _ = _timed(score, repeat)
        if prof is not None:
            prof.disable()
        tr_wall, tr_cpu, _ = _timed(traits, repeat)
        rows.append((path.name, ext_wall, ext_cpu, sc_wall, sc_cpu, tr_wall, tr_cpu))
    if prof is not None:
        prof.dump_stats(str(profile))
    cols = list(zip(*rows))
    out: dict[str, object] = {"pages": len(rows), "repeat": repeat, "note": note,
                              "load": (load_before, os.getloadavg()[0])}
    for i, key in enumerate(("extract_wall", "extract_cpu", "score_wall", "score_cpu", "traits_wall", "traits_cpu"), 1):
        out[f"{key}_median"] = statistics.median(cols[i])
        out[f"{key}_p95"] = pct(list(cols[i]), 0.95)
    out["slowest"] = sorted(rows, key=lambda r: -r[4])[:5]
    return out


def markdown(t: dict[str, object]) -> str:
    """The timing figures as the RESULTS.md paragraph and table."""
    return (f"**Time per page** ({machine()}; {t['pages']} pages: the seed case and real "
            f"htmldate-dev / scrapinghub-aeb pages; each page timed {t['repeat']}x, its median kept; one process; "
            f"1-minute load average {t['load'][0]:.1f} at the start, {t['load'][1]:.1f} at the end):\n\n"
            "| step | median wall | p95 wall | median CPU | p95 CPU |\n|---|---:|---:|---:|---:|\n"
            f"| extraction (trafilatura + DOM parse) | {t['extract_wall_median']:.2f} ms | {t['extract_wall_p95']:.2f} ms "
            f"| {t['extract_cpu_median']:.2f} ms | {t['extract_cpu_p95']:.2f} ms |\n"
            f"| page reading + traits + model + explanation | {t['score_wall_median']:.2f} ms | {t['score_wall_p95']:.2f} ms "
            f"| {t['score_cpu_median']:.2f} ms | {t['score_cpu_p95']:.2f} ms |\n"
            f"| of which traits alone (`compute_traits`) | {t['traits_wall_median']:.2f} ms | {t['traits_wall_p95']:.2f} ms "
            f"| {t['traits_cpu_median']:.2f} ms | {t['traits_cpu_p95']:.2f} ms |\n\n"
            "Index matching is not included. CPU is this thread's CPU time, which other jobs on the machine do not "
            "inflate much; wall time does include their interference."
            + (f" Note: {t['note']}." if t.get("note") else ""))


_BLOCK = re.compile(
    r"\*\*Time per page\*\*.*?wall time does include their interference\.[^\n]*(?:\n\nTiming block rewritten by [^\n]*)?",
    re.S,
)


def write_timing(block: str, path: Path = RESULTS) -> bool:
    """Replace the "Time per page" block of the classifier section of RESULTS.md (True when it was found).

    Only that block: the rest of the section belongs to ``benchmarks/eval_classifier.py``.
    """
    text = path.read_text(encoding="utf-8")
    start = text.find("<!-- Content-farm classifier:start -->")
    end = text.find("<!-- Content-farm classifier:end -->")
    found = _BLOCK.search(text, start, end) if 0 <= start < end else None
    if found is None:
        return False
    stamped = f"{block}\n\nTiming block rewritten by `{command_line()}` on {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC."
    path.write_text(text[: found.start()] + stamped + text[found.end():], encoding="utf-8")
    return True


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, default=200, help="real pages (plus the 4 seed pages)")
    ap.add_argument("--repeat", type=int, default=5, help="timings per page; the page's median is kept")
    ap.add_argument("--profile", type=Path, default=None, help="write a cProfile of the scoring part here")
    ap.add_argument("--write", action="store_true", help="replace the timing block in benchmarks/RESULTS.md")
    args = ap.parse_args()
    t = measure(sample_pages(args.pages), args.repeat, args.profile)
    print(f"`{command_line()}`")
    print(markdown(t))
    if args.write and not write_timing(markdown(t)):
        print("RESULTS.md has no timing block in its classifier section; nothing written", file=sys.stderr)
        return 1
    print("slowest (by scoring CPU):", *(f"  {r[0]}: score {r[4]:.2f} ms CPU, extract {r[2]:.2f} ms"
                                          for r in t["slowest"]), sep="\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
