"""The audit on PySpark (``--engine spark``): the same stages and output tables as the local engine.

- per-page steps (read, extract, fingerprint, page-local verdict) run as ``mapInPandas`` over the inputs;
- candidate search is a join in Spark SQL with the SQLite index's rule (``Index.candidates``): a page's query
  keys against the stored postings of the batch's pages (keys held by more than ``posting_df_cap`` pages
  ignored), weighted by rarity, and its LSH bands against theirs; for each page the ``max_candidates`` best,
  ranked as the index ranks them (its own page among them, as in the run's index), so both engines verify the
  same pairs. A URL more than one input was read as is stored once, as its first input's page (the local
  engine's ``shared_pages``), and named in the same warning;
- each page is verified against its candidates by ``mapInPandas`` with ``matcher.verify_against`` (the local
  engine's own verification), and searched in the ``--index`` files, if any, as the local engine does (their
  paths must be readable by every executor: a shared file system, or local mode);
- chains are walked on the driver: a source met along a chain is verified against its own candidates again,
  without the pages already on the chain, as the local engine does it; the verdicts go through the same
  ``audit_tables`` code as the local engine, so both engines write the same tables.
A source met along a chain that only the ``--index`` files hold is searched in them and in the batch, as the
local engine searches it: the batch's pages are then indexed on the driver too. Imported only when asked for.
"""

from __future__ import annotations

import json
import logging
import os
import pickle
import sys
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

from detector.audit_inputs import Item
from detector.audit_state import (Checkpoint, file_stamp, name_order, pages_gone, read_marker, shared_pages,
                                  shared_urls, write_marker)
from detector.audit_worker import article_from_dict, batch_verdict, doubt_with, extract_item
from detector.config import Config
from detector.index import Candidate, Index
from detector.provenance import Doubt
from detector.records import Article, Match, match_order
from detector.score import stored_probability, stored_source_matches


_LOG4J = Path(__file__).with_name("spark_log4j2.properties")


