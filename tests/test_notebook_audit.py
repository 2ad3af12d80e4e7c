"""The exploration notebook runs top to bottom on the seed case (its jupytext script, executed as a notebook)."""

from __future__ import annotations

from pathlib import Path

import pytest

jupytext = pytest.importorskip("jupytext", reason="install the 'notebook' extra")
nbclient = pytest.importorskip("nbclient", reason="install the 'notebook' extra")

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


def test_audit_exploration_notebook_runs_and_walks_the_seed_chain(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AUDIT_OUT", str(tmp_path / "out"))
    monkeypatch.delenv("AUDIT_PAGES", raising=False)
    notebook = jupytext.read(NOTEBOOKS / "audit_exploration.py")
    client = nbclient.NotebookClient(notebook, timeout=240, kernel_name="python3",
                                     resources={"metadata": {"path": str(tmp_path)}})
    client.execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    html = "".join(o.get("data", {}).get("text/html", "") for o in outputs)
    assert "botasot.al" in html and "chain:" in html
    assert (tmp_path / "out" / "report.html").exists()


def test_the_notebook_reads_a_relative_folder_from_where_it_was_run_and_says_when_nothing_was_copied(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``AUDIT_PAGES=pages/`` names a folder beside the shell, not beside the notebook (the kernel runs in
    ``notebooks/``); a folder in which no page copies another ends with a sentence, not a traceback."""
    import shutil

    pages = tmp_path / "pages"
    pages.mkdir()
    shutil.copy(Path(__file__).parent / "fixtures" / "seed-case" / "kyivpost.html", pages)
    (tmp_path / "kernel").mkdir()
    monkeypatch.setenv("AUDIT_OUT", str(tmp_path / "out"))
    monkeypatch.setenv("AUDIT_PAGES", "pages/")
    monkeypatch.setenv("PWD", str(tmp_path))
    notebook = jupytext.read(NOTEBOOKS / "audit_exploration.py")
    client = nbclient.NotebookClient(notebook, timeout=240, kernel_name="python3",
                                     resources={"metadata": {"path": str(tmp_path / "kernel")}})
    client.execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    text = "".join(o.get("text", "") for o in outputs if o.get("output_type") == "stream")
    assert "there is no chain to walk" in text
    assert (tmp_path / "out" / "pages.parquet").exists()
