"""The report's Altair charts, each built from the polars tables; every function returns ``(spec, note)``.

A chart that has no data returns ``(None, note)`` and the report prints the note instead, so a report of an
audit without classifier output or without copies still renders without errors.
"""

from __future__ import annotations

import math
from typing import Any

import altair as alt
import polars as pl

from detector.audit_tables import counted_pages
from detector.render import shown_score

TOP = 25
MAX_POINTS = 500
_VERDICT_SCALE = alt.Scale(domain=["content_farm", "suspicious", "clean"], range=["#b00020", "#e08a00", "#2e7d32"])
Spec = tuple[dict[str, Any] | None, str | None]
_UNIT_AXIS = alt.Axis(values=[0, 0.25, 0.5, 0.75, 1], format=".2f")  # a 0..1 axis: five labels, none overlapping


def _spec(chart: alt.TopLevelMixin) -> dict[str, Any]:
    return chart.to_dict()


def _first_domains(domains: pl.DataFrame) -> str | None:
    """The note of a chart that shows only the ``TOP`` first domains of the ranking (None when it shows all)."""
    return f"The first {TOP} of {domains.height} domains by rank." if domains.height > TOP else None


def ranking_chart(domains: pl.DataFrame) -> Spec:
    """Bar chart of the top domains by score, coloured by verdict."""
    if domains.is_empty():
        return None, "No domain had a readable page."
    data = domains.head(TOP).select("rank", "domain", "score", "verdict", "pages", "share_copied",
                                    "share_copied_uncredited").with_columns(
        pl.col("score").map_elements(shown_score, return_dtype=pl.String).alias("score (cut)"))
    chart = alt.Chart(data).mark_bar().encode(
        x=alt.X("score:Q", scale=alt.Scale(domain=[0, 1]), title="domain score", axis=_UNIT_AXIS),
        y=alt.Y("domain:N", sort=alt.EncodingSortField("rank", order="ascending"), title=None),
        color=alt.Color("verdict:N", scale=_VERDICT_SCALE),
        tooltip=["rank", "domain", "verdict", alt.Tooltip("score (cut):N", title="score"), "pages",
                 alt.Tooltip("share_copied:Q", format=".0%"), alt.Tooltip("share_copied_uncredited:Q", format=".0%")],
    ).properties(width=700, height=alt.Step(18))
    return _spec(chart), _first_domains(domains)


def distribution_chart(pages: pl.DataFrame | pl.LazyFrame, domains: pl.DataFrame) -> Spec:
    """Per-domain box plots of farm probability, each page a tick (a domain whose pages all score 1.0 has a
    box of no width); per-page copied share while no probabilities exist.

    A domain with more than ``MAX_POINTS`` pages is drawn from ``MAX_POINTS`` of its values evenly spaced by
    rank (its minimum and maximum included), so the report stays small for any audit size.
    """
    top = domains.head(TOP)["domain"].to_list()
    ok = counted_pages(pages).filter(pl.col("domain").is_in(top))  # a URL read twice is one page, as in the tables
    field, title, note = "farm_probability", "farm probability", _first_domains(domains)
    if ok.select(pl.col("farm_probability").is_not_null().any()).collect().item() is not True:
        field, title = "share_copied", "share of the page copied"
        note = " ".join(filter(None, [note, "The classifier gave no farm probabilities in this audit; showing each "
                                            "page's copied share instead."]))
    data = thinned(ok.select("domain", "url", pl.col(field).alias("value")).drop_nulls("value"), MAX_POINTS)
    if data.is_empty():
        return None, "No pages to plot."
    if data.height < ok.select(pl.col(field).is_not_null().sum()).collect().item():
        note = " ".join(filter(None, [note, f"Domains with more than {MAX_POINTS} pages are drawn from "
                                            f"{MAX_POINTS} of their values, evenly spaced by rank."]))
    order = [d for d in top if d in set(data["domain"].to_list())]
    x = alt.X("value:Q", scale=alt.Scale(domain=[0, 1]), title=title, axis=_UNIT_AXIS)
    y = alt.Y("domain:N", sort=order, title=None)
    boxes = alt.Chart(data).mark_boxplot(extent="min-max", color="#1f5fa8", opacity=0.5).encode(x=x, y=y)
    ticks = alt.Chart(data).mark_tick(color="#222", opacity=0.6, thickness=1.5).encode(
        x=x, y=y, tooltip=["domain", "url", alt.Tooltip("value:Q", format=".3f", title=title)])
    chart = alt.layer(boxes, ticks).properties(width=700, height=alt.Step(18))
    return _spec(chart), note


