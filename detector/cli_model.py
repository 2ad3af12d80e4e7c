"""``detector train`` and ``detector evaluate``: rebuild and re-measure the content-farm classifier.

Both only parse options, call ``detector.model_data`` / ``detector.model_train`` and print: figures as JSON on
stdout, a short summary on stderr. Exit code 2 on a usage or data error.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from rich.markup import escape

from detector.classify import MODEL_DIR, MODEL_PATH
from detector.errors import DetectorError
from detector.model_data import DEFAULT_GENERATED, build_training_set, builder_seed, load_table
from detector.render import PipeConsole

err = PipeConsole(stderr=True, soft_wrap=True)

GeneratedOpt = Annotated[Path, typer.Option("--generated", help="Folder of the built training set (labels.jsonl, pages/).")]
CorporaOpt = Annotated[Optional[Path], typer.Option("--corpora", help="Folder with scrapinghub-aeb/ and htmldate-dev/; "
                                                    "builds the training set when it is missing (or, for train, "
                                                    "when --rebuild is given).")]
WorkersOpt = Annotated[int, typer.Option("--workers", min=1, help="Processes for extraction.")]


def _fail(message: str) -> None:
    err.print(f"[bold red]error:[/] {escape(message)}", highlight=False)
    raise typer.Exit(2)


def _summary(report: dict[str, Any], thresholds: dict[str, float]) -> None:
    from detector.model_train import why_text

    err.print(f"thresholds: content_farm >= {thresholds['content_farm']}, suspicious >= {thresholds['suspicious']}")
    for part in ("all", "plain", "indexed", "hard"):
        m = report[part]
        err.print(f"  {part:8} rows {m['rows']:5}  ROC-AUC {m.get('roc_auc')}  PR-AUC {m.get('pr_auc')}  "
                  f"Brier {m['brier']}  recall@1%FPR {m.get('recall_at_1pct_fpr')}  "
                  f"recall/FPR at content_farm {m['recall_at_content_farm']}/{m['fpr_at_content_farm']}")
    for name, real in report["real_pages"].items():
        err.print(f"  real pages {name}: {real['pages']} pages, FPR at content_farm {real['fpr_content_farm']}, "
                  f"{len(real['above_content_farm'])} rows above")
        for above in real["above_content_farm"]:
            err.print(f"    {above['id']} {above['p']} ({above['mode']}): {escape(why_text(above['why']))}",
                      highlight=False)


def _ensure_set(corpora: Path | None, generated: Path, seed: int, limit: int | None, rebuild: bool, workers: int) -> None:
    labels = generated / "labels.jsonl"
    stale = labels.is_file() and corpora is not None and builder_seed(generated) not in (None, seed)
    if labels.is_file() and not rebuild and not stale and limit is None:
        return
    if corpora is None:
        _fail(f"{labels}: no training set; pass --corpora ../shared/corpora to build it")
    err.print(f"building the training set from {escape(str(corpora))} into {escape(str(generated))} ...",
              highlight=False)
    build_training_set(corpora, generated, seed=seed, limit=limit, workers=workers)


def train(
    corpora: CorporaOpt = None,
    out: Annotated[Path, typer.Option("--out", help="Folder for farm_model.skops and farm_model.card.json.")] = MODEL_DIR,
    generated: GeneratedOpt = DEFAULT_GENERATED,
    seed: Annotated[int, typer.Option("--seed", help="Builder and fold-assignment seed.")] = 0,
    limit: Annotated[Optional[int], typer.Option("--limit", min=1, help="Build with at most N sources per corpus (quick runs).")] = None,
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Rebuild the training set even if it exists.")] = False,
    C: Annotated[float, typer.Option("--C", min=1e-4, help="Inverse L2 regularisation strength (--kind linear only).")] = 0.3,
    kind: Annotated[str, typer.Option("--kind", help="Model: hgb (gradient-boosted trees, shipped) or linear.")] = "hgb",
    workers: WorkersOpt = 2,
) -> None:
    """Build the training set if needed, cross-validate (grouped by template and source site), fit, save model + card."""
    from detector.model_train import MODEL_KINDS
    from detector.model_train import train as train_model

    if kind not in MODEL_KINDS:
        _fail(f"--kind must be one of {', '.join(MODEL_KINDS)}")
    t0 = time.perf_counter()
    try:
        _ensure_set(corpora, generated, seed, limit, rebuild, workers)
        table = load_table(generated, workers, progress=lambda m: err.print(m, markup=False, highlight=False))
        path, evaluation = train_model(table, out, C=C, seed=seed, kind=kind)
    except DetectorError as exc:
        _fail(str(exc))
        return
    card = json.loads((path.with_name("farm_model.card.json")).read_text("utf-8"))
    _summary(evaluation.report, card["thresholds"])
    err.print(f"wrote {escape(str(path))} and its card ({time.perf_counter() - t0:.0f} s)", highlight=False)
    sys.stdout.write(json.dumps({"model": str(path), "thresholds": card["thresholds"], "cv": card["cv"]}, indent=1) + "\n")


def evaluate(
    model: Annotated[Optional[Path], typer.Option("--model", help="Model file (default: the shipped one).")] = None,
    generated: GeneratedOpt = DEFAULT_GENERATED,
    corpora: CorporaOpt = None,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Also write the figures as JSON here.")] = None,
    workers: WorkersOpt = 2,
) -> None:
    """Re-measure a model: grouped cross-validation with its settings and thresholds, and real-page false positives."""
    from detector.classify import FarmModel
    from detector.model_train import run_cv

    try:
        loaded = FarmModel.load(model or MODEL_PATH)
        card = loaded.card
        seed = int(card.get("hyperparameters", {}).get("seed", 0))
        _ensure_set(corpora, generated, seed, None, False, workers)
        table = load_table(generated, workers, progress=lambda m: err.print(m, markup=False, highlight=False))
        hyper = card["hyperparameters"]
        evaluation = run_cv(table, C=float(hyper.get("C", 0.3)), seed=seed, thresholds=loaded.thresholds,
                            kind=hyper.get("kind", "linear"))
    except DetectorError as exc:
        _fail(str(exc))
        return
    same = card.get("training_data", {}).get("labels_sha256") == table.labels_sha256
    if not same:
        err.print("[yellow]note:[/] the training set differs from the one this model was trained on")
    _summary(evaluation.report, loaded.thresholds.to_dict())
    result = {"model": str(loaded.path), "same_training_data": same, "thresholds": loaded.thresholds.to_dict(),
              "cv": evaluation.report}
    text = json.dumps(result, indent=1)
    if output is not None:
        output.write_text(text + "\n", "utf-8")
    sys.stdout.write(text + "\n")
