"""The content-farm classifier: shipped model on the seed case, safe loading, thresholds, training end to end."""

from __future__ import annotations

import json
import pickle
import random
import shutil
import time
from pathlib import Path

import numpy as np
import pytest
from rich.console import Console

from detector.classify import (MODEL_PATH, FarmModel, Thresholds, card_path, load_model, sha256_bytes, squash,
                               tree_parts, trees_path)
from detector.errors import ModelError
from detector.index import Index
from detector.records import Verdict
from detector.render import verdict_table
from detector.score import Scorer
from features import PageView, compute_traits, feature_names
from features.phrases import fold, phrasebook, tokenize
from tests.conftest import REPO, SHARED


def _score(index_path: Path, page: Path) -> Verdict:
    with Index(index_path, readonly=True) as index, Scorer(index, model=load_model()) as scorer:
        (verdict,) = list(scorer.score_all([str(page)]))
    assert verdict.error is None
    return verdict


def _reason_names(verdict: Verdict) -> set[str]:
    return {r.split(" ", 1)[0].split(":", 1)[0] for r in verdict.reasons}


def test_botasot_scores_as_a_content_farm_with_its_reasons(seed_index: Path, seed_dir: Path) -> None:
    verdict = _score(seed_index, seed_dir / "botasot.html")
    assert verdict.farm_probability is not None and verdict.farm_probability >= 0.8
    assert verdict.label == "content_farm"
    names = _reason_names(verdict)
    assert {"promo_footer", "title_repeated", "share_widget", "similar_posts"} <= names, verdict.reasons
    assert names & {"copied_from", "uncredited_copy", "copied_text"}
    assert verdict.reasons[0].startswith("copied_from:")  # copy reasons come first
    assert any('Join Group' in r for r in verdict.reasons if r.startswith("promo_footer"))
    # the share bar as a reader sees it, not the plugin's script path (the markup trait may push more)
    assert 'share_widget ("Spread the love Facebook Twitter WhatsApp Viber")' in verdict.reasons
    assert len(verdict.traits) == len(feature_names())


