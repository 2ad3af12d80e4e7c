"""Synthetic background documents for the copy-index benchmarks, built from real pages, deterministically.

Sources (read from ``../shared/corpora``, never copied into the repository): the article bodies of
scrapinghub-aeb (English news) and the main text of the htmldate-dev pages (mostly German, some English and
French; extracted once with trafilatura and cached outside the repository). Nothing comes from METER.

Two kinds of documents, honestly synthetic:
- 95% are sampled from a word-bigram Markov chain fitted on one of the two sources (chosen per document):
  real vocabulary, real local word order and real stock phrases, but new 5-word shingles, so that every
  document is distinct as real unrelated pages are;
- 5% recombine 3-8 real paragraphs of those pages, so the background also holds near-duplicates and reused
  paragraphs (shared passages that a query may hit), as a real crawl does.
Lengths are log-normal around ``--words`` (default 650). Every document gets its own synthetic site
(``bg<k>.example``, 5,000 sites) and a date in 2021. Generation is vectorised over a batch with numpy.

    .venv/bin/python benchmarks/background.py --docs 100000 --out /tmp/background.jsonl
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks._common import CORPORA, cache_dir  # noqa: E402

_TOKEN = re.compile(r"\w+|[^\w\s]")
_PUNCT = re.compile(r"[^\w\s]")
SITES = 5000
BATCH = 2000


def source_texts() -> dict[str, list[str]]:
    """Real texts per source: ``aeb`` (English article bodies) and ``htmldate`` (extracted main text)."""
    cached = cache_dir() / "background-sources.json.gz"
    if cached.exists():
        return json.loads(gzip.decompress(cached.read_bytes()))
    truth = json.loads((CORPORA / "scrapinghub-aeb" / "ground-truth.json").read_text(encoding="utf-8"))
    aeb = [v["articleBody"] for v in truth.values() if len(v["articleBody"].split()) >= 50]
    import trafilatura

    htmldate = []
    for page in sorted((CORPORA / "htmldate-dev" / "pages").glob("*.html")):
        text = trafilatura.extract(page.read_bytes(), include_comments=False, favor_recall=True)
        if text and len(text.split()) >= 50:
            htmldate.append(text)
    texts = {"aeb": aeb, "htmldate": htmldate}
    cached.write_bytes(gzip.compress(json.dumps(texts, ensure_ascii=False).encode("utf-8")))
    return texts


@dataclass(frozen=True)
class Chain:
    """A word-bigram Markov chain in compressed form: successors of token ``t`` are ``succ[start[t]:end[t]]``."""

    pieces: np.ndarray  # token id -> text to append (" word", "," or ".\n\n")
    start: np.ndarray
    count: np.ndarray
    succ: np.ndarray
    period: int
    paragraph: int

    @classmethod
    def fit(cls, texts: list[str]) -> "Chain":
        vocab: dict[str, int] = {}
        seq: list[int] = []
        for text in texts:
            for tok in _TOKEN.findall(text):
                seq.append(vocab.setdefault(tok, len(vocab)))
            seq.append(vocab.setdefault(".", len(vocab)))
        ids = np.asarray(seq, dtype=np.int64)
        cur, nxt = ids[:-1], ids[1:]
        order = np.argsort(cur, kind="stable")
        count = np.bincount(cur, minlength=len(vocab) + 1)
        start = np.concatenate(([0], np.cumsum(count)[:-1]))
        words = [t if _PUNCT.fullmatch(t) else " " + t for t in vocab]
        period = vocab["."]
        pieces = np.asarray(words + [".\n\n"], dtype=object)
        return cls(pieces, start, count, nxt[order], period, len(vocab))

    def sample(self, lengths: np.ndarray, rng: np.random.Generator) -> list[str]:
        """One text per length (in tokens), all generated in lockstep."""
        n, steps = len(lengths), int(lengths.max())
        out = np.empty((n, steps), dtype=np.int64)
        cur = np.full(n, self.period, dtype=np.int64)
        for step in range(steps):
            dead = self.count[cur] == 0
            cur[dead] = self.period
            pick = self.start[cur] + (rng.random(n) * self.count[cur]).astype(np.int64)
            cur = self.succ[pick]
            out[:, step] = cur
        breaks = (out == self.period) & (rng.random(out.shape) < 0.25)
        out[breaks] = self.paragraph
        return ["".join(self.pieces[row[:k]]).strip() for row, k in zip(out, lengths)]


def _paragraphs(texts: list[str]) -> list[str]:
    return [p.strip() for t in texts for p in re.split(r"\n\s*\n|\n", t) if len(p.split()) >= 15]


def documents(n: int, seed: int = 7, words: int = 650, start: int = 0) -> Iterator[dict[str, object]]:
    """``n`` background documents as JSONL-ready article dicts (numbered from ``start``)."""
    sources = source_texts()
    chains = [Chain.fit(sources["aeb"]), Chain.fit(sources["htmldate"])]
    paragraphs = _paragraphs(sources["aeb"] + sources["htmldate"])
    for lo in range(start, start + n, BATCH):
        size = min(BATCH, start + n - lo)
        rng = np.random.default_rng([seed, lo])
        lengths = np.clip(rng.lognormal(np.log(words * 1.12), 0.45, size), 60, 6000).astype(np.int64)
        which = rng.integers(0, 2, size)
        texts: list[str] = [""] * size
        for c, chain in enumerate(chains):
            sel = np.flatnonzero(which == c)
            if len(sel):
                for i, text in zip(sel.tolist(), chain.sample(lengths[sel], rng)):
                    texts[i] = text
        for i in np.flatnonzero(rng.random(size) < 0.05).tolist():
            picks = rng.integers(0, len(paragraphs), int(rng.integers(3, 9)))
            texts[i] = "\n\n".join(paragraphs[p] for p in picks.tolist())
        for i, text in enumerate(texts):
            k = lo + i
            site = f"bg{k % SITES}.example"
            yield {"url": f"https://{site}/{k}", "domain": site, "title": " ".join(text.split()[:8]),
                   "text": text, "published": f"2021-{1 + k % 12:02d}-{1 + k % 28:02d}T08:00:00+00:00"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--words", type=int, default=650)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    with args.out.open("w", encoding="utf-8") as out:
        for doc in documents(args.docs, args.seed, args.words):
            out.write(json.dumps(doc, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
