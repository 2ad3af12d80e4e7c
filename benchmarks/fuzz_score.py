"""Fuzz ``score``: feed generated and mutated pages through the library Scorer, count crashes and hangs.

Inputs (``benchmarks/_hostile.py``, deterministic by seed): 60% real pages mutated (byte flips, truncation,
splices, repeated regions, hostile snippets, re-encoding), 25% pages from a random tag grammar, 10% random
bytes, 5% fixed hostile files and lying charsets. The real pages are the seed-case fixtures and, read from
``../shared/corpora`` (never copied), htmldate-dev and scrapinghub-aeb pages.

Each input is written to a file and scored in-process by ``Scorer.score_target`` against a small real index
(the seed case). Two worker processes share the inputs; each reports when it starts and ends an input, and
the parent counts an input as a **hang** when it runs past ``--hang`` seconds (the worker is then killed and
replaced). A **crash** is any exception out of ``score_target``, or an "internal error" verdict (the Scorer
catches unexpected exceptions per page so that a batch goes on, but each is still a bug). A refused input
(a verdict with an ordinary error) is the expected outcome for hostile input.

    .venv/bin/python benchmarks/fuzz_score.py              # 10,000 inputs
    .venv/bin/python benchmarks/fuzz_score.py --n 200      # smoke test
"""

from __future__ import annotations

import argparse
import gzip
import multiprocessing as mp
import sys
import tempfile
import time
import traceback
from collections import Counter
from multiprocessing.connection import Connection
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks._common import CORPORA, REPO, table, write_section  # noqa: E402
from benchmarks._hostile import fuzz_input  # noqa: E402

SEED_CASE = REPO / "tests" / "fixtures" / "seed-case"