def test_every_finding_is_listed_however_many_reasons_there_are(seed_index: Path, seed_dir: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """The reason cap applies to pushes that are not findings; furniture seen on the page is always named."""
    import detector.classify as classify

    full = _score(seed_index, seed_dir / "botasot.html").reasons
    monkeypatch.setattr(classify, "MAX_REASONS", 0)
    capped = _score(seed_index, seed_dir / "botasot.html").reasons
    assert {"promo_footer", "title_repeated", "share_widget", "similar_posts"} <= _reason_names(
        _score(seed_index, seed_dir / "botasot.html"))
    # with no room for pushes, every finding stays (a push that is no finding, e.g. credits_other_source, may go);
    # how many of botasot's traits push it up varies with the model (10 to 12 of late): at least ten findings
    # (whether the trees use credit_points_to_own_site at all varies between retrainings; its line, "Read more at:
    # www.botasot.al", is named by source_line either way)
    assert set(capped) <= set(full) and len(capped) >= 10
    assert {"promo_footer", "title_repeated", "share_widget", "similar_posts", "source_line"} <= {
        r.split(" ")[0] for r in capped}


@pytest.mark.parametrize("page", ["thetimes.html", "kyivpost.html"])
def test_originals_and_independent_reports_score_low(seed_index: Path, seed_dir: Path, page: str) -> None:
    verdict = _score(seed_index, seed_dir / page)
    assert verdict.farm_probability is not None and verdict.farm_probability <= 0.2
    assert verdict.label == "clean"


def test_model_works_without_an_index(seed_dir: Path) -> None:
    with Scorer(None, model=load_model()) as scorer:
        verdicts = {Path(v.target).name: v for v in scorer.score_all([str(seed_dir)])}
    assert verdicts["botasot.html"].farm_probability >= 0.8
    assert verdicts["thetimes.html"].farm_probability <= 0.2


def test_fast_probability_equals_scikit_learn(seed_dir: Path) -> None:
    from detector.sources import expand, load

    model = load_model()
    for target in expand([str(seed_dir)]):
        extracted = load(target)
        traits = compute_traits(PageView(extracted.article, extracted.dom))
        raw = np.array([[t.value for t in traits]])
        assert model.probability(traits) == pytest.approx(float(model.predict_proba(raw)[0]), abs=1e-9)


@pytest.mark.parametrize(("p", "label"), [(0.0, "clean"), (0.29, "clean"), (0.3, "suspicious"), (0.84, "suspicious"),
                                          (0.85, "content_farm"), (1.0, "content_farm")])
def test_thresholds_map_probabilities_to_labels(p: float, label: str) -> None:
    assert Thresholds(content_farm=0.85, suspicious=0.3).label(p) == label


def test_thresholds_must_be_ordered() -> None:
    with pytest.raises(ValueError):
        Thresholds(content_farm=0.2, suspicious=0.5)


def test_shipped_card_describes_the_model() -> None:
    card = json.loads(card_path(MODEL_PATH).read_text("utf-8"))
    assert card["feature_names"] == feature_names()
    assert card["model_sha256"] == sha256_bytes(MODEL_PATH.read_bytes())
    assert {"scikit-learn", "skops", "numpy"} <= set(card["versions"])
    assert card["training_data"]["data_hash"] and card["config_fingerprint"]
    # A regression floor, not the target: the target is recall >= 0.95 at 1% FPR. Grouped CV of the shipped
    # gradient-boosted model measures 0.867 (0.849 without the indexed uncredited-copy rows of clean-looking pages),
    # ROC-AUC 0.989, hard cases 0.635 (see benchmarks/RESULTS.md); 0.864 before partners' credits in more wordings,
    # 0.856 before clean news briefs were in the training
    # set, 0.853 before app and channel calls to action in
    # languages other than English were read, 0.817 before
    # closing credits in more wordings and every language's classic bait tropes were read, 0.799 before attribution
    # lines in other wordings were read, 0.875 while generated publisher pages seldom carried a newsroom's furniture (a share bar on a fifth of them,
    # at most 3 ad slots where real publishers run a median 2 and a p90 13, few WhatsApp channels, no chart
    # captions); an outside probe of 27 publisher pages in 2024 templates then found 14 flagged, 1 content_farm
    # (2 and 0 now). Before that it was 0.893 while only farms linked a Telegram channel or an app, and
    # 0.905-0.926 while the model leant on other builder artefacts (see datasets/training/CARD.md): each
    # removal lowered the figure, since hard pages without an index carry little page-level farm evidence. A
    # retrain on the same corpus that falls below these floors is worse than the shipped model.
    assert card["cv"]["all"]["recall_at_1pct_fpr"] >= 0.78
    assert card["cv"]["hard"]["recall_at_1pct_fpr"] >= 0.44
    assert card["cv"]["all"]["roc_auc"] >= 0.98
    for corpus in ("scrapinghub-aeb", "htmldate-dev"):
        assert card["cv"]["real_pages"][corpus]["fpr_content_farm"] <= 0.01
    assert MODEL_PATH.stat().st_size < 1_000_000
    model = load_model()
    assert model.thresholds.to_dict() == card["thresholds"]


# --- the tree model's flat arrays -----------------------------------------------------------------------------


def _seed_traits(seed_dir: Path) -> list[list]:
    from detector.sources import expand, load

    out = []
    for target in expand([str(seed_dir)]):
        extracted = load(target)
        out.append(compute_traits(PageView(extracted.article, extracted.dom)))
    return out


def test_the_shipped_model_loads_from_its_tree_arrays_without_scikit_learn(tmp_path: Path) -> None:
    """A process that scores with the shipped model never imports scikit-learn or skops (about 1.4 s)."""
    import subprocess
    import sys

    assert trees_path(MODEL_PATH).is_file()
    script = ("import sys; from detector.classify import load_model; m = load_model(); "
              "print(m.is_trees, m._estimator is None, any(k.split('.')[0] in ('sklearn', 'skops') for k in sys.modules))")
    out = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "True", "False"]


def test_the_tree_arrays_score_exactly_as_the_skops_estimator(seed_dir: Path) -> None:
    from detector.classify import read_card, safe_load_estimator

    card = read_card(MODEL_PATH)
    fast = FarmModel.load(MODEL_PATH)
    slow = FarmModel(safe_load_estimator(MODEL_PATH, card["model_sha256"]), card, MODEL_PATH)
    assert fast._estimator is None and slow._estimator is not None
    for traits in _seed_traits(seed_dir):
        assert fast.assess(traits) == slow.assess(traits)
    raw = np.array([[t.value for t in traits] for traits in _seed_traits(seed_dir)])
    assert np.array_equal(fast.predict_proba(raw), slow.predict_proba(raw))  # the estimator, read when asked


