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
