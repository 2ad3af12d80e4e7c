"""DOM traits: ad slots and networks, iframes, tracker and third-party scripts, link density, main-text share.

Farms exist to sell impressions: their article pages carry more ad slots per word (AdSense ``ins``, GPT
``div-gpt-ad``, Taboola/Outbrain/MGID/Revcontent widgets), more trackers and a thinner main text inside more
chrome. All values come from the one-pass ``DomSummary``; without a DOM they are 0, except
``main_text_share`` which is 1 (the neutral "all visible text is main text").
"""

from __future__ import annotations

from features.registry import trait
from features.lines import non_space_chars
from features.view import PageView, host_of

FAMILY = "dom"
AD_NETWORKS: tuple[tuple[str, str], ...] = (
    ("adsbygoogle", "adsense"), ("googlesyndication", "adsense"), ("div-gpt-ad", "gpt"), ("googletag", "gpt"),
    ("securepubads", "gpt"), ("doubleclick", "gpt"), ("taboola", "taboola"), ("outbrain", "outbrain"),
    ("mgid", "mgid"), ("revcontent", "revcontent"), ("criteo", "criteo"), ("amazon-adsystem", "amazon"),
    ("media.net", "media_net"), ("propellerads", "propellerads"), ("adnow", "adnow"), ("adform", "adform"),
    ("an.yandex.ru", "yandex_ads"), ("smartadserver", "smartadserver"), ("pubmatic", "pubmatic"),
    ("prebid", "prebid"), ("ezoic", "ezoic"), ("adsterra", "adsterra"), ("popads", "popads"),
    ("type=adsense", "adsense"),  # an AMP slot's network (``features.dom_summary.AMP_AD_TAGS``)
)
TRACKERS: tuple[tuple[str, str], ...] = (
    ("google-analytics.com", "google_analytics"), ("googletagmanager.com", "google_tag_manager"),
    ("gtag(", "google_analytics"), ("connect.facebook.net", "facebook_pixel"), ("fbq(", "facebook_pixel"),
    ("hotjar", "hotjar"), ("mc.yandex.ru", "yandex_metrika"), ("scorecardresearch", "comscore"),
    ("quantserve", "quantcast"), ("chartbeat", "chartbeat"), ("clarity.ms", "ms_clarity"), ("gemius", "gemius"),
    ("statcounter", "statcounter"), ("histats", "histats"), ("matomo", "matomo"), ("piwik", "matomo"),
    ("mixpanel", "mixpanel"), ("cdn.segment.com", "segment"), ("analytics.tiktok.com", "tiktok_pixel"),
    ("cloudflareinsights", "cloudflare_insights"), ("plausible.io", "plausible"), ("parsely", "parsely"),
    ("amp-analytics", "amp_analytics"),
)
#: Where a page format's own runtime is served from, which every page in it loads (an AMP page's v0.js and its
#: components): the format, not a third party's service. Its ads and analytics are read from its elements.
FORMAT_RUNTIME_HOSTS = frozenset({"cdn.ampproject.org"})
MIN_WORDS_FOR_DENSITY = 100
# Cut from the text before ad networks are looked for: Google Tag Manager (googletagmanager.com) loads analytics
# and serves no ads, but holds "googletag", GPT's own name (window.googletag, googletagservices.com/gpt.js).
NOT_AD_NETWORKS = ("googletagmanager",)


def _found(haystack: str, table: tuple[tuple[str, str], ...]) -> list[str]:
    return list(dict.fromkeys(name for needle, name in table if needle in haystack))


def _script_haystack(view: PageView) -> str:
    """Script sources and inline scripts as one lowercased text (built once per page)."""
    return view.memo("dom.script_haystack", _build_haystack)


def _build_haystack(view: PageView) -> str:
    summary = view.summary
    if summary is None:
        return ""
    return " ".join(summary.script_srcs).lower() + "\n" + summary.inline_scripts


@trait(
    name="ad_slots",
    meaning="Ad slots on the page (AdSense ins, GPT div-gpt-ad, ad/advert/sponsored containers, native widgets).",
    family=FAMILY,
)
def ad_slots(view: PageView) -> tuple[float, str | None]:
    """Outermost ad containers only, so a wrapper and its ``ins`` count once."""
    summary = view.summary
    if summary is None or not summary.ad_slots:
        return 0.0, None
    return float(summary.ad_slots), "; ".join(summary.ad_marks[:4])


