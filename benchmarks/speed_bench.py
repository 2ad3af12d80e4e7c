"""Speed benchmark of the copy engine, side by side in one run: signatures, bulk build, lookup latency, size.

1. MinHash signatures of the same shingle sets (~650-word documents, 128 permutations, affine32): our batch
   ``minhash_signatures`` against ``datasketch.MinHash.bulk``, one core each, as a ratio (rows checked equal).
2. A bulk build of ``--docs`` synthetic documents (benchmarks/background.py) with ``detector.bulk`` on two
   worker processes: generation time, indexing time, peak RSS, bytes per document.
3. Lookup + verification latency (``detector.matcher.verify``: candidates, exact alignment, provenance,
   derivation) over ``--queries`` queries against the full index: half are excerpts (40% of an indexed
   document, lightly edited, inside new text), half are new documents that copy nothing.

    .venv/bin/python benchmarks/speed_bench.py --docs 500000
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks import background  # noqa: E402
from benchmarks._common import cache_dir, peak_rss_mb, table, timer, write_section  # noqa: E402
from detector.bulk import bulk_index  # noqa: E402
from detector.config import DEFAULT  # noqa: E402
from detector.fingerprint import minhash_input, minhash_signatures, shingle_hashes, text_word_hashes  # noqa: E402
from detector.index import Index  # noqa: E402
from detector.matcher import verify  # noqa: E402
from detector.records import Article  # noqa: E402


def signature_speed(texts: list[str]) -> dict[str, float]:
    """Docs/s of our vectorised signatures and of datasketch ``MinHash.bulk`` on the same 32-bit sets."""
    from datasketch import MinHash

    sets = [minhash_input(shingle_hashes(text_word_hashes(t), DEFAULT.shingle_size)) for t in texts]
    lists = [s.tolist() for s in sets]
    with timer() as ours:
        sigs = minhash_signatures(sets, DEFAULT.num_perm, DEFAULT.seed)
    with timer() as theirs:
        ref = MinHash.bulk(lists, num_perm=DEFAULT.num_perm, seed=DEFAULT.seed, scheme="affine32", hashfunc=int)
    equal = all(np.array_equal(sigs[i], ref[i].hashvalues.astype(np.uint32)) for i in range(len(ref)))
    return {"docs": len(texts), "words": float(np.mean([len(t.split()) for t in texts])),
            "ours": len(texts) / ours["s"], "datasketch": len(texts) / theirs["s"],
            "ratio": theirs["s"] / ours["s"], "equal": float(equal)}


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
    parser.add_argument("--no-write", action="store_true", help="do not write RESULTS.md")
    args = parser.parse_args(argv)

    sig = signature_speed([str(d["text"]) for d in background.documents(args.signature_docs, seed=11)])

    work = Path(tempfile.mkdtemp(dir=cache_dir()))
    jsonl = work / "docs.jsonl"
    with timer() as gen, jsonl.open("w", encoding="utf-8") as out:
        for doc in background.documents(args.docs):
            out.write(json.dumps(doc, ensure_ascii=False) + "\n")
    path = args.out or work / "index.sqlite"
    with timer() as build, jsonl.open(encoding="utf-8") as lines:
        report = bulk_index(path, lines, DEFAULT, workers=args.workers, batch=500)
    rss = peak_rss_mb()

    rng = np.random.default_rng(5)
    half = args.queries // 2
    picks = set(rng.choice(args.docs, size=min(half, args.docs), replace=False).tolist())
    fillers = [str(d["text"]) for d in background.documents(args.queries, seed=99, start=50_000_000)]
    queries: list[tuple[str, Article]] = []
    with jsonl.open(encoding="utf-8") as lines:
        for k, line in enumerate(lines):
            if k in picks:
                queries.append(("excerpt", excerpt_query(json.loads(line), rng, fillers[len(queries)], k)))
    queries += [("novel", Article(url=f"https://query.example/novel/{k}", domain="query.example", title=None,
                                  text=fillers[half + k])) for k in range(args.queries - len(queries))]
    lat: dict[str, list[float]] = {"excerpt": [], "novel": []}
    found = 0
    with Index(path, readonly=True) as index:
        info = index.info()
        for kind, query in queries[:5]:  # warm the page cache the way a serving process would be warm
            verify(query, index)
        for kind, query in queries:
            with timer() as t:
                matches = verify(query, index)
            lat[kind].append(t["s"] * 1000)
            if kind == "excerpt":
                k = int(query.url.rsplit("/", 1)[1])
                found += any(v.match.url.endswith(f"/{k}") for v in matches)
    jsonl.unlink()
    every = np.asarray(lat["excerpt"] + lat["novel"])

    rows = [
        ("signatures, ours (vectorised, 1 core)", f"{sig['ours']:,.0f} docs/s",
         f"{sig['ratio']:.1f}x datasketch; rows identical: {bool(sig['equal'])}"),
        ("signatures, datasketch MinHash.bulk (1 core)", f"{sig['datasketch']:,.0f} docs/s",
         f"{sig['docs']:,} docs of {sig['words']:.0f} words, 128 perms"),
        ("background generation", f"{gen['s']:.0f} s", f"{args.docs:,} docs"),
        ("bulk indexing (2 worker processes)", f"{build['s']:.0f} s",
         f"{report.added / build['s']:,.0f} docs/s; {report.postings:,} postings"),
        ("peak RSS", f"{rss['self_mb']:,.0f} MB parent", f"largest worker {rss['largest_child_mb']:,.0f} MB"),
        ("index size", f"{info['bytes'] / 1e6:,.0f} MB", f"{info['bytes_per_document']:,.0f} bytes/document"),
        ("lookup + verification p50", f"{np.percentile(every, 50):.1f} ms",
         f"excerpt {np.percentile(lat['excerpt'], 50):.1f} / novel {np.percentile(lat['novel'], 50):.1f} ms"),
        ("lookup + verification p99", f"{np.percentile(every, 99):.1f} ms",
         f"excerpt {np.percentile(lat['excerpt'], 99):.1f} / novel {np.percentile(lat['novel'], 99):.1f} ms"),
        ("excerpt queries whose source was found", f"{found}/{len(lat['excerpt'])}", ""),
    ]
    body = "\n".join([
        f"Index of {info['documents']:,} synthetic documents (see benchmarks/background.py), fingerprint "
        f"`{info['fingerprint']}`, {len(every)} queries.", "",
        table(rows, ("measure", "value", "detail")), "",
        "Targets: signatures >= 5x datasketch; p50 <= 5 ms, p99 <= 50 ms at 500k documents; <= 4 KB/document.",
    ])
    print(body)
    if not args.no_write:
        write_section(f"Copy-engine speed ({args.docs:,} documents)", body)
    if args.out is None:
        for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            p.unlink(missing_ok=True)
        work.rmdir()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