@pytest.mark.parametrize("damage", ["stale", "garbage", "missing_field"])
def test_tree_arrays_not_read_from_this_model_file_are_ignored(tmp_path: Path, seed_dir: Path, damage: str) -> None:
    """Arrays of another model file, or unreadable ones, are never used: the skops file is loaded (and checked)."""
    path = _copy_model(tmp_path)
    arrays = trees_path(path)
    shutil.copy(trees_path(MODEL_PATH), arrays)
    if damage == "stale":
        with np.load(arrays) as z:
            np.savez(arrays.with_name("t.npz"), **{**dict(z), "model_sha256": np.str_("0" * 64)})
        arrays.with_name("t.npz").replace(arrays)
    elif damage == "garbage":
        arrays.write_bytes(b"not an npz at all")
    else:
        with np.load(arrays) as z:
            np.savez(arrays.with_name("t.npz"), **{k: v for k, v in z.items() if k != "value"})
        arrays.with_name("t.npz").replace(arrays)
    model = FarmModel.load(path)
    assert model._estimator is not None  # loaded from the skops file
    reference = load_model()
    for traits in _seed_traits(seed_dir):
        assert model.assess(traits) == reference.assess(traits)


# --- refusing foreign or tampered files -----------------------------------------------------------


def _copy_model(tmp_path: Path) -> Path:
    path = tmp_path / "farm_model.skops"
    shutil.copy(MODEL_PATH, path)
    shutil.copy(card_path(MODEL_PATH), card_path(path))
    return path


def _rewrite_card(path: Path, **changes: object) -> None:
    card = json.loads(card_path(path).read_text("utf-8"))
    card.update(changes)
    card_path(path).write_text(json.dumps(card), "utf-8")


