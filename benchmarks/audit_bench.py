"""Audit throughput and memory: ``detector.audit`` against single-process trafilatura on the same pages.

Speed run (``--pages 1000``): real pages from ../shared/corpora (htmldate-dev, scrapinghub-aeb), cycled to N
files, each copy given its own canonical URL on its own site so copies are real cross-site copies; the page
text is never written anywhere but benchmarks/work (git-ignored). Measures, in the same run:
  1. trafilatura-only rate: ``trafilatura.extract`` on every file, one process;
  2. the full audit with ``--workers`` processes (extract, index, copy search, tables, report);
  3. trafilatura-only again, in ``--workers`` processes at once (the files dealt out among them): what this
     machine gives when that many processes run. The target assumes it gives ``workers`` times the rate of
     one; a shared virtual machine may give much less, and this figure shows how much.
Target: audit pages/s >= 0.85 x workers x trafilatura-only pages/s (one process).

Both runs also report CPU seconds per page of the parent process and of the workers (``getrusage``), which a
shared machine disturbs far less than wall time.

Memory run (``--synthetic N[,N...]``): N JSONL documents of generated text (10% are copies of another),
audited with the local engine, each size in a fresh process; RSS and PSS of the parent and of the workers are
sampled every 0.2 s, and their peaks reported per stage (extract+index, copy search, tables+report). Several
sizes in one run show whether the peak grows with the number of pages.

    .venv/bin/python benchmarks/audit_bench.py --pages 1000 --workers 2
    .venv/bin/python benchmarks/audit_bench.py --synthetic 5000,20000,50000 --workers 2
"""

from __future__ import annotations

import argparse
import os
import gzip
import json
import random
import re
import resource
import shutil
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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


FOLDER_VERSION = "2"  # 2: og:url removed too (it named the corpus page, so every copy had the same URL)


def make_folder(count: int) -> Path:
    """``count`` HTML files cycled from the corpora, each with its own canonical URL (site per copy round).

    The page's own ``og:url`` is removed as well: it names the original page, and the pipeline prefers it to a
    canonical link on another site, so every copy of a corpus page would have had the same URL.
    """
    folder = WORK / f"pages{count}"
    marker = folder / ".version"
    if folder.is_dir() and len(list(folder.glob("*.html"))) == count and marker.exists() and (
            marker.read_text() == FOLDER_VERSION):
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    sources = real_pages()
    for i in range(count):
        src = sources[i % len(sources)]
        html = re.sub(rb"<link[^>]+rel=[\"']?canonical[^>]*>", b"", _read(src), flags=re.I)
        html = re.sub(rb"<meta[^>]+property=[\"']?og:url[^>]*>", b"", html, flags=re.I)
        site = f"news{(i % len(sources)) % 20}r{i // len(sources)}.com"
        tag = f'<link rel="canonical" href="https://www.{site}/{src.name.split(".")[0]}/{i}">'
        html = re.sub(rb"(<head[^>]*>)", lambda m: m.group(1) + tag.encode(), html, count=1, flags=re.I)
        (folder / f"{i:06d}.html").write_bytes(html)
    marker.write_text(FOLDER_VERSION)
    return folder


def trafilatura_rate(folder: Path) -> float:
    """Plain ``trafilatura.extract`` (defaults, no metadata), one process, warm: its first calls (lazy imports
    and set-up) are not timed, as the parallel run's processes are warm before its clock starts."""
    import trafilatura

    files = sorted(folder.glob("*.html"))
    for path in files[:20]:
        trafilatura.extract(path.read_bytes())
    start = time.perf_counter()
    for path in files:
        trafilatura.extract(path.read_bytes())
    return len(files) / (time.perf_counter() - start)


def _extract_share(files: list[str]) -> int:
    import trafilatura

    for name in files:
        trafilatura.extract(Path(name).read_bytes())
    return len(files)


def trafilatura_parallel_rate(folder: Path, workers: int) -> float:
    """Plain ``trafilatura.extract`` in ``workers`` forked processes at once, the files dealt out round-robin;
    pages/s from the first start to the last finish (the processes are started and warm before the clock)."""
    import multiprocessing

    files = [str(p) for p in sorted(folder.glob("*.html"))]
    shares = [files[i::workers] for i in range(workers)]
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        pool.map(_extract_share, [files[:2]] * workers)  # imports and first-call set-up, off the clock
        start = time.perf_counter()
        done = sum(pool.map(_extract_share, shares, chunksize=1))
        return done / (time.perf_counter() - start)


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