def thinned(values: pl.LazyFrame, limit: int) -> pl.DataFrame:
    """Rows of ``(domain, ..., value)``, at most ``limit`` per domain: a domain with more keeps the values at
    evenly spaced ranks (first and last included); rows stay in their order."""
    rank = pl.col("value").rank("ordinal").over("domain").cast(pl.Int64) - 1
    size = pl.len().over("domain").cast(pl.Int64)
    step = (rank * (limit - 1)) // (size - 1).clip(lower_bound=1)
    before = ((rank - 1) * (limit - 1)) // (size - 1).clip(lower_bound=1)
    keep = (size <= limit) | (rank == 0) | (step != before)
    return values.filter(keep).collect()


def _layout(names: list[str]) -> dict[str, tuple[float, float]]:
    count = max(len(names), 1)
    return {name: (math.cos(2 * math.pi * i / count), math.sin(2 * math.pi * i / count))
            for i, name in enumerate(names)}


def copy_graph_chart(domains: pl.DataFrame, edges: pl.DataFrame) -> Spec:
    """The domain copy graph on a circle: node size = pages, colour = verdict, edge width = pages copied."""
    dom_edges = edges.filter(pl.col("kind") == "domain").head(200)
    if dom_edges.is_empty():
        return None, "No copies between domains were found."
    involved = set(dom_edges["source"].to_list()) | set(dom_edges["target"].to_list())
    ranked = domains.filter(pl.col("domain").is_in(list(involved))).sort("rank")["domain"].to_list()
    names = ranked + sorted(involved - set(ranked))
    where = _layout(names)
    info = {r["domain"]: r for r in domains.select("domain", "verdict", "pages", "score").iter_rows(named=True)}
    nodes = pl.DataFrame([{"domain": n, "x": where[n][0], "y": where[n][1],
                           "verdict": info.get(n, {}).get("verdict", "outside audit"),
                           "pages": info.get(n, {}).get("pages", 1) or 1} for n in names])
    lines = pl.DataFrame([{"source": r["source"], "target": r["target"], "x": where[r["source"]][0],
                           "y": where[r["source"]][1], "x2": where[r["target"]][0], "y2": where[r["target"]][1],
                           "pages": r["pages"], "credited_share": r["credited_share"],
                           "direction": r["direction"]} for r in dom_edges.iter_rows(named=True)])
    axis = alt.Axis(labels=False, ticks=False, grid=False, domain=False, title=None)
    scale = alt.Scale(domain=[-1.4, 1.4])
    links = alt.Chart(lines).mark_rule(opacity=0.6, color="#888").encode(
        x=alt.X("x:Q", axis=axis, scale=scale), y=alt.Y("y:Q", axis=axis, scale=scale), x2="x2:Q", y2="y2:Q",
        strokeWidth=alt.StrokeWidth("pages:Q", scale=alt.Scale(range=[1, 6]), legend=None),
        tooltip=["source", "target", "pages", alt.Tooltip("credited_share:Q", format=".0%"), "direction"])
    links = links.encode(strokeDash=alt.StrokeDash(
        "direction:N", scale=alt.Scale(domain=["source_to_copy", "unknown", "sibling"], range=[[1, 0], [5, 4], [2, 3]]),
        legend=None))
    heads = alt.Chart(lines.filter(pl.col("direction") == "source_to_copy")).mark_point(
        shape="triangle", filled=True, color="#555", size=60).encode(
        x=alt.X("x2:Q", axis=axis, scale=scale), y=alt.Y("y2:Q", axis=axis, scale=scale))
    dots = alt.Chart(nodes).mark_circle(opacity=0.9).encode(
        x=alt.X("x:Q", axis=axis, scale=scale), y=alt.Y("y:Q", axis=axis, scale=scale),
        size=alt.Size("pages:Q", scale=alt.Scale(range=[80, 900]), legend=None),
        color=alt.Color("verdict:N", scale=alt.Scale(domain=["content_farm", "suspicious", "clean", "outside audit"],
                                                     range=["#b00020", "#e08a00", "#2e7d32", "#999999"])),
        tooltip=["domain", "verdict", "pages"])
    labels = alt.Chart(nodes).mark_text(dy=-14, fontSize=11).encode(
        x=alt.X("x:Q", axis=axis, scale=scale), y=alt.Y("y:Q", axis=axis, scale=scale), text="domain:N")
    chart = alt.layer(links, heads, dots, labels).properties(width=620, height=520)
    return _spec(chart), ("Arrows point from the source domain to the copying domain (triangle at the copy); a "
                          "dashed line without a triangle joins domains one of which copied the other, which way is not known; a "
                          "dotted one, siblings: both took the text from a third.")


