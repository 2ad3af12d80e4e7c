"""WARC input: every HTML response is read; a corrupt record costs only itself; a truncated file keeps what came before."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from detector.audit import audit
from detector.records import Page
from detector.warc import warc_pages, write_warc

SITES = ["thetimes", "balkanweb", "botasot", "kyivpost"]


def _warc(tmp_path: Path, seed_dir: Path, suffix: str) -> Path:
    return write_warc(tmp_path / f"crawl{suffix}", [
        (f"https://www.{name}.example/story", (seed_dir / f"{name}.html").read_bytes()) for name in SITES
    ])


def _corrupt_third_record(path: Path) -> Path:
    data = path.read_bytes()
    marker = b"\x1f\x8b\x08" if path.name.endswith(".gz") else b"WARC/1."
    starts = [i for i in range(len(data)) if data.startswith(marker, i)]
    third = starts[2]
    bad = path.with_name("bad-" + path.name)
    at = third + 12 if path.name.endswith(".gz") else third + 2  # into the deflate stream / the record header
    bad.write_bytes(data[:at] + b"\x00 garbage \x00" * 8 + data[at + 100:])
    return bad


@pytest.mark.parametrize("suffix", [".warc.gz", ".warc"])
def test_all_responses_are_read(tmp_path: Path, seed_dir: Path, suffix: str) -> None:
    pages = [p for _, p in warc_pages(_warc(tmp_path, seed_dir, suffix))]
    assert [p.url for p in pages] == [f"https://www.{n}.example/story" for n in SITES]
    assert all(isinstance(p, Page) and p.html.startswith(b"<!DOCTYPE html>") for p in pages)


@pytest.mark.parametrize("suffix", [".warc.gz", ".warc"])
def test_a_corrupt_record_in_the_middle_costs_only_itself(tmp_path: Path, seed_dir: Path, suffix: str) -> None:
    bad = _corrupt_third_record(_warc(tmp_path, seed_dir, suffix))
    results = list(warc_pages(bad))
    errors = [(name, r) for name, r in results if not isinstance(r, Page)]
    pages = [r for _, r in results if isinstance(r, Page)]
    assert len(errors) == 1 and errors[0][0].startswith(f"{bad}@")
    assert "corrupt WARC record" in errors[0][1].message
    assert [p.url.split(".")[1] for p in pages] == ["thetimes", "balkanweb", "kyivpost"]


@pytest.mark.parametrize("suffix", [".warc.gz", ".warc"])
def test_a_truncated_warc_keeps_the_records_before_the_cut(tmp_path: Path, seed_dir: Path, suffix: str) -> None:
    whole = _warc(tmp_path, seed_dir, suffix)
    cut = tmp_path / f"cut{suffix}"
    cut.write_bytes(whole.read_bytes()[: int(whole.stat().st_size * 0.8)])
    results = list(warc_pages(cut))
    assert isinstance(results[-1][1], Exception) and "truncated" in results[-1][1].message
    assert [r.url.split(".")[1] for _, r in results[:-1]] == SITES[: len(results) - 1]
    assert len(results) - 1 >= 2


def test_audit_goes_on_past_a_truncated_and_a_corrupt_warc(tmp_path: Path, seed_dir: Path) -> None:
    bad = _corrupt_third_record(_warc(tmp_path, seed_dir, ".warc.gz"))  # botasot's record is broken
    whole = _warc(tmp_path, seed_dir, ".warc")
    cut = tmp_path / "cut.warc"
    cut.write_bytes(whole.read_bytes()[: int(whole.stat().st_size * 0.6)])
    errors: list[tuple[str, str]] = []
    result = audit([str(bad), str(cut)], tmp_path / "out", workers=1, on_error=lambda n, m: errors.append((n, m)),
                   report=False)
    pages = result.tables()["pages"].filter(pl.col("error").is_null())
    assert len(pages) >= 4  # three good records of the corrupt file, and what came before the cut
    messages = "\n".join(f"{n}: {m}" for n, m in errors)
    assert f"{bad}@" in messages and "corrupt WARC record" in messages
    assert f"{cut}@" in messages and "truncated" in messages
