"""Rewritten copies: names-first candidates, short briefs, and derivation over several versions of a story.

A newspaper brief written from a wire story keeps the names and changes the wording, so it shares few or no
long passages. These tests use a fictional wire story in two versions and briefs written from it.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from detector.align import overlap, prepare
from detector.config import DEFAULT
from detector.docprint import docprint, name_keys
from detector.index import Index
from detector.matcher import find_matches
from detector.records import Article

WIRE_1 = (
    "A retired harbour pilot was cleared today of smuggling rare orchids through the port of Dunmore after a "
    "four-week trial at Castlereagh Crown Court.\n\n"
    "Jurors took less than three hours to acquit Fergus Whitacre, 61, of Kilbrannan, who had denied importing "
    "protected plants without a licence.\n\n"
    "The prosecution said crates of orchids from Madagascar were found hidden behind engine parts on a "
    "freighter that Mr Whitacre guided into the harbour in March.\n\n"
    "His barrister, Imelda Carrowmore, told the court her client had no idea what the crates contained and "
    "had simply done his job on a stormy night.\n\n"
    "Outside court Mr Whitacre thanked his family and said he hoped to return to sailing on Lough Bréanainn."
)
WIRE_2 = (
    "The Dunmore orchid case ended today when a jury at Castlereagh Crown Court found Fergus Whitacre not "
    "guilty of importing protected plants.\n\n"
    "Customs officers had seized more than two hundred orchids from Madagascar, valued at forty thousand "
    "pounds, from the freighter Aldebaran.\n\n"
    "Judge Rosalind Achterberg thanked the jurors for their patience during a trial that heard evidence from "
    "botanists at Kew and from the ship's Estonian crew.\n\n"
    "Imelda Carrowmore, defending, said the case should never have been brought against a pilot with thirty "
    "years of unblemished service in Dunmore."
)
# Written from both versions as a sub-editor would: names, facts and short phrases kept, sentences recast, no
# run of eight words in common with either version.
BRIEF = (
    "A RETIRED harbour pilot was cleared yesterday of smuggling rare orchids into Dunmore. Fergus Whitacre, "
    "61, of Kilbrannan, had denied importing protected plants from Madagascar found on the freighter "
    "Aldebaran. A jury at Castlereagh Crown Court took less than three hours to acquit him. His barrister "
    "Imelda Carrowmore said the case should not have been brought against a pilot with thirty years of "
    "service."
)
UNRELATED = (
    "A council in Westhaven has approved plans for a new library beside the Marlowe Theatre after a long "
    "campaign by parents. Councillor Agatha Penhallow said building work at Quayside would begin in spring, "
    "and that the Trevelyan Trust had promised a grant towards the reading garden."
)


def _article(url: str, text: str) -> Article:
    return Article(url=url, domain=url.split("/")[2], title=None, text=text, paragraphs=tuple(text.split("\n\n")))


def test_names_are_capitalised_content_words_standing_mid_sentence() -> None:
    text = "Police said Fergus Whitacre met Imelda Carrowmore in Dunmore. Jurors agreed.\n\nOfficers left."
    expected = name_keys("x Fergus Whitacre Imelda Carrowmore Dunmore")
    assert set(name_keys(text).tolist()) == set(expected.tolist()) and len(expected) == 5
    # sentence and paragraph openers are not names, short words are not content words
    assert not set(name_keys("x Police Jurors Officers").tolist()) & set(name_keys(text).tolist())
    assert len(name_keys("Lowercase only here, nothing else.")) == 0
    # the most mentioned name comes first: it is what a short rewrite keeps
    assert name_keys("x Whitacre met Dunmore men in Dunmore")[0] == name_keys("x Dunmore")[0]


def test_a_short_rewritten_brief_is_found_with_the_versions_it_was_written_from(tmp_path: Path) -> None:
    with Index(tmp_path / "i.sqlite") as index:
        index.add([_article("https://wire.example/v1", WIRE_1), _article("https://wire.example/v2", WIRE_2),
                   _article("https://news.example/library", UNRELATED)])
        matches = find_matches(_article("https://paper.example/brief", BRIEF), index)
        other = find_matches(_article("https://paper.example/other", UNRELATED.replace("library", "pool")), index)
    assert [m.url for m in other] == ["https://news.example/library"]  # a copy of something else: no wire match
    assert {m.url for m in matches} == {"https://wire.example/v1", "https://wire.example/v2"}
    assert all(max((p.this_end - p.this_start for p in m.passages), default=0) < 80 for m in matches)
    assert all(m.derivation in ("partial", "whole") for m in matches)


def test_names_reach_the_stored_postings_and_the_query_keys() -> None:
    names = set(name_keys(WIRE_1).tolist())
    dp = docprint(WIRE_1, DEFAULT)
    assert names and names <= set(dp.postings.tolist()) and names <= set(dp.keys.tolist())
    without = docprint(WIRE_1, replace(DEFAULT, name_terms=0, query_names=0))
    assert len(dp.postings) > len(without.postings)


def test_a_rewrite_drawing_on_two_versions_overlaps_them_together_more_than_either() -> None:
    brief, v1, v2 = (prepare(t, DEFAULT.align_shingle) for t in (BRIEF, WIRE_1, WIRE_2))
    both, one, two = overlap(brief, [v1, v2]), overlap(brief, [v1]), overlap(brief, [v2])
    assert both.unigram > max(one.unigram, two.unigram)
    assert both.terms > max(one.terms, two.terms)
    assert overlap(brief, []).unigram == 0.0


def test_an_index_written_before_names_were_stored_is_queried_without_them() -> None:
    old = {k: v for k, v in DEFAULT.index_params().items() if k != "name_terms"}
    assert DEFAULT.with_index_params(old).name_terms == 0
    assert DEFAULT.with_index_params(DEFAULT.index_params()).name_terms == DEFAULT.name_terms


def test_a_short_page_whose_common_words_a_long_post_contains_is_no_rewrite_of_it() -> None:
    """Probe 11: a 100-word notice found 38% of its content words (14 common ones) in a 3,000-word post and was
    verified as a partial copy with no shared passage; a rewrite's source holds some of its own words too."""
    from detector.align import is_rewrite

    # 37 content words in the notice, 14 of them in the post; 693 content words in the post
    assert not is_rewrite(14 / 37, 14 / 693, 14, DEFAULT.rewrite_containment, DEFAULT.rewrite_terms)
    # a 150-word brief of a 1,500-word story: 40 of its 80 content words, 40 of the story's 500
    assert is_rewrite(40 / 80, 40 / 500, 40, DEFAULT.rewrite_containment, DEFAULT.rewrite_terms)
