"""``--engine spark`` (PySpark local mode) writes the same tables as the local engine on the same input."""

from __future__ import annotations

import shutil
from pathlib import Path

import polars as pl
import pytest

pytestmark = pytest.mark.spark
pytest.importorskip("pyspark", reason="install the 'spark' extra")
if shutil.which("java") is None:
    pytest.skip("Java is not installed", allow_module_level=True)


def _sorted(frame: pl.DataFrame, keys: list[str]) -> pl.DataFrame:
    return frame.sort(keys).select(sorted(frame.columns))


def test_spark_engine_matches_the_local_engine_on_the_seed_case(tmp_path: Path, seed_dir: Path) -> None:
    from detector.audit import audit

    local = audit([str(seed_dir)], tmp_path / "local", workers=1, report=False).tables()
    spark = audit([str(seed_dir)], tmp_path / "spark", engine="spark", report=False).tables()
    assert spark["domains"]["domain"][0] == "botasot.al"
    assert _sorted(local["pages"], ["target"]).equals(_sorted(spark["pages"], ["target"]))
    assert _sorted(local["domains"], ["domain"]).equals(_sorted(spark["domains"], ["domain"]))
    keys = ["kind", "source", "target"]
    assert _sorted(local["edges"], keys).equals(_sorted(spark["edges"], keys))


def test_both_engines_search_the_users_index_alike(tmp_path: Path) -> None:
    """The originals are only in the user's ``--index``; the batch holds the rest of the demo corpus. Both
    engines find the copies' sources in the index, walk the chains through it, and write the same tables."""
    from detector.audit import audit
    from detector.index import Index
    from detector.sources import expand, load

    demo = Path(__file__).resolve().parent.parent / "datasets" / "demo" / "pages"
    originals = ("thetimes.html", "correo-almendral.html", "riverton-gazette.html", "tiranasot.html")
    batch = tmp_path / "batch"
    batch.mkdir()
    for page in demo.glob("*.html"):
        if page.name not in originals:
            shutil.copy(page, batch / page.name)
    user = tmp_path / "user.sqlite"
    with Index(user) as index:
        index.add([load(t).article for t in expand([str(demo / name) for name in originals])])

    local = audit([str(batch)], tmp_path / "local", index=user, workers=1, report=False).tables()
    spark = audit([str(batch)], tmp_path / "spark", index=user, engine="spark", report=False).tables()
    assert _sorted(local["pages"], ["target"]).equals(_sorted(spark["pages"], ["target"]))
    assert _sorted(local["domains"], ["domain"]).equals(_sorted(spark["domains"], ["domain"]))
    keys = ["kind", "source", "target"]
    assert _sorted(local["edges"], keys).equals(_sorted(spark["edges"], keys))
    pages = {Path(row["target"]).name: row for row in spark["pages"].iter_rows(named=True)}
    assert pages["noticiasaldia24.html"]["source_domain"] == "correodelalmendral.example"  # found in the index
    assert pages["botasot.html"]["origin_domain"] == "thetimes.co.uk"  # chain: balkanweb (batch) -> thetimes (index)
    assert pages["lajmeshpejt.html"]["source_domain"] == "tiranasot.example"


def test_both_engines_verify_the_same_candidates_where_they_tie_and_two_inputs_share_a_url(tmp_path: Path) -> None:
    """Pages with more candidates than ``max_candidates``, many tied, and a reprint read as its original's URL:
    Spark verified every pair its join found, and kept both inputs of one URL, so originals came out as farms'
    copies on Spark only (an outside probe). Both engines now pick the same candidates, store the first input
    of a URL, and say so; a rerun of a finished Spark run keeps its verdicts; the other engine is refused."""
    from detector.audit import audit
    from detector.errors import AuditFolderMismatch
    from tests.overlap_pages import write_overlap_pages

    pages = tmp_path / "pages"
    write_overlap_pages(pages)
    local = audit([str(pages)], tmp_path / "local", workers=2, report=False)
    spark = audit([str(pages)], tmp_path / "spark", engine="spark", report=False)
    for name, keys in (("pages", ["target"]), ("domains", ["domain"]), ("edges", ["kind", "source", "target"])):
        assert local.tables()[name].equals(spark.tables()[name]), name  # row order too
    for result in (local, spark):
        assert any("2 inputs read as one page" in w and "r00.html" in w for w in result.summary["warnings"])
    again = audit([str(pages)], tmp_path / "spark", engine="spark", report=False)
    assert again.summary["skipped"] == 26 and again.tables()["pages"].equals(spark.tables()["pages"])
    with pytest.raises(AuditFolderMismatch, match="spark engine"):
        audit([str(pages)], tmp_path / "spark", workers=1, report=False)
    with pytest.raises(AuditFolderMismatch, match="local engine"):
        audit([str(pages)], tmp_path / "local", engine="spark", report=False)
    (pages / "u3.html").unlink()  # Spark starts over when the sources change, and says what it leaves out
    fewer = audit([str(pages)], tmp_path / "spark", engine="spark", report=False)
    assert fewer.tables()["pages"].height == 25 and fewer.summary["skipped"] == 0
    assert any("u3.html" in w and "no longer in its folder" in w for w in fewer.summary["warnings"])


def test_a_chain_through_a_source_only_the_users_index_holds_goes_on_alike(tmp_path: Path) -> None:
    """The originals of the tied batch are only in the user's ``--index``; a chain that meets one of them goes on
    through the batch's pages that copied it on both engines (Spark searched such a source in the index files
    alone, and ended chains elsewhere: an outside probe's origins differed on 34 of 49 pages)."""
    from detector.audit import audit
    from tests.overlap_pages import originals_in_an_index

    pages, user = originals_in_an_index(tmp_path)
    local = audit([str(pages)], tmp_path / "local", index=user, workers=1, report=False).tables()
    spark = audit([str(pages)], tmp_path / "spark", index=user, engine="spark", report=False).tables()
    for name in ("pages", "domains", "edges"):
        assert local[name].equals(spark[name]), name
    assert local["pages"].filter(pl.col("source_domain").is_in(["ledger-daily.example", "metro-herald.example",
                                                                 "coastal-tribune.example"])).height == 14
