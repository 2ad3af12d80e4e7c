"""Speed benchmark of the copy engine, side by side in one run: signatures, bulk build, lookup latency, size.

1. MinHash signatures of the same shingle sets (~650-word documents, 128 permutations, affine32): our batch
   ``minhash_signatures`` against ``datasketch.MinHash.bulk``, one core each, as a ratio (rows checked equal),
   in CPU time; and the word hashing that indexing and queries run (compiled and pure-Python paths).
2. A bulk build of ``--docs`` synthetic documents (benchmarks/background.py) with ``detector.bulk`` on two
   worker processes: generation time, indexing time, peak RSS, bytes per document.
3. Lookup + verification latency (``detector.matcher.verify``: candidates, exact alignment, provenance,
   derivation) over ``--queries`` queries against the full index: half are excerpts (40% of an indexed
   document, lightly edited, inside new text), half are new documents that copy nothing.

    .venv/bin/python benchmarks/speed_bench.py --docs 500000
    .venv/bin/python benchmarks/speed_bench.py --signatures-only   # part 1 only: rewrites its rows, keeps the rest
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks import background  # noqa: E402
from benchmarks._common import RESULTS, cache_dir, peak_rss_mb, table, timer, write_section  # noqa: E402
from detector.bulk import bulk_index  # noqa: E402
from detector.config import DEFAULT  # noqa: E402
from detector import fingerprint  # noqa: E402
from detector.fingerprint import (minhash_signatures, shingle_hashes, shingle_minhash_input,  # noqa: E402
                                  signature_kernel, text_word_features, text_word_hashes, tokenize, word_kernel)
from detector.index import Index  # noqa: E402
from detector.matcher import verify  # noqa: E402
from detector.records import Article  # noqa: E402


def signature_speed(texts: list[str], warm: list[str], repeats: int = 3) -> dict[str, float]:
    """Docs/s of our signatures and of datasketch ``MinHash.bulk`` (affine32, 1 core), two ways (medians).

    (a) end to end, the issue's baseline: ours from the text (compiled tokens -> cached word hashes -> shingle
        hashes -> signatures); datasketch from the same 5-word shingle set already built as UTF-8 bytes (its
        tokenising is not timed), hashed with its default sha1 hash. ``first`` is ours on its first pass over
        ``texts``, after a warm-up on other documents ``warm`` (kernels loaded, common words cached, the
        texts' own rarer words not yet; a kernel not yet in numba's disk cache, as after an edit of
        ``detector/fingerprint_jit.py``, is compiled within it: run again); the medians are of repeated passes;
    (b) permutation math only: both fed the same 32-bit values, datasketch with ``hashfunc=int``;
    (c) ``text_word_features`` / ``text_word_hashes`` per document (indexing / queries), compiled and pure Python.
    """
    from datasketch import MinHash

    size, perms, seed = DEFAULT.shingle_size, DEFAULT.num_perm, DEFAULT.seed

    def ours_e2e(batch: list[str]) -> np.ndarray:
        return minhash_signatures([shingle_minhash_input(shingle_hashes(text_word_hashes(t), size))
                                   for t in batch], perms, seed)

    ours_e2e(warm)  # compile / load the kernels and build the code-point tables outside the timing
    with timer(time.process_time) as first:
        ours_e2e(texts)
    shingle_bytes = []
    for text in texts:
        words = tokenize(text).words
        shingle_bytes.append({" ".join(words[i:i + size]).encode("utf-8")
                              for i in range(max(1, len(words) - size + 1))})
    sets = [shingle_minhash_input(shingle_hashes(text_word_hashes(t), size)) for t in texts]
    lists = [s.tolist() for s in sets]

    def per_doc(fn: Callable[[str], object]) -> float:
        with timer(time.process_time) as t:
            for text in texts:
                fn(text)
        return t["s"]

    runs: dict[str, list[float]] = {k: [] for k in ("e2e_ours", "e2e_ds", "perm_ours", "perm_ds", "feat", "hash",
                                                    "feat_py", "hash_py")}
    for _ in range(repeats):
        with timer(time.process_time) as t:
            ours_e2e(texts)
        runs["e2e_ours"].append(t["s"])
        with timer(time.process_time) as t:
            MinHash.bulk(shingle_bytes, num_perm=perms, seed=seed, scheme="affine32")
        runs["e2e_ds"].append(t["s"])
        with timer(time.process_time) as t:
            sigs = minhash_signatures(sets, perms, seed)
        runs["perm_ours"].append(t["s"])
        with timer(time.process_time) as t:
            ref = MinHash.bulk(lists, num_perm=perms, seed=seed, scheme="affine32", hashfunc=int)
        runs["perm_ds"].append(t["s"])
        runs["feat"].append(per_doc(text_word_features))
        runs["hash"].append(per_doc(text_word_hashes))
        with fingerprint.python_words():
            runs["feat_py"].append(per_doc(text_word_features))
            runs["hash_py"].append(per_doc(text_word_hashes))
    equal = all(np.array_equal(sigs[i], ref[i].hashvalues.astype(np.uint32)) for i in range(len(ref)))
    compiled = [text_word_features(t) for t in texts]
    with fingerprint.python_words():
        same = all(np.array_equal(h, ph) and np.array_equal(f, pf)
                   for (h, f), (ph, pf) in zip(compiled, map(text_word_features, texts)))
    med = {k: float(np.median(v)) for k, v in runs.items()}
    n = len(texts)
    return {"docs": n, "words": float(np.mean([len(t.split()) for t in texts])),
            "e2e_first": n / first["s"], "first_ratio": med["e2e_ds"] / first["s"],
            "e2e_ours": n / med["e2e_ours"], "e2e_ds": n / med["e2e_ds"],
            "e2e_ratio": med["e2e_ds"] / med["e2e_ours"],
            "perm_ours": n / med["perm_ours"], "perm_ds": n / med["perm_ds"],
            "perm_ratio": med["perm_ds"] / med["perm_ours"], "equal": float(equal), "repeats": repeats,
            "same_words": float(same),
            **{f"{k}_us": 1e6 * med[k] / n for k in ("feat", "hash", "feat_py", "hash_py")}}


def signature_rows(sig: dict[str, float]) -> list[tuple[str, str, str]]:
    """The rows of part 1 (signatures and word hashing)."""
    return [
        ("(a) signatures end to end, ours (text -> signature, 1 core)", f"{sig['e2e_ours']:,.0f} docs/s",
         f"**{sig['e2e_ratio']:.1f}x** datasketch; first pass over the documents {sig['e2e_first']:,.0f} docs/s "
         f"({sig['first_ratio']:.1f}x); kernels: words {word_kernel()}, signatures {signature_kernel()}"),
        ("(a) datasketch MinHash.bulk, shingle bytes, sha1 (1 core)", f"{sig['e2e_ds']:,.0f} docs/s",
         f"{sig['docs']:,} docs of {sig['words']:.0f} words, 128 perms, median of {sig['repeats']}, CPU time"),
        ("(b) permutation math only, ours", f"{sig['perm_ours']:,.0f} docs/s",
         f"**{sig['perm_ratio']:.1f}x** datasketch; rows identical: {bool(sig['equal'])}"),
        ("(b) datasketch MinHash.bulk, hashfunc=int", f"{sig['perm_ds']:,.0f} docs/s", "same 32-bit values"),
        ("(c) text_word_features per document (indexing)", f"{sig['feat_us']:,.1f} us",
         f"pure Python {sig['feat_py_us']:,.1f} us ({sig['feat_py_us'] / sig['feat_us']:.1f}x slower); "
         f"hashes and flags identical: {bool(sig['same_words'])}"),
        ("(c) text_word_hashes per document (queries)", f"{sig['hash_us']:,.1f} us",
         f"pure Python {sig['hash_py_us']:,.1f} us ({sig['hash_py_us'] / sig['hash_us']:.1f}x slower)"),
    ]


_SIGNATURE_ROW = re.compile(r"^\| \([abc]\) .*\|$", re.M)
_CARRIED = re.compile(r"^Rows other than \(a\)-\(c\) are from the full run `(?P<cmd>[^`]*)` \((?P<run>[^)]*)\)\.$",
                      re.M)


def rewrite_signature_rows(name: str, sig: dict[str, float], path: Path = RESULTS) -> str:
    """The section ``name`` of RESULTS.md with only the signature rows replaced by ``sig``'s.

    The section's stamp becomes this (signature-only) run, so its body says which run the other rows come from.
    """
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    found = re.search(rf"<!-- {re.escape(name)}:start -->\n## [^\n]*\n\nCommand: `(?P<cmd>[^`]*)`  \n"
                      rf"Run: (?P<run>[^\n]*)\n\n(?P<body>.*?)\n<!-- {re.escape(name)}:end -->", text, re.S)
    if not found or not _SIGNATURE_ROW.search(found["body"]):
        raise SystemExit(f"no section {name!r} with signature rows in {path}: run the full benchmark first")
    body = found["body"]
    carried = _CARRIED.search(body)
    origin = (carried["cmd"], carried["run"]) if carried else (found["cmd"], found["run"])
    body = _CARRIED.sub("", body).lstrip("\n")
    rows = signature_rows(sig)
    lines, placed = [], False
    for line in body.split("\n"):
        if _SIGNATURE_ROW.match(line):
            if not placed:
                lines += ["| " + " | ".join(r) + " |" for r in rows]
                placed = True
            continue
        lines.append(line)
    note = f"Rows other than (a)-(c) are from the full run `{origin[0]}` ({origin[1]})."
    return note + "\n\n" + "\n".join(lines)


def excerpt_query(doc: dict[str, object], rng: np.random.Generator, filler: str, k: int) -> Article:
    """40% of an indexed document with one word in 30 changed, inside unrelated text."""
    words = str(doc["text"]).split()
    n = max(20, int(0.4 * len(words)))
    start = int(rng.integers(0, max(1, len(words) - n)))
    part = [w if rng.random() > 1 / 30 else "edited" for w in words[start:start + n]]
    fill = filler.split()
    text = " ".join(fill[:150]) + "\n\n" + " ".join(part) + "\n\n" + " ".join(fill[150:300])
    return Article(url=f"https://query.example/excerpt/{k}", domain="query.example", title=None, text=text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=500_000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--signature-docs", type=int, default=3000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", type=Path, default=None, help="index path (default: a temporary file)")
    parser.add_argument("--reuse", action="store_true",
                        help="with --out: query an index built by an earlier run instead of building it again")
    parser.add_argument("--no-write", action="store_true", help="do not write RESULTS.md")
    parser.add_argument("--signatures-only", action="store_true",
                        help="run part 1 only and rewrite its rows in the existing --docs section")
    args = parser.parse_args(argv)

    sig = signature_speed([str(d["text"]) for d in background.documents(args.signature_docs, seed=11)],
                          [str(d["text"]) for d in background.documents(300, seed=12)])
    if args.signatures_only:
        print(table(signature_rows(sig), ("measure", "value", "detail")))
        if not args.no_write:
            name = f"Copy-engine speed ({args.docs:,} documents)"
            write_section(name, rewrite_signature_rows(name, sig))
        return 0

    work = Path(tempfile.mkdtemp(dir=cache_dir()))
    jsonl = work / "docs.jsonl"
    path = args.out or work / "index.sqlite"
    reused = bool(args.reuse and args.out and path.exists())
    gen = build = {"s": float("nan")}
    postings = 0
    if not reused:
        for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            p.unlink(missing_ok=True)
        with timer() as gen, jsonl.open("w", encoding="utf-8") as out:
            for doc in background.documents(args.docs):
                out.write(json.dumps(doc, ensure_ascii=False) + "\n")
        with timer() as build, jsonl.open(encoding="utf-8") as lines:
            report = bulk_index(path, lines, DEFAULT, workers=args.workers, batch=500)
        postings = report.postings
        jsonl.unlink()
    rss = peak_rss_mb()
    sidecar = Path(f"{path}.build.json")  # a --reuse run reports the figures of the run that built the index
    if reused and sidecar.exists():
        built = json.loads(sidecar.read_text(encoding="utf-8"))
        gen, build, postings, rss = {"s": built["gen_s"]}, {"s": built["build_s"]}, built["postings"], built["rss"]
    elif not reused:
        sidecar.write_text(json.dumps({"gen_s": gen["s"], "build_s": build["s"], "postings": postings, "rss": rss,
                                       "workers": args.workers}), encoding="utf-8")

    rng = np.random.default_rng(5)
    half = args.queries // 2
    # excerpts of documents from a few generation batches (documents are deterministic per batch)
    starts = rng.choice(max(1, args.docs // background.BATCH), size=min(25, max(1, args.docs // background.BATCH)),
                        replace=False) * background.BATCH
    pool = [d for lo in sorted(starts.tolist())
            for d in background.documents(min(background.BATCH, args.docs - lo), start=lo)]
    picks = rng.choice(len(pool), size=min(half, len(pool)), replace=False)
    fillers = [str(d["text"]) for d in background.documents(args.queries, seed=99, start=50_000_000)]
    queries: list[tuple[str, Article]] = []
    for k in picks.tolist():
        doc = pool[k]
        number = int(str(doc["url"]).rsplit("/", 1)[1])
        queries.append(("excerpt", excerpt_query(doc, rng, fillers[len(queries)], number)))
    queries += [("novel", Article(url=f"https://query.example/novel/{k}", domain="query.example", title=None,
                                  text=fillers[half + k])) for k in range(args.queries - len(queries))]
    lat: dict[str, list[float]] = {"excerpt": [], "novel": []}
    cpu: list[float] = []
    found = 0
    with Index(path, readonly=True) as index:
        info = index.info()
        for kind, query in queries[:5]:  # warm the page cache the way a serving process would be warm
            verify(query, index)
        for kind, query in queries:
            with timer() as t:
                c0 = time.thread_time()
                matches = verify(query, index)
                cpu.append((time.thread_time() - c0) * 1000)
            lat[kind].append(t["s"] * 1000)
            if kind == "excerpt":
                k = int(query.url.rsplit("/", 1)[1])
                found += any(v.match.url.endswith(f"/{k}") for v in matches)
    every = np.asarray(lat["excerpt"] + lat["novel"])

    rows = [
        *signature_rows(sig),
        ("background generation", f"{gen['s']:.0f} s",
         f"{args.docs:,} docs" + (" (index, build figures and RSS from the run that built it)" if reused else "")),
        (f"bulk indexing ({args.workers} worker processes)", f"{build['s']:.0f} s",
         f"{info['documents'] / build['s']:,.0f} docs/s; {postings:,} postings; {info['bands']:,} LSH band keys"),
        ("peak RSS", f"{rss['self_mb']:,.0f} MB parent", f"largest worker {rss['largest_child_mb']:,.0f} MB"),
        ("index size", f"{info['bytes'] / 1e6:,.0f} MB", f"{info['bytes_per_document']:,.0f} bytes/document"),
        ("lookup + verification p50", f"{np.percentile(every, 50):.1f} ms",
         f"excerpt {np.percentile(lat['excerpt'], 50):.1f} / novel {np.percentile(lat['novel'], 50):.1f} ms"),
        ("lookup + verification p99", f"{np.percentile(every, 99):.1f} ms",
         f"excerpt {np.percentile(lat['excerpt'], 99):.1f} / novel {np.percentile(lat['novel'], 99):.1f} ms"),
        ("lookup + verification, CPU time p50 / p99", f"{np.percentile(cpu, 50):.1f} / {np.percentile(cpu, 99):.1f} ms",
         "this thread's CPU time: what other jobs on the machine do not inflate"),
        ("excerpt queries whose source was found", f"{found}/{len(lat['excerpt'])}", ""),
    ]
    body = "\n".join([
        f"Index of {info['documents']:,} synthetic documents (see benchmarks/background.py), fingerprint "
        f"`{info['fingerprint']}`, {len(every)} queries; load average {os.getloadavg()[0]:.1f} when the queries ended "
        "(2 cores: above ~1 the wall-clock latencies include waiting for a core).", "",
        table(rows, ("measure", "value", "detail")), "",
        "Targets: signatures >= 5x datasketch; p50 <= 5 ms, p99 <= 50 ms at 500k documents; <= 4 KB/document.",
    ])
    print(body)
    if not args.no_write:
        write_section(f"Copy-engine speed ({args.docs:,} documents)", body)
    if args.out is None:
        for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), sidecar):
            p.unlink(missing_ok=True)
    work.rmdir()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