class _Payload:
    """Unpickling this would create a file: proof that nothing in a refused file runs."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):  # noqa: ANN204
        return (Path.touch, (self.marker,))


def test_a_plain_pickle_renamed_skops_is_refused_and_never_run(tmp_path: Path) -> None:
    path = _copy_model(tmp_path)
    marker = tmp_path / "pwned"
    path.write_bytes(pickle.dumps(_Payload(marker)))
    _rewrite_card(path, model_sha256=sha256_bytes(path.read_bytes()))
    with pytest.raises(ModelError, match=str(path)):
        FarmModel.load(path)
    assert not marker.exists()


def test_a_skops_file_with_a_function_reference_is_refused(tmp_path: Path) -> None:
    import skops.io as sio
    from sklearn.preprocessing import FunctionTransformer

    path = _copy_model(tmp_path)
    sio.dump(FunctionTransformer(func=shutil.rmtree), path)
    _rewrite_card(path, model_sha256=sha256_bytes(path.read_bytes()))
    with pytest.raises(ModelError, match="allow-list") as caught:
        FarmModel.load(path)
    assert str(path) in str(caught.value)


def test_garbage_bytes_are_refused(tmp_path: Path) -> None:
    path = _copy_model(tmp_path)
    path.write_bytes(b"PK\x03\x04 not really a zip file at all")
    _rewrite_card(path, model_sha256=sha256_bytes(path.read_bytes()))
    with pytest.raises(ModelError, match=str(path)):
        FarmModel.load(path)


def test_a_file_that_does_not_match_its_card_hash_is_refused(tmp_path: Path) -> None:
    path = _copy_model(tmp_path)
    path.write_bytes(path.read_bytes() + b"\0")
    with pytest.raises(ModelError, match="sha256"):
        FarmModel.load(path)


def test_a_model_trained_on_other_traits_is_refused(tmp_path: Path) -> None:
    path = _copy_model(tmp_path)
    _rewrite_card(path, feature_names=feature_names()[:-1] + ["some_old_trait"])
    with pytest.raises(ModelError, match="detector train"):
        FarmModel.load(path)


def test_a_model_without_a_card_is_refused(tmp_path: Path) -> None:
    path = _copy_model(tmp_path)
    card_path(path).unlink()
    with pytest.raises(ModelError, match="card"):
        FarmModel.load(path)


def test_squash_is_monotone_and_finite() -> None:
    values = np.array([-1.0, 0.0, 1.0, 10.0, 1e12])
    out = squash(values)
    assert np.all(np.isfinite(out)) and np.all(np.diff(out) >= 0) and out[0] == 0.0


# --- phrase-list fixes ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "category"), [
    ("Comparte esto", "share_widget"),
    ("Bashkohu në grupin tonë në Facebook", "join_group"),
    ("This story originally appeared in The Riverton Gazette.", "syndication_credit"),
    ("Republished with permission from The Riverton Gazette.", "syndication_credit"),
])
def test_phrases_found(text: str, category: str) -> None:
    assert category in {h.category for h in phrasebook().find(tokenize(fold(text)))}


@pytest.mark.parametrize(("text", "category"), [
    ("Shkruan: Gentian Muça", "reports_that"),
    ("Most read", "related_heading"),
    ("Më të lexuarat", "related_heading"),
])
def test_phrases_not_found(text: str, category: str) -> None:
    assert category not in {h.category for h in phrasebook().find(tokenize(fold(text)))}


# --- training end to end ------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.skipif(not (SHARED / "corpora" / "scrapinghub-aeb").is_dir(), reason="shared corpora not available")
def test_training_on_a_tiny_set_writes_a_loadable_model(tmp_path: Path) -> None:
    from detector.model_data import build_training_set, load_table
    from detector.model_train import train

    t0 = time.perf_counter()
    generated = tmp_path / "generated"
    build_training_set(SHARED / "corpora", generated, limit=12)
    table = load_table(generated, workers=2)
    path, evaluation = train(table, tmp_path / "models", k_template=2, k_site=2)
    model = FarmModel.load(path)
    assert model.card["training_data"]["labels_sha256"] == table.labels_sha256
    assert 0.0 <= evaluation.report["all"]["roc_auc"] <= 1.0
    assert time.perf_counter() - t0 < 120
    assert REPO.is_dir()


def test_sign_guard_keeps_spam_traits_from_negative_weights() -> None:
    """No spam-direction trait of the shipped model pulls the score down, and the card names what was dropped."""
    from detector.model_train import SPAM_DIRECTION

    card = json.loads(card_path(MODEL_PATH).read_text("utf-8"))
    if "coefficients" in card:  # linear model: no negative weight
        negative = {n: c for n, c in card["coefficients"].items() if n in SPAM_DIRECTION and c < 0}
        assert not negative
    else:  # tree model: every spam trait is constrained monotone increasing, in the fitted trees too
        assert set(card["monotonic_increasing"]) == set(SPAM_DIRECTION) & set(feature_names())
        cst = tree_parts(load_model().estimator)[0].monotonic_cst
        assert [n for n, c in zip(feature_names(), cst) if c == 1] == card["monotonic_increasing"]
    assert "dropped" in card["training_data"]["sign_guard"]


def test_tree_explanation_pushes_are_probability_drops(seed_dir: Path) -> None:
    """For a tree model, a trait's push is the logit drop when it alone is set to its clean median."""
    from detector.sources import expand, load

    model = load_model()
    if not model.is_trees:
        pytest.skip("shipped model is linear")
    (target,) = expand([str(seed_dir / "botasot.html")])
    extracted = load(target)
    traits = compute_traits(PageView(extracted.article, extracted.dom))
    a = model.assess(traits)
    pushes = dict(a.contributions)
    name = max(pushes, key=pushes.get)
    j = model.feature_names.index(name)
    raw = np.array([t.value for t in traits], dtype=np.float64)
    x = squash(raw)
    p0 = float(model.predict_proba(raw[None, :])[0])
    x[j] = model._median[j]
    p1 = float(model.estimator.predict_proba(x[None, :])[0, 1])
    logit = lambda p: np.log(p / (1 - p))  # noqa: E731
    assert p0 == pytest.approx(a.probability, abs=1e-9)
    if 1e-12 < p1 and p0 < 1 - 1e-12:
        assert pushes[name] == pytest.approx(logit(p0) - logit(p1), rel=1e-3, abs=1e-3)


