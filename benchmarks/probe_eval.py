"""Outside probes' pages (``datasets/probes``) through the command line, the three ways each probe ran them.

    .venv/bin/python benchmarks/probe_eval.py [--probes p54,p55] [--no-write]

For every probe: its pages are unpacked into a temporary folder, then, as the probe's author did, ``detector score
--no-index``; ``detector index add`` of the originals (group A) and ``score --index``; ``index add`` of every page
and ``score --index``, each as a subprocess of this Python. Per group and run it counts content_farm / suspicious /
clean, and lists every false alarm (a page of groups A, C, D not clean) and every farm read as clean (groups B, E),
with the probability and the first reasons. Writes the "Outside probes' pages" section of
``benchmarks/RESULTS.md`` unless ``--no-write``.

These pages were each held out for one commit's code and then fixed for: on later code they measure regressions,
not how the tool does on pages nobody has seen (``datasets/probes/CARD.md``).
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import tarfile
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import REPO, table, timer, write_section  # noqa: E402

PROBES = REPO / "datasets" / "probes"
RUNS = ("no index", "originals indexed", "all indexed")
CLEAN_GROUPS, FARM_GROUPS = ("A", "C", "D"), ("B", "E")
DETECTOR = [sys.executable, "-c", "import sys; sys.argv[0] = 'detector'; from detector.console import main; main()"]


@dataclass(frozen=True)
class Verdict:
    """One page's verdict in one run."""

    probe: str
    run: str
    file: str
    group: str
    p: float
    label: str
    reasons: tuple[str, ...]


def detector(*args: str, cwd: Path) -> str:
    """Run the command line; its stdout (a non-zero exit is an error naming the command and its stderr)."""
    done = subprocess.run([*DETECTOR, *args], cwd=cwd, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"detector {' '.join(args[:3])} ... exited {done.returncode}: {done.stderr.strip()[-500:]}")
    return done.stdout


def run_probe(folder: Path) -> list[Verdict]:
    """Every page of one probe scored the three ways."""
    groups = {row["file"]: row["group"].strip().upper()
              for row in csv.DictReader((folder / "manifest.csv").open(encoding="utf-8"))}
    out: list[Verdict] = []
    with tempfile.TemporaryDirectory(prefix=f"probe-{folder.name}-") as tmp:
        work = Path(tmp)
        with tarfile.open(folder / "pages.tar.gz") as tar:
            tar.extractall(work, filter="data")
        pages = sorted(str(Path("pages") / name) for name in groups)
        originals = [p for p in pages if groups[Path(p).name] == "A"]
        detector("index", "add", "originals.sqlite", *originals, cwd=work)
        detector("index", "add", "all.sqlite", "pages", cwd=work)
        for run, index in zip(RUNS, (["--no-index"], ["--index", "originals.sqlite"], ["--index", "all.sqlite"])):
            for v in json.loads(detector("score", *pages, *index, "--format", "json", cwd=work)):
                name = Path(v["target"]).name
                out.append(Verdict(folder.name, run, name, groups[name], float(v["farm_probability"] or 0.0),
                                   v["label"] or "error", tuple(v.get("reasons") or ())))
    return out


def counts(verdicts: list[Verdict], group: str) -> str:
    """``content_farm / suspicious / clean`` of one group in one run."""
    c = Counter(v.label for v in verdicts if v.group == group)
    return f"{c['content_farm']} / {c['suspicious']} / {c['clean']}"


def report(verdicts: list[Verdict], probes: list[str], seconds: float) -> str:
    """The RESULTS section: per probe and run the counts of each group, then totals, false alarms and misses."""
    rows = []
    for probe in probes:
        for run in RUNS:
            these = [v for v in verdicts if v.probe == probe and v.run == run]
            rows.append((probe, run, *(counts(these, g) for g in "ABCDE")))
    for run in RUNS:
        these = [v for v in verdicts if v.run == run]
        rows.append(("**all**", run, *(counts(these, g) for g in "ABCDE")))
    alarms = [v for v in verdicts if v.group in CLEAN_GROUPS and v.label != "clean"]
    missed = [v for v in verdicts if v.group in FARM_GROUPS and v.label == "clean"]
    pages = len({(v.probe, v.file) for v in verdicts})

    def listing(items: list[Verdict]) -> str:
        return "\n".join(f"- {v.probe} {v.file} ({v.group}, {v.run}): {v.p:.3f} {v.label}"
                         + (f"; {'; '.join(r[:70] for r in v.reasons[:3])}" if v.reasons else "")
                         for v in sorted(items, key=lambda v: (v.probe, v.file, RUNS.index(v.run)))) or "- none"

    def in_run(items: list[Verdict], run: str) -> list[Verdict]:
        return [v for v in items if v.run == run]

    clean_pages = sum(1 for v in in_run(verdicts, RUNS[0]) if v.group in CLEAN_GROUPS)
    farm_pages = sum(1 for v in in_run(verdicts, RUNS[0]) if v.group in FARM_GROUPS)
    by_run = ", ".join(f"{run}: {len(in_run(alarms, run))} "
                       f"({sum(1 for v in in_run(alarms, run) if v.label == 'content_farm')} content_farm)"
                       for run in RUNS)
    return f"""{len(probes)} probes, {pages} pages ({clean_pages} in the clean groups A, C, D; {farm_pages} in the farm
groups B, E), each scored three ways through the command line, in {seconds:.0f} s. Counts are content_farm / suspicious /
clean. These pages were held out once each and fixed for since: a regression set, not held-out data
(`datasets/probes/CARD.md`).

{table(rows, ("probe", "run", "A originals", "B farm copies", "C republications", "D tricky clean", "E filler farms"))}

**False alarms** (A, C, D pages not clean), by run: {by_run}.

{listing(alarms)}

**Farms read as clean** (B, E pages): {len(in_run(missed, RUNS[0]))} without an index,
{len(in_run(missed, RUNS[1]))} with the originals indexed, {len(in_run(missed, RUNS[2]))} with all pages indexed.

{listing(missed)}
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--probes", default="", help="comma-separated probe folders (default: every one)")
    parser.add_argument("--no-write", action="store_true", help="print only; leave RESULTS.md as it is")
    args = parser.parse_args(argv)
    wanted = [p.strip() for p in args.probes.split(",") if p.strip()]
    folders = sorted(f for f in PROBES.iterdir()
                     if (f / "manifest.csv").is_file() and (not wanted or f.name in wanted))
    if not folders:
        print(f"no probe found in {PROBES}", file=sys.stderr)
        return 2
    verdicts: list[Verdict] = []
    with timer() as t:
        for folder in folders:
            verdicts += run_probe(folder)
            scored = {v.file for v in verdicts if v.probe == folder.name}
            print(f"{folder.name}: {len(scored)} pages scored", file=sys.stderr)
    body = report(verdicts, [f.name for f in folders], t["s"])
    print(body)
    if not args.no_write:
        write_section("Outside probes' pages", body)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
