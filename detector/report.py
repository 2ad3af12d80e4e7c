"""The audit report: one self-contained HTML file (charts, data and JavaScript inline) that opens offline.

Charts are Altair (Vega-Lite) specs built from the polars tables and rendered in the browser by the Vega
bundle that ``vl-convert-python`` ships, so no CDN is ever contacted. Sections: domain ranking, per-domain
farm-probability distributions (per-page copied share until the classifier gives probabilities), the
domain copy graph, top original sources, trait prevalence, for each flagged domain its worst pages with
reasons and copied passages, the pages flagged on domains read clean, and the inputs that were not audited with
their reasons. ``verdict_html``
renders one verdict (``Verdict._repr_html_`` in notebooks).
"""

from __future__ import annotations

import html
import json
import os
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

import polars as pl

from detector.audit_tables import COPIED_WEIGHT, FARM_AT, SUSPICIOUS_AT, UNCREDITED_WEIGHT
from detector.records import Verdict
from detector.render import shown_score
from detector.report_charts import (copy_graph_chart, distribution_chart, ranking_chart, sources_chart,
                                    traits_chart)

MAX_FLAGGED, WORST_PAGES, PASSAGES = 20, 5, 3
MAX_LOOSE = 20  # flagged pages on clean domains shown
#: Refused inputs the report lists (a 100k-page audit may refuse thousands; the pages table holds them all), and
#: up to how many the list starts unfolded.
MAX_REFUSED, OPEN_REFUSED = 200, 20
_CSS = """
body{font:14px/1.45 system-ui,sans-serif;margin:0 auto;max-width:1100px;padding:1em 2em;color:#222}
h1{font-size:1.6em}h2{border-bottom:1px solid #ddd;padding-bottom:.2em;margin-top:2em}
table{border-collapse:collapse;margin:.5em 0;width:100%}td,th{border:1px solid #ddd;padding:3px 6px;
text-align:left;vertical-align:top}th{background:#f4f4f4}.chart{margin:1em 0}.muted{color:#777}
.farm{color:#b00020;font-weight:600}.suspicious{color:#c77700;font-weight:600}.clean{color:#2e7d32}
blockquote{margin:.3em 0 .3em 1em;padding:.2em .6em;border-left:3px solid #c77700;background:#fff8ee}
code{background:#f4f4f4;padding:0 3px}.page{margin:.8em 0 1.2em}
"""
_LABEL_CLASS = {"content_farm": "farm", "suspicious": "suspicious", "clean": "clean"}


@lru_cache(maxsize=1)
def vega_bundle() -> str:
    """Vega, Vega-Lite and vega-embed as one inline script (from vl-convert-python; no network).

    Bundling takes vl-convert a few CPU seconds, so the bundle is kept in the user's cache directory
    (``detector.demo.cache_dir``), one file per vl-convert version; without a writable cache it is
    simply made again.
    """
    import vl_convert

    from detector.demo import cache_dir

    version = getattr(vl_convert, "__version__", None)
    cache = cache_dir() / f"vega-bundle-{version}.js" if version else None
    if cache is not None:
        try:
            return cache.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            pass
    bundle = vl_convert.javascript_bundle().replace("</script", "<\\/script")
    if cache is not None:
        try:
            cache.parent.mkdir(parents=True, exist_ok=True)
            tmp = cache.with_name(f".{cache.name}.{os.getpid()}.tmp")
            tmp.write_text(bundle, encoding="utf-8")
            os.replace(tmp, cache)
        except OSError:
            pass
    return bundle


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value))


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.0f}%"


def _json(spec: dict[str, Any]) -> str:
    return json.dumps(spec, default=str).replace("</", "<\\/")


#: The notebook view's own look, scoped to its class so that it changes nothing else on the page.
_VERDICT_STYLE = ("<style>.cfd-verdict .farm{color:#b00020;font-weight:bold}.cfd-verdict .suspicious{color:#b36200;"
                  "font-weight:bold}.cfd-verdict .clean{color:#2e7d32;font-weight:bold}.cfd-verdict .muted{color:#777}"
                  ".cfd-verdict td{vertical-align:top;text-align:left}.cfd-verdict blockquote{white-space:pre-wrap;"
                  "margin:0 0 .4em;padding-left:.6em;border-left:3px solid #ccc}</style>")


