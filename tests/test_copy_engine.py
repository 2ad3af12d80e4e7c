"""The copy engine on hand-made pairs: excerpts from both sides, shuffled copies with ads, boilerplate."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from detector.index import Index
from detector.matcher import find_matches
from detector.records import Article

_WORDS = ("court heard prosecutor jury witness minister harbour tunnel council budget railway station engineer "
          "shipment contract village museum festival river bridge election candidate hospital nurse patient "
          "surgeon storm flood farmer harvest market price export factory worker union strike teacher school "
          "student exam bishop church choir painter gallery novel author editor printer ferry island").split()


def _text(seed: int, paragraphs: int = 8, words: int = 60) -> str:
    rng = random.Random(seed)
    return "\n\n".join(" ".join(rng.choice(_WORDS) + str(rng.randint(0, 999)) for _ in range(words)) + "."
                       for _ in range(paragraphs))


def _article(url: str, text: str) -> Article:
    domain = url.split("/")[2]
    return Article(url=url, domain=domain, title=None, text=text, paragraphs=tuple(text.split("\n\n")))


def test_an_excerpt_of_30_percent_inside_a_longer_page_is_found_from_both_sides(tmp_path: Path) -> None:
    original = _text(1, paragraphs=10)
    paras = original.split("\n\n")
    host = "\n\n".join([_text(2, 6), *paras[3:6], _text(3, 6)])
    with Index(tmp_path / "i.sqlite") as index:
        index.add([_article("https://orig.example/a", original), _article("https://farm.example/b", host)])
        from_copy = find_matches(_article("https://farm.example/b", host), index)
        from_original = find_matches(_article("https://orig.example/a", original), index)
    assert [m.domain for m in from_copy] == ["orig.example"]
    assert [m.domain for m in from_original] == ["farm.example"]
    assert 0.25 <= from_copy[0].share_of_other <= 0.35
    assert from_copy[0].share_of_this < 0.25


def test_a_copy_with_shuffled_paragraphs_and_ad_lines_is_found_with_its_passages(tmp_path: Path) -> None:
    original = _text(4, paragraphs=8)
    paras = original.split("\n\n")
    random.Random(0).shuffle(paras)
    ads = ["Advertisement", "Buy cheap watches now at bestdeals shop", "Sponsored content"]
    copy = "\n\n".join(p for i, para in enumerate(paras) for p in (para, ads[i % 3]))
    with Index(tmp_path / "i.sqlite") as index:
        index.add([_article("https://orig.example/a", original)])
        (match,) = find_matches(_article("https://farm.example/c", copy), index)
    assert match.share_of_other >= 0.95
    assert match.derivation == "whole"
    assert len(match.passages) >= 6
    assert all(copy[p.this_start:p.this_end] == p.text for p in match.passages)


def test_two_pages_of_one_site_sharing_only_boilerplate_are_not_matches(tmp_path: Path) -> None:
    footer = ("Subscribe to our newsletter to get the latest news. Follow us on Facebook and Twitter. "
              "Copyright 2024 Daily Example. All rights reserved. Contact us about advertising on this site.")
    a = _text(5, 5) + "\n\n" + footer
    b = _text(6, 5) + "\n\n" + footer
    with Index(tmp_path / "i.sqlite") as index:
        index.add([_article("https://daily.example/a", a)])
        assert find_matches(_article("https://daily.example/b", b), index) == []


def test_an_identical_promo_footer_across_sites_does_not_make_a_match(tmp_path: Path) -> None:
    footer = ("Subscribe to our newsletter to get the latest news straight to your inbox every morning. Follow us "
              "on Facebook, Twitter and Instagram and share this article with your friends. Download our app.")
    a = _text(7, 5) + "\n\n" + footer
    b = _text(8, 5) + "\n\n" + footer
    with Index(tmp_path / "i.sqlite") as index:
        index.add([_article("https://one.example/a", a)])
        assert find_matches(_article("https://two.example/b", b), index) == []


def test_independent_text_matches_nothing(tmp_path: Path) -> None:
    with Index(tmp_path / "i.sqlite") as index:
        index.add([_article("https://one.example/a", _text(9))])
        assert find_matches(_article("https://two.example/b", _text(10)), index) == []


def test_lsh_alone_finds_a_near_duplicate_with_scattered_edits(tmp_path: Path) -> None:
    original = _text(11, paragraphs=8)
    words = original.split(" ")
    for k in range(40, len(words), 120):  # four one-word edits: Jaccard of 5-shingles stays near 0.9
        words[k] = "edited"
    copy = " ".join(words)
    with Index(tmp_path / "i.sqlite") as index:
        index.add([_article("https://orig.example/a", original), _article("https://other.example/b", _text(12))])
        from detector.docprint import docprint

        dp = docprint(copy, index.config)
        (found,) = index.candidates(dp, postings=False)
        assert found.bands >= 1 and found.shared == 0
        assert index.get_many([found.doc_id])[found.doc_id].article.url == "https://orig.example/a"
        assert index.candidates(docprint(_text(13), index.config), postings=False) == []
        meta = index.info()["lsh"]
        assert (meta["scheme"], meta["num_perm"], meta["threshold"]) == ("affine32", 128, 0.8)
        assert meta["bands"] * meta["rows"] <= 128
        (match,) = find_matches(_article("https://farm.example/c", copy), index)
    assert match.url == "https://orig.example/a" and match.jaccard >= 0.8  # exact Jaccard from the alignment


def test_a_passage_held_by_more_documents_than_the_df_cap_makes_no_candidate(tmp_path: Path) -> None:
    from dataclasses import replace

    from detector.config import DEFAULT
    from detector.docprint import docprint

    stock = _text(20, paragraphs=2)
    cfg = replace(DEFAULT, posting_df_cap=3, term_evidence=0.0)  # shingle keys only
    with Index(tmp_path / "i.sqlite", cfg) as index:
        index.add([_article(f"https://s{i}.example/a", _text(30 + i, 4) + "\n\n" + stock) for i in range(3)])
        query = docprint(_text(40, 4) + "\n\n" + stock, index.config)
        assert len(index.candidates(query, postings=True, lsh=False)) == 3  # df 3 <= cap: all found
        index.add([_article("https://s9.example/a", _text(39, 4) + "\n\n" + stock)])
        assert index.candidates(query, postings=True, lsh=False) == []  # df 4 > cap: skipped in SQL
        assert index.candidates(query, postings=True, lsh=False) == []  # and now remembered as common
        index.remove(["https://s9.example/a", "https://s2.example/a"])  # df 2: the memo must not hide it
        assert len(index.candidates(query, postings=True, lsh=False)) == 2
        with Index(tmp_path / "i.sqlite", readonly=True) as reader:  # a fresh connection agrees
            assert reader.candidates(query, postings=True, lsh=False) == index.candidates(query, postings=True,
                                                                                          lsh=False)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(0, 2999), min_size=40, max_size=200), st.lists(st.integers(0, 2999), min_size=40, max_size=200),
       st.integers(0, 199), st.integers(0, 30))
def test_a_pair_set_aside_before_alignment_could_never_have_verified(a: list[int], extra: list[int], start: int,
                                                                    length: int) -> None:
    """``may_match`` is a necessary condition: a pair it sets aside neither covers ``min_match_words`` of this
    text nor is a rewrite (the other text takes a run of this one's words, with words of its own around it)."""
    from detector.align import align, may_match, prepare
    from detector.config import DEFAULT as cfg

    vocab = [f"{_WORDS[i % len(_WORDS)]}{i}" for i in range(3000)]
    start %= len(a)
    b = extra[: len(extra) // 2] + a[start:start + length] + extra[len(extra) // 2:]
    this, other = (prepare(" ".join(vocab[k] for k in ks), cfg.align_shingle) for ks in (a, b))
    result = align(this, other, cfg.align_shingle, cfg.align_gap, cfg.min_passage_words)
    verifies = result.this_covered >= cfg.min_match_words or result.rewritten(cfg.rewrite_containment,
                                                                               cfg.rewrite_terms)
    if not may_match(this, other, cfg.align_shingle, cfg.min_match_words, cfg.rewrite_containment,
                     cfg.rewrite_terms):
        assert not verifies


@settings(max_examples=400, deadline=None)
@given(st.lists(st.integers(0, 12), max_size=60), st.lists(st.integers(0, 12), max_size=60), st.integers(0, 6))
def test_compiled_chaining_equals_the_python_path(this: list[int], other: list[int], gap: int) -> None:
    """Small alphabets make repeated shingles, so the nearest-to-the-diagonal choice and its ties are exercised."""
    import numpy as np

    from detector.align import _chains

    pytest.importorskip("numba")
    a, b = np.asarray(this, dtype=np.uint64), np.asarray(other, dtype=np.uint64)
    common = np.intersect1d(a, b)
    fast, slow = _chains(a, b, common, gap), _chains(a, b, common, gap, compiled=False)
    assert len(fast) == len(slow)
    for (fi, fj), (si, sj) in zip(fast, slow):
        assert np.array_equal(fi, si) and np.array_equal(fj, sj)


def test_an_undated_copy_of_a_dated_page_is_the_copy_and_twins_accuse_no_one(tmp_path: Path) -> None:
    """Publication time decides direction; with one page dated and the other not, the undated one is taken for the
    copy; with both dated alike (a twin, a wire story) nothing tells, and neither is called a copy."""
    from dataclasses import replace
    from datetime import datetime, timezone

    text = _text(11, paragraphs=6)
    when = datetime(2024, 3, 1, 9, 30, tzinfo=timezone.utc)
    original = replace(_article("https://orig.example/a", text), published=when)
    undated = _article("https://farm.example/b", text)
    twin = replace(_article("https://twin.example/c", text), published=when)
    with Index(tmp_path / "i.sqlite") as index:
        index.add([original])
        (match,) = find_matches(undated, index)
        assert (match.direction, match.direction_evidence) == ("this_copies_other", "undated (the other is dated)")
        (match,) = find_matches(twin, index)
        assert match.direction == "unknown"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab  \n\t.x", max_size=300), st.text(alphabet="ab  \n.y", max_size=300),
       st.text(alphabet="ab  x", max_size=200))
def test_the_words_around_a_mention_are_those_the_whole_text_search_finds(before: str, after: str,
                                                                          source: str) -> None:
    """``_copied_mention`` looks only near the mention; on texts within that reach it agrees with the reference
    (an end-anchored search over everything before the mention)."""
    import re

    from detector.provenance import _copied_mention

    haystack = f"{before}Name{after}"
    start, end = len(before), len(before) + 4
    head = re.search(r"\S*$", haystack[:start]).start()  # the mention's whole token ("www.Name", "x@Name")
    lo = re.search(r"(?:\S+\s+){0,4}$", haystack[:head])
    hi = re.match(r"(?:\s*\S+){0,4}", haystack[end:])
    snippet = haystack[lo.start() if lo else head:end + (hi.end() if hi else 0)]
    expected = len(snippet.split()) >= 5 and " ".join(snippet.split()) in source
    assert _copied_mention(haystack, start, end, source) == expected
    whole = " ".join(haystack.split())  # a source holding the whole text holds every snippet of it
    assert _copied_mention(haystack, start, end, whole) == (len(snippet.split()) >= 5)


@pytest.mark.parametrize(("sitename", "domain", "credit"), [
    ("Vodovod Posavina d.o.o.", "vodovod-posavina.hr", "Izvor: Vodovod Posavina"),  # legal form left out
    (None, "vodovod-posavina.hr", "Izvor: Vodovod Posavina"),  # the hyphenated domain label, spaced
    ("Acme Media Ltd.", "acmemedia.co.uk", "Source: Acme Media"),
])
def test_a_copy_crediting_its_source_by_its_plain_name_is_credited(tmp_path: Path, sitename: str | None,
                                                                    domain: str, credit: str) -> None:
    """A credit line naming the source without its legal form, or with spaces for its domain's hyphens, is a
    credit: the match is credited, and the credit decides the direction."""
    from dataclasses import replace

    text = _text(12, paragraphs=6)
    source = replace(_article(f"https://{domain}/press/1", text), sitename=sitename)
    copy = _article("https://farm.example/b", f"{text}\n\n{credit}")
    with Index(tmp_path / "i.sqlite") as index:
        index.add([source])
        (match,) = find_matches(copy, index)
    assert match.credited
    assert (match.direction, match.direction_evidence) == ("this_copies_other", f"credit (named:{credit.split(': ')[1].lower()})")


def test_a_page_stitched_from_two_originals_has_a_sibling_in_the_copy_of_either(tmp_path: Path) -> None:
    """P takes half its text from A and half from B; C republished B (later). P's best source is A, yet C is a
    sibling through B: neither P nor C copied the other, and C is not taken for P's source."""
    from dataclasses import replace
    from datetime import datetime, timezone

    day = datetime(2024, 3, 1, 9, 0, tzinfo=timezone.utc)
    a_text, b_text = _text(21, paragraphs=8), _text(22, paragraphs=8)
    a = replace(_article("https://a-news.example/1", a_text), published=day)
    b = replace(_article("https://b-news.example/1", b_text), published=day)
    c = replace(_article("https://c-partner.example/1", b_text), published=day.replace(hour=11))
    stitched = "\n\n".join(a_text.split("\n\n")[:5] + b_text.split("\n\n")[:4])
    p = replace(_article("https://farm.example/1", stitched), published=day.replace(hour=15))
    with Index(tmp_path / "i.sqlite") as index:
        index.add([a, b, c])
        found = {m.domain: m for m in find_matches(p, index)}
    assert found["a-news.example"].direction == found["b-news.example"].direction == "this_copies_other"
    assert found["c-partner.example"].direction == "unknown"
    assert found["c-partner.example"].direction_evidence == "sibling: both derive from b-news.example"


@pytest.mark.parametrize("tail", ["Media contact: Jane Doe, press@greenvale-energy.example",
                                  "More about the company at www.greenvale-energy.example"])
def test_the_sources_own_contact_line_copied_at_the_end_is_not_a_credit(tmp_path: Path, tail: str) -> None:
    """A verbatim copy keeps the release's own last line naming its site ("press@...", "www..."): that is copied
    text, not a credit, even though no words follow the name; the text naming the source's site says who wrote
    it, whatever the dates."""
    from dataclasses import replace
    from datetime import datetime, timezone

    text = f"{_text(31, paragraphs=6)}\n\n{tail}"
    source = replace(_article("https://greenvale-energy.example/press/1", text),
                     published=datetime(2024, 3, 1, 9, 0, tzinfo=timezone.utc))
    with Index(tmp_path / "i.sqlite") as index:
        index.add([source])
        (match,) = find_matches(_article("https://farm.example/pr", text), index)
    assert not match.credited
    assert (match.direction, match.direction_evidence) == (
        "this_copies_other", "the shared text names its site (greenvale-energy.example: greenvale-energy.example)")


def test_a_cyrillic_story_copied_in_latin_letters_is_found(tmp_path: Path) -> None:
    """Serbian is written in both scripts; a farm copying a Cyrillic story in Latin letters shared no word hash
    with it (probe 26). Words are hashed in their Latin spelling, so the copy is found whole."""
    import random as rnd

    from detector.fingerprint import _CYRILLIC_TO_LATIN

    rng = rnd.Random(7)
    letters = "абвгдђежзијклљмнњопрстћуфхцчџш"
    words = ["".join(rng.choice(letters) for _ in range(rng.randint(3, 9))) for _ in range(400)]
    cyrillic = "\n\n".join(" ".join(words[p * 50:(p + 1) * 50]) + "." for p in range(8))
    latin = cyrillic.translate(_CYRILLIC_TO_LATIN)  # lower case throughout: the table's letters
    with Index(tmp_path / "i.sqlite") as index:
        index.add([_article("https://rts.example/vest", cyrillic)])
        (match,) = find_matches(_article("https://vesti-farm.example/vest", latin), index)
    assert match.derivation == "whole" and match.share_of_this > 0.9


def test_a_copy_with_look_alike_greek_or_cyrillic_letters_in_its_words_is_found(tmp_path: Path) -> None:
    """Probe 27: Greek omicron and iota, Cyrillic 'с' and 'ҽ' slipped into Latin words hid a verbatim copy from
    the word hashes; words that mix scripts are read with their Latin look-alikes."""
    original = _text(31)
    swapped = original.replace("o", "ο").replace("i", "ι").replace("c", "с").replace("e", "ҽ")
    assert swapped != original
    with Index(tmp_path / "i.sqlite") as index:
        index.add([_article("https://news.example/story", original)])
        (match,) = find_matches(_article("https://farm.example/story", swapped), index)
    assert match.derivation == "whole" and match.share_of_this > 0.9


def test_a_republication_note_outside_the_article_body_credits_its_source() -> None:
    """Probe 52: a partner reprint's linked "Dieser Artikel erschien zuerst im Rheinauer Tagblatt" stood in a
    ``<p class="partner-note">`` after the ``articleBody``; neither extraction nor the source-line reader took it,
    and the reprint read as an uncredited copy (0.82). The copy engine now reads such notes as credits."""
    from detector.extract import extract
    from detector.score import examined
    from tests.test_extract import BODY, _page

    html = ('<html><head><title>Tablets für jede Grundschule</title></head><body><div class="item-page" itemscope '
            'itemtype="https://schema.org/Article"><h2 itemprop="headline">Tablets für jede Grundschule</h2>'
            f'<div itemprop="articleBody">{BODY}</div><p class="partner-note">Dieser Artikel erschien zuerst im '
            '<a href="https://www.rheinauer-tagblatt.de/lokales/tablets">Rheinauer Tagblatt</a>. Wir veröffentlichen '
            'ihn im Rahmen unserer Redaktionskooperation.</p></div></body></html>')
    extracted = extract(_page(html))
    assert not extracted.article.credited
    credited = examined(extracted)[0].article.credited
    assert "rheinauer-tagblatt.de" in credited and "Rheinauer Tagblatt" in credited
