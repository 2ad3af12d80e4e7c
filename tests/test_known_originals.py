"""A newsroom names its own site as a known original (``--original``, ``Config.originals``): a copy on another
site is its copy whatever the dates say. An outside probe's newsroom audited its archive against suspects: a
clean-looking site that dated its verbatim copy a day earlier made the newsroom's story a content farm's
"uncredited copy" (0.997), and a farm that backdated its copy dropped out of every takedown view (undecided)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from detector.audit import audit
from detector.cli import app
from detector.config import Config, load_settings
from detector.index import Index
from detector.matcher import find_matches
from tests.overlap_pages import _page
from tests.test_wire_and_sources import DAY, _article, _story

NEWSROOM = "harbourtimes.example"


def _by_domain(article, index) -> dict:  # type: ignore[no-untyped-def]
    return {m.domain: m for m in find_matches(article, index)}


def test_a_known_originals_page_is_the_source_whatever_the_dates_but_a_credit_still_counts(tmp_path: Path) -> None:
    body, wire = _story(51), _story(52)
    newsroom = _article(f"https://{NEWSROOM}/dredging", body)
    lookalike = _article("https://calderdaily.example/dredging", body, published=DAY - timedelta(days=1))
    partner = _article("https://coastalwire.example/ferry", wire, published=DAY - timedelta(days=1))
    reprint = replace(_article(f"https://{NEWSROOM}/ferry", wire + ["This article originally appeared on Coastal "
                                                                     "Wire, coastalwire.example."]),
                      credited=("Coastal Wire",), links=("https://coastalwire.example/ferry",))
    pages = [newsroom, lookalike, partner, reprint]
    with Index(tmp_path / "plain.sqlite") as index:
        index.add(pages)
        assert _by_domain(newsroom, index)["calderdaily.example"].direction == "this_copies_other"  # by the dates
    known = Config(originals=(NEWSROOM,))
    assert Config(originals=("https://www.harbourtimes.co.uk/x", "harbourtimes.co.uk")).originals == ("harbourtimes.co.uk",)
    with Index(tmp_path / "known.sqlite", known) as index:
        index.add(pages)
        mine, theirs = _by_domain(newsroom, index)["calderdaily.example"], _by_domain(lookalike, index)[NEWSROOM]
        reprinted = _by_domain(reprint, index)["coastalwire.example"]
    assert (mine.direction, mine.direction_evidence) == ("other_copies_this", f"known original ({NEWSROOM})")
    assert (theirs.direction, theirs.credited) == ("this_copies_other", False)
    # the newsroom's own credited reprint of a partner's story stays the partner's credited copy
    assert reprinted.direction == "this_copies_other" and reprinted.direction_evidence.startswith("credit (")


def test_originals_are_checked_and_read_from_the_flag_and_the_config_file(tmp_path: Path) -> None:
    settings = tmp_path / "settings.toml"
    settings.write_text('originals = ["harbourtimes.example"]\n')
    assert load_settings(settings, ["https://www.harbourtimes.es/x"]).originals == ("harbourtimes.es", NEWSROOM)
    assert Config(**Config(originals=(NEWSROOM,)).to_dict()).originals == (NEWSROOM,)  # JSON and back
    for bad in ("not a site", 7, [""]):
        with pytest.raises(ValueError, match="originals"):
            Config(originals=bad)  # type: ignore[arg-type]
    result = CliRunner().invoke(app, ["score", "x.html", "--original", "two words"])
    assert result.exit_code == 2 and "names no site" in result.output


def _folder(tmp_path: Path) -> Path:
    paras = ["The harbour board voted on Tuesday to spend four million on dredging the silted channel this winter.",
             "Residents of the east ward told the meeting that the ferry had run aground twice since the spring.",
             "Pilots say the tidal flats now reach the old pier at low water, closing the berth for hours each day.",
             "A survey commissioned last year found the channel had lost a metre of depth in under a decade.",
             "Opponents on the board argued that the money would be better spent on a new breakwater instead.",
             "The chair replied that a breakwater would take five years to build, while dredging could start in March.",
             "Fishing crews, who pay berth fees to the board, asked for a discount while the work goes on.",
             "The board will publish the contract for tender next month and expects bids from three firms."]
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "newsroom.html").write_text(_page(NEWSROOM, "dredging", "Harbour board votes on dredging", paras,
                                                "2024-09-25T08:00:00+00:00"))
    (folder / "lookalike.html").write_text(_page("calderdaily.example", "dredging", "Harbour board votes on dredging",
                                                 paras, "2024-09-24T08:00:00+00:00"))
    return folder


def test_an_audit_with_the_newsroom_named_original_makes_the_backdated_lookalike_its_copy(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    plain = audit(folder, tmp_path / "plain", workers=1, progress=False, report=False).tables()["pages"]
    assert plain.filter(pl.col("domain") == NEWSROOM)["source_domain"].to_list() == ["calderdaily.example"]
    known = audit(folder, tmp_path / "known", workers=1, progress=False, report=False,
                  config=Config(originals=(NEWSROOM,))).tables()
    pages = {r["domain"]: r for r in known["pages"].iter_rows(named=True)}
    assert pages[NEWSROOM]["source_domain"] is None and pages[NEWSROOM]["label"] == "clean"
    assert pages["calderdaily.example"]["source_domain"] == NEWSROOM and pages["calderdaily.example"]["uncredited"]
    edge = known["edges"].filter(pl.col("kind") == "page").row(0, named=True)
    assert (edge["source_domain"], edge["target_domain"], edge["direction"]) == (NEWSROOM, "calderdaily.example",
                                                                                  "source_to_copy")
    # the folder is the newsroom's judgement now: a rerun without the flag would mix two judgements
    result = CliRunner().invoke(app, ["audit", "--out", str(tmp_path / "known"), "-q", "-w", "1", str(folder)])
    assert result.exit_code == 2 and "originals" in result.output
    rerun = CliRunner().invoke(app, ["audit", "--out", str(tmp_path / "known"), "-q", "-w", "1", "--no-report",
                                     "--original", NEWSROOM, str(folder)])
    assert rerun.exit_code == 0, rerun.output
    settings = json.loads((tmp_path / "known" / "state" / "settings.json").read_text())
    assert settings["settings"]["originals"] == [NEWSROOM]
