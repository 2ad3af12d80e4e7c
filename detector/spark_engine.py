"""The audit on PySpark (``--engine spark``): the same stages and output tables as the local engine.

- per-page steps (read, extract, fingerprint, page-local verdict) run as ``mapInPandas`` over the inputs;
- candidate search is a join in Spark SQL: pages sharing enough winnowed fingerprints (query keys of one
  page against stored postings of the other; postings held by more than ``posting_df_cap`` pages ignored,
  as the SQLite index does) or an LSH band;
- each page is verified against the pages paired with it by ``mapInPandas`` with ``matcher.verify_against``
  (the local engine's own verification), and searched in the ``--index`` files, if any, as the local engine
  does (their paths must be readable by every executor: a shared file system, or local mode);
- chains are walked on the driver over the collected matches (and the ``--index`` files), and the verdicts go
  through the same ``audit_tables`` code as the local engine, so both engines write the same tables.
Difference: the local engine keeps the top ``max_candidates`` candidates per page, this one verifies every
pair the join finds. Imported only when asked for.
"""

from __future__ import annotations

import json
import os
import pickle
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from detector.audit_inputs import Item
from detector.audit_state import Checkpoint
from detector.audit_worker import article_from_dict, batch_verdict, doubt_with, extract_item
from detector.config import Config
from detector.index import Index
from detector.records import Match, match_order
from detector.score import stored_probability, stored_source_matches


_LOG4J = Path(__file__).with_name("spark_log4j2.properties")


def _session(app: str = "content-farm-audit") -> Any:
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise ImportError("install the 'spark' extra to use --engine spark: pip install 'content-farm-detector[spark]'") from None
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)  # executors run this interpreter (the venv)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    session = (SparkSession.builder.appName(app).master(os.environ.get("CFD_SPARK_MASTER", "local[2]"))
               .config("spark.sql.shuffle.partitions", "2").config("spark.ui.enabled", "false")
               .config("spark.ui.showConsoleProgress", "false")  # the audit draws its own progress bars
               .config("spark.driver.extraJavaOptions", f"-Dlog4j.configurationFile={_LOG4J}")
               .config("spark.sql.execution.arrow.pyspark.enabled", "true").getOrCreate())
    session.sparkContext.setLogLevel("ERROR")  # Spark's warnings would bury the audit's one-line refusals
    return session


def _int64(values: Any) -> list[int]:
    import numpy as np

    return np.asarray(values, dtype=np.uint64).view(np.int64).tolist()


def _present(value: Any) -> Any:
    """A pandas cell as a Python value: None for missing (pandas turns nulls into NaN)."""
    return value if isinstance(value, (str, bytes, bytearray)) else None


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
                    "name": result.name, "error": result.error, "verdict": json.dumps(result.verdict),
                    "article": json.dumps(result.article.to_dict()) if result.article else None,
                    "url": result.article.url if result.article else None,
                    "keys": _int64(getattr(dp, "keys", dp.postings)) if dp is not None else [],
                    "postings": _int64(dp.postings) if dp is not None else [],
                    "bands": _int64(getattr(dp, "bands", [])) if dp is not None else [],
                })
            yield pd.DataFrame(rows, columns=["name", "error", "verdict", "article", "url", "keys", "postings", "bands"])
    return run


def _verify_batches(config: Config, indexes: Sequence[str], own_p: dict[str, float | None]
                    ) -> Callable[[Iterator[Any]], Iterator[Any]]:
    """Stage 2 per page: ``matcher.verify_against`` over the batch pages the join paired with it and its
    candidates in the ``--index`` files, as one set (the very verification of the local engine), the indexes
    opened read-only once per partition (so every executor must be able to read them); directions only the
    dates gave are weighed by each page's own farm probability (``own_p``, a batch page's; else an index's), as
    the local engine weighs them."""
    def run(frames: Iterator[Any]) -> Iterator[Any]:
        import pandas as pd

        from detector.matcher import indexed_candidates, verify_against

        opened = [Index(path, readonly=True) for path in indexes]
        p_of = _probability_of(own_p, opened)

        try:
            for frame in frames:
                rows = []
                for rec in frame.itertuples(index=False):
                    article = article_from_dict(json.loads(rec.article))
                    others = sorted((article_from_dict(json.loads(o)) for o in _listed(rec.others)),
                                    key=lambda a: a.url)
                    pairs = [(None, o) for o in others]  # verified with the indexes' candidates, as one set
                    if opened:
                        pairs += indexed_candidates(article, opened, have={o.url for o in others})
                    doubt = doubt_with(p_of(article.url), p_of)
                    matches = [v.match for v in verify_against(article, pairs, config, doubt=doubt)] if pairs else []
                    rows.extend({"name": rec.name, "match": _match_json(m)} for m in matches)
                yield pd.DataFrame(rows, columns=["name", "match"])
        finally:
            for index in opened:
                index.close()
    return run


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


