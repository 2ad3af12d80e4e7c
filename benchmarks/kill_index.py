"""Crash safety of the copy index: SIGKILL ``detector index add`` at random moments, round after round.

Each round runs ``detector index add IDX new/ previous/ --batch 1 --progress`` in its own process (new pages
and re-adds of the previous round's pages, so replacements are killed too) and kills it with SIGKILL at a
random moment. This process then observes the index from outside and checks that

- it opens (read-only, as ``score`` opens it) and ``PRAGMA integrity_check`` says ``ok``;
- every document the writer reported as committed (its ``committed`` lines on stderr) is there;
- every document there is whole: its text decompresses and its postings are exactly its fingerprint's;
- no posting points at a missing document, no URL is stored twice;
- the count never decreases and no document seen in an earlier round is ever lost.

    .venv/bin/python benchmarks/kill_index.py --rounds 20
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks._hostile import ALBANIAN, ENGLISH, article_page  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
WORDS = (ENGLISH + " " + ALBANIAN).replace(".", "").split()


def make_pages(folder: Path, first: int, count: int, seed: int = 0) -> list[str]:
    """``count`` small distinct pages (own canonical URL, own random text) in ``folder``; returns their URLs."""
    folder.mkdir(parents=True, exist_ok=True)
    urls = []
    for k in range(first, first + count):
        rng = random.Random(seed * 1_000_003 + k)
        text = ". ".join(" ".join(rng.choice(WORDS) for _ in range(rng.randint(10, 25))) for _ in range(8)) + "."
        url = f"https://doc{k}.example/story"
        page = article_page(text, title=f"Story {k}").replace(
            "<title>", f"<link rel='canonical' href='{url}'><title>", 1)
        (folder / f"p{k:05d}.html").write_text(page, encoding="utf-8")
        urls.append(url)
    return urls


def writer(index: Path, folders: list[Path], log: Path) -> subprocess.Popen[bytes]:
    """``detector index add`` in its own process, committed lines going to ``log``."""
    cmd = [sys.executable, "-m", "detector.cli", "index", "add", str(index), *map(str, folders),
           "--batch", "1", "--progress"]
    with open(log, "wb") as handle:
        return subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.DEVNULL, stderr=handle)


def committed(log: Path) -> set[str]:
    """URLs the writer said were committed."""
    urls: set[str] = set()
    for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
        if line.startswith("committed ") and ": " in line:
            urls.update(line.split(": ", 1)[1].split())
    return urls


@dataclass
class Check:
    """What one look at the index found."""

    ok: bool
    documents: int
    problems: list[str] = field(default_factory=list)
    urls: set[str] = field(default_factory=set)


def check_index(index: Path) -> Check:
    """Open the index as a reader would and verify every document in it is whole."""
    from detector.docprint import docprint
    from detector.errors import DetectorError
    from detector.index import Index
    from detector.index_open import EMPTY_INDEX

    problems: list[str] = []
    try:
        with Index(index, readonly=True) as opened:
            config = opened.config
            count = len(opened)
    except DetectorError as err:
        if EMPTY_INDEX in str(err):  # a first writer killed before its first commit: nothing was stored to lose
            return Check(True, 0, [])
        return Check(False, 0, [f"does not open: {err}"])
    db = sqlite3.connect(f"{index.resolve().as_uri()}?mode=ro", uri=True)
    try:
        integrity = db.execute("PRAGMA integrity_check").fetchone()[0]
        if integrity != "ok":
            problems.append(f"integrity_check: {integrity}")
        rows = db.execute("SELECT id, url, body, postings FROM docs").fetchall()
        postings: dict[int, set[int]] = {}
        for h, doc in db.execute("SELECT h, doc FROM postings"):
            postings.setdefault(doc, set()).add(h)
    finally:
        db.close()
    urls = [url for _, url, _, _ in rows]
    if len(urls) != len(set(urls)):
        problems.append("a URL is stored twice")
    ids = {doc for doc, _, _, _ in rows}
    orphans = set(postings) - ids
    if orphans:
        problems.append(f"{len(orphans)} documents' postings have no document")
    for doc, url, body, count_postings in rows:
        try:
            text = zlib.decompress(body).decode("utf-8")
        except (zlib.error, UnicodeDecodeError) as err:
            problems.append(f"{url}: body unreadable ({err})")
            continue
        expected = set(docprint(text, config).postings.tolist())
        if postings.get(doc, set()) != expected or count_postings != len(expected):
            problems.append(f"{url}: postings incomplete ({len(postings.get(doc, ()))} of {len(expected)})")
    return Check(not problems, count, problems, set(urls))


@dataclass
class Round:
    """One killed run and what was found after it."""

    number: int
    killed_after_s: float
    exited_before_kill: bool
    committed: int
    documents: int
    ok: bool
    problems: list[str]


def run(rounds: int, per_round: int, workdir: Path, seed: int = 0, log=print, reach: float = 1.6) -> list[Round]:
    """Kill ``rounds`` writers at random moments, up to ``reach`` times an uninterrupted run (past 1.0, during
    the re-adds of the previous round, or after the writer exited); every round's checks are in the result."""
    rng = random.Random(seed)
    index = workdir / "index.sqlite"
    calibrate = make_pages(workdir / "calibrate", 900_000, per_round, seed)
    for attempt in range(2):  # the first run may compile numba kernels into their disk cache: time the second
        for suffix in ("", "-wal", "-shm"):
            Path(f"{workdir / 'calibration.sqlite'}{suffix}").unlink(missing_ok=True)
        started = time.monotonic()
        proc = writer(workdir / "calibration.sqlite", [workdir / "calibrate"], workdir / "calibrate.log")
        proc.wait()
        full = time.monotonic() - started
        assert len(committed(workdir / "calibrate.log")) == len(calibrate), "calibration run did not finish"
    log(f"an uninterrupted run of {per_round} pages takes {full:.1f} s; killing within [0.2, {reach * full:.1f}] s")
    results: list[Round] = []
    ever: set[str] = set()
    previous_count = 0
    folders: list[Path] = []
    for number in range(1, rounds + 1):
        folder = workdir / f"round{number:02d}"
        make_pages(folder, number * 10_000, per_round, seed)
        targets = [folder] + folders[-1:]
        folders.append(folder)
        out = workdir / f"round{number:02d}.log"
        delay = rng.uniform(0.2, reach * full)  # past 1.0 x full, the re-adds of the previous round are running
        proc = writer(index, targets, out)
        try:
            proc.wait(timeout=delay)
            exited = True
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
            exited = False
        said = committed(out)
        ever |= said
        check = check_index(index) if index.exists() else Check(True, 0)
        problems = list(check.problems)
        lost = ever - check.urls
        if lost:
            problems.append(f"{len(lost)} committed documents missing, e.g. {sorted(lost)[0]}")
        if check.documents < previous_count:
            problems.append(f"count fell from {previous_count} to {check.documents}")
        previous_count = max(previous_count, check.documents)
        ever |= check.urls  # whatever is there now must stay there
        results.append(Round(number, round(delay, 2), exited, len(said), check.documents, not problems, problems))
        log(f"round {number:2d}: killed after {delay:5.2f} s{' (had exited)' if exited else ''}, "
            f"{len(said):3d} committed this round, {check.documents:4d} in the index, "
            f"{'ok' if not problems else '; '.join(problems)}")
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--pages", type=int, default=60, help="new pages per round (plus re-adds of the last round's)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-write", action="store_true", help="do not write RESULTS.md")
    args = parser.parse_args()
    from benchmarks._common import table, write_section

    with tempfile.TemporaryDirectory(prefix="kill-index-") as tmp:
        results = run(args.rounds, args.pages, Path(tmp), args.seed)
    bad = [r for r in results if not r.ok]
    killed = sum(not r.exited_before_kill for r in results)
    print(f"{len(results)} rounds, {killed} killed mid-run, {len(bad)} with problems")
    if not args.no_write:
        rows = [(str(r.number), f"{r.killed_after_s:.2f}", "exited first" if r.exited_before_kill else "SIGKILL",
                 str(r.committed), str(r.documents), "ok" if r.ok else "; ".join(r.problems)) for r in results]
        body = (f"SIGKILL during `detector index add --batch 1 --progress` ({args.pages} new pages a round plus "
                f"re-adds of the previous round's), then checked from another process: opens read-only, "
                f"`PRAGMA integrity_check`, every reported commit present, every document whole (text decompresses, "
                f"postings exactly its fingerprint's), no orphan postings, count never falls.\n\n"
                f"**{len(results)} rounds, {killed} killed mid-run, {len(bad)} with problems; "
                f"{results[-1].documents if results else 0} documents at the end.**\n\n"
                + table(rows, ("round", "kill at s", "how it ended", "committed this round", "docs in index",
                               "checks")))
        write_section("Crash safety: SIGKILL during index add", body)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
