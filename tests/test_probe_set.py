"""The outside probes' pages shipped as a regression set (``datasets/probes``): every probe's archive holds exactly
the pages its manifest lists, each in one of the five groups ``benchmarks/probe_eval.py`` counts, and a page of
it goes through ``detector score`` as any page does."""

from __future__ import annotations

import csv
import tarfile
from pathlib import Path

import pytest

from detector.score import score

PROBES = Path(__file__).resolve().parents[1] / "datasets" / "probes"
FOLDERS = sorted(f for f in PROBES.iterdir() if (f / "manifest.csv").is_file())


def test_there_are_probes_with_a_card() -> None:
    assert len(FOLDERS) >= 10 and (PROBES / "CARD.md").is_file()
    card = (PROBES / "CARD.md").read_text(encoding="utf-8")
    assert all(f"| {f.name} |" in card for f in FOLDERS), "every probe has its row in the card"


@pytest.mark.parametrize("folder", FOLDERS, ids=[f.name for f in FOLDERS])
def test_a_probes_archive_holds_the_pages_its_manifest_lists(folder: Path) -> None:
    rows = list(csv.DictReader((folder / "manifest.csv").open(encoding="utf-8")))
    with tarfile.open(folder / "pages.tar.gz") as tar:
        members = {m.name for m in tar.getmembers() if m.isfile()}
    assert members == {f"pages/{r['file']}" for r in rows}
    groups = {r["group"].strip().upper() for r in rows}
    assert groups == set("ABCDE"), groups


def test_a_probe_page_scores_like_any_page(tmp_path: Path) -> None:
    folder = PROBES / "p55"
    with tarfile.open(folder / "pages.tar.gz") as tar:
        tar.extractall(tmp_path, filter="data")
    pages = tmp_path / "pages"
    verdicts = score([pages / "B03_brzevesti_rs.html", pages / "A16_prairiestatewire_us.html"])
    assert [v.error for v in verdicts] == [None, None]
    assert verdicts[0].label == "content_farm" and verdicts[1].label == "clean"