def _input_rows(names: Sequence[str], options: Any) -> list[dict[str, Any]]:
    from detector.audit import _fetcher, _items

    rows = []
    with _fetcher(options) as fetcher:
        for item in _items(list(names), options, fetcher):
            rows.append({"name": item.name, "kind": item.kind, "path": str(item.path) if item.path else None,
                         "page": pickle.dumps(item.page) if item.page else None,
                         "article": json.dumps(item.article.to_dict()) if item.article else None,
                         "error": item.error})
    return rows


CANDIDATES_SQL = """
WITH df AS (SELECT h FROM postings GROUP BY h HAVING COUNT(*) <= {cap}),
     hits AS (SELECT k.doc AS q, p.doc AS d FROM keys k JOIN postings p ON k.h = p.h JOIN df ON df.h = p.h
              WHERE k.doc <> p.doc),
     by_postings AS (SELECT q, d FROM hits GROUP BY q, d HAVING COUNT(*) >= {min_shared}),
     by_bands AS (SELECT DISTINCT x.doc AS q, y.doc AS d FROM bands x JOIN bands y ON x.h = y.h AND x.doc <> y.doc),
     pairs AS (SELECT q, d FROM by_postings UNION SELECT q, d FROM by_bands)
SELECT DISTINCT LEAST(q, d) AS a, GREATEST(q, d) AS b FROM pairs
"""


def spark_verdicts(names: Sequence[str], state: Path, options: Any,
                   on_error: Callable[[str, str], None] | None = None) -> dict[str, Any]:
    """Run stages 1 and 2 on Spark and write ``state/verdicts.jsonl`` for the shared table code."""
    from pyspark.sql import functions as F
    from pyspark.sql.types import ArrayType, BinaryType, LongType, StringType, StructField, StructType

    config: Config = options.config
    user_indexes = [str(path) for path in options.index]
    spark = _session()
    inputs = StructType([StructField(c, BinaryType() if c == "page" else StringType())
                         for c in ("name", "kind", "path", "page", "article", "error")])
    rows = _input_rows(names, options)
    source = spark.createDataFrame(rows or [], schema=inputs).repartition(max(1, min(len(rows), 8)))
    out_schema = StructType([StructField(c, StringType()) for c in ("name", "error", "verdict", "article", "url")]
                            + [StructField(c, ArrayType(LongType())) for c in ("keys", "postings", "bands")])
    pages = source.mapInPandas(_extract_batches(config), schema=out_schema).cache()
    ok = pages.where(F.col("error").isNull()).select("name", "url", "article", "keys", "postings", "bands")
    for column in ("keys", "postings", "bands"):
        ok.select(F.col("name").alias("doc"), F.explode(column).alias("h")).createOrReplaceTempView(column)
    pairs = spark.sql(CANDIDATES_SQL.format(cap=config.posting_df_cap, min_shared=config.min_shared_postings))
    articles = ok.select("name", "article")
    both = pairs.select(F.col("a").alias("name"), F.col("b").alias("other")).union(
        pairs.select(F.col("b").alias("name"), F.col("a").alias("other")))
    others = (both.join(articles.withColumnRenamed("name", "other").withColumnRenamed("article", "other_article"),
                        "other")
              .groupBy("name").agg(F.collect_list("other_article").alias("others")))
    todo = articles.join(others, "name", "left")  # every page: with --index, one paired with none still searches
    records = [r.asDict() for r in pages.select("name", "error", "verdict", "article", "url").toLocalIterator()]
    local_of = {record["name"]: json.loads(record["verdict"]) for record in records}
    own_p = {r["url"]: local_of[r["name"]].get("farm_probability") for r in records if r["url"]}  # to the tasks
    matched = todo.mapInPandas(_verify_batches(config, user_indexes, own_p), schema="name string, match string")
    found: dict[str, list[Match]] = {}
    for row in matched.toLocalIterator():
        found.setdefault(row["name"], []).append(Match.from_dict(json.loads(row["match"])))
    pages.unpersist()
    by_url = {r["url"]: r["name"] for r in records if r["url"]}
    checkpoint = Checkpoint(state / "verdicts.jsonl")
    checkpoint.reset()

    def matches_of(name: str, exclude: frozenset[str] = frozenset()) -> list[Match]:
        chosen = [m for m in found.get(name, []) if m.url not in exclude]
        return sorted(chosen, key=match_order)

    with ExitStack() as opened:  # the --index files, for sources met in a chain outside the batch
        stored = [opened.enter_context(Index(path, readonly=True)) for path in user_indexes]

        p_of = _probability_of(own_p, stored)

        def source_matches(url: str, seen: frozenset[str]) -> list[Match]:
            name = by_url.get(url)
            return matches_of(name, seen) if name is not None else stored_source_matches(
                stored, url, seen, lambda source: doubt_with(p_of(source), p_of))
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
            matches = matches_of(record["name"])
            verdict = batch_verdict({**local, "target": record["name"]}, article, matches, source_matches)
            checkpoint.append({"name": record["name"], "verdict": verdict})
        checkpoint.close()
    return {"skipped": 0, "extracted": len(records) - errors, "refused_this_run": errors}
