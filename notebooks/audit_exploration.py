# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Exploring a domain audit
#
# Audit a small folder of pages, load the tables with polars, plot them, and walk the seed chain
# (The Times -> BalkanWeb -> botasot.al). Set `AUDIT_PAGES` to audit another folder and `AUDIT_OUT` to choose
# where the outputs go; by default the four seed-case pages are audited into a temporary folder.

# %%
import os
import tempfile
from pathlib import Path

import altair as alt
import detector
import polars as pl
from IPython.display import HTML, display

from detector.audit import audit
from detector.index import Index
from detector.report import verdict_html
from detector.score import score
from detector.urls import registered_domain

SEED = Path(detector.__file__).resolve().parent.parent / "tests" / "fixtures" / "seed-case"

def given_folder(value: str) -> Path:
    """The folder named by ``AUDIT_PAGES``: a relative path is read from where the command was run (the
    kernel itself runs in ``notebooks/``)."""
    path = Path(value).expanduser()
    if path.is_absolute() or path.exists():
        return path
    return Path(os.environ.get("PWD", ".")) / path


pages_dir = given_folder(os.environ["AUDIT_PAGES"]) if os.environ.get("AUDIT_PAGES") else SEED
out = Path(os.environ.get("AUDIT_OUT") or tempfile.mkdtemp(prefix="audit-"))
pages_dir, out

# %% [markdown]
# ## Run the audit
# `audit()` is what `detector audit` calls; a rerun with the same `out` resumes where it stopped.

# %%
result = audit([str(pages_dir)], out, workers=1)
result.summary

# %% [markdown]
# ## The tables

# %%
domains = pl.read_parquet(result.domains)
pages = pl.read_parquet(result.pages)
edges = pl.read_parquet(result.edges)
domains.select("rank", "domain", "verdict", "score", "pages", "share_copied", "share_copied_uncredited",
               "median_farm_probability", "top_source")

# %%
pages.select("domain", "copied", "share_copied", "source_domain", "origin_domain", "farm_probability", "reasons")

# %%
edges.filter(pl.col("kind") == "domain")

# %% [markdown]
# ## Plots

# %%
alt.Chart(domains).mark_bar().encode(
    x=alt.X("score:Q", scale=alt.Scale(domain=[0, 1])),
    y=alt.Y("domain:N", sort="-x"),
    color="verdict:N",
    tooltip=["domain", "verdict", "score", "pages"],
)

# %%
alt.Chart(pages.filter(pl.col("error").is_null())).mark_circle(size=120).encode(
    x=alt.X("share_copied:Q", title="share of the page copied"),
    y=alt.Y("domain:N"),
    color=alt.Color("derivation:N"),
    tooltip=["title", "source_domain", "origin_domain"],
)

# %% [markdown]
# ## Walk the seed chain
# The worst page of the top domain, its chain back to the original, and each hop scored against the audit's
# own index (verdicts render as HTML in a notebook).

# %%
copied = pages.filter(pl.col("copied").fill_null(False))
top = domains.row(0, named=True) if domains.height else None
worst = None
if top is not None:
    own = copied.filter(pl.col("domain") == top["domain"])
    worst = (own if own.height else copied).sort("share_copied", descending=True).row(0, named=True) \
        if copied.height else None
chain = list(worst["chain"]) if worst else []
if chain:
    print(worst["domain"], "->", " <- ".join(reversed(chain)))
else:
    print("no page of this audit copies another: there is no chain to walk")

# %%
index_path = out / "state" / "index.sqlite"
verdicts = []
if chain:
    with Index(index_path, readonly=True) as index:
        info = index.info()
        hop_targets = [pages.filter(pl.col("url") == url)["target"][0] for url in chain]
        verdicts = score(hop_targets, index=index)
    print(info["documents"], [v.domain for v in verdicts])

# %%
for verdict in verdicts:
    display(HTML(verdict_html(verdict)))

# %%
if not os.environ.get("AUDIT_PAGES"):  # the seed case: botasot.al first, its chain back to The Times
    assert top is not None and top["domain"] == "botasot.al", "the seed case should rank botasot.al first"
    assert registered_domain(chain[-1]) == "botasot.al" and registered_domain(chain[0]) == "thetimes.co.uk"