def test_a_clean_looking_page_shown_by_the_index_to_copy_without_credit_is_a_positive_row() -> None:
    """Training rows (``model_train.make_rows``): a clean_generated page is a negative as read on its own; where the
    index shows its body taken without credit, its indexed row is a positive (a subtle farm's copy: outside probes'
    verbatim lookalike-portal copies read clean with that evidence); where it shows none, no indexed row is made
    (it would repeat the plain negative). Other kinds keep their label on both rows."""
    import numpy as np

    from detector.model_data import TraitTable
    from detector.model_train import make_rows

    names = ["word_count", "copied_without_credit", "copied_by_others"]
    records = [{"kind": "clean_generated", "label": 0, "template": "clean_blog", "source_site": "a", "hard": False},
               {"kind": "clean_generated", "label": 0, "template": "clean_wp", "source_site": "b", "hard": False},
               {"kind": "syndication", "label": 0, "template": "clean_blog", "source_site": "c", "hard": False},
               {"kind": "seed", "label": 1, "template": "real:x", "source_site": "d", "hard": False}]
    plain = np.array([[300.0, 0, 0], [300.0, 0, 0], [300.0, 0, 0], [300.0, 0, 0]])
    indexed = np.array([[300.0, 1, 0], [300.0, 0, 0], [300.0, 0, 0], [300.0, 1, 0]])
    rows = make_rows(TraitTable(records, plain, indexed, names, "sha", 0, []))
    assert rows.page.tolist() == [0, 1, 2, 0, 2]  # plain rows of all but the seed, then the indexed rows kept
    assert rows.indexed.tolist() == [False, False, False, True, True]
    assert rows.y.tolist() == [0, 0, 0, 1, 0]


def test_a_real_page_above_the_farm_cut_is_listed_with_why() -> None:
    """The issue asks for the real pages above the content_farm cut "and why": each is listed with the spam traits
    its row carries and, for an indexed row, the copy the index showed (where, how much, credited or not)."""
    import numpy as np

    from detector.classify import Thresholds
    from detector.model_data import TraitTable
    from detector.model_train import evaluate_rows, make_rows, why_text

    names = ["word_count", "ad_slots", "copied_without_credit", "copied_by_others"]
    source = {"url": "https://other.example/story", "share": 0.173, "derivation": "partial", "credited": False,
              "passages": 4, "longest_passage_words": 19}
    records = [{"id": "real-1", "url": "https://news.example/a", "kind": "real", "label": 0, "template": "real:x",
                "source_site": "news.example", "source_corpus": "scrapinghub-aeb", "hard": False,
                "indexed_source": source},
               {"id": "farm-1", "url": "https://farm.example/a", "kind": "farm", "label": 1, "template": "farm_x",
                "source_site": "news.example", "source_corpus": "scrapinghub-aeb", "hard": False,
                "indexed_source": None}]
    plain = np.array([[300.0, 8, 0, 0], [300.0, 3, 0, 0]])
    indexed = np.array([[300.0, 8, 1, 0], [300.0, 3, 0, 0]])
    table = TraitTable(records, plain, indexed, names, "sha", 0, [])
    rows = make_rows(table)
    p = np.array([0.1, 0.9, 0.99, 0.9])  # rows: real plain, farm plain, real indexed, farm indexed
    report = evaluate_rows(table, rows, p, Thresholds(0.95, 0.3))
    (above,) = report["real_pages"]["scrapinghub-aeb"]["above_content_farm"]
    assert (above["id"], above["mode"]) == ("real-1", "indexed")
    assert above["why"]["traits"] == {"ad_slots": 8.0, "copied_without_credit": 1.0}
    text = why_text(above["why"])
    assert text.startswith("carries ad_slots 8, copied_without_credit 1; the index shows 17% of its text in "
                           "https://other.example/story (uncredited, partial, 4 passages, the longest 19 words)")
    assert why_text({"traits": {}, "copied_from": None}) == "carries no spam trait"


_PARK = ("The weather was nice today and people went out to the park to enjoy the sun and talk with their "
         "neighbours about the summer plans. ")