@trait(
    name="ad_slots_per_1k_words",
    meaning="Ad slots per 1,000 words of main text (text under 100 words counts as 100).",
    family=FAMILY,
)
def ad_slots_per_1k_words(view: PageView) -> tuple[float, str | None]:
    """Density, not count: a long investigation may carry as many slots as a 300-word copy."""
    summary = view.summary
    if summary is None or not summary.ad_slots:
        return 0.0, None
    words = len(view.words)
    slots = f"{summary.ad_slots} ad slot{'s' if summary.ad_slots > 1 else ''}"
    return 1000.0 * summary.ad_slots / max(words, MIN_WORDS_FOR_DENSITY), f"{slots} for {words} words of text"


@trait(
    name="ad_networks",
    meaning="Distinct ad networks present (AdSense, GPT, Taboola, Outbrain, MGID, Revcontent...).",
    family=FAMILY,
)
def ad_networks(view: PageView) -> tuple[float, str | None]:
    """Stacking networks (display plus native 'around the web') is an arbitrage habit."""
    summary = view.summary
    if summary is None:
        return 0.0, None
    haystack = _script_haystack(view) + "\n" + " ".join(summary.ad_marks) + "\n" + " ".join(summary.iframe_srcs)
    for name in NOT_AD_NETWORKS:
        haystack = haystack.replace(name, " ")
    networks = _found(haystack, AD_NETWORKS)
    return float(len(networks)), (", ".join(networks) if networks else None)


@trait(name="iframes", meaning="Iframes on the page (embedded ads, widgets, players).", family=FAMILY)
def iframes(view: PageView) -> float:
    """Ad and widget iframes pile up on monetised copies."""
    return float(len(view.summary.iframe_srcs)) if view.summary is not None else 0.0


@trait(
    name="tracker_scripts",
    meaning="Distinct analytics and tracking services loaded (Google Analytics, Facebook pixel, Hotjar...).",
    family=FAMILY,
)
def tracker_scripts(view: PageView) -> tuple[float, str | None]:
    """Tracking stacks are part of the monetisation kit."""
    trackers = _found(_script_haystack(view), TRACKERS)
    return float(len(trackers)), (", ".join(trackers) if trackers else None)


@trait(
    name="third_party_scripts",
    meaning="External scripts loaded from hosts other than the page's own site (a format's runtime, AMP's, not counted).",
    family=FAMILY,
)
def third_party_scripts(view: PageView) -> tuple[float, str | None]:
    """Third-party script count: ads, trackers, widgets and push SDKs together."""
    summary = view.summary
    if summary is None:
        return 0.0, None
    hosts = [host_of(s) for s in summary.script_srcs if s.startswith(("http", "//"))]
    other = [h for h in hosts if h and not view.is_own_host(h) and h not in FORMAT_RUNTIME_HOSTS]
    return float(len(other)), (", ".join(dict.fromkeys(other)) if other else None)


@trait(
    name="link_density",
    meaning="Share of the page's visible characters that are link text.",
    family=FAMILY,
)
def link_density(view: PageView) -> float:
    """Pages that are mostly links (teaser walls, related lists) around a short text."""
    summary = view.summary
    if summary is None or not summary.visible_chars:
        return 0.0
    return min(1.0, summary.anchor_chars / summary.visible_chars)


@trait(
    name="main_text_share",
    meaning="Share of the page's visible characters that belong to the extracted main text (1 without a DOM).",
    family=FAMILY,
)
def main_text_share(view: PageView) -> float:
    """A thin article inside heavy chrome; a whole-page measure extraction alone cannot see."""
    summary = view.summary
    if summary is None or not summary.visible_chars:
        return 1.0
    visible = non_space_chars(summary.lines)
    return min(1.0, view.main_chars / visible) if visible else 1.0


@trait(
    name="outbound_link_share",
    meaning="Share of the page's web links that point to other sites (share links excluded).",
    family=FAMILY,
)
def outbound_link_share(view: PageView) -> float:
    """Original reporting links its sources; farms link almost only to themselves."""
    summary = view.summary
    if summary is None:
        return 0.0
    hrefs = [
        a.href for a in summary.anchors
        if not a.in_share and a.href.startswith(("http", "//")) and "/shar" not in a.href.lower()
    ]
    hosts = [h for h in map(host_of, hrefs) if h]
    if not hosts:
        return 0.0
    return sum(1 for h in hosts if not view.is_own_host(h)) / len(hosts)
