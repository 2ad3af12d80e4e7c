"""Trait tables for training and evaluating the farm classifier, from the built training corpus.

Every page of ``labels.jsonl`` is extracted as if fetched from its URL and its traits computed twice:

- **plain**: no index, so the copy-evidence traits are 0 (how ``detector score`` runs without ``--index``);
- **indexed**: matched (``detector.matcher.find_matches``) against a real SQLite index of the corpus's *real*
  publisher pages, the sources every generated page re-hosts, so copy traits are measured, not planted.

``clean_generated`` pages (publisher templates holding a real page's body, with no credit) are negatives as they
read on their own; their indexed rows, where the index shows that body taken without credit from the real page
(``COPY_POSITIVE_KINDS``), are positives: a newsroom-looking page whose text is another site's article, uncredited,
is a farm's subtle copy (``model_train.make_rows``). Outside probes' lookalike-portal copies, verbatim and
uncredited, read clean with that evidence in hand (0.25) while no training row showed such a copy. Real pages
are indexed too and never match themselves (same URL is skipped).
The table is cached beside ``labels.jsonl``, keyed by the labels, the trait code and the phrase lists.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from detector.config import DEFAULT, Config
from detector.errors import DetectorError, InputError
from detector.records import Match

REPO = Path(__file__).resolve().parent.parent
BUILDER = REPO / "datasets" / "training" / "build.py"
DEFAULT_GENERATED = REPO / "datasets" / "training" / "generated"
FEATURES_DIR = REPO / "features"
#: Kinds whose indexed rows are farm copies when the index shows their text taken without credit (module docstring).
COPY_POSITIVE_KINDS = frozenset({"clean_generated"})


@dataclass(frozen=True)
class TraitTable:
    """Per page: its record, plain trait values, indexed trait values (NaN rows where not indexed)."""

    records: list[dict[str, Any]]
    plain: np.ndarray
    indexed: np.ndarray
    feature_names: list[str]
    labels_sha256: str
    seed: int | None
    failed: list[tuple[str, str]]

    @property
    def has_indexed(self) -> np.ndarray:
        return ~np.isnan(self.indexed).any(axis=1)


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


#: The detector modules a trait table depends on besides ``features/``: extraction (the articles and DOMs the
#: traits read), the copy engine (the indexed rows' copy traits come from its matches) and this module.
TABLE_MODULES = ("agencies.py", "align.py", "align_jit.py", "bodycodec.py", "charset.py", "consent_banners.py",
                 "credited_author.py", "derive.py", "derive_model.json", "docprint.py", "extract.py",
                 "fingerprint.py", "fingerprint_jit.py", "fingerprint_kernel.py", "index.py", "index_open.py",
                 "jsonld.py", "archive_capture.py", "live_blog.py", "local_zone.py", "matcher.py", "model_data.py",
                 "own_url.py", "page_metadata.py", "person_byline.py", "provenance.py", "pubdate.py", "records.py",
                 "score.py", "sources.py", "stated_sources.py", "urls.py")
#: Modules the table's modules import that do not change a trait value: errors, settings read through
#: ``Config.fingerprint``, the classifier itself, fetching and its politeness, WARC reading, a verdict's HTML report.
NOT_TABLE_MODULES = ("errors.py", "config.py", "classify.py", "politeness.py", "fetch.py", "netguard.py",
                     "content_kind.py", "report.py", "warc.py", "__init__.py")


def code_fingerprint() -> str:
    """Hash of the trait code, the phrase lists, extraction and the copy engine: a cached table is reused only
    while they are unchanged."""
    digest = hashlib.sha256()
    files = [p for p in sorted(FEATURES_DIR.rglob("*")) if p.suffix in (".py", ".toml") and p.is_file()]
    files += [Path(__file__).with_name(name) for name in TABLE_MODULES]
    for path in files:
        digest.update(f"{path.parent.name}/{path.name}".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def pages_fingerprint(generated: Path) -> str:
    """Hash of the built pages' names and bytes: a builder change that alters pages but not their labels (a
    furniture's wording) must not reuse the table of the pages before it."""
    digest = hashlib.sha256()
    for path in sorted((generated / "pages").glob("*.html")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def build_training_set(corpora: Path, out: Path, seed: int = 0, limit: int | None = None, workers: int = 2) -> Path:
    """Run the training-set builder (``datasets/training/build.py``); returns the ``labels.jsonl`` path."""
    if not BUILDER.is_file():
        raise DetectorError(f"{BUILDER}: the training-set builder is only in a source checkout")
    cmd = [sys.executable, str(BUILDER), "--corpora", str(corpora), "--out", str(out), "--seed", str(seed),
           "--workers", str(workers), "--no-card"]
    if limit is not None:
        cmd += ["--limit", str(limit)]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise DetectorError(f"training-set builder failed ({done.returncode}): {done.stderr.strip()[-500:]}")
    return out / "labels.jsonl"


def builder_seed(generated: Path) -> int | None:
    try:
        return int(json.loads((generated / "counts.json").read_text("utf-8"))["seed"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _page(args: tuple[str, str, str]) -> tuple[Any, list[float] | None, str | None]:
    """Worker: extract one page as fetched from its URL and compute its plain traits; its article carries the
    names the whole page credits, as ``detector score`` reads them (``detector.score.examined``), for the copy
    engine of the indexed rows."""
    from detector.extract import extract
    from detector.score import examined
    from detector.sources import read_page_bytes
    from features import compute_traits

    path, url, name = args
    try:
        page = read_page_bytes(Path(path).read_bytes(), name, url, DEFAULT.max_bytes)
        extracted = extract(page, DEFAULT, target=name)
    except (InputError, OSError) as exc:
        return None, None, str(exc)
    extracted, view = examined(extracted)
    traits = compute_traits(view)
    return extracted.article, [t.value for t in traits], None


def _copy_columns() -> list[int]:
    from features import trait_specs

    return [i for i, spec in enumerate(trait_specs()) if spec.family == "copy_evidence"]


def _source_record(match: Match | None) -> dict[str, Any] | None:
    """What an indexed row's strongest copy match says, for telling why a page scored high (None: no copy)."""
    if match is None:
        return None
    longest = max((len(p.text.split()) for p in match.passages), default=0)
    return {"url": match.url, "share": round(float(match.share_of_this), 3), "derivation": match.derivation,
            "credited": bool(match.credited), "passages": len(match.passages), "longest_passage_words": longest}


def compute_table(generated: Path, workers: int = 2, config: Config = DEFAULT, progress: Any = None) -> TraitTable:
    """Extract every page, compute plain and indexed traits (see the module docstring)."""
    from detector.index import Index
    from detector.matcher import find_matches
    from features import PageView, feature_names, trait_specs
    from features.copy_evidence import copies, strongest

    labels = generated / "labels.jsonl"
    records = [json.loads(line) for line in labels.read_text("utf-8").splitlines() if line.strip()]
    names = feature_names()
    jobs = [(str(generated / r["path"]), r["url"], r["id"]) for r in records]
    if workers > 1:
        with ProcessPoolExecutor(workers) as pool:
            results = list(pool.map(_page, jobs, chunksize=16))
    else:
        results = [_page(job) for job in jobs]
    failed = [(r["id"], err) for r, (_, _, err) in zip(records, results) if err]
    keep = [i for i, (_, values, _) in enumerate(results) if values is not None]
    records = [records[i] for i in keep]
    articles = [results[i][0] for i in keep]
    plain = np.array([results[i][1] for i in keep], dtype=np.float64)
    indexed = np.full_like(plain, np.nan)
    copy_cols = _copy_columns()
    copy_specs = [trait_specs()[i] for i in copy_cols]
    if progress:
        progress(f"extracted {len(records)} pages ({len(failed)} refused); matching against the source index")
    with tempfile.TemporaryDirectory() as tmp:
        with Index(Path(tmp) / "sources.sqlite", config) as index:
            index.add([a for a, r in zip(articles, records) if r["kind"] == "real"])
            for row, article in enumerate(articles):
                matches = tuple(find_matches(article, index))
                view = PageView(article, None, matches)
                records[row] = {**records[row], "indexed_source": _source_record(strongest(copies(view)))}
                indexed[row] = plain[row]
                for col, spec in zip(copy_cols, copy_specs):
                    out = spec.fn(view)
                    indexed[row, col] = float(out[0] if isinstance(out, tuple) else out)
    return TraitTable(records, plain, indexed, names, sha256_file(labels), builder_seed(generated), failed)


def load_table(generated: Path, workers: int = 2, progress: Any = None) -> TraitTable:
    """The trait table of a built corpus, from its cache when labels, trait code and phrases are unchanged."""
    from features import feature_names

    labels = generated / "labels.jsonl"
    if not labels.is_file():
        raise DetectorError(f"{labels}: no training set here (run `detector train --corpora ...` to build it)")
    key = hashlib.sha256(f"{sha256_file(labels)}:{pages_fingerprint(generated)}:{code_fingerprint()}:"
                         f"{DEFAULT.fingerprint}".encode()).hexdigest()[:16]
    cache = generated / f"traits-{key}.npz"
    if cache.is_file():
        data = np.load(cache, allow_pickle=False)
        meta = json.loads(str(data["meta"]))
        if meta["feature_names"] == feature_names():
            return TraitTable(meta["records"], data["plain"], data["indexed"], meta["feature_names"],
                              meta["labels_sha256"], meta["seed"], [tuple(f) for f in meta["failed"]])
    table = compute_table(generated, workers, progress=progress)
    meta = {"records": table.records, "feature_names": table.feature_names, "labels_sha256": table.labels_sha256,
            "seed": table.seed, "failed": table.failed}
    for old in generated.glob("traits-*.npz"):
        old.unlink()
    tmp = cache.with_suffix(f".{os.getpid()}.npz")
    np.savez_compressed(tmp, plain=table.plain, indexed=table.indexed, meta=np.array(json.dumps(meta)))
    tmp.replace(cache)
    return table