@pytest.mark.parametrize("repeat, metadata", [(1, False), (2, False), (1, True), (2, True)])
def test_a_short_news_brief_is_not_flagged_for_being_short(tmp_path: Path, repeat: int, metadata: bool) -> None:
    """An outside probe's 25-word paragraph read "suspicious" (0.64, reason: missing author) and so did a 50-word
    one with byline, date and description (0.54): only farms' excerpts were ever short in the training set. Clean
    news briefs are in it now (``datasets/training/clean_pages.py``, ``BRIEF_SHARE``)."""
    from detector.score import score

    head = ("<meta name='author' content='Ann Lee'><meta name='description' content='A day in the park'>"
            "<meta property='article:published_time' content='2024-05-01T10:00:00Z'>") if metadata else ""
    page = tmp_path / "brief.html"
    page.write_text(f"<html><head><title>Park day</title>{head}</head><body><article><p>{_PARK * repeat}</p>"
                    "</article></body></html>", encoding="utf-8")
    (verdict,) = score([page])
    assert verdict.error is None and verdict.label == "clean", (verdict.farm_probability, verdict.reasons)


def test_a_jsonl_document_misses_no_metadata_its_format_cannot_carry(tmp_path: Path) -> None:
    """A document has no DOM: a field it does not give says nothing about the page. Every JSONL document read
    "missing_metadata (author)" and a one-word text scored 0.58, suspicious (an outside probe)."""
    from detector.score import score

    docs = tmp_path / "docs.jsonl"
    docs.write_text("\n".join(json.dumps(d) for d in [
        {"url": "https://a.example/1", "text": "The council met on Tuesday."},
        {"url": "https://a.example/2", "text": _PARK * 2, "author": "Ann Lee", "description": "Park"},
    ]) + "\n", encoding="utf-8")
    docs.write_text(docs.read_text(encoding="utf-8") + json.dumps({"url": "https://a.example/3", "text": "short"})
                    + "\n", encoding="utf-8")
    *verdicts, too_short = score([docs])
    assert [v.error for v in verdicts] == [None, None]
    assert too_short.error == "too little text (1 words)"  # as a page with as little text is refused
    for verdict in verdicts:
        traits = verdict.trait_values()
        assert {traits[n] for n in ("missing_author", "missing_date", "missing_description", "missing_sitename",
                                    "missing_structured_data")} == {0.0}
        assert not any(r.startswith("missing_metadata") for r in verdict.reasons)
        assert verdict.label == "clean", (verdict.farm_probability, verdict.reasons)


def test_a_clean_verdict_lists_the_farm_furniture_it_saw_as_signals(tmp_path: Path) -> None:
    """Probes 46 and 47: a page at 0.28 with a share bar, ads and no byline showed an empty explanation, read as
    the tool seeing nothing. A clean page's farm furniture is listed as ``signals`` (never as reasons: they are
    too weak to flag it), in JSON and in the table; a flagged page has it in its reasons and no signals."""
    rng = random.Random(7)
    words = ("the council voted on the winter ferry timetable after residents asked for a later crossing and "
             "more money for harbour repairs while the library and the school road were left for spring").split()
    paragraphs = [" ".join(rng.choice(words) for _ in range(45)).capitalize() + "." for _ in range(6)]
    share = ('<div class="share-buttons"><span>Share this article</span> '
             '<a href="https://www.facebook.com/sharer/sharer.php?u=x">Facebook</a> '
             '<a href="https://twitter.com/intent/tweet?url=x">X</a></div>')
    menu = "news sport business opinion culture travel weather podcasts video local".split()
    footer = "".join(f'<p><a href="/about/{n}">{t}</a></p>' for n, t in enumerate(  # a newsroom's footer
        ["About the Harbour Times", "Contact the newsroom", "Advertise with us", "Corrections and clarifications",
         "Terms of use", "Privacy notice", "Our journalism standards", "Jobs at the Harbour Times"]))
    page = tmp_path / "local.html"
    page.write_text("<html><head><title>Council backs the winter ferry timetable</title>"
                    '<link rel="canonical" href="https://www.harbourtimes.example/news/ferry-timetable">'
                    '<meta property="article:published_time" content="2025-03-11T10:00:00+00:00">'
                    '<meta name="author" content="Jane Morrow"><meta name="description" content="The winter '
                    'timetable keeps the late crossing."><meta property="og:site_name" content="Harbour Times">'
                    "</head><body><nav>" + " ".join(f'<a href="/{w}">{w.title()}</a>' for w in menu) + "</nav>"
                    "<article><h1>Council backs the winter ferry timetable</h1>"
                    '<p class="byline">By Jane Morrow</p>'
                    + "".join(f"<p>{p}</p>" for p in paragraphs) + share
                    + f"</article><footer>{footer}</footer></body></html>", "utf-8")
    with Scorer(None, model=load_model()) as scorer:
        (verdict,) = list(scorer.score_all([str(page)]))
    assert verdict.label == "clean" and not verdict.reasons
    assert any(s.startswith("share_widget") for s in verdict.signals), verdict.signals
    assert verdict.to_dict()["signals"] == list(verdict.signals)
    console = Console(width=200, record=True)
    console.print(verdict_table(verdict, searched=False))
    shown = console.export_text()
    assert "signals" in shown and "share_widget" in shown and "too weak to flag" in shown
    botasot = load_model().assess(compute_traits(PageView(*_seed_parts("botasot.html"))))
    assert botasot.label == "content_farm" and botasot.reasons and not botasot.signals


