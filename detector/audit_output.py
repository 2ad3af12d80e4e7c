"""Writing an audit's outputs: parquet and CSV tables, and the copy graph as GraphML.

Files are written to a temporary name and renamed into place, so a killed run never leaves half a table
that a rerun (or a notebook) would mistake for a finished one.
"""

from __future__ import annotations

import os
from pathlib import Path
from xml.sax.saxutils import quoteattr

import polars as pl

from detector.audit_tables import csv_safe


def _atomic(path: Path) -> Path:
    return path.with_name(f".{path.name}.{os.getpid()}.tmp")


def write_table(frame: pl.DataFrame, out: Path, name: str) -> tuple[Path, Path]:
    """``<name>.parquet`` and ``<name>.csv`` in ``out`` (nested columns as JSON text in the CSV)."""
    parquet, csv = out / f"{name}.parquet", out / f"{name}.csv"
    tmp = _atomic(parquet)
    frame.write_parquet(tmp)
    os.replace(tmp, parquet)
    tmp = _atomic(csv)
    csv_safe(frame).write_csv(tmp)
    os.replace(tmp, csv)
    return parquet, csv


def _data(key: str, value: object) -> str:
    if value is None:
        return ""
    text = f"{value:.6g}" if isinstance(value, float) else str(value).lower() if isinstance(value, bool) else str(value)
    return f'<data key="{key}">{_escape(text)}</data>'


def _escape(text: str) -> str:
    return quoteattr(text)[1:-1]


_NODE_KEYS = (("kind", "string"), ("domain", "string"), ("verdict", "string"), ("score", "double"),
              ("pages", "int"), ("share_copied", "double"), ("rank", "int"), ("title", "string"))
_EDGE_KEYS = (("e_kind", "string"), ("share", "double"), ("pages", "int"), ("derivation", "string"),
              ("direction", "string"), ("credited", "boolean"), ("credited_share", "double"))


def write_graphml(domains: pl.DataFrame, edges: pl.DataFrame, pages: pl.DataFrame, path: Path) -> Path:
    """The copy graph: domain nodes and domain -> domain edges, plus page nodes and page -> page edges.

    Nodes carry ``kind`` (``domain`` or ``page``); an edge points from the source to the copy.
    """
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">']
    for key, kind in _NODE_KEYS:
        lines.append(f'<key id="{key}" for="node" attr.name="{key}" attr.type="{kind}"/>')
    for key, kind in _EDGE_KEYS:
        name = "kind" if key == "e_kind" else key
        lines.append(f'<key id="{key}" for="edge" attr.name="{name}" attr.type="{kind}"/>')
    lines.append('<graph id="copies" edgedefault="directed">')
    known: set[str] = set()

    def node(node_id: str, **attrs: object) -> None:
        if node_id in known:
            return
        known.add(node_id)
        data = "".join(_data(k, v) for k, v in attrs.items())
        lines.append(f'<node id="{_escape(node_id)}">{data}</node>')

    for row in domains.select("domain", "verdict", "score", "pages", "share_copied", "rank").iter_rows(named=True):
        node(f"domain:{row['domain']}", kind="domain", domain=row["domain"], verdict=row["verdict"],
             score=row["score"], pages=row["pages"], share_copied=row["share_copied"], rank=row["rank"])
    titles = dict(pages.select("url", "title").drop_nulls("url").iter_rows())
    for number, row in enumerate(edges.iter_rows(named=True)):
        prefix = "domain:" if row["kind"] == "domain" else "page:"
        for end, dom in (("source", "source_domain"), ("target", "target_domain")):
            if row["kind"] == "domain":
                node(prefix + row[end], kind="domain", domain=row[end])
            else:
                node(prefix + row[end], kind="page", domain=row[dom], title=titles.get(row[end]))
        data = "".join(_data(k, row["kind"] if k == "e_kind" else row.get(k)) for k, _ in _EDGE_KEYS)
        lines.append(f'<edge id="e{number}" source="{_escape(prefix + row["source"])}" '
                     f'target="{_escape(prefix + row["target"])}">{data}</edge>')
    lines += ["</graph>", "</graphml>"]
    tmp = _atomic(path)
    tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    os.replace(tmp, path)
    return path
