"""Accuracy and cost of the content-farm classifier, written to benchmarks/RESULTS.md.

    .venv/bin/python benchmarks/eval_classifier.py [--generated datasets/training/generated] [--pages 300]

- grouped cross-validation (template folds x source-site folds; see detector/model_train.py) with the shipped
  model's settings and thresholds: ROC-AUC, PR-AUC, Brier, recall at 1% FPR, recall/FPR at the cuts;
- false positives on the real pages of scrapinghub-aeb and htmldate-dev, out of fold, with the pages above;
- the seed case and the demo corpus scored by the shipped model through the real Scorer and a real index;
- time per page: extraction vs traits + model + explanation (median, p95).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._common import REPO, table, write_section  # noqa: E402
from detector.classify import load_model  # noqa: E402
from detector.extract import extract  # noqa: E402
from detector.index import Index  # noqa: E402
from detector.model_data import DEFAULT_GENERATED, load_table  # noqa: E402
from detector.model_train import run_cv  # noqa: E402
from detector.score import Scorer  # noqa: E402
from detector.sources import expand, load, read_page_bytes  # noqa: E402
from features import PageView, compute_traits  # noqa: E402


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def timing(generated: Path, n: int) -> dict[str, float]:
    model = load_model()
    recs = [json.loads(line) for line in (generated / "labels.jsonl").read_text("utf-8").splitlines()]
    random.Random(0).shuffle(recs)
    ext, cost = [], []
    for rec in recs[:n]:
        data = (generated / rec["path"]).read_bytes()
        t0 = time.perf_counter()
        try:
            extracted = extract(read_page_bytes(data, rec["id"], rec["url"], 10_000_000))
        except Exception:  # noqa: BLE001 - refused pages are not timed
            continue
        t1 = time.perf_counter()
        model.assess(compute_traits(PageView(extracted.article, extracted.dom, ())))
        t2 = time.perf_counter()
        ext.append((t1 - t0) * 1e3)
        cost.append((t2 - t1) * 1e3)
    return {"pages": len(ext), "extract_median_ms": statistics.median(ext), "extract_p95_ms": pct(ext, 0.95),
            "score_median_ms": statistics.median(cost), "score_p95_ms": pct(cost, 0.95)}


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
    ap.add_argument("--pages", type=int, default=300, help="pages timed")
    args = ap.parse_args()
    model = load_model()
    card = model.card
    t0 = time.perf_counter()
    tab = load_table(args.generated, 2, progress=lambda m: print(m, file=sys.stderr))
    ev = run_cv(tab, C=float(card["hyperparameters"]["C"]), seed=int(card["hyperparameters"]["seed"]),
                thresholds=model.thresholds)
    rep = ev.report
    cut = model.thresholds
    lines = [f"{time.perf_counter() - t0:.0f} s for the trait table and the cross-validation.", "",
             f"Model: `detector/models/farm_model.skops` ({card['model']}); {len(card['feature_names'])} traits; "
             f"thresholds content_farm >= {cut.content_farm}, suspicious >= {cut.suspicious}. Training set: "
             f"`{card['training_data']['labels_sha256'][:12]}` (builder seed {card['training_data']['builder_seed']}).",
             "", f"**Cross-validation**: {rep_scheme(card)}. Rows: every page without an index (copy traits 0) and, "
             "except clean_generated pages, matched against an index of the real pages; seed pages held out.", ""]
    rows = []
    for part in ("all", "plain", "indexed", "hard"):
        m = rep[part]
        rows.append((part, str(m["rows"]), str(m.get("roc_auc")), str(m.get("pr_auc")), str(m["brier"]),
                     str(m.get("recall_at_1pct_fpr")), f"{m['recall_at_content_farm']} / {m['fpr_at_content_farm']}",
                     f"{m['recall_at_suspicious']} / {m['fpr_at_suspicious']}"))
    lines.append(table(rows, ("rows", "n", "ROC-AUC", "PR-AUC", "Brier", "recall @ 1% FPR",
                              "recall / FPR at content_farm", "recall / FPR at suspicious")))
    lines += ["", "By kind (out of fold): " + ", ".join(f"{k}: {v['rows']} rows, mean p {v['mean_p']}, "
                                                     f"{v['above_content_farm']} >= content_farm"
                                                     for k, v in rep["by_kind"].items()), ""]
    lines.append("**Real pages, out of fold** (each page scored plain and indexed):")
    lines.append("")
    for name, real in rep["real_pages"].items():
        above = ", ".join(f"`{a['id']}` {a['p']} ({a['mode']})" for a in real["above_content_farm"]) or "none"
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
    t = timing(args.generated, args.pages)
    lines += ["", f"**Time per page** ({t['pages']} training pages, one process): extraction median "
              f"{t['extract_median_ms']:.2f} ms, p95 {t['extract_p95_ms']:.2f} ms; traits + model + explanation "
              f"median {t['score_median_ms']:.2f} ms, p95 {t['score_p95_ms']:.2f} ms (index matching not included)."]
    write_section("Content-farm classifier", "\n".join(lines))
    print("\n".join(lines))
    return 0


def rep_scheme(card: dict) -> str:
    return card["cv"]["scheme"]


if __name__ == "__main__":
    raise SystemExit(main())