def _seed_parts(name: str) -> tuple:
    from detector.sources import expand, load

    (target,) = expand([str(REPO / "tests" / "fixtures" / "seed-case" / name)])
    extracted = load(target)
    return extracted.article, extracted.dom


def test_the_farm_cut_is_the_lowest_hundredth_within_the_budget() -> None:
    """``choose_thresholds``: steps of 0.01 (with 0.05, one more negative above 0.90 moved the cut to 0.95)."""
    from detector.model_train import choose_thresholds

    neg = np.r_[np.full(995, 0.1), np.full(5, 0.905)]  # 0.5% of the negatives at 0.905
    y = np.r_[np.zeros(1000, dtype=int), np.ones(10, dtype=int)]
    p = np.r_[neg, np.full(10, 0.99)]
    assert choose_thresholds(y, p).content_farm == 0.5
    p[:6] = 0.905  # one more: 0.6%, so the cut must pass 0.905
    assert choose_thresholds(y, p).content_farm == 0.91


def test_a_flagged_page_no_farm_trait_explains_gets_the_statistics_that_did() -> None:
    """Probe 48: a copy whose text stood almost alone on its page (link density 0.03, main text 93% of it, one
    ad network) read as suspicious with no reason and no signal at all. The descriptive statistics that pushed
    it are given as a ``profile`` reason, with their values; a page with farm traits keeps those as reasons."""
    from detector.records import Trait

    # A short copy in short lines (the model of 2026-11-27 reads the 300-word version 0.28, clean).
    values = {"word_count": 120.0, "mean_word_length": 4.8, "lines_end_punct_fraction": 0.9, "short_line_fraction": 0.4,
              "stop_word_fraction": 0.234, "alpha_word_fraction": 0.977, "top_2gram_char_fraction": 0.015,
              "top_3gram_char_fraction": 0.02, "ad_networks": 1.0, "tracker_scripts": 2.0, "third_party_scripts": 2.0,
              "link_density": 0.028, "main_text_share": 0.933, "missing_structured_data": 1.0}
    model = load_model()
    assessment = model.assess(tuple(Trait(name, values.get(name, 0.0), None) for name in model.feature_names))
    assert assessment.label == "suspicious", assessment.probability  # the shipped model's reading of this page
    assert len(assessment.reasons) == 1 and assessment.reasons[0].startswith("profile (")
    assert "main_text_share 0.933" in assessment.reasons[0]
    botasot = model.assess(compute_traits(PageView(*_seed_parts("botasot.html"))))
    assert not any(r.startswith("profile (") for r in botasot.reasons)