def verdict_html(verdict: Verdict) -> str:
    """One verdict as an HTML fragment: label and probability, origin and chain, reasons, matches (with the
    evidence of each one's direction: a sibling, an upstream source and a backdated page all read ``unknown``
    or a copy without it), and the traits the page shows, folded."""
    if verdict.error:
        return (f"{_VERDICT_STYLE}<div class='cfd-verdict'><b dir='auto'>{_e(verdict.target)}</b>: "
                f"<span class='farm'>error</span> {_e(verdict.error)}</div>")
    label = verdict.label or "unscored"
    prob = "" if verdict.farm_probability is None else f" ({shown_score(verdict.farm_probability)})"
    parts = [f"{_VERDICT_STYLE}<div class='cfd-verdict'><b dir='auto'>{_e(verdict.title or verdict.url)}</b><br>",
             f"<span class='muted'>{_e(verdict.url)}</span><br>",
             f"<span class='{_LABEL_CLASS.get(label, 'muted')}'>{_e(label)}{prob}</span>"]
    if verdict.origin:
        parts.append(f"<br>origin: <b>{_e(verdict.origin.domain)}</b> {_e(verdict.origin.url)}")
    if verdict.chain:
        parts.append("<br>chain: " + " &rarr; ".join(_e(u) for u in verdict.chain))
    if verdict.reasons:
        parts.append("<br>reasons: " + ", ".join(f"<code>{_e(r)}</code>" for r in verdict.reasons))
    if verdict.signals:
        parts.append("<br><span class='muted'>signals (too weak to flag the page): "
                     + ", ".join(f"<code>{_e(r)}</code>" for r in verdict.signals) + "</span>")
    if verdict.matches:
        rows = "".join(
            f"<tr><td>{_e(m.domain)}</td><td>{_pct(m.share_of_this)}</td><td>{_pct(m.share_of_other)}</td>"
            f"<td>{_e(m.derivation)}</td><td>{_e(m.direction)}</td><td>{_e(m.direction_evidence or '')}</td>"
            f"<td>{'yes' if m.credited else 'no'}</td>"
            f"<td>{''.join(f'<blockquote dir=auto>{_e(p.text[:300])}</blockquote>' for p in m.passages[:2])}</td></tr>"
            for m in verdict.matches)
        parts.append("<table><tr><th>other</th><th>of this</th><th>of other</th><th>derivation</th>"
                     f"<th>direction</th><th>evidence</th><th>credited</th><th>passages</th></tr>{rows}</table>")
    if verdict.traits:
        shown = [t for t in verdict.traits if t.value]
        parts.append(f"<details><summary>traits: {len(shown)} of {len(verdict.traits)} present</summary>"
                     + ", ".join(f"{_e(t.name)}={t.value:g}" for t in shown) + "</details>")
    parts.append("</div>")
    return "".join(parts)


def _table(frame: pl.DataFrame, columns: list[str]) -> str:
    head = "".join(f"<th>{_e(c)}</th>" for c in columns)
    body = []
    for row in frame.select(columns).iter_rows(named=True):
        cells = []
        for column in columns:
            value = row[column]
            if isinstance(value, float):
                text = shown_score(value)
            elif isinstance(value, list):
                text = ", ".join(v["domain"] if isinstance(v, dict) and "domain" in v else str(v) for v in value)
            else:
                text = "" if value is None else str(value)
            klass = f" class='{_LABEL_CLASS[value]}'" if column == "verdict" and value in _LABEL_CLASS else ""
            cells.append(f"<td{klass}>{_e(text)}</td>")
        body.append(f"<tr>{''.join(cells)}</tr>")
    return f"<table><tr>{head}</tr>{''.join(body)}</table>"


_WORST_COLUMNS = ("target", "url", "domain", "title", "farm_probability", "share_copied", "source_domain",
                  "derivation", "chain", "reasons")


def _worst_first(pages: pl.LazyFrame) -> pl.LazyFrame:
    """Pages by farm probability, then share copied (highest first), then target: the order both page lists use."""
    return pages.sort(["farm_probability", "share_copied", "target"], descending=[True, True, False], nulls_last=True)


def _flagged_on_clean(pages: pl.DataFrame | pl.LazyFrame, domains: pl.DataFrame) -> pl.DataFrame:
    """Pages labelled content farm or suspicious on domains read clean, worst first (the ``MAX_LOOSE`` first):
    a farm copy on a mostly original blog, or a false alarm on a newsroom, which the domain ranking hides (an
    outside probe's analyst found a 0.996 copy on a clean domain only as a point in the distribution chart)."""
    clean = domains.filter(pl.col("verdict") == "clean")["domain"].to_list()
    return (pages.lazy().filter(pl.col("error").is_null() & pl.col("domain").is_in(clean)
                                & pl.col("label").is_in(["content_farm", "suspicious"]))
            .select(_WORST_COLUMNS).pipe(_worst_first).head(MAX_LOOSE).collect())