def sources_chart(pages: pl.DataFrame | pl.LazyFrame) -> Spec:
    """Domains most often found as the original (first known publisher) of copied pages. A page that only
    quotes its source with credit has an origin too, but copied nothing, and is left out."""
    origin = pl.when(pl.col("copied")).then(pl.coalesce("origin_domain", "source_domain"))
    data = (counted_pages(pages).select(origin.alias("origin_domain"), "domain")
            .drop_nulls("origin_domain")
            .group_by("origin_domain").agg(pl.len().alias("copies"), pl.col("domain").n_unique().alias("copiers"))
            .sort(["copies", "origin_domain"], descending=[True, False]).head(TOP).collect())
    if data.is_empty():
        return None, "No page in this audit was traced back to an original."
    chart = alt.Chart(data).mark_bar(color="#1f5fa8").encode(
        x=alt.X("copies:Q", title="pages traced back to it"),
        y=alt.Y("origin_domain:N", sort="-x", title=None), tooltip=["origin_domain", "copies", "copiers"],
    ).properties(width=700, height=alt.Step(18))
    return _spec(chart), None


def traits_chart(domains: pl.DataFrame) -> Spec:
    """Heat map: share of each domain's pages showing each spam trait."""
    rows = [{"domain": r["domain"], "trait": t["trait"], "share": t["share"]}
            for r in domains.head(TOP).select("domain", "trait_prevalence").iter_rows(named=True)
            for t in (r["trait_prevalence"] or [])]
    if not rows:
        return None, "No spam traits were measured in this audit (the classifier's traits are not available yet)."
    data = pl.DataFrame(rows)
    spread = (data.group_by("trait").agg((pl.col("share").max() - pl.col("share").min()).alias("spread"),
                                         pl.col("share").max().alias("top"))
              .filter((pl.col("spread") > 0) | (pl.len() == 1)).sort(["top", "trait"], descending=[True, False]).head(30))
    if not spread.is_empty():  # traits present on every page of every domain (word counts) tell nothing
        data = data.filter(pl.col("trait").is_in(spread["trait"].to_list()))
    chart = alt.Chart(data).mark_rect().encode(
        x=alt.X("trait:N", title=None), y=alt.Y("domain:N", sort=domains.head(TOP)["domain"].to_list(), title=None),
        color=alt.Color("share:Q", scale=alt.Scale(domain=[0, 1], scheme="oranges"), title="share of pages"),
        tooltip=["domain", "trait", alt.Tooltip("share:Q", format=".0%")],
    ).properties(width=alt.Step(22), height=alt.Step(18))
    return _spec(chart), _first_domains(domains)
