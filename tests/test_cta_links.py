"""The community_cta_links trait (features/cta_links.py): group, channel and app-store invitations placed with
the article count, the same links in the site's header or footer and share buttons do not."""
from __future__ import annotations

import pytest

from detector.records import Article
from features import PageView, compute_trait, feature_names, parse_html

URL = "https://farm.example/2024/01/02/story/"
BODY = "<p>" + "Words of the copied story go here. " * 20 + "</p>"


def _value(html: str) -> tuple[float, str | None]:
    article = Article(url=URL, domain="farm.example", title="Story", text="Words of the copied story go here. " * 20)
    trait = compute_trait(PageView(article, parse_html(html)), "community_cta_links")
    return trait.value, trait.evidence


def _page(article_extra: str = "", chrome: str = "") -> str:
    return (f"<html><body><header class='site-header'><a href='/'>Farm</a></header><article>{BODY}"
            f"{article_extra}</article><footer class='site-footer'>{chrome}</footer></body></html>")


def test_join_group_promo_after_the_article_counts() -> None:
    promo = ("<p class='promo'>To join the group \"Farm Fans\" just click: "
             "<a href='https://www.facebook.com/groups/farmfans'>Join Group</a></p>"
             "<p>Ndiqni edhe në <a href='https://t.me/farmnews'>Telegram</a>.</p>")
    value, evidence = _value(_page(promo))
    assert value == 2.0
    assert evidence is not None and evidence.startswith('To join the group "Farm Fans" just click: Join Group')
    assert evidence.endswith("[https://www.facebook.com/groups/farmfans]")


@pytest.mark.parametrize("link", [
    "https://play.google.com/store/apps/details?id=com.farm.app",
    "https://chat.whatsapp.com/AbCdEf123",
    "https://apps.apple.com/us/app/farm-news/id123456",
])
def test_channel_and_app_links_in_any_language_count(link: str) -> None:
    assert _value(_page(f"<p>Instalirajte aplikaciju <a href='{link}'>ovde</a>.</p>"))[0] == 1.0


def test_links_in_the_site_footer_and_share_buttons_do_not_count() -> None:
    chrome = ("<a href='https://play.google.com/store/apps/details?id=com.paper.app'>Get our app</a>"
              "<a href='https://www.facebook.com/thepaper'>Facebook</a>")
    share = ("<div class='share'><a href='https://t.me/share/url?url=x'>Telegram</a>"
             "<a href='https://api.whatsapp.com/send?text=x'>WhatsApp</a></div>")
    assert _value(_page(share, chrome)) == (0.0, None)


def test_the_trait_is_a_classifier_column() -> None:
    assert "community_cta_links" in feature_names()
