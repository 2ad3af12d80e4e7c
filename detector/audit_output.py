"""Writing an audit's outputs: parquet and CSV tables (whole, or a chunk at a time), and the copy graph as GraphML.

Files are written to a temporary name and renamed into place, so a killed run never leaves half a table
that a rerun (or a notebook) would mistake for a finished one.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import IO
from xml.sax.saxutils import escape

import polars as pl
import pyarrow.parquet as pq

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


class ChunkedTable:
    """``<name>.parquet`` and ``<name>.csv`` written a chunk of rows at a time, so a table never sits whole in
    memory (one parquet row group per chunk); ``close()`` renames both into place.

        >>> with ChunkedTable(out, "pages") as table:      # doctest: +SKIP
        ...     table.write(frame)
    """

    def __init__(self, out: Path, name: str) -> None:
        self.parquet, self.csv = out / f"{name}.parquet", out / f"{name}.csv"
        self._tmp = (_atomic(self.parquet), _atomic(self.csv))
        self._writer: pq.ParquetWriter | None = None
        self._text: IO[bytes] | None = None
        self.rows = 0

    def write(self, frame: pl.DataFrame) -> None:
        """Append a chunk (every chunk has the same schema; the first one, even empty, fixes the columns)."""
        table = frame.to_arrow()
        if self._writer is None:
            self._writer = pq.ParquetWriter(self._tmp[0], table.schema, compression="zstd")
            self._text = open(self._tmp[1], "wb")  # noqa: SIM115 - closed in close()
            csv_safe(frame).write_csv(self._text, include_header=True)
        else:
            csv_safe(frame).write_csv(self._text, include_header=False)
        self._writer.write_table(table)
        self.rows += frame.height

    def close(self) -> tuple[Path, Path]:
        if self._writer is None:
            raise ValueError("a table needs at least one chunk (an empty frame gives it its columns)")
        self._writer.close()
        self._text.close()  # type: ignore[union-attr]
        os.replace(self._tmp[0], self.parquet)
        os.replace(self._tmp[1], self.csv)
        return self.parquet, self.csv

    def __enter__(self) -> "ChunkedTable":
        return self

    def __exit__(self, *exc: object) -> None:
        if exc[0] is None:
            self.close()
        else:
            for handle in (self._writer, self._text):
                if handle is not None:
                    handle.close()
            for tmp in self._tmp:
                tmp.unlink(missing_ok=True)


def _data(key: str, value: object) -> str:
    if value is None:
        return ""
    text = f"{value:.6g}" if isinstance(value, float) else str(value).lower() if isinstance(value, bool) else str(value)
    return f'<data key="{key}">{_escape(text)}</data>'


#: Characters XML 1.0 cannot hold at all, escaped or not: C0 controls but tab, newline and return; surrogates;
#: U+FFFE and U+FFFF. A title with a stray control character made the whole graph file unreadable.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _escape(text: str) -> str:
    """``text`` for an XML attribute or element in double quotes: markup characters and both quotes escaped,
    characters XML cannot hold replaced by U+FFFD (``quoteattr`` switched to single quotes around a ``"``,
    which the double-quoted attribute then did not escape)."""
    return escape(_NOT_XML.sub("\ufffd", text), {'"': "&quot;", "'": "&apos;", "\n": "&#10;", "\r": "&#13;",
                                                   "\t": "&#9;"})


_NODE_KEYS = (("kind", "string"), ("domain", "string"), ("verdict", "string"), ("score", "double"),
              ("pages", "int"), ("share_copied", "double"), ("rank", "int"), ("title", "string"))
_EDGE_KEYS = (("kind", "string"), ("share", "double"), ("pages", "int"), ("derivation", "string"),
              ("direction", "string"), ("credited", "boolean"), ("credited_share", "double"))
#: GraphML wants every <key> id unique across nodes and edges ("pages" is both): edge keys' ids get this prefix.
_EDGE_ID = "e_"


def write_graphml(domains: pl.DataFrame, edges: pl.DataFrame, pages: pl.DataFrame | pl.LazyFrame,
                  path: Path) -> Path:
    """The copy graph: domain nodes and domain -> domain edges, plus page nodes and page -> page edges.

    Nodes carry ``kind`` (``domain`` or ``page``); an edge points from the source to the copy. ``pages`` may
    be lazy: only the titles of pages on an edge are read. Lines are written as they are made.
    """
    tmp = _atomic(path)
    with open(tmp, "w", encoding="utf-8") as handle:
        handle.writelines(line + "\n" for line in _graphml_lines(domains, edges, pages))
    os.replace(tmp, path)
    return path


def _graphml_lines(domains: pl.DataFrame, edges: pl.DataFrame, pages: pl.DataFrame | pl.LazyFrame) -> Iterator[str]:
    yield '<?xml version="1.0" encoding="UTF-8"?>'
    yield '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">'
    for key, kind in _NODE_KEYS:
        yield f'<key id="{key}" for="node" attr.name="{key}" attr.type="{kind}"/>'
    for name, kind in _EDGE_KEYS:
        yield f'<key id="{_EDGE_ID}{name}" for="edge" attr.name="{name}" attr.type="{kind}"/>'
    yield '<graph id="copies" edgedefault="directed">'
    known: set[str] = set()

    def node(node_id: str, **attrs: object) -> Iterator[str]:
        if node_id in known:
            return
        known.add(node_id)
        data = "".join(_data(k, v) for k, v in attrs.items())
        yield f'<node id="{_escape(node_id)}">{data}</node>'

    for row in domains.select("domain", "verdict", "score", "pages", "share_copied", "rank").iter_rows(named=True):
        yield from node(f"domain:{row['domain']}", kind="domain", domain=row["domain"], verdict=row["verdict"],
                        score=row["score"], pages=row["pages"], share_copied=row["share_copied"], rank=row["rank"])
    page_edges = edges.filter(pl.col("kind") == "page")
    ends = pl.concat([page_edges["source"], page_edges["target"]]).unique()
    titles = dict(pages.lazy().select("url", "title").drop_nulls("url").filter(pl.col("url").is_in(ends.implode()))
                  .collect().iter_rows())
    for number, row in enumerate(edges.iter_rows(named=True)):
        prefix = "domain:" if row["kind"] == "domain" else "page:"
        for end, dom in (("source", "source_domain"), ("target", "target_domain")):
            if row["kind"] == "domain":
                yield from node(prefix + row[end], kind="domain", domain=row[end])
            else:
                yield from node(prefix + row[end], kind="page", domain=row[dom], title=titles.get(row[end]))
        data = "".join(_data(_EDGE_ID + name, row.get(name)) for name, _ in _EDGE_KEYS)
        yield (f'<edge id="e{number}" source="{_escape(prefix + row["source"])}" '
               f'target="{_escape(prefix + row["target"])}">{data}</edge>')
    yield "</graph>"
    yield "</graphml>"
