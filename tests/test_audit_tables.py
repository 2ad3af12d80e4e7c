"""Aggregation from verdicts that carry classifier output (farm probability, traits), and the parts around it."""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

import polars as pl
import pytest

from detector.audit_tables import _verdict_reason, build_pages_and_page_edges, domains_table, edges_table
from detector.domain_lists import DomainLists
from detector.politeness import Politeness, PoliteFetcher, interleave
from detector.records import Match, Passage, Trait, Verdict
from detector.report import build_report, verdict_html

SHARED_LISTS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpora" / "domain-lists"
UTC = timezone.utc


def _match(url: str, domain: str, share: float, derivation: str = "whole", credited: bool = False) -> Match:
    return Match(url=url, domain=domain, published=None, share_of_this=share, share_of_other=0.9, jaccard=0.5,
                 derivation=derivation, direction="this_copies_other", credited=credited,  # type: ignore[arg-type]
                 passages=(Passage(0, 10, 0, 10, "a copied passage"),))


def _verdicts() -> list[Verdict]:
    day = datetime(2024, 5, 1, 12, tzinfo=UTC)
    out = []
    for i, prob in enumerate([0.9, 0.8, 0.7, 0.95]):
        out.append(Verdict(target=f"farm{i}", url=f"https://farm.example/{i}", domain="farm.example",
                           published=day.replace(day=1 + i // 2), farm_probability=prob, label="content_farm",
                           matches=(_match(f"https://news.example/{i}", "news.example", 0.9, credited=i == 0),),
                           traits=(Trait("promo_footer", 1.0), Trait("share_widget", float(i % 2))),
                           reasons=("copied_from:news.example", "promo_footer")))
    for i in range(3):
        out.append(Verdict(target=f"news{i}", url=f"https://news.example/{i}", domain="news.example",
                           published=day, farm_probability=0.1, label="clean", traits=(Trait("promo_footer", 0.0),)))
    out.append(Verdict(target="blog0", url="https://blog.example/0", domain="blog.example", farm_probability=0.2,
                       matches=(_match("https://news.example/0", "news.example", 0.15, "quotes_only", True),)))
    out.append(Verdict(target="dead", url="https://farm.example/dead", domain="farm.example", error="HTTP 404"))
    return out


def _tables(lookup=None) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    pages, page_edges = build_pages_and_page_edges((v.to_dict() for v in _verdicts()), lookup)
    edges = edges_table(page_edges, pages)
    return pages, domains_table(pages, edges, lookup), edges


def test_domain_rows_combine_copy_evidence_with_farm_probability_and_trait_prevalence() -> None:
    pages, domains, _ = _tables()
    assert pages.height == 9 and pages.filter(pl.col("error").is_not_null()).height == 1
    farm = domains.row(0, named=True)
    assert farm["domain"] == "farm.example" and farm["rank"] == 1 and farm["verdict"] == "content_farm"
    assert farm["pages"] == 4 and farm["errors"] == 1
    assert farm["share_copied"] == 1.0 and farm["share_copied_uncredited"] == 0.75
    assert farm["median_farm_probability"] == pytest.approx(0.85)
    assert farm["p90_farm_probability"] == pytest.approx(0.95)
    # each page took 90% of its text (over half: counted in full); three of the four without credit
    assert farm["copy_extent"] == 1.0 and farm["uncredited_copy_extent"] == 0.75
    assert farm["score"] == pytest.approx(0.5 * (0.4 * 1.0 + 0.6 * 0.75) + 0.5 * 0.85)
    assert farm["farm_pages"] == 4
    assert farm["top_source"] == "news.example" and farm["top_sources"] == [{"domain": "news.example", "pages": 4}]
    assert {t["trait"]: t["share"] for t in farm["trait_prevalence"]} == {"promo_footer": 1.0, "share_widget": 0.5}
    assert farm["pages_per_day"] == pytest.approx(2.0)
    news = domains.filter(pl.col("domain") == "news.example").row(0, named=True)
    assert news["verdict"] == "clean" and news["copied_by_pages"] == 4
    blog = domains.filter(pl.col("domain") == "blog.example").row(0, named=True)
    assert blog["share_copied"] == 0.0  # quoting with credit is not copying


def test_credited_syndication_on_clean_pages_is_clean_and_farm_labelled_pages_make_a_farm_domain() -> None:
    """A domain republishing every story with credit on clean pages is syndication (clean); a domain whose pages
    the classifier labels content_farm is a content-farm domain even when no copied text was found, and the
    worse verdict ranks first."""
    verdicts = []
    for i in range(3):
        verdicts.append(Verdict(target=f"syn{i}", url=f"https://syndicate.example/{i}", domain="syndicate.example",
                                farm_probability=0.01, label="clean",
                                matches=(_match(f"https://news.example/{i}", "news.example", 0.95, credited=True),)))
        verdicts.append(Verdict(target=f"news{i}", url=f"https://news.example/{i}", domain="news.example",
                                farm_probability=0.01, label="clean"))
        verdicts.append(Verdict(target=f"bait{i}", url=f"https://bait.example/{i}", domain="bait.example",
                                farm_probability=0.99, label="content_farm"))
        verdicts.append(Verdict(target=f"grey{i}", url=f"https://grey.example/{i}", domain="grey.example",
                                farm_probability=0.25, label="clean",
                                matches=(_match(f"https://news.example/{i}", "news.example", 0.9, credited=i == 0),)))
    pages, page_edges = build_pages_and_page_edges(v.to_dict() for v in verdicts)
    domains = domains_table(pages, edges_table(page_edges, pages))
    by = {row["domain"]: row for row in domains.iter_rows(named=True)}
    assert by["syndicate.example"]["share_copied"] == 1.0 and by["syndicate.example"]["verdict"] == "clean"
    assert by["bait.example"]["copy_score"] == 0.0 and by["bait.example"]["score"] < 0.5
    assert by["bait.example"]["verdict"] == "content_farm" and by["bait.example"]["farm_pages"] == 3
    assert by["grey.example"]["verdict"] == "content_farm" and by["grey.example"]["score"] > by["bait.example"]["score"]
    assert domains["domain"].to_list()[:2] == ["grey.example", "bait.example"]
    assert by["news.example"]["verdict"] == "clean"


def test_a_small_uncredited_partial_match_does_not_make_a_newsroom_a_farm() -> None:
    """An independent report sharing two officials' quotes and a stock phrase with another outlet's story (a
    partial match over 12% of its text, no credit; an outside probe's page, read clean) leaves its domain clean:
    the copy score weighs a copied page by the share of its text taken. A farm whose one page is a whole
    uncredited copy is still a content farm."""
    verdicts = [
        Verdict(target="report", url="https://ksvt.example/fire", domain="ksvt.example", farm_probability=0.17,
                label="clean", matches=(_match("https://courier.example/fire", "courier.example", 0.12, "partial"),)),
        Verdict(target="copy", url="https://farm.example/fire", domain="farm.example", farm_probability=0.4,
                label="suspicious", matches=(_match("https://courier.example/fire", "courier.example", 0.97),)),
        Verdict(target="original", url="https://courier.example/fire", domain="courier.example",
                farm_probability=0.01, label="clean"),
    ]
    pages, page_edges = build_pages_and_page_edges(v.to_dict() for v in verdicts)
    by = {row["domain"]: row for row in domains_table(pages, edges_table(page_edges, pages)).iter_rows(named=True)}
    assert by["ksvt.example"]["copied_pages"] == 1 and by["ksvt.example"]["copy_score"] == pytest.approx(0.24)
    assert by["ksvt.example"]["verdict"] == "clean" and by["ksvt.example"]["score"] < 0.25
    assert by["farm.example"]["verdict"] == "content_farm" and by["farm.example"]["score"] >= 0.5


def test_each_domain_verdict_says_which_rule_gave_it() -> None:
    _, domains, _ = _tables()
    reasons = dict(domains.select("domain", "verdict_reason").iter_rows())
    assert reasons["farm.example"] == "score 0.850 >= 0.5 and 4 of 4 pages content_farm, 3 copied without credit"
    assert reasons["news.example"] == "score 0.050 < 0.25 and 0 of 3 pages flagged, under half"
    one_suspicious_page = Verdict(target="x", url="https://wire.example/1", domain="wire.example", farm_probability=0.3,
                                  label="suspicious")
    pages, page_edges = build_pages_and_page_edges([one_suspicious_page.to_dict()])
    (row,) = domains_table(pages, edges_table(page_edges, pages)).iter_rows(named=True)
    assert (row["verdict"], row["verdict_reason"]) == (
        "suspicious", "1 of 1 pages content_farm or suspicious, at least half (score 0.150 < 0.25)")


def test_a_domain_reason_states_the_whole_rule_with_the_page_counts_it_needs() -> None:
    """Probe 33: coastalgazette.com's reason read "score 0.281 >= 0.25", the score half of the rule only, where
    suspicious by score also needs a flagged page or an uncredited copy; a reason now names the threshold and the
    counts that decided, for each way a verdict is reached."""
    def page(domain: str, i: int, prob: float, label: str, share: float = 0.0) -> Verdict:
        copied = (_match(f"https://orig.example/{domain}{i}", "orig.example", share, "partial"),) if share else ()
        return Verdict(target=f"{domain}{i}", url=f"https://{domain}/{i}", domain=domain, farm_probability=prob,
                       label=label, matches=copied)
    verdicts = [page("gazette.example", 0, 0.32, "suspicious", 0.3), page("gazette.example", 1, 0.2, "clean"),
                page("bait.example", 0, 0.45, "content_farm"), page("bait.example", 1, 0.3, "clean")]
    pages, page_edges = build_pages_and_page_edges(v.to_dict() for v in verdicts)
    rows = {r["domain"]: r for r in domains_table(pages, edges_table(page_edges, pages)).iter_rows(named=True)}
    gazette, bait = rows["gazette.example"], rows["bait.example"]
    assert (gazette["verdict"], gazette["verdict_reason"]) == (
        "suspicious", "score 0.280 >= 0.25 and 1 of 2 pages flagged, 1 copied without credit")
    assert (bait["verdict"], bait["verdict_reason"]) == (
        "content_farm", "1 of 2 pages content_farm, at least half (score 0.187 < 0.5)")


def test_a_newsrooms_one_page_lifting_paragraphs_without_credit_makes_it_suspicious_not_a_farm() -> None:
    """Probe 43: a newsroom's one page lifted three paragraphs (31% of it) without credit, a suspicious page;
    the domain scored 0.74 (its copy counted in the page's probability and again in the copy score) and was
    called a content farm. Two such pages, or one that took half its text or more, still make a farm."""
    def page(domain: str, i: int, share: float) -> Verdict:
        return Verdict(target=f"{domain}{i}", url=f"https://{domain}/{i}", domain=domain, farm_probability=0.87,
                       label="suspicious", matches=(_match(f"https://orig.example/{domain}{i}", "orig.example",
                                                           share, "partial"),))
    verdicts = [page("lifted.example", 0, 0.31), page("twice.example", 0, 0.31), page("twice.example", 1, 0.4),
                page("whole.example", 0, 0.97)]
    pages, page_edges = build_pages_and_page_edges(v.to_dict() for v in verdicts)
    rows = {r["domain"]: r for r in domains_table(pages, edges_table(page_edges, pages)).iter_rows(named=True)}
    lifted = rows["lifted.example"]
    assert lifted["score"] >= 0.5 and lifted["verdict"] == "suspicious"
    assert lifted["verdict_reason"].endswith("but no page content_farm and 1 copied without credit, none of half its "
                                             "text; 1 of 1 pages flagged")
    assert rows["twice.example"]["verdict"] == rows["whole.example"]["verdict"] == "content_farm"


def test_a_mostly_original_domain_with_a_fifth_of_its_pages_farm_copies_is_for_review_and_a_few_shared_lines_no_copy(
        ) -> None:
    """Probe 42 (an ad network's domains): a mostly original site running verbatim uncredited copies on 3 of its
    13 pages scored 0.19 and read clean; and newsroom pages sharing 1-12% of their text with a farm's pages (their
    template's stock phrases) were "copied without credit", which flagged every newsroom of the audit."""
    def page(domain: str, i: int, prob: float, label: str, share: float = 0.0) -> Verdict:
        copied = (_match(f"https://orig.example/{domain}{i}", "orig.example", share, "partial"),) if share else ()
        return Verdict(target=f"{domain}{i}", url=f"https://{domain}/{i}", domain=domain, farm_probability=prob,
                       label=label, matches=copied)
    mixed = [page("mixed.example", i, 0.99, "content_farm", 0.98) for i in range(3)]
    mixed += [page("mixed.example", i, 0.1, "clean") for i in range(3, 13)]
    one = [page("onefarm.example", 0, 0.99, "content_farm", 0.98)] + [page("onefarm.example", i, 0.1, "clean")
                                                                      for i in range(1, 5)]
    lines = [page("newsroom.example", i, 0.05, "clean", 0.06) for i in range(4)]
    pages, page_edges = build_pages_and_page_edges(v.to_dict() for v in mixed + one + lines)
    rows = {r["domain"]: r for r in domains_table(pages, edges_table(page_edges, pages)).iter_rows(named=True)}
    assert rows["mixed.example"]["score"] < 0.25
    assert (rows["mixed.example"]["verdict"], rows["mixed.example"]["verdict_reason"]) == (
        "suspicious", "3 of 13 pages content_farm, at least a fifth (score 0.165 < 0.25)")
    assert rows["onefarm.example"]["verdict"] == "clean"  # one page is no pattern, even a fifth of five
    newsroom = rows["newsroom.example"]
    assert (newsroom["verdict"], newsroom["copied_pages"], newsroom["uncredited_pages"]) == ("clean", 0, 0)
    assert pages.filter(pl.col("domain") == "newsroom.example")["copied"].to_list() == [False] * 4


def test_a_domain_score_in_its_reason_is_cut_as_every_shown_score_never_rounded_past_its_threshold() -> None:
    """A clean domain scoring 0.2496 read "score 0.25 < 0.25" when the reason rounded (the report did too)."""
    page = Verdict(target="x", url="https://near.example/1", domain="near.example", farm_probability=0.2,
                   label="clean")
    pages, page_edges = build_pages_and_page_edges([page.to_dict()])
    domains = domains_table(pages, edges_table(page_edges, pages)).with_columns(pl.lit(0.2496).alias("score"))
    (reason,) = domains.with_columns(pl.lit(0).alias("_flagged_pages"), pl.lit(0).alias("_uncredited_whole")).select(
        _verdict_reason())["verdict_reason"]
    assert reason.startswith("score 0.249 < 0.25")


def test_a_domain_is_a_content_farm_by_score_only_with_a_farm_page_or_an_uncredited_copy() -> None:
    """An aggregator's one page, a short summary made of its source's sentences that credits and links the source,
    labelled suspicious at 0.63: its score 0.2 + 0.315 reached 0.5, and the domain was called a content farm."""
    summary = Verdict(target="agg", url="https://brief.example/1", domain="brief.example", farm_probability=0.63,
                      label="suspicious", matches=(_match("https://news.example/0", "news.example", 0.6,
                                                          "partial", credited=True),))
    pages, page_edges = build_pages_and_page_edges([summary.to_dict()])
    (row,) = domains_table(pages, edges_table(page_edges, pages)).iter_rows(named=True)
    assert row["score"] >= 0.5 and row["verdict"] == "suspicious"
    assert row["verdict_reason"] == ("score 0.515 >= 0.5, but no page content_farm and 0 copied without credit, none "
                                     "of half its text; 1 of 1 pages flagged")


def test_edges_point_from_source_to_copy_at_page_and_domain_level() -> None:
    _, _, edges = _tables()
    dom = edges.filter((pl.col("kind") == "domain") & (pl.col("source") == "news.example")
                       & (pl.col("target") == "farm.example")).row(0, named=True)
    assert dom["pages"] == 4 and dom["share"] == 1.0 and dom["credited_share"] == 0.25
    assert edges.filter(pl.col("kind") == "page").height == 5


def test_report_with_classifier_output_draws_distribution_and_trait_charts() -> None:
    pages, domains, edges = _tables()
    html = build_report(pages, domains, edges, [{"verdict": v.to_dict()} for v in _verdicts()])
    for key in ("ranking", "distribution", "graph", "sources", "traits"):
        assert f"id='chart-{key}'" in html
    assert "classifier gave no farm probabilities" not in html
    assert "a copied passage" in html and "<h3>farm.example</h3>" in html


def test_report_lists_a_flagged_page_of_a_domain_read_clean() -> None:
    """A farm copy on a mostly original site (or a false alarm on a newsroom) does not make its domain a farm;
    the report still shows it, with its reasons and passages, under its own heading."""
    verdicts = _verdicts()
    news = [i for i, v in enumerate(verdicts) if v.target == "news1"][0]
    verdicts[news] = replace(verdicts[news], farm_probability=0.97, label="content_farm",
                             matches=(_match("https://other.example/9", "other.example", 0.95),),
                             reasons=("copied_from:other.example", "uncredited_copy:other.example"))
    pages, page_edges = build_pages_and_page_edges(v.to_dict() for v in verdicts)
    edges = edges_table(page_edges, pages)
    domains = domains_table(pages, edges)
    assert domains.filter(pl.col("domain") == "news.example")["verdict"].item() == "clean"
    html = build_report(pages, domains, edges, [{"verdict": v.to_dict()} for v in verdicts])
    section = html.split("<h2>Flagged pages on clean domains</h2>")[1].split("<h2")[0]
    assert "<h3>news.example</h3>" in section and "https://news.example/1" in section
    assert "uncredited_copy:other.example" in section and "a copied passage" in section
    assert "farm.example" not in section  # a flagged domain's pages stay in their own section
    clean = build_report(*_tables()[:2], _tables()[2], [{"verdict": v.to_dict()} for v in _verdicts()])
    assert "No page of a domain read clean was flagged." in clean


def test_tables_streamed_in_chunks_equal_the_tables_built_in_memory(tmp_path: Path, monkeypatch) -> None:
    import detector.audit_finish as audit_finish

    monkeypatch.setattr(audit_finish, "CHUNK", 2)  # several parquet row groups, CSV appends and edge frames
    written, domains, edges, paths = audit_finish.write_tables((v.to_dict() for v in _verdicts()), tmp_path)
    pages, want_domains, want_edges = _tables()
    assert pl.read_parquet(paths["pages"]).equals(pages) and written.pages == 9 and written.errors == 1
    assert domains.equals(want_domains) and edges.equals(want_edges)
    assert pl.read_parquet(paths["domains"]).equals(want_domains)
    assert (tmp_path / "pages.csv").read_text(encoding="utf-8").count("\n") == 10  # one header, nine rows


def test_a_big_domain_is_drawn_from_a_bounded_sample_that_keeps_its_extremes() -> None:
    from detector.report_charts import thinned

    values = pl.LazyFrame({"domain": ["big"] * 1000 + ["small"] * 3,
                           "value": [((i * 7919) % 1000) / 999 for i in range(1000)] + [0.5, 0.1, 0.9]})
    kept = thinned(values, 50)
    big = kept.filter(pl.col("domain") == "big")["value"]
    assert big.len() == 50 and big.min() == 0.0 and big.max() == 1.0
    assert kept.filter(pl.col("domain") == "small")["value"].to_list() == [0.5, 0.1, 0.9]


def test_checkpoint_heads_read_first_keys_and_fall_back_for_other_shapes(tmp_path: Path) -> None:
    from detector.audit_state import Checkpoint

    checkpoint = Checkpoint(tmp_path / "x.jsonl")
    checkpoint.append({"name": 'a "quoted", name', "url": "https://a.example/1", "article": {"text": "t"}})
    checkpoint.append({"name": "old", "article": {"url": "https://b.example/2"}})  # written before ``url`` led
    checkpoint.close()
    heads = [values for _, values in checkpoint.heads(
        ("name", "url"), lambda r: (r["name"], r["article"]["url"]))]
    assert heads == [('a "quoted", name', "https://a.example/1"), ("old", "https://b.example/2")]
    assert checkpoint.names() == {'a "quoted", name', "old"}


def test_domain_lists_are_a_named_signal_not_the_score(tmp_path: Path) -> None:
    listed = tmp_path / "farms.txt"
    listed.write_text("# comment\nnews.example\n/^https?://blog\\.example//\n", encoding="utf-8")
    lists = DomainLists.load([listed])
    _, plain, _ = _tables()
    _, marked, _ = _tables(lists.lookup)
    assert marked.filter(pl.col("domain") == "news.example")["listed_on"][0].to_list() == [f"{tmp_path.name}/farms"]
    assert marked.filter(pl.col("domain") == "blog.example")["listed_on"][0].to_list() == [f"{tmp_path.name}/farms"]
    assert marked["score"].to_list() == plain["score"].to_list()


@pytest.mark.skipif(not SHARED_LISTS.is_dir(), reason="shared domain lists not present")
def test_public_lists_parse_in_their_own_formats() -> None:
    lists = DomainLists.load([SHARED_LISTS])
    assert "copycats/stackoverflow_copycats" in lists.lookup("kotaeta.com")
    assert any(name.startswith("misinformation-domains/") for name in lists.lookup("dionidream.com"))
    assert lists.lookup("thetimes.co.uk") == () or all("reliable" in n for n in lists.lookup("thetimes.co.uk"))


def test_verdict_html_escapes_and_shows_chain_reasons_and_why_of_each_direction() -> None:
    """A probe's notebook user saw siblings, upstream sources and backdated pages all as ``unknown`` (no
    evidence column), every one of 65 traits in one line, and label colours that no style gave."""
    verdict = _verdicts()[1]
    sibling = replace(verdict.matches[0], url="https://other.example/1", domain="other.example", direction="unknown",
                      direction_evidence="sibling: both derive from news.example")
    text = verdict_html(replace(verdict, matches=(*verdict.matches, sibling)))
    assert "content_farm (0.800)" in text and "copied_from:news.example" in text and "a copied passage" in text
    assert "<td>sibling: both derive from news.example</td>" in text
    assert "<details><summary>traits: 2 of 2 present</summary>" in text and ".cfd-verdict .farm{" in text
    assert "<script" not in verdict_html(Verdict(target="<script>", url="x", title="<script>alert(1)</script>"))
    unseen = verdict_html(replace(verdict, traits=(Trait("promo_footer", 1.0), Trait("share_widget", 0.0))))
    assert "traits: 1 of 2 present</summary>promo_footer=1</details>" in unseen


def test_polite_fetcher_retries_503_with_backoff_and_spaces_requests(http_server) -> None:
    http_server.add("/robots.txt", "User-agent: *\nCrawl-delay: 0\n", content_type="text/plain")
    url = http_server.add("/busy", "<html>busy</html>", status=503)
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        http_server.add("/busy", "<html><body><p>now fine</p></body></html>")

    with PoliteFetcher(Politeness(delay_s=0.0, backoff_s=0.5), allow_private=True, sleep=sleep) as polite:
        page = polite.fetch(url)
    assert page.status == 200 and waits == [0.5]
    with PoliteFetcher(Politeness(delay_s=0.3, robots=False), allow_private=True) as polite:
        start = time.monotonic()
        results = list(polite.fetch_all([http_server.url("/busy")] * 3))
    assert len(results) == 3 and time.monotonic() - start >= 0.55
    assert interleave(["http://a/1", "http://a/2", "http://b/1"]) == ["http://a/1", "http://b/1", "http://a/2"]


def test_robots_unreachable_means_disallow(http_server) -> None:
    http_server.add("/robots.txt", "oops", status=500, content_type="text/plain")
    url = http_server.add("/page", "<html><body><p>x</p></body></html>")
    with PoliteFetcher(Politeness(delay_s=0.0), allow_private=True) as polite:
        assert polite.allowed(url) is False


def test_trait_prevalence_leaves_out_the_measures_of_every_page() -> None:
    from detector.audit_tables import trait_prevalence

    page = Verdict(target="x", url="https://a.example/1", domain="a.example", farm_probability=0.2, label="clean",
                   traits=(Trait("word_count", 412.0), Trait("link_density", 0.2), Trait("promo_footer", 1.0),
                           Trait("title_repeated", 1.0), Trait("share_widget", 0.0)))
    pages, _ = build_pages_and_page_edges([page.to_dict()])
    (row,) = trait_prevalence(pages).iter_rows(named=True)
    assert {t["trait"] for t in row["trait_prevalence"] if t["share"] > 0} == {"promo_footer", "title_repeated"}


def test_adblock_filters_and_hosts_files_are_read_as_domain_lists(tmp_path: Path, monkeypatch) -> None:
    listing = tmp_path / "mine" / "farms.txt"
    listing.parent.mkdir()
    listing.write_text("! adblock\n||viralscoop.example^\n||ads.example^$document\n0.0.0.0 hostsfarm.example\n"
                       "127.0.0.1 localhost\n||x.example/path^\n")
    lists = DomainLists.load(listing)
    assert lists.summary() == {"mine/farms": {"domains": 3, "patterns": 0, "skipped": 2}}
    assert lists.lookup("https://www.viralscoop.example/a") == ("mine/farms",)
    assert lists.lookup("hostsfarm.example") == ("mine/farms",)
    monkeypatch.chdir(listing.parent)  # a relative path names the list as an absolute one does
    assert DomainLists.load("farms.txt").lookup("ads.example") == ("mine/farms",)


def test_a_url_that_could_not_be_fetched_counts_as_its_domains_error() -> None:
    """Probe 14: failed fetches had no domain, so a site's errors read 0 whatever failed."""
    ok = Verdict(target="https://site.example/a", url="https://site.example/a", domain="site.example",
                 farm_probability=0.1, label="clean")
    failed = Verdict(target="https://www.site.example/b", url=None, error="HTTP 500 Internal Server Error")
    pages, page_edges = build_pages_and_page_edges([ok.to_dict(), failed.to_dict()])
    assert pages.filter(pl.col("error").is_not_null())["domain"].to_list() == ["site.example"]
    (row,) = domains_table(pages, edges_table(page_edges, pages)).iter_rows(named=True)
    assert (row["domain"], row["pages"], row["errors"]) == ("site.example", 1, 1)


def test_a_refused_page_has_no_measurement_in_the_tables_and_no_weight_in_its_domain(tmp_path: Path) -> None:
    """Probe 33: a dead URL's row read ``share_copied`` 0.0 and ``matches`` 0, so a mean over the pages table
    counted pages never audited; its verdict columns are now null (in parquet and CSV), its domain's figures
    are those of the pages read (its ``errors`` aside), and the report names it with its reason."""
    from detector.audit_finish import finish

    read = [v.to_dict() for v in _verdicts() if not v.error]
    everything = [*read, Verdict(target="https://farm.example/dead", url=None, error="HTTP 404 Not Found").to_dict()]
    measured = ["farm_probability", "label", "reasons", "matches", "copied", "uncredited", "share_copied",
                "derivation", "chain", "traits"]
    for out in ("all", "read"):
        (tmp_path / out).mkdir()
    finish(tmp_path / "all", lambda: iter(everything))
    finish(tmp_path / "read", lambda: iter(read), report=False)
    for table in (pl.read_parquet(tmp_path / "all" / "pages.parquet"), pl.read_csv(tmp_path / "all" / "pages.csv")):
        dead = table.filter(pl.col("error").is_not_null()).row(0, named=True)
        assert dead["domain"] == "farm.example" and all(dead[c] is None for c in measured), dead
        ok = table.filter(pl.col("error").is_null())
        assert table["share_copied"].mean() == pytest.approx(ok["share_copied"].mean())
    with_dead = pl.read_parquet(tmp_path / "all" / "domains.parquet")
    without = pl.read_parquet(tmp_path / "read" / "domains.parquet")
    assert with_dead.filter(pl.col("domain") == "farm.example")["errors"].to_list() == [1]
    assert with_dead.drop("errors").equals(without.drop("errors"))
    report = (tmp_path / "all" / "report.html").read_text(encoding="utf-8")
    refused = report[report.index("<h2 id='refused'>"):]
    assert "<td>https://farm.example/dead</td><td>HTTP 404 Not Found</td>" in refused


def test_the_report_lists_refused_inputs_by_domain_up_to_a_cap_and_counts_the_rest(monkeypatch) -> None:
    """A 100k-page audit may refuse thousands of inputs: the report lists the first ``MAX_REFUSED`` (by domain),
    each with its one-line reason, and says how many more the pages table holds."""
    import detector.report as report

    monkeypatch.setattr(report, "MAX_REFUSED", 3, raising=False)
    refused = [Verdict(target=f"https://{site}.example/{i}", url=None, error=f"HTTP 50{i} down")
               for site in ("zeta", "alpha") for i in range(3)]
    pages, page_edges = build_pages_and_page_edges(v.to_dict() for v in [*_verdicts(), *refused])
    edges = edges_table(page_edges, pages)
    html = build_report(pages, domains_table(pages, edges), edges, [])
    section = html[html.index("<h2 id='refused'>"):]
    assert "7 inputs could not be read" in section and "and 4 more" in section
    listed = [f"<td>alpha.example</td><td>https://alpha.example/{i}</td><td>HTTP 50{i} down</td>" for i in range(3)]
    assert all(row in section for row in listed) and "zeta.example" not in section
    assert "<a href='#refused'>" in html
    pages_read, edges_read = build_pages_and_page_edges(v.to_dict() for v in _verdicts() if not v.error)
    edges_read = edges_table(edges_read, pages_read)
    clean = build_report(pages_read, domains_table(pages_read, edges_read), edges_read, [])
    assert "Every input was read." in clean and "<a href='#refused'>" not in clean


def test_the_report_says_a_credited_quotation_is_no_copied_share_and_notes_cut_charts() -> None:
    from detector.report import _source_line
    from detector.report_charts import TOP, ranking_chart

    quotes = {"source_domain": "space.example", "derivation": "quotes_only", "share_copied": 0.0}
    copied = {"source_domain": "space.example", "derivation": "whole", "share_copied": 0.97}
    assert _source_line(quotes) == "quotes space.example (credited quotations only)"
    assert _source_line(copied) == "copied 97% from space.example (whole)"
    many = pl.DataFrame({"rank": range(1, TOP + 4), "domain": [f"d{i}.example" for i in range(TOP + 3)],
                         "score": [0.5] * (TOP + 3), "verdict": ["suspicious"] * (TOP + 3), "pages": [1] * (TOP + 3),
                         "share_copied": [0.0] * (TOP + 3), "share_copied_uncredited": [0.0] * (TOP + 3)})
    assert ranking_chart(many)[1] == f"The first {TOP} of {TOP + 3} domains by rank."
    assert ranking_chart(many.head(3))[1] is None


def test_first_and_last_publication_read_every_iso_form_whatever_the_row_order() -> None:
    """Probe 11: with the format inferred from the first row, other forms of ``published`` became null."""
    forms = ["2019-11-19", "2019-11-20T02:24:00", "2019-11-21T22:10:29+02:00", "2019-11-22T08:00:00.5Z"]
    for order in (forms, forms[::-1], forms[1:] + forms[:1]):
        verdicts = [Verdict(target=f"p{i}", url=f"https://dated.example/{i}", domain="dated.example",
                            farm_probability=0.1, label="clean").to_dict() | {"published": when}
                    for i, when in enumerate(order)]
        pages, page_edges = build_pages_and_page_edges(verdicts)
        (row,) = domains_table(pages, edges_table(page_edges, pages)).iter_rows(named=True)
        assert row["first_published"] == datetime(2019, 11, 19, tzinfo=UTC)
        assert row["last_published"] == datetime(2019, 11, 22, 8, 0, 0, 500000, tzinfo=UTC)


def test_a_checkpoint_is_read_back_in_name_order_whatever_order_it_was_written(tmp_path: Path) -> None:
    from detector.audit_state import Checkpoint

    checkpoint = Checkpoint(tmp_path / "verdicts.jsonl")
    for name in ("c.html", "a.html", "b.html", "a.html"):
        checkpoint.append({"name": name, "verdict": {"written": name}})
    checkpoint.close()
    assert [r["name"] for r in checkpoint.records_by_name()] == ["a.html", "a.html", "b.html", "c.html"]


def test_a_page_of_no_domain_makes_page_edges_but_no_domain_edge() -> None:
    """A saved page without a canonical link has a file:// URL and no domain: its copy edges to the domain ''
    named a domain missing from the domains table (probe 20)."""
    import polars as pl

    from detector.audit_tables import domain_edges

    edges = pl.DataFrame({"kind": ["page", "page"], "source": ["https://a.example/1", "https://a.example/1"],
                          "target": ["file:///tmp/saved.html", "https://b.example/2"],
                          "source_domain": ["a.example", "a.example"], "target_domain": ["", "b.example"],
                          "share": [0.9, 0.8], "share_of_source": [0.9, 0.8], "credited": [False, False],
                          "direction": ["source_to_copy", "source_to_copy"], "derivation": ["whole", "whole"]})
    pages = pl.DataFrame({"target": ["file:///tmp/saved.html", "https://b.example/2", "https://a.example/1"],
                          "url": ["file:///tmp/saved.html", "https://b.example/2", "https://a.example/1"],
                          "domain": [None, "b.example", "a.example"], "error": [None, None, None]})
    out = domain_edges(edges, pages)
    assert out["target"].to_list() == ["b.example"]


def test_wildcard_domains_of_content_farm_terminator_are_read(tmp_path: Path) -> None:
    """The content-farms list writes sites on many suffixes or names with ``*`` ("x.blogspot.*", "conc*.pixnet.net",
    "name.*.com"): 126 of its lines were skipped, so those farms were never marked."""
    listing = tmp_path / "cft" / "content-farms.txt"
    listing.parent.mkdir()
    listing.write_text("against24.blogspot.*\nconc*.pixnet.net\ndaliulian.*.com  # a comment\nplainfarm.example\n")
    lists = DomainLists.load(listing)
    assert lists.summary() == {"cft/content-farms": {"domains": 1, "patterns": 3, "skipped": 0}}
    for marked in ("against24.blogspot.com", "https://www.against24.blogspot.com.br/x", "conc77.pixnet.net",
                   "daliulian.news.com", "plainfarm.example"):
        assert lists.lookup(marked) == ("cft/content-farms",), marked
    for unmarked in ("against245.blogspot.com", "pixnet.net", "daliulian.org", "blogspot.com"):
        assert lists.lookup(unmarked) == (), unmarked
    assert "content-farm-terminator/content-farms" in DomainLists.load([SHARED_LISTS]).lookup("against24.blogspot.com")


def test_a_newsroom_whose_one_page_is_a_clean_credited_syndicated_story_is_clean() -> None:
    """Probe 26: a paper's one page, a credited syndicated story read clean at 0.21, scored 0.2 + 0.107 and made
    the domain suspicious; suspicious by score needs a flagged page or an uncredited copy, as content_farm does."""
    story = Verdict(target="gz", url="https://valleygazette.example/1", domain="valleygazette.example",
                    farm_probability=0.214, label="clean",
                    matches=(_match("https://agency.example/0", "agency.example", 0.95, credited=True),))
    pages, page_edges = build_pages_and_page_edges([story.to_dict()])
    (row,) = domains_table(pages, edges_table(page_edges, pages)).iter_rows(named=True)
    assert row["score"] >= 0.25 and row["verdict"] == "clean"
    assert row["verdict_reason"] == "score 0.307 >= 0.25, but no page flagged and none copied without credit"
