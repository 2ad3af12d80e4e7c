"""Audit throughput and memory: ``detector.audit`` against single-process trafilatura on the same pages.

Speed run (``--pages 1000``): real pages from ../shared/corpora (htmldate-dev, scrapinghub-aeb), cycled to N
files, each copy given its own canonical URL on its own site so copies are real cross-site copies; the page
text is never written anywhere but benchmarks/work (git-ignored). Measures, in the same run:
  1. trafilatura-only rate: ``trafilatura.extract`` on every file, one process;
  2. the full audit with ``--workers`` processes (extract, index, copy search, tables, report).
Target: audit pages/s >= 0.85 x workers x trafilatura-only pages/s.

Memory run (``--synthetic N``): N JSONL documents of generated text (10% are copies of another), audited
with the local engine; peak RSS of the whole process tree (parent + workers) is sampled every 0.2 s.

    .venv/bin/python benchmarks/audit_bench.py --pages 1000 --workers 2
    .venv/bin/python benchmarks/audit_bench.py --synthetic 100000 --workers 2
"""

from __future__ import annotations

import argparse
import os
import gzip
import json
import random
import re
import shutil
import sys
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "benchmarks" / "work"
CORPORA = Path(os.environ.get("CFD_CORPORA", ROOT.parent / "shared" / "corpora"))
RESULTS = ROOT / "benchmarks" / "RESULTS.md"
sys.path.insert(0, str(ROOT))


def real_pages() -> list[Path]:
    files = sorted((CORPORA / "htmldate-dev" / "pages").glob("*.htm*"))
    files += sorted((CORPORA / "scrapinghub-aeb" / "html").glob("*.htm*"))
    if not files:
        raise SystemExit(f"no pages under {CORPORA}")
    return files


def _read(path: Path) -> bytes:
    return gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()


def make_folder(count: int) -> Path:
    """``count`` HTML files cycled from the corpora, each with its own canonical URL (site per copy round)."""
    folder = WORK / f"pages{count}"
    if folder.is_dir() and len(list(folder.glob("*.html"))) == count:
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    sources = real_pages()
    for i in range(count):
        src = sources[i % len(sources)]
        html = re.sub(rb"<link[^>]+rel=[\"']?canonical[^>]*>", b"", _read(src), flags=re.I)
        site = f"news{(i % len(sources)) % 20}r{i // len(sources)}.com"
        tag = f'<link rel="canonical" href="https://www.{site}/{src.name.split(".")[0]}/{i}">'
        html = re.sub(rb"(<head[^>]*>)", lambda m: m.group(1) + tag.encode(), html, count=1, flags=re.I)
        (folder / f"{i:06d}.html").write_bytes(html)
    return folder


def trafilatura_rate(folder: Path) -> float:
    """Plain ``trafilatura.extract`` (defaults, no metadata), one process."""
    import trafilatura

    files = sorted(folder.glob("*.html"))
    start = time.perf_counter()
    for path in files:
        trafilatura.extract(path.read_bytes())
    return len(files) / (time.perf_counter() - start)


def extract_step_rate(folder: Path) -> float:
    """The pipeline's own extraction step (``detector.extract``: trafilatura with metadata, dates, links), one process."""
    from detector.errors import InputError
    from detector.sources import Target, load

    files = sorted(folder.glob("*.html"))
    start = time.perf_counter()
    for path in files:
        try:
            load(Target(str(path), "file", path=path))
        except (InputError, ValueError):  # the audit records these as refusals; here they just count
            pass
    return len(files) / (time.perf_counter() - start)


class PeakRss:
    """Peak resident memory of this process and its children, sampled in a thread."""

    def __init__(self) -> None:
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        me = psutil.Process()
        while not self._stop.is_set():
            try:
                total = me.memory_info().rss + sum(c.memory_info().rss for c in me.children(recursive=True))
            except psutil.Error:
                total = 0
            self.peak = max(self.peak, total)
            self._stop.wait(0.2)

    def __enter__(self) -> "PeakRss":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def synthetic_jsonl(count: int) -> Path:
    path = WORK / f"synthetic{count}.jsonl"
    if path.exists():
        return path
    rng = random.Random(7)
    vocab = [f"w{rng.randrange(10**6):x}" for _ in range(30000)]
    texts: list[str] = []
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        for i in range(count):
            if texts and rng.random() < 0.1:
                text = rng.choice(texts) + " " + " ".join(rng.choices(vocab, k=40))
            else:
                text = "\n\n".join(" ".join(rng.choices(vocab, k=60)) for _ in range(5))
                if len(texts) < 2000:
                    texts.append(text)
            handle.write(json.dumps({"url": f"https://site{i % 5000}.example/a/{i}", "text": text}) + "\n")
    return path


def run_audit(sources: list[str], out: Path, workers: int) -> tuple[float, int, dict]:
    from detector.audit import audit

    shutil.rmtree(out, ignore_errors=True)
    with PeakRss() as rss:
        start = time.perf_counter()
        result = audit(sources, out, workers=workers, progress=False)
        seconds = time.perf_counter() - start
    return seconds, rss.peak, result.summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--synthetic", type=int, default=0, help="memory run over N generated JSONL documents")
    args = parser.parse_args()
    command = "benchmarks/audit_bench.py " + " ".join(sys.argv[1:])
    if args.synthetic:
        path = synthetic_jsonl(args.synthetic)
        seconds, peak, summary = run_audit([str(path)], WORK / "out-synthetic", args.workers)
        line = (f"| `{command}` | {args.synthetic} JSONL docs | {seconds:.0f} s | "
                f"{args.synthetic / seconds:.0f} pages/s | peak RSS {peak / 2**20:.0f} MiB (parent + workers) |")
    else:
        folder = make_folder(args.pages)
        base = trafilatura_rate(folder)
        step = extract_step_rate(folder)
        seconds, peak, summary = run_audit([str(folder)], WORK / "out-pages", args.workers)
        rate = args.pages / seconds
        target = 0.85 * args.workers * base
        stage1 = args.pages / summary["stage1_seconds"]
        line = (f"| `{command}` | {args.pages} HTML pages | trafilatura.extract {base:.1f} p/s; detector.extract "
                f"{step:.1f} p/s (1 process) | audit {rate:.1f} p/s end to end, {stage1:.1f} p/s extract+index stage |"
                f" target {target:.1f} p/s: {'met' if rate >= target else 'NOT met'}; vs {args.workers} x detector."
                f"extract: {rate / (args.workers * step):.2f} (end to end), {stage1 / (args.workers * step):.2f} "
                f"(stage 1) | peak RSS {peak / 2**20:.0f} MiB |")
    print(line)
    print(json.dumps({k: v for k, v in summary.items() if k != "top_domains"}))
    from benchmarks._common import write_section

    name = "Domain audit memory" if args.synthetic else "Domain audit throughput (latest run)"
    header = ("| run | inputs | time | rate | memory |\n|---|---|---|---|---|" if args.synthetic else
              "| run | inputs | baseline | audit | target | memory |\n|---|---|---|---|---|---|")
    write_section(name, header + "\n" + line)


if __name__ == "__main__":
    main()