def test_a_clean_page_lists_every_farm_trait_it_carries_as_a_signal() -> None:
    """Probe 48: a clean page carrying a join-group prompt, a share bar, a related block and five ad slots listed
    only its missing structured data: signals held the traits that pushed up, not all the furniture."""
    from detector.records import Trait

    values = {"word_count": 420.0, "mean_word_length": 4.9, "lines_end_punct_fraction": 0.9,
              "stop_word_fraction": 0.4, "alpha_word_fraction": 0.98, "join_group_prompt": 1.0,
              "share_widget_markup": 1.0, "related_blocks": 1.0, "ad_slots": 5.0, "ad_slots_per_1k_words": 11.9,
              "link_density": 0.25, "main_text_share": 0.45}
    evidence = {"join_group_prompt": "Join our Facebook group, 80,000 members", "ad_slots": "ad-slot; ad-slot"}
    model = load_model()
    assessment = model.assess(tuple(Trait(name, values.get(name, 0.0), evidence.get(name))
                                    for name in model.feature_names))
    assert assessment.label == "clean", assessment.probability
    names = {s.split(" ", 1)[0] for s in assessment.signals}
    assert {"promo_footer", "share_widget", "similar_posts", "ads"} <= names, assessment.signals
    assert not any(s.startswith(("copied_text", "uncredited_copy")) for s in assessment.signals)


def test_a_statistic_read_in_the_farm_direction_is_no_signal_nor_reason() -> None:
    """Link density may only raise the probability (farms wrap thin text in chrome), but it is a statistic of
    every page, no furniture a reader can check: the demo's kyivpost page listed "link_density (0.03)" as a
    farm signal once the constraint was added."""
    from detector.records import Trait
    from detector.model_train import SPAM_DIRECTION

    assert "link_density" in SPAM_DIRECTION
    model = load_model()
    for density in (0.03, 0.6):
        values = {"word_count": 420.0, "link_density": density, "share_widget_labels": 1.0, "ad_slots": 2.0}
        assessment = model.assess(tuple(Trait(name, values.get(name, 0.0), "x") for name in model.feature_names))
        said = " ".join(assessment.reasons + assessment.signals)
        assert "share_widget" in said and "link_density" not in said.replace("profile (", "")


def test_the_ads_reason_reads_the_same_whichever_ad_trait_pushed_most() -> None:
    """Probe 55: one page's ads reason quoted "8 ad slots for 309 words of text" in one run and "adsbygoogle;
    adsbygoogle; ..." in another, as a different ad trait pushed most; it now always gives slots, words and
    networks."""
    from detector.classify import _reason
    from detector.records import Trait

    traits = {t.name: t for t in (Trait("ad_slots", 8.0, "adsbygoogle; adsbygoogle; adsbygoogle; adsbygoogle"),
                                  Trait("ad_slots_per_1k_words", 25.9, "8 ad slots for 309 words of text"),
                                  Trait("ad_networks", 2.0, "adsense, taboola"))}
    shown = {_reason("ads", trait, traits) for trait in traits.values()}
    assert shown == {'ads ("8 ad slots for 309 words of text; adsense, taboola")'}
    networks_only = {"ad_networks": Trait("ad_networks", 1.0, "gpt")}
    assert _reason("ads", networks_only["ad_networks"], networks_only) == 'ads ("gpt")'


def test_the_trait_table_cache_knows_when_pages_change_and_labels_do_not(tmp_path: Path) -> None:
    """A builder change that rewords a page's furniture leaves its labels as they were: the cached trait table of
    the pages before it must not be reused (the table's key hashes the pages too)."""
    from detector.model_data import pages_fingerprint

    (tmp_path / "pages").mkdir()
    page = tmp_path / "pages" / "clean-1.html"
    page.write_text("<p>Follow our WhatsApp channel</p>", encoding="utf-8")
    before = pages_fingerprint(tmp_path)
    assert pages_fingerprint(tmp_path) == before
    page.write_text("<p>Join our Viber community</p>", encoding="utf-8")
    assert pages_fingerprint(tmp_path) != before


def test_the_trait_table_cache_key_covers_every_module_the_traits_depend_on() -> None:
    """Every detector module that a module of the table's key imports is in the key too (or listed as changing no
    trait value): a change to the structured-author reader once reused a table computed before it."""
    import re as regex

    from detector.model_data import NOT_TABLE_MODULES, TABLE_MODULES

    folder = Path(__file__).resolve().parents[1] / "detector"
    listed = set(TABLE_MODULES) | set(NOT_TABLE_MODULES)
    for name in TABLE_MODULES:
        if not name.endswith(".py"):
            continue
        text = (folder / name).read_text(encoding="utf-8")
        for imported in regex.findall(r"^\s*(?:from|import) detector\.(\w+)", text, regex.M):
            assert f"{imported}.py" in listed, f"{name} imports detector.{imported}, not in TABLE_MODULES"
