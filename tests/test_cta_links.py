"""The community_cta_links trait (features/cta_links.py): invitations to join a group placed with the article count;
a newsroom's app, channel or page links, the same links in the site's header or footer and share buttons do not."""
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
             "<p>Ndiqni edhe në <a href='https://t.me/+AbCdEf12345'>Telegram</a>.</p>")
    value, evidence = _value(_page(promo))
    assert value == 2.0
    assert evidence is not None and evidence.startswith('To join the group "Farm Fans" just click: Join Group')
    assert evidence.endswith("[https://www.facebook.com/groups/farmfans]")


@pytest.mark.parametrize("link", [
    "https://chat.whatsapp.com/AbCdEf123",
    "https://t.me/joinchat/AbCdEf123",
    "https://invite.viber.com/?g2=AQBx",
])
def test_group_invitations_in_any_language_count(link: str) -> None:
    assert _value(_page(f"<p>Pridružite se grupi <a href='{link}'>ovde</a>.</p>"))[0] == 1.0


@pytest.mark.parametrize("link", [
    "https://play.google.com/store/apps/details?id=com.paper.app",
    "https://apps.apple.com/us/app/paper-news/id123456",
    "https://whatsapp.com/channel/0029VaPaper",
    "https://t.me/papernews",
])
def test_a_newsrooms_app_and_channel_links_under_the_article_do_not_count(link: str) -> None:
    """Publishers print "Get our app" and "Follow our WhatsApp channel" under their articles as often as farms
    (probe 25: six of eight flagged newsroom pages)."""
    assert _value(_page(f"<p>Get breaking news alerts: <a href='{link}'>here</a>.</p>")) == (0.0, None)


def test_links_in_the_site_footer_and_share_buttons_do_not_count() -> None:
    chrome = ("<a href='https://play.google.com/store/apps/details?id=com.paper.app'>Get our app</a>"
              "<a href='https://www.facebook.com/thepaper'>Facebook</a>")
    share = ("<div class='share'><a href='https://t.me/share/url?url=x'>Telegram</a>"
             "<a href='https://api.whatsapp.com/send?text=x'>WhatsApp</a></div>")
    assert _value(_page(share, chrome)) == (0.0, None)


def test_the_trait_is_a_classifier_column() -> None:
    assert "community_cta_links" in feature_names()
