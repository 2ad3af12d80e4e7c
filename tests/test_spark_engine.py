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