def _session(log: Path, app: str = "content-farm-audit") -> Any:
    """The Spark session (``CFD_SPARK_MASTER``, default ``local[2]``). A JVM it starts writes its own output to
    ``log``, not to the terminal: its start-up banners, and the stack traces of jobs cancelled by Ctrl-C, buried
    the audit's one-line refusals (an outside probe), even with ``--quiet``."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise ImportError("install the 'spark' extra to use --engine spark: pip install 'content-farm-detector[spark]'") from None
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)  # executors run this interpreter (the venv)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    builder = (SparkSession.builder.appName(app).master(os.environ.get("CFD_SPARK_MASTER", "local[2]"))
               .config("spark.sql.shuffle.partitions", "2").config("spark.ui.enabled", "false")
               .config("spark.ui.showConsoleProgress", "false")  # the audit draws its own progress bars
               .config("spark.driver.extraJavaOptions", f"-Dlog4j.configurationFile={_LOG4J}")
               .config("spark.sql.execution.arrow.pyspark.enabled", "true"))
    with _stderr_to(log):  # the JVM and the Python workers it starts keep this as their standard error
        session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")  # Spark's warnings would bury the audit's one-line refusals
    return session


@contextmanager
def _logging_to(path: Path) -> Iterator[None]:
    """Log records with no handler of their own go to ``path`` for the block: py4j logs on the root logger, and a
    Ctrl-C that cut the gateway's connection printed some 50 lines of its tracebacks on the terminal. A process
    whose root logger already has a handler (the user's own logging set-up) keeps it as it is."""
    root = logging.getLogger()
    if root.handlers:
        yield
        return
    handler = logging.FileHandler(path, encoding="utf-8")
    root.addHandler(handler)
    try:
        yield
    finally:
        root.removeHandler(handler)
        handler.close()


@contextmanager
def _stderr_to(path: Path) -> Iterator[None]:
    """File descriptor 2 pointed at ``path`` (appended) for the block, for the processes started in it."""
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with open(path, "ab") as log:
            os.dup2(log.fileno(), 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def _int64(values: Any) -> list[int]:
    import numpy as np

    return np.asarray(values, dtype=np.uint64).view(np.int64).tolist()


def _present(value: Any) -> Any:
    """A pandas cell as a Python value: None for missing (pandas turns nulls into NaN)."""
    return value if isinstance(value, (str, bytes, bytearray)) else None


_PAGE_COLUMNS = ("name", "error", "verdict", "article", "url")
_KEY_COLUMNS = ("keys", "postings", "bands", "shingles")


def _extract_batches(config: Config) -> Callable[[Iterator[Any]], Iterator[Any]]:
    def run(frames: Iterator[Any]) -> Iterator[Any]:
        import pandas as pd

        for frame in frames:
            rows = []
            for rec in frame.itertuples(index=False):
                path, page, article, error = (_present(v) for v in (rec.path, rec.page, rec.article, rec.error))
                item = Item(rec.name, rec.kind, path=Path(path) if path else None,
                            page=pickle.loads(page) if page else None,  # noqa: S301 - pickled by this driver
                            article=article_from_dict(json.loads(article)) if article else None, error=error)
                result = extract_item(item, config)
                dp = result.docprint
                rows.append({
                    "pos": rec.pos, "name": result.name, "error": result.error, "verdict": json.dumps(result.verdict),
                    "article": json.dumps(result.article.to_dict()) if result.article else None,
                    "url": result.article.url if result.article else None,
                    "keys": _int64(getattr(dp, "keys", dp.postings)) if dp is not None else [],
                    "postings": _int64(dp.postings) if dp is not None else [],
                    "bands": _int64(getattr(dp, "bands", [])) if dp is not None else [],
                    "shingles": _int64(dp.shingle_keys) if dp is not None else [],
                })
            yield pd.DataFrame(rows, columns=["pos", *_PAGE_COLUMNS, *_KEY_COLUMNS])
    return run


def _verify_batches(config: Config, indexes: Sequence[str], own_p: dict[str, float | None]
                    ) -> Callable[[Iterator[Any]], Iterator[Any]]:
    """Stage 2 per page: ``matcher.verify_against`` over the batch pages the join paired with it and its
    candidates in the ``--index`` files, as one set (the very verification of the local engine), the indexes
    opened read-only once per partition (so every executor must be able to read them); directions only the
    dates gave are weighed by each page's own farm probability against the others' (``own_p``, of the pages the
    batch stores; else an index's), as the local engine weighs them."""
    def run(frames: Iterator[Any]) -> Iterator[Any]:
        import pandas as pd

        opened = [Index(path, readonly=True) for path in indexes]
        p_of = _probability_of(own_p, opened)

        try:
            for frame in frames:
                rows = []
                for rec in frame.itertuples(index=False):
                    article = article_from_dict(json.loads(rec.article))
                    others = [article_from_dict(json.loads(o["other"]))
                              for o in sorted(_listed(rec.others), key=lambda o: o["rank"])]
                    doubt = doubt_with(json.loads(rec.verdict).get("farm_probability"), p_of)  # its own page's
                    rows.extend({"name": rec.name, "match": _match_json(m)}
                                for m in candidate_matches(article, others, opened, config, doubt))
                yield pd.DataFrame(rows, columns=["name", "match"])
        finally:
            for index in opened:
                index.close()
    return run


def candidate_matches(article: Article, others: Sequence[Article], indexes: Sequence[Index], config: Config,
                      doubt: Doubt | None, exclude: frozenset[str] = frozenset()) -> list[Match]:
    """A page's matches among its batch candidates (in rank order) and its candidates in the ``--index`` files,
    verified as one set, as the local engine verifies the candidates of its run index and the user's."""
    from detector.matcher import indexed_candidates, verify_against

    pairs: list[tuple[Candidate | None, Article]] = [(None, o) for o in others]
    if indexes:
        pairs += indexed_candidates(article, indexes, have={o.url for o in others})
    return [v.match for v in verify_against(article, pairs, config, exclude, doubt)] if pairs else []


def _probability_of(own_p: dict[str, float | None], indexes: Sequence[Index]) -> Callable[[str], float | None]:
    """A page's own farm probability: a batch page's from stage 1, else the one an ``--index`` kept."""
    return lambda url: own_p[url] if url in own_p else stored_probability(indexes, url)


def _listed(value: Any) -> list[Any]:
    """A pandas cell holding an array (or null, from an outer join) as a list."""
    return [] if value is None or isinstance(value, float) else list(value)


def _match_json(match: Match) -> str:
    data = match.to_dict()
    data["jaccard"] = match.jaccard
    data["share_of_this"], data["share_of_other"] = match.share_of_this, match.share_of_other
    return json.dumps(data)


def _input_rows(names: Sequence[str], options: Any, tallies: dict[str, Counter[str]]) -> list[dict[str, Any]]:
    """The items as rows, in input order (``pos``); ``tallies`` receives each WARC file's records by kind."""
    from detector.audit import _fetcher, _items

    rows = []
    with _fetcher(options) as fetcher:
        for item in _items(list(names), options, fetcher, tallies=tallies):
            rows.append({"pos": len(rows), "name": item.name, "kind": item.kind,
                         "path": str(item.path) if item.path else None,
                         "page": pickle.dumps(item.page) if item.page else None,
                         "article": json.dumps(item.article.to_dict()) if item.article else None,
                         "error": item.error})
    return rows


# Index.candidates in Spark SQL: for each query page q, its posting hits (shared keys held by 1 to ``cap`` stored
# pages, at least ``min_shared`` of them, a content-word key counting ``term_evidence``) weighted by rarity
# ln(size / df), the ``limit`` best; its LSH hits (bands shared); the union ranked by bands, then weight (to 9
# decimals, as the index ranks: sums in another order must not break a tie), then the stored page's URL.
CANDIDATES_SQL = """
WITH df AS (SELECT h, COUNT(*) AS n FROM postings GROUP BY h HAVING COUNT(*) <= {cap}),
     hits AS (SELECT k.q, p.doc AS d, SUM(LN({size}D / df.n)) AS w FROM keys k JOIN df ON df.h = k.h
              JOIN postings p ON p.h = k.h GROUP BY k.q, p.doc
              HAVING SUM(k.s) + (COUNT(*) - SUM(k.s)) * {term_evidence}D >= {min_shared}D),
     top AS (SELECT q, d, w FROM (SELECT q, d, w, ROW_NUMBER() OVER (PARTITION BY q ORDER BY ROUND(w, 9) DESC, u.url)
                                  AS r FROM hits JOIN urls u ON u.doc = hits.d) WHERE r <= {limit}),
     near AS (SELECT x.q, y.doc AS d, COUNT(*) AS nb FROM qbands x JOIN bands y ON x.h = y.h GROUP BY x.q, y.doc),
     pool AS (SELECT COALESCE(t.q, n.q) AS q, COALESCE(t.d, n.d) AS d, COALESCE(n.nb, 0) AS nb,
                     COALESCE(t.w, 0D) AS w FROM top t FULL OUTER JOIN near n ON t.q = n.q AND t.d = n.d)
SELECT q, d, rank FROM (SELECT q, d, ROW_NUMBER() OVER (PARTITION BY q ORDER BY nb DESC, ROUND(w, 9) DESC, u.url)
                        AS rank FROM pool JOIN urls u ON u.doc = pool.d) WHERE rank <= {limit}
"""


def stored_pages(records: Sequence[dict[str, Any]], shared: dict[str, list[str]]) -> dict[str, int]:
    """The pages the batch stores, as the local engine's run index holds them, each with an id (name -> id):
    every page read, but of a URL several inputs were read as only the first input's (``shared_pages``)."""
    later = {name for names in shared.values() for name in names[1:]}
    kept = (r["name"] for r in records if r["url"] and not r["error"] and r["name"] not in later)
    return {name: doc for doc, name in enumerate(kept, start=1)}


def run_key(names: Sequence[str], options: Any) -> dict[str, Any] | None:
    """What a finished Spark run's verdicts depend on: each source (a file's size and modification time, every
    file of a folder, a URL as named), the settings and the ``--index`` files. None when a source cannot be
    known again (standard input), or when the inputs an earlier run refused are to be tried again."""
    if "-" in names or options.retry_refused:
        return None
    sources = []
    for name in names:
        path = Path(name)
        if path.is_dir():
            sources.append([name, sorted([str(f.relative_to(path)), file_stamp(f)] for f in path.rglob("*")
                                         if f.is_file())])
        else:
            sources.append([name, file_stamp(path) if "://" not in name else None])
    indexes = [[str(p), file_stamp(p)] for p in options.index]
    settings = json.dumps(options.config.to_dict(), sort_keys=True, default=str)
    return {"sources": sources, "indexes": indexes, "jsonl": bool(options.jsonl), "config": settings}


def _files_gone(before: dict[str, Any], now: dict[str, Any]) -> list[str]:
    """Files of a folder source that the earlier run's key (``run_key``) listed and this one does not."""
    listed = {name: files for name, files in before.get("sources") or () if isinstance(files, list)
              and all(isinstance(f, list) for f in files)}
    gone = []
    for name, files in now["sources"]:
        if name in listed and isinstance(files, list):
            present = {f[0] for f in files if isinstance(f, list)}
            gone += [str(Path(name) / f[0]) for f in listed[name] if f[0] not in present]
    return sorted(gone, key=name_order)


def spark_audit(names: Sequence[str], state: Path, options: Any, on_error: Callable[[str, str], None] | None = None,
                warn: Callable[[str], None] | None = None) -> dict[str, Any]:
    """Stages 1 and 2 on Spark (``spark_verdicts``), unless a finished Spark run into this folder had the same
    sources, settings and indexes (``run_key``, kept in ``state/spark.json``): then its verdicts stand, as a
    finished local run's do. Spark keeps nothing of a run it did not finish: that run starts over."""
    marker, verdicts = state / "spark.json", state / "verdicts.jsonl"
    key, before = run_key(names, options), read_marker(marker)
    if key is not None and before == key and verdicts.exists():
        return {"skipped": len(Checkpoint(verdicts).names()), "extracted": 0, "refused_this_run": 0}
    if warn and key is not None and (warning := pages_gone(state, _files_gone(before, key), kept=False)):
        warn(warning)
    marker.unlink(missing_ok=True)
    with _logging_to(state / "spark.log"):
        counts = spark_verdicts(names, state, options, on_error, warn)
    if key is not None:
        write_marker(marker, key)
    return counts


def spark_verdicts(names: Sequence[str], state: Path, options: Any,
                   on_error: Callable[[str, str], None] | None = None,
                   warn: Callable[[str], None] | None = None) -> dict[str, Any]:
    """Run stages 1 and 2 on Spark and write ``state/verdicts.jsonl`` for the shared table code (``warn``: the
    warning of inputs read as one page URL, as the local engine gives it)."""
    from pyspark.sql import functions as F
    from pyspark.sql.types import ArrayType, BinaryType, LongType, StringType, StructField, StructType

    from detector.audit import warc_records

    config: Config = options.config
    user_indexes = [str(path) for path in options.index]
    spark = _session(state / "spark.log")
    inputs = StructType([StructField("pos", LongType())] + [
        StructField(c, BinaryType() if c == "page" else StringType())
        for c in ("name", "kind", "path", "page", "article", "error")])
    tallies: dict[str, Counter[str]] = {}
    rows = _input_rows(names, options, tallies)
    source = spark.createDataFrame(rows or [], schema=inputs).repartition(max(1, min(len(rows), 8)))
    out_schema = StructType([StructField("pos", LongType())] + [StructField(c, StringType()) for c in _PAGE_COLUMNS]
                            + [StructField(c, ArrayType(LongType())) for c in _KEY_COLUMNS])
    pages = source.mapInPandas(_extract_batches(config), schema=out_schema).cache()
    records = sorted((r.asDict() for r in pages.select("pos", *_PAGE_COLUMNS).toLocalIterator()),
                     key=lambda r: r["pos"])
    shared = shared_pages((r["name"], r["url"]) for r in records)
    if warn and (warning := shared_urls(shared, state.parent)) is not None:
        warn(warning)
    ids = stored_pages(records, shared)
    ok = pages.where(F.col("error").isNull())
    stored = ok.join(spark.createDataFrame(list(ids.items()) or [], "name string, doc long"), "name")
    stored.select("doc", "url").createOrReplaceTempView("urls")
    for view, column in (("postings", "postings"), ("bands", "bands")):  # the stored pages', by id
        stored.select("doc", F.explode(column).alias("h")).createOrReplaceTempView(view)
    for view, column in (("qkeys", "keys"), ("qbands", "bands"), ("shingles", "shingles")):  # every page's query
        ok.select(F.col("pos").alias("q"), F.explode(column).alias("h")).createOrReplaceTempView(view)
    spark.sql("SELECT k.q, k.h, CASE WHEN s.h IS NULL THEN 0 ELSE 1 END AS s FROM qkeys k "
              "LEFT JOIN shingles s ON s.q = k.q AND s.h = k.h").createOrReplaceTempView("keys")
    ranked = spark.sql(CANDIDATES_SQL.format(
        cap=int(config.posting_df_cap), min_shared=float(config.min_shared_postings),
        term_evidence=float(config.term_evidence), limit=int(config.max_candidates), size=len(ids) + 1)).cache()
    name_of_doc = {doc: name for name, doc in ids.items()}
    name_of_pos = {r["pos"]: r["name"] for r in records}
    ranks: dict[str, list[tuple[int, str]]] = {}
    for row in ranked.toLocalIterator():
        ranks.setdefault(name_of_pos[row["q"]], []).append((row["rank"], name_of_doc[row["d"]]))
    candidates = {name: [other for _, other in sorted(found)] for name, found in ranks.items()}  # best first
    others = (ranked.join(stored.select(F.col("doc").alias("d"), F.col("article").alias("other")), "d")
              .groupBy("q").agg(F.collect_list(F.struct("rank", "other")).alias("others")))
    todo = ok.select(F.col("pos").alias("q"), "name", "verdict", "article").join(others, "q", "left")
    articles = {r["name"]: r["article"] for r in records if r["article"] and not r["error"]}
    local_of = {record["name"]: json.loads(record["verdict"]) for record in records}
    own_p = {r["url"]: local_of[r["name"]].get("farm_probability") for r in records if r["name"] in ids}
    matched = todo.mapInPandas(_verify_batches(config, user_indexes, own_p), schema="name string, match string")
    found: dict[str, list[Match]] = {}
    for row in matched.toLocalIterator():
        found.setdefault(row["name"], []).append(Match.from_dict(json.loads(row["match"])))
    pages.unpersist()
    ranked.unpersist()
    by_url = {r["url"]: r["name"] for r in records if r["name"] in ids}  # the page the batch stores for a URL
    checkpoint = Checkpoint(state / "verdicts.jsonl")
    checkpoint.reset()

    with ExitStack() as opened:  # the --index files, for sources met in a chain outside the batch
        stored_indexes = [opened.enter_context(Index(path, readonly=True)) for path in user_indexes]
        p_of = _probability_of(own_p, stored_indexes)
        batch: list[Index] = []

        def batch_index() -> Index:
            """The batch's stored pages in a SQLite index on the driver (``state/batch.sqlite``), made the first
            time a chain meets a source only the ``--index`` files hold: the local engine searches such a source
            in its run index too, and a chain may go on through a batch page."""
            if not batch:
                path = state / "batch.sqlite"
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{path}{suffix}").unlink(missing_ok=True)
                names = sorted(ids, key=ids.__getitem__)
                with Index(path, config) as index:
                    for start in range(0, len(names), 500):
                        part = names[start:start + 500]
                        index.add([article_from_dict(json.loads(articles[n])) for n in part], None,
                                  [local_of[n].get("farm_probability") for n in part])
                batch.append(opened.enter_context(Index(path, config, readonly=True)))
            return batch[0]

        def source_matches(url: str, seen: frozenset[str]) -> list[Match]:
            """A source met along a chain: its matches without the pages already on the chain, verified again
            among its candidates as ``score.stored_source_matches`` does for the local engine."""
            name = by_url.get(url)
            if name is None:
                return stored_source_matches([batch_index(), *stored_indexes], url, seen,
                                             lambda source: doubt_with(p_of(source), p_of)) if stored_indexes else []
            others = [article_from_dict(json.loads(articles[o])) for o in candidates.get(name, ())]
            return candidate_matches(article_from_dict(json.loads(articles[name])), others, stored_indexes, config,
                                     doubt_with(p_of(url), p_of), seen)

        errors = 0
        for record in records:
            local = local_of[record["name"]]
            if record["error"]:
                errors += 1
                if on_error:
                    on_error(record["name"], record["error"])
                checkpoint.append({"name": record["name"], "verdict": local})
                continue
            article = article_from_dict(json.loads(record["article"]))
            matches = sorted(found.get(record["name"], []), key=match_order)
            verdict = batch_verdict({**local, "target": record["name"]}, article, matches, source_matches)
            checkpoint.append({"name": record["name"], "verdict": verdict})
        checkpoint.close()
    return {"skipped": 0, "extracted": len(records) - errors, "refused_this_run": errors,
            "warc_records": warc_records(tallies)}
