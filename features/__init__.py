"""Spam-trait extractors: pure functions over an extracted article and its DOM.

Build one ``PageView`` per page, then ``compute_traits(view)``; ``feature_names()`` gives the classifier's
column order and ``TRAITS`` the registered traits (name, one-line meaning, family, function).

    >>> from detector.records import Article
    >>> view = PageView(Article(url="https://a.example/x", domain="a.example", title="T", text="Hi."))
    >>> len(compute_traits(view)) == len(feature_names())
    True
"""

from features.registry import (
    FAMILIES,
    TRAITS,
    TraitSpec,
    compute_trait,
    compute_traits,
    feature_names,
    load_families,
    trait,
    trait_specs,
)
from features.view import PageView, parse_html

load_families()
import features.cta_links  # noqa: E402,F401  (registers community_cta_links, after the families)
import features.site_marks  # noqa: E402,F401  (registers dmca_notice and default_byline, last in the column order)
import features.ai_leftovers  # noqa: E402,F401  (registers ai_chat_leftovers, after them)

__all__ = [
    "FAMILIES",
    "TRAITS",
    "PageView",
    "TraitSpec",
    "compute_trait",
    "compute_traits",
    "feature_names",
    "parse_html",
    "trait",
    "trait_specs",
]