def _pss(pid: int) -> int | None:
    """Proportional set size of a process (Linux): shared pages divided among the processes sharing them."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        return None
    return None


def _psutil() -> Any:
    """The psutil module (the ``dev`` extra), imported only by the runs that sample memory, so ``--help`` and
    the rest of this file work without it."""
    try:
        import psutil
    except ImportError:
        raise SystemExit("install the 'dev' extra to measure memory: pip install -e '.[dev]' (psutil is missing)") from None
    return psutil


class PeakRss:
    """Memory of this process and of its children, sampled in a thread: ``samples`` holds ``(seconds since
    start, parent RSS, children RSS, parent + children PSS)``.

    RSS counts every page a process maps, so a forked worker also counts what it shares with the parent;
    PSS splits shared pages among their sharers, so the PSS sum is the memory the tree really holds.
    """

    def __init__(self) -> None:
        self.samples: list[tuple[float, int, int, int]] = []
        self._psutil = _psutil()  # imported here, in the caller's thread, so a missing one stops the run at once
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        psutil = self._psutil
        me = psutil.Process()
        start = time.perf_counter()
        while not self._stop.is_set():
            try:
                children = me.children(recursive=True)
                parent = me.memory_info().rss
                rss = sum(c.memory_info().rss for c in children)
                pss = sum(_pss(p.pid) or 0 for p in (me, *children))
            except psutil.Error:
                parent = rss = pss = 0
            self.samples.append((time.perf_counter() - start, parent, rss, pss))
            self._stop.wait(0.2)

    @property
    def peak(self) -> int:
        return max((p + c for _, p, c, _ in self.samples), default=0)

    @property
    def peak_pss(self) -> int:
        return max((s for *_, s in self.samples), default=0)

    def peaks(self, start: float, end: float) -> tuple[int, int, int, int]:
        """Peak (RSS parent + children, parent RSS, children RSS, PSS sum) between two times."""
        window = [(p, c, s) for t, p, c, s in self.samples if start <= t < end] or [(0, 0, 0)]
        return (max(p + c for p, c, _ in window), max(p for p, _, _ in window), max(c for _, c, _ in window),
                max(s for *_, s in window))

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


@dataclass(frozen=True)
class AuditRun:
    """One measured audit: wall seconds, memory samples, CPU seconds of parent and workers, its summary."""

    seconds: float
    rss: PeakRss
    parent_cpu: float
    workers_cpu: float
    summary: dict
    load: tuple[float, float]

    def stage_peaks(self) -> list[tuple[str, tuple[int, int, int]]]:
        one = self.summary.get("stage1_seconds", 0.0)
        two = one + self.summary.get("stage2_seconds", 0.0)
        return [("extract+index", self.rss.peaks(0, one)), ("copy search", self.rss.peaks(one, two)),
                ("tables+report", self.rss.peaks(two, float("inf")))]


def run_audit(sources: list[str], out: Path, workers: int) -> AuditRun:
    from detector.audit import audit

    shutil.rmtree(out, ignore_errors=True)
    load = os.getloadavg()[0]
    cpu, children = time.process_time(), resource.getrusage(resource.RUSAGE_CHILDREN)
    with PeakRss() as rss:
        start = time.perf_counter()
        result = audit(sources, out, workers=workers, progress=False)
        seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    workers_cpu = after.ru_utime + after.ru_stime - children.ru_utime - children.ru_stime
    return AuditRun(seconds, rss, time.process_time() - cpu, workers_cpu, result.summary,
                    (load, os.getloadavg()[0]))


def _mib(value: int) -> str:
    return f"{value / 2**20:.0f}"


def memory_run(size: int, workers: int) -> dict:
    """One synthetic audit of ``size`` documents, measured (run by ``--memory-one`` in a fresh process, so no
    memory a previous size left behind is counted)."""
    run = run_audit([str(synthetic_jsonl(size))], WORK / "out-synthetic", workers)
    return {"size": size, "seconds": run.seconds, "peak_rss": run.rss.peak, "peak_pss": run.rss.peak_pss,
            "stages": run.stage_peaks(), "parent_cpu": run.parent_cpu, "workers_cpu": run.workers_cpu,
            "load": run.load, "summary": {k: v for k, v in run.summary.items() if k != "top_domains"}}


def memory_runs(sizes: list[int], workers: int, report: Callable[[str], None] = print) -> str:
    """Audit each size of synthetic documents, each in a fresh process; one table row per size, and how the
    peak grew. ``report`` gets the table so far after every size (a stopped series keeps what it measured)."""
    import subprocess

    rows, peaks, text = [], [], ""
    for size in sizes:
        synthetic_jsonl(size)  # generated here, so the measured process only reads it
        done = subprocess.run([sys.executable, __file__, "--memory-one", str(size), "--workers", str(workers)],
                              check=True, capture_output=True, text=True)
        run = json.loads(done.stdout.strip().splitlines()[-1])
        print(json.dumps(run["summary"]), flush=True)
        stages = "; ".join(f"{name} {_mib(pss)} ({_mib(parent)} + {_mib(children)})"
                           for name, (_, parent, children, pss) in run["stages"])
        peaks.append(run["peak_pss"])
        rows.append(f"| {size:,} | {run['seconds']:.0f} s | {size / run['seconds']:.0f} | **{_mib(run['peak_pss'])}** | "
                    f"{_mib(run['peak_rss'])} | {stages} | {1000 * run['parent_cpu'] / size:.2f} / "
                    f"{1000 * run['workers_cpu'] / size:.1f} | {run['load'][0]:.1f} / {run['load'][1]:.1f} |")
        measured = sizes[:len(rows)]
        growth = (f"Peak (PSS) from {measured[0]:,} to {measured[-1]:,} documents: {_mib(peaks[0])} -> "
                  f"{_mib(peaks[-1])} MiB ({(peaks[-1] - peaks[0]) / 2**20:+.0f} MiB, x{peaks[-1] / peaks[0]:.2f} "
                  f"for x{measured[-1] / measured[0]:.0f} the pages)." if len(measured) > 1 else "")
        header = ("| documents | time | pages/s | peak PSS MiB (parent + workers) | peak RSS sum MiB | per stage: peak "
                  "PSS MiB (parent RSS + workers RSS) | CPU ms/page parent / workers | load before / after |\n"
                  "|---|---|---|---|---|---|---|---|")
        text = "\n".join([header, *rows, "", growth])
        report(text)
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--synthetic", default="", help="memory run over N generated JSONL documents (N,N,... for several)")
    parser.add_argument("--memory-one", type=int, default=0, help=argparse.SUPPRESS)  # one size, in this process
    args = parser.parse_args()
    if args.memory_one:
        print(json.dumps(memory_run(args.memory_one, args.workers), default=str))
        return
    from benchmarks._common import write_section

    if args.synthetic:
        sizes = [int(n) for n in args.synthetic.split(",")]
        intro = ("Generated JSONL documents (10% copies of another), local engine, each size audited in a fresh "
                 "process. Memory of the parent and of every worker sampled every 0.2 s: PSS (proportional set size: "
                 "pages a forked worker shares with the parent counted once) summed over the tree is the memory the "
                 "audit holds; the RSS sum counts shared pages once per process, so it overstates. Stages: "
                 "extract+index = stage 1, copy search = stage 2, tables+report = the streamed tables, graph and "
                 "report.\n\n")
        memory_runs(sizes, args.workers, lambda text: (print(text, flush=True),
                                                       write_section("Domain audit memory", intro + text)))
        return
    command = "benchmarks/audit_bench.py " + " ".join(sys.argv[1:])
    folder = make_folder(args.pages)
    base = trafilatura_rate(folder)
    step = extract_step_rate(folder)
    run = run_audit([str(folder)], WORK / "out-pages", args.workers)
    parallel = trafilatura_parallel_rate(folder, args.workers)
    summary = run.summary
    rate = args.pages / run.seconds
    target = 0.85 * args.workers * base
    stage1 = args.pages / summary["stage1_seconds"]
    line = (f"| `{command}` | {args.pages} HTML pages | trafilatura.extract {base:.1f} p/s; detector.extract "
            f"{step:.1f} p/s (1 process); trafilatura.extract in {args.workers} processes at once {parallel:.1f} p/s "
            f"({parallel / base:.2f} x one process) | audit {rate:.1f} p/s end to end, {stage1:.1f} p/s "
            f"extract+index stage |"
            f" target {target:.1f} p/s: {'met' if rate >= target else 'NOT met'}; vs {args.workers} x detector."
            f"extract: {rate / (args.workers * step):.2f} (end to end), {stage1 / (args.workers * step):.2f} "
            f"(stage 1); vs trafilatura in {args.workers} processes: {rate / parallel:.2f} "
            f"| CPU per page: parent {1000 * run.parent_cpu / args.pages:.1f} ms, workers "
            f"{1000 * run.workers_cpu / args.pages:.1f} ms (trafilatura.extract alone {1000 / base:.1f} ms) | "
            f"peak PSS {run.rss.peak_pss / 2**20:.0f} MiB (RSS sum {run.rss.peak / 2**20:.0f}) | load {run.load[0]:.1f} / {run.load[1]:.1f} |")
    print(line)
    print(json.dumps({k: v for k, v in summary.items() if k != "top_domains"}))
    header = ("| run | inputs | baseline | audit | target | CPU | memory | load before / after |\n"
              "|---|---|---|---|---|---|---|---|")
    write_section("Domain audit throughput (latest run)", header + "\n" + line)


if __name__ == "__main__":
    main()
