"""Cost of scoring a page on top of extraction: traits + model + explanation, side by side with extraction.

    .venv/bin/python benchmarks/trait_speed.py [--pages 200] [--repeat 5] [--profile out.prof]

It prints; ``benchmarks/eval_classifier.py`` runs the same measurement and writes it to the classifier section
of ``benchmarks/RESULTS.md``.

Pages: the seed case and ``--pages`` real pages (half htmldate-dev, half scrapinghub-aeb, a fixed sample).
Per page, in one process and one run: extraction (``detector.extract.extract``, which parses the DOM) is timed
``--repeat`` times and so is scoring (a fresh ``PageView`` on the extracted article and DOM, ``compute_traits``,
``FarmModel.assess``); each page's figure is the median of its repeats, then the median and p95 over pages are
reported. Wall time (``perf_counter``) and this thread's CPU time (``thread_time``, not inflated when other jobs
load the machine) are both given. Index matching is not included (it is the copy engine's cost).
"""

from __future__ import annotations

import argparse
import cProfile
import gzip
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import CORPORA, REPO, command_line, machine  # noqa: E402
from detector.classify import load_model  # noqa: E402
from detector.errors import InputError  # noqa: E402
from detector.extract import extract  # noqa: E402
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


def measure(paths: list[Path], repeat: int, profile: Path | None = None) -> dict[str, object]:
    model = load_model()
    rows = []
    prof = cProfile.Profile() if profile else None
    for path in paths:
        data = read(path)
        try:
            page = read_page_bytes(data, path.name, f"https://{path.stem[:12]}.example/{path.stem}", 10_000_000)
            ext_wall, ext_cpu, extracted = _timed(lambda: extract(page, target=path.name), repeat)
        except InputError:
            continue

        def score() -> object:
            return model.assess(compute_traits(PageView(extracted.article, extracted.dom, ())))

        score()  # warm: first-call imports and phrase-book load are per process, not per page
        if prof is not None:
            prof.enable()
        sc_wall, sc_cpu, _ = _timed(score, repeat)
        if prof is not None:
            prof.disable()
        rows.append((path.name, ext_wall, ext_cpu, sc_wall, sc_cpu))
    if prof is not None:
        prof.dump_stats(str(profile))
    cols = list(zip(*rows))
    out: dict[str, object] = {"pages": len(rows), "repeat": repeat}
    for i, key in enumerate(("extract_wall", "extract_cpu", "score_wall", "score_cpu"), 1):
        out[f"{key}_median"] = statistics.median(cols[i])
        out[f"{key}_p95"] = pct(list(cols[i]), 0.95)
    out["slowest"] = sorted(rows, key=lambda r: -r[4])[:5]
    return out


def markdown(t: dict[str, object]) -> str:
    """The timing figures as the RESULTS.md paragraph and table."""
    return (f"**Time per page** ({machine()}; {t['pages']} pages: the seed case and real "
            f"htmldate-dev / scrapinghub-aeb pages; each page timed {t['repeat']}x, its median kept; one process):\n\n"
            "| step | median wall | p95 wall | median CPU | p95 CPU |\n|---|---:|---:|---:|---:|\n"
            f"| extraction (trafilatura + DOM parse) | {t['extract_wall_median']:.2f} ms | {t['extract_wall_p95']:.2f} ms "
            f"| {t['extract_cpu_median']:.2f} ms | {t['extract_cpu_p95']:.2f} ms |\n"
            f"| traits + model + explanation | {t['score_wall_median']:.2f} ms | {t['score_wall_p95']:.2f} ms "
            f"| {t['score_cpu_median']:.2f} ms | {t['score_cpu_p95']:.2f} ms |\n\n"
            "Index matching is not included. CPU is this thread's CPU time, which other jobs on the machine do not "
            "inflate; wall time does include their interference.")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, default=200, help="real pages (plus the 4 seed pages)")
    ap.add_argument("--repeat", type=int, default=5, help="timings per page; the page's median is kept")
    ap.add_argument("--profile", type=Path, default=None, help="write a cProfile of the scoring part here")
    args = ap.parse_args()
    t = measure(sample_pages(args.pages), args.repeat, args.profile)
    print(f"`{command_line()}`")
    print(markdown(t))
    print("slowest (by scoring CPU):", *(f"  {r[0]}: score {r[4]:.2f} ms CPU, extract {r[2]:.2f} ms"
                                          for r in t["slowest"]), sep="\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
