"""Accuracy and cost of the content-farm classifier, written to benchmarks/RESULTS.md.

    .venv/bin/python benchmarks/eval_classifier.py [--generated datasets/training/generated] [--pages 200] [--repeat 5]

- grouped cross-validation (template folds x source-site folds; see detector/model_train.py) with the shipped
  model's settings and thresholds: ROC-AUC, PR-AUC, Brier, recall at 1% FPR, recall/FPR at the cuts;
- false positives on the real pages of scrapinghub-aeb and htmldate-dev, out of fold, with the pages above;
- the seed case and the demo corpus scored by the shipped model through the real Scorer and a real index;
- time per page on the seed case and real pages: extraction vs traits + model + explanation, side by side in
  one run (median, p95, wall and CPU; see benchmarks/trait_speed.py).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import trait_speed  # noqa: E402
from benchmarks._common import REPO, table, write_section  # noqa: E402
from detector.classify import load_model  # noqa: E402
from detector.index import Index  # noqa: E402
from detector.model_data import DEFAULT_GENERATED, load_table  # noqa: E402
from detector.model_train import run_cv, why_text  # noqa: E402
from detector.score import Scorer  # noqa: E402
from detector.sources import expand, load  # noqa: E402


def score_folder(folder: Path) -> list[tuple[str, float, str, str]]:
    model = load_model()
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        with Index(Path(tmp) / "i.sqlite") as index:
            index.add([load(t).article for t in expand([str(folder)])])
        with Index(Path(tmp) / "i.sqlite", readonly=True) as index, Scorer(index, model=model) as scorer:
            indexed = {Path(v.target).name: v for v in scorer.score_all([str(folder)])}
        with Scorer(None, model=model) as scorer:
            plain = {Path(v.target).name: v for v in scorer.score_all([str(folder)])}
    for name in sorted(indexed):
        v, w = indexed[name], plain[name]
        out.append((name, v.farm_probability, w.farm_probability, v.label, "; ".join(v.reasons[:6])))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--generated", type=Path, default=DEFAULT_GENERATED)
    ap.add_argument("--pages", type=int, default=200, help="real pages timed (plus the seed case)")
    ap.add_argument("--repeat", type=int, default=5, help="timings per page (its median is kept)")
    args = ap.parse_args()
    model = load_model()
    card = model.card
    t0 = time.perf_counter()
    tab = load_table(args.generated, 2, progress=lambda m: print(m, file=sys.stderr))
    hyper = card["hyperparameters"]
    ev = run_cv(tab, C=float(hyper.get("C", 0.3)), seed=int(hyper["seed"]), thresholds=model.thresholds,
                kind=hyper.get("kind", "linear"))
    rep = ev.report
    cut = model.thresholds
    lines = [f"{time.perf_counter() - t0:.0f} s for the trait table and the cross-validation.", "",
             f"Model: `detector/models/farm_model.skops` ({card['model']}); {len(card['feature_names'])} traits; "
             f"thresholds content_farm >= {cut.content_farm}, suspicious >= {cut.suspicious}. Training set: "
             f"`{card['training_data']['labels_sha256'][:12]}` (builder seed {card['training_data']['builder_seed']}).",
             "", f"**Cross-validation**: {rep_scheme(card)}. Rows: every page without an index (copy traits 0) and, "
             "matched against an index of the real pages (a clean_generated page only where the index shows its body "
             "taken without credit, then a positive: `uncredited_copy`; `without_uncredited_copy` leaves those rows "
             "out); seed pages held out.", ""]
    rows = []
    for part in ("all", "without_uncredited_copy", "plain", "indexed", "hard"):
        m = rep[part]
        rows.append((part, str(m["rows"]), str(m.get("roc_auc")), str(m.get("pr_auc")), str(m["brier"]),
                     str(m.get("recall_at_1pct_fpr")), f"{m['recall_at_content_farm']} / {m['fpr_at_content_farm']}",
                     f"{m['recall_at_suspicious']} / {m['fpr_at_suspicious']}"))
    lines.append(table(rows, ("rows", "n", "ROC-AUC", "PR-AUC", "Brier", "recall @ 1% FPR",
                              "recall / FPR at content_farm", "recall / FPR at suspicious")))
    lines += ["", "By kind (out of fold): " + ", ".join(f"{k}: {v['rows']} rows, mean p {v['mean_p']}, "
                                                     f"{v['above_content_farm']} >= content_farm"
                                                     for k, v in rep["by_kind"].items()), ""]
    guard = card["training_data"].get("sign_guard", {})
    if "coefficients" not in card:
        lines += ["**Monotonic constraints** (+1: the probability can only rise with the trait): "
                  + ", ".join(f"`{n}`" for n in card.get("monotonic_increasing", [])) + ". Reasons: "
                  + card.get("explanation", "") + ".", ""]
    coef = sorted(card.get("coefficients", {}).items(), key=lambda kv: kv[1])
    lines += [] if not coef else ["**Weights** (per unit of log1p(trait), shipped model). Top 10 positive: "
              + ", ".join(f"`{n}` {c:+.2f}" for n, c in coef[::-1][:10]) + ". Top 10 negative: "
              + ", ".join(f"`{n}` {c:+.2f}" for n, c in coef[:10]) + ". Sign guard: spam traits held at weight 0 "
              f"because a fit gave them a negative weight: {', '.join(f'`{d}`' for d in guard.get('dropped', [])) or 'none'}.",
              ""]
    lines.append("**Real pages, out of fold** (each page scored plain and indexed):")
    lines.append("")
    for name, real in rep["real_pages"].items():
        above = "; ".join(f"`{a['id']}` ({a['url']}) {a['p']} ({a['mode']}): {why_text(a['why'])}"
                          for a in real["above_content_farm"]) or "none"
        lines.append(f"- {name}: {real['pages']} pages, FPR at content_farm {real['fpr_content_farm']}, "
                     f"at suspicious {real['fpr_suspicious']}; above content_farm: {above}")
    lines += ["", "**Seed case** (shipped model, real Scorer, index of the four pages; p without index in brackets):", ""]
    seed = score_folder(REPO / "tests" / "fixtures" / "seed-case")
    lines.append(table([(n, f"{p:.3f}", f"({q:.3f})", lab, r) for n, p, q, lab, r in seed],
                       ("page", "p", "no index", "label", "first reasons")))
    lines += ["", "**Demo corpus** (`datasets/demo/pages`, all 18 indexed):", ""]
    demo = score_folder(REPO / "datasets" / "demo" / "pages")
    lines.append(table([(n, f"{p:.3f}", f"({q:.3f})", lab, r) for n, p, q, lab, r in demo],
                       ("page", "p", "no index", "label", "first reasons")))
    lines += ["", trait_speed.markdown(trait_speed.measure(trait_speed.sample_pages(args.pages), args.repeat))]
    lines += ["", model_time(model)]
    write_section("Content-farm classifier", "\n".join(lines))
    print("\n".join(lines))
    return 0


def model_time(model) -> str:
    """The model's share of scoring: ``assess`` (probability + explanation) on already computed traits."""
    import statistics

    from features import PageView, compute_traits

    traits = [compute_traits(PageView(e.article, e.dom)) for e in
              (load(t) for t in expand([str(REPO / "datasets" / "demo" / "pages")]))]
    per = []
    for tr in traits:
        model.assess(tr)
        runs = []
        for _ in range(30):
            t0 = time.perf_counter()
            model.assess(tr)
            runs.append(time.perf_counter() - t0)
        per.append(statistics.median(runs))
    return (f"Model part alone (`FarmModel.assess`: probability + explanation, traits given; the 18 demo pages, "
            f"30 runs each, median per page): median {statistics.median(per) * 1e3:.3f} ms, "
            f"max {max(per) * 1e3:.3f} ms.")


def rep_scheme(card: dict) -> str:
    return card["cv"]["scheme"]


if __name__ == "__main__":
    raise SystemExit(main())