def seed_pages(limit: int = 150, max_bytes: int = 150_000) -> list[bytes]:
    """Real pages to mutate: the seed case, then ``limit`` corpus pages of at most ``max_bytes`` (sorted, spread
    over both corpora, so runs repeat)."""
    pages = [p.read_bytes() for p in sorted(SEED_CASE.glob("*.html"))]
    htmldate = sorted((CORPORA / "htmldate-dev" / "pages").glob("*.html"))
    aeb = sorted((CORPORA / "scrapinghub-aeb" / "html").glob("*.html.gz"))
    found = [p.read_bytes() for p in htmldate] + [gzip.decompress(p.read_bytes()) for p in aeb]
    small = [page for page in found if len(page) <= max_bytes]  # big pages make a run slow, not harder
    return pages + small[:: max(1, len(small) // limit)][:limit]


def _worker(conn: Connection, indices: list[int], seed: int, workdir: str, index_path: str, limit: int,
            extract_timeout: float) -> None:
    """Score inputs one by one, telling the parent ("start", i) and ("done", i, outcome, seconds, detail)."""
    from dataclasses import replace

    from benchmarks._hostile import model_or_neutral
    from detector.index import Index
    from detector.score import Scorer
    from detector.sources import Target

    seeds = seed_pages(limit)
    index = Index(index_path, readonly=True)
    scorer = Scorer(index, model=model_or_neutral())  # type: ignore[arg-type]
    scorer.config = replace(scorer.config, extract_timeout_s=extract_timeout)
    folder = Path(workdir)
    for i in indices:
        kind, data = fuzz_input(i, seeds, seed)
        path = folder / f"in{i}.html"
        path.write_bytes(data)
        conn.send(("start", i))
        started = time.perf_counter()
        try:
            verdict = scorer.score_target(Target(str(path), "file", path=path))
            verdict.to_dict()
            if verdict.error and verdict.error.startswith("internal error"):
                outcome, detail = "crash", verdict.error  # caught by Scorer so the run goes on, but still a bug
            elif verdict.error:
                outcome, detail = "refused", verdict.error.split("(")[0].strip()
            else:
                outcome, detail = "scored", ""
        except Exception as err:  # noqa: BLE001 - that is what we are counting
            outcome, detail = "crash", "".join(traceback.format_exception_only(err)).strip()[-300:]
        conn.send(("done", i, outcome, time.perf_counter() - started, f"{kind} {len(data)} B: {detail}"))
        path.unlink()
    conn.send(("finished",))


def build_index(path: Path) -> None:
    from detector.index import Index
    from detector.sources import expand, load

    with Index(path) as index:
        index.add([load(t).article for t in expand([str(SEED_CASE)])])


def run(n: int, seed: int, workers: int, hang_s: float, limit: int, extract_timeout: float) -> dict:
    ctx = mp.get_context("spawn")
    results: dict[int, tuple[str, float, str]] = {}
    hangs: list[tuple[int, str]] = []
    with tempfile.TemporaryDirectory(prefix="fuzz-") as tmp:
        index_path = Path(tmp) / "seed.sqlite"
        build_index(index_path)
        queue = list(range(n))
        chunks = [queue[k::workers] for k in range(workers)]
        live: list[dict] = []

        def spawn(indices: list[int]) -> None:
            parent, child = ctx.Pipe()
            proc = ctx.Process(target=_worker, args=(child, indices, seed, tmp, str(index_path), limit,
                                                     extract_timeout), daemon=True)
            proc.start()
            live.append({"proc": proc, "conn": parent, "todo": list(indices), "current": None, "since": 0.0})

        for chunk in chunks:
            spawn(chunk)
        started = time.monotonic()
        while live:
            for w in list(live):
                conn: Connection = w["conn"]
                while conn.poll(0.05):
                    try:
                        msg = conn.recv()
                    except EOFError:
                        break
                    if msg[0] == "start":
                        w["current"], w["since"] = msg[1], time.monotonic()
                    elif msg[0] == "done":
                        results[msg[1]] = (msg[2], msg[3], msg[4])
                        w["todo"].remove(msg[1])
                        w["current"] = None
                    elif msg[0] == "finished":
                        w["todo"] = []
                stuck = w["current"] is not None and time.monotonic() - w["since"] > hang_s
                dead = not w["proc"].is_alive() and not conn.poll(0)
                if stuck or (dead and w["todo"]):
                    w["proc"].kill()
                    w["proc"].join()
                    live.remove(w)
                    bad = w["current"] if w["current"] is not None else w["todo"][0]
                    hangs.append((bad, "hang" if stuck else f"worker died (exit {w['proc'].exitcode})"))
                    rest = [i for i in w["todo"] if i != bad]
                    if rest:
                        spawn(rest)
                elif dead or not w["todo"]:
                    w["proc"].join(timeout=5)
                    live.remove(w)
            done = len(results) + len(hangs)
            if done and done % 1000 == 0 and done != getattr(run, "_last", -1):
                run._last = done  # type: ignore[attr-defined]
                print(f"  {done}/{n} inputs, {time.monotonic() - started:.0f} s", flush=True)
        elapsed = time.monotonic() - started
    seeds = seed_pages(limit)
    return {"results": results, "hangs": hangs, "elapsed": elapsed, "seeds": len(seeds),
            "kinds": Counter(fuzz_input(i, [b""] * len(seeds), seed)[0].split(":")[0] for i in range(n))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="number of inputs (default 10,000)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--hang", type=float, default=60.0, help="seconds after which an input counts as a hang")
    parser.add_argument("--extract-timeout", type=float, default=20.0, help="the per-page extraction limit")
    parser.add_argument("--seeds", type=int, default=150, help="corpus pages to mutate")
    parser.add_argument("--no-write", action="store_true", help="do not write RESULTS.md")
    args = parser.parse_args()
    out = run(args.n, args.seed, args.workers, args.hang, args.seeds, args.extract_timeout)
    results, hangs = out["results"], out["hangs"]
    crashes = [(i, r[2]) for i, r in sorted(results.items()) if r[0] == "crash"]
    outcomes = Counter(r[0] for r in results.values())
    reasons = Counter(r[2].split(": ", 1)[1] for r in results.values() if r[0] == "refused")
    slowest = sorted(results.items(), key=lambda kv: -kv[1][1])[:5]
    times = sorted(r[1] for r in results.values())
    p = lambda q: times[min(len(times) - 1, int(q * len(times)))] if times else 0.0  # noqa: E731
    print(f"{args.n} inputs in {out['elapsed']:.0f} s: {outcomes['scored']} scored, {outcomes['refused']} refused, "
          f"{len(crashes)} crashes, {len(hangs)} hangs")
    for i, detail in crashes[:20]:
        print(f"  crash #{i}: {detail}")
    for i, why in hangs:
        print(f"  {why} #{i}")
    for i, (outcome, secs, detail) in slowest:
        print(f"  slow #{i}: {secs:.2f} s {outcome} {detail[:120]}")
    if not args.no_write:
        crash_kinds = Counter(d.splitlines()[-1].split(":")[0] for _, d in crashes)
        body = (f"{args.n:,} inputs ({', '.join(f'{v} {k}' for k, v in sorted(out['kinds'].items()))}; "
                f"{out['seeds']} real pages mutated) scored in-process by `Scorer.score_target` against the seed "
                f"index, {args.workers} workers, extraction limit {args.extract_timeout:g} s, hang = over "
                f"{args.hang:g} s.\n\n"
                f"**Crashes: {len(crashes)}. Hangs: {len(hangs)}.** {outcomes['scored']:,} scored, "
                f"{outcomes['refused']:,} refused with one line; {out['elapsed']:.0f} s wall.\n\n"
                f"Time per input: median {p(0.5):.3f} s, p99 {p(0.99):.2f} s, max {p(1.0):.2f} s.\n\n"
                + (table([(k, str(v)) for k, v in crash_kinds.most_common()], ("crash", "count")) + "\n\n"
                   if crashes else "")
                + table([(f"#{i}", f"{s:.2f}", o, d[:100].replace("|", "/")) for i, (o, s, d) in slowest],
                        ("slowest input", "s", "outcome", "what")) + "\n\n"
                + table([(k[:80].replace("|", "/"), str(v)) for k, v in reasons.most_common(8)],
                        ("most common refusal", "count")))
        write_section("Fuzz: hostile inputs through score", body)
    sys.exit(1 if crashes or hangs else 0)


if __name__ == "__main__":
    main()