def _worst(pages: pl.DataFrame | pl.LazyFrame, domains: pl.DataFrame) -> dict[str, pl.DataFrame]:
    """The ``WORST_PAGES`` worst pages of each of the first ``MAX_FLAGGED`` flagged domains (only the columns
    the report prints are read, so a lazy pages table is never loaded whole)."""
    flagged = domains.filter(pl.col("verdict") != "clean").head(MAX_FLAGGED)["domain"].to_list()
    ok = pages.lazy().filter(pl.col("error").is_null() & pl.col("domain").is_in(flagged)).select(_WORST_COLUMNS)
    ordered = ok.pipe(_worst_first).filter(pl.int_range(pl.len()).over("domain") < WORST_PAGES).collect()
    return {d: ordered.filter(pl.col("domain") == d) for d in flagged}


def _passages(verdict: dict[str, Any]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for match in verdict.get("matches") or []:
        if match["direction"] != "this_copies_other":
            continue
        out += [(match["domain"], p["text"]) for p in match.get("passages") or []]
    return out[:PASSAGES]


def _source_line(row: dict[str, Any]) -> str:
    """Where a page's text came from, in words: a credited quotation is no copied share."""
    if row["source_domain"] is None:
        return "no source found"
    if row["derivation"] == "quotes_only":
        return f"quotes {_e(row['source_domain'])} (credited quotations only)"
    return f"copied {_pct(row['share_copied'])} from {_e(row['source_domain'])} ({_e(row['derivation'])})"


def _flagged_section(worst: dict[str, pl.DataFrame], verdicts: dict[str, dict[str, Any]]) -> str:
    if not worst:
        return "<p class='muted'>No domain was flagged.</p>"
    parts = []
    for domain, frame in worst.items():
        parts.append(f"<h3>{_e(domain)}</h3>")
        parts += [_page_html(row, verdicts.get(row["target"], {})) for row in frame.iter_rows(named=True)]
    return "".join(parts)


def _loose_section(loose: pl.DataFrame, verdicts: dict[str, dict[str, Any]]) -> str:
    if not loose.height:
        return "<p class='muted'>No page of a domain read clean was flagged.</p>"
    return ("<p class='muted'>Pages labelled content farm or suspicious whose domain reads clean: a farm copy on a "
            "mostly original site, or a false alarm worth a look.</p>"
            + "".join(f"<h3>{_e(row['domain'] or '')}</h3>" + _page_html(row, verdicts.get(row["target"], {}))
                      for row in loose.iter_rows(named=True)))


def _page_html(row: dict[str, Any], verdict: dict[str, Any]) -> str:
    """One page of the report: title, address, where its text came from, probability, chain, reasons, passages."""
    prob = "" if row["farm_probability"] is None else f" · farm probability {shown_score(row['farm_probability'])}"
    chain = " &rarr; ".join(_e(u) for u in row["chain"]) or "<span class='muted'>none</span>"
    quotes = "".join(f"<blockquote><span class='muted'>from {_e(d)}:</span> {_e(t[:600])}</blockquote>"
                     for d, t in _passages(verdict))
    return (f"<div class='page'><b>{_e(row['title'] or row['url'])}</b> <span class='muted'>{_e(row['url'])}"
            f"</span><br>{_source_line(row)}{prob}<br>chain: {chain}<br>reasons: "
            + (", ".join(f"<code>{_e(r)}</code>" for r in row["reasons"]) or "<span class='muted'>none</span>")
            + quotes + "</div>")


def _refused_section(pages: pl.DataFrame | pl.LazyFrame) -> str:
    """The inputs that were not audited, each with its one-line reason (the ``MAX_REFUSED`` first by domain,
    then "and N more"), so that a reader sees what the figures leave out without opening the pages table."""
    refused = pages.lazy().filter(pl.col("error").is_not_null())
    total = refused.select(pl.len()).collect().item()
    if not total:
        return "<h2 id='refused'>Inputs not audited</h2><p class='muted'>Every input was read.</p>"
    shown = (refused.select(pl.col("target").alias("input"), "domain", pl.col("error").alias("reason"))
             .sort(["domain", "input"], nulls_last=True).head(MAX_REFUSED).collect())
    more = (f"<p class='muted'>and {total - shown.height} more: the <code>error</code> column of pages.parquet "
            "names every one.</p>") if total > shown.height else ""
    return (f"<h2 id='refused'>Inputs not audited</h2><p class='muted'>{total} inputs could not be read, fetched "
            "or extracted: they have no verdict, and their domain counts them only in its <code>errors</code>.</p>"
            f"<details{' open' if total <= OPEN_REFUSED else ''}><summary>{total} refused inputs, with the reason"
            f"</summary>{_table(shown, ['domain', 'input', 'reason'])}{more}</details>")


def build_report(pages: pl.DataFrame | pl.LazyFrame, domains: pl.DataFrame, edges: pl.DataFrame,
                 verdicts: Iterable[dict[str, Any]], title: str = "Content-farm audit") -> str:
    """The report as one HTML string (every chart spec, its data and the Vega bundle inline).

    ``pages`` may be lazy (the written pages table): each section reads only the columns and rows it shows.
    """
    worst = _worst(pages, domains)
    loose = _flagged_on_clean(pages, domains)
    wanted = {t for frame in [*worst.values(), loose] for t in frame["target"].to_list()}
    chosen: dict[str, dict[str, Any]] = {}
    for record in verdicts:
        verdict = record.get("verdict", record)
        if verdict.get("target") in wanted:
            chosen[verdict["target"]] = verdict
    charts = {
        "ranking": ("Domain ranking", ranking_chart(domains)),
        "distribution": ("Farm probability per domain", distribution_chart(pages, domains)),
        "graph": ("Domain copy graph", copy_graph_chart(domains, edges)),
        "sources": ("Top original sources", sources_chart(pages)),
        "traits": ("Trait prevalence", traits_chart(domains)),
    }
    total, ok = pages.lazy().select(pl.len(), pl.col("error").is_null().sum()).collect().row(0)
    summary = (f"{total} inputs: {ok} pages read, {total - ok} not readable; {domains.height} domains, "
               f"{domains.filter(pl.col('verdict') == 'content_farm').height} content farms, "
               f"{domains.filter(pl.col('verdict') == 'suspicious').height} suspicious.")
    listed = " <a href='#refused'>Inputs not audited</a> are listed at the end." if total > ok else ""
    body = [f"<h1>{_e(title)}</h1><p>{_e(summary)}{listed}</p>",
            f"<p class='muted'>Domain score = {COPIED_WEIGHT:g} × pages copied + {UNCREDITED_WEIGHT:g} × pages "
            "copied without credit (a page that took less than half its text counting in proportion), averaged with "
            "the median farm probability when the classifier gave one. "
            f"Verdict: content farm at a score of {FARM_AT:g} with a page labelled content farm or copied without "
            "credit, or when at least half the pages are labelled content farm; suspicious at "
            f"{SUSPICIOUS_AT:g} with a page flagged or copied without credit, or when at least half are flagged "
            "(labelled content farm or suspicious). Each domain's reason names the rule and the counts that gave "
            "its verdict. Public domain lists are shown as an extra signal only.</p>"]
    specs = {}
    for key, (heading, (chart, note)) in charts.items():
        body.append(f"<h2>{_e(heading)}</h2>")
        if note:
            body.append(f"<p class='muted'>{_e(note)}</p>")
        if chart is not None:
            body.append(f"<div class='chart' id='chart-{key}'></div>")
            specs[key] = chart
        if key == "ranking":
            body.append(_table(domains.head(50), ["rank", "domain", "verdict", "verdict_reason", "score", "pages",
                                                  "share_copied", "share_copied_uncredited", "median_farm_probability",
                                                  "top_sources", "listed_on"]))
    body.append("<h2>Flagged domains: worst pages</h2>" + _flagged_section(worst, chosen))
    body.append("<h2>Flagged pages on clean domains</h2>" + _loose_section(loose, chosen))
    body.append(_refused_section(pages))
    script = ("const specs = " + _json(specs) + ";\n"
              "window.renderedCharts = 0;\n"
              "for (const [key, spec] of Object.entries(specs)) {\n"
              "  vegaEmbed('#chart-' + key, spec, {renderer: 'svg', actions: false})\n"
              "    .then(() => { window.renderedCharts += 1; document.getElementById('chart-' + key)"
              ".setAttribute('data-rendered', 'true'); })\n"
              "    .catch(err => console.error('chart ' + key + ' failed: ' + err));\n}\n")
    return ("<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
            f"<title>{_e(title)}</title><style>{_CSS}</style>"
            f"<script>{vega_bundle()}</script></head><body>{''.join(body)}"
            f"<script>{script}</script></body></html>")


def write_report(path: Path, pages: pl.DataFrame | pl.LazyFrame, domains: pl.DataFrame, edges: pl.DataFrame,
                 verdicts: Iterable[dict[str, Any]]) -> Path:
    """Write ``report.html`` (atomically) and return its path."""
    text = build_report(pages, domains, edges, verdicts)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    return path
