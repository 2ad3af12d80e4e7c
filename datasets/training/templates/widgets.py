"""Widgets that appear on farm pages and, in restrained form, on real publishers' pages too.

Why: share bars, related-post blocks and ad slots are not proof of a farm on their own, so the same
renderers serve both labels; only how many and what kind differ. Each renderer returns an HTML
fragment and adds the scripts it needs to `head` (a list, de-duplicated by the template).
"""
from __future__ import annotations

import random
from urllib.parse import quote, urlsplit

from phrasebook import pick
from templates.base import slugify
from templates.kit import esc

SHARE_STYLES = ("stl", "sharedaddy", "a2a", "heateor", "plain", "blogger", "amp")
AD_KINDS = ("adsense", "gpt", "taboola", "outbrain", "mgid", "amp", "label_adsense")

_NETS = {
    "facebook": "https://www.facebook.com/sharer.php?u={u}",
    "twitter": "https://twitter.com/intent/tweet?url={u}",
    "whatsapp": "https://api.whatsapp.com/send?text={u}",
    "viber": "viber://forward?text={u}",
    "telegram": "https://t.me/share/url?url={u}",
    "linkedin": "https://www.linkedin.com/sharing/share-offsite/?url={u}",
    "pinterest": "https://pinterest.com/pin/create/button/?url={u}",
    "email": "mailto:?body={u}",
}


def share(rng: random.Random, lang: str, style: str, url: str, head: list[str], *, label: bool = True) -> str:
    """A share widget in one of several plugin styles (sharer links to 2-5 networks)."""
    nets = rng.sample(list(_NETS), rng.randint(2, 5))
    u = quote(url, safe="")
    text = esc(pick(rng, lang, "share_label", html=False)) if label else ""
    links = [(n, esc(_NETS[n].format(u=u))) for n in nets]
    if style == "stl":
        head.append('<script src="/wp-content/plugins/spread-the-love/js/share.js"></script>')
        a = "".join(f'<a class="stl-{n}" href="{h}">{n.title()}</a>' for n, h in links)
        return f'<div class="spread-the-love"><span class="stl-label">{text}</span>{a}</div>'
    if style == "sharedaddy":
        a = "".join(f'<li class="share-{n}"><a class="share-{n} sd-button" href="{h}"><span>{n.title()}</span></a></li>'
                    for n, h in links)
        return f'<div class="sharedaddy sd-sharing-enabled"><h3 class="sd-title">{text}</h3><div class="sd-content"><ul>{a}</ul></div></div>'
    if style == "a2a":
        head.append('<script async src="https://static.addtoany.com/menu/page.js"></script>')
        a = "".join(f'<a class="a2a_button_{n}" href="{h}"></a>' for n, h in links)
        return f'<div class="a2a_kit a2a_kit_size_32 addtoany_list" data-a2a-url="{esc(url)}">{a}<a class="a2a_dd" href="https://www.addtoany.com/share"></a></div>'
    if style == "heateor":
        a = "".join(f'<a class="heateor_sss_button_{n}" href="{h}" rel="nofollow noopener" target="_blank"><span class="heateor_sss_svg"></span></a>'
                    for n, h in links)
        return f'<div class="heateor_sss_sharing_container"><div class="heateor_sss_sharing_title">{text}</div>{a}</div>'
    if style == "blogger":
        a = "".join(f'<a class="share-button sb-{n}" href="{h}" target="_blank"><span class="share-button-link-text">{n.title()}</span></a>'
                    for n, h in links)
        return f'<div class="post-share-buttons goog-inline-block">{a}</div>'
    if style == "amp":
        a = "".join(f'<amp-social-share type="{n}" width="40" height="40" data-param-url="{esc(url)}"></amp-social-share>'
                    for n in nets if n != "viber")
        return f'<div class="amp-share"><span>{text}</span>{a}</div>'
    a = " ".join(f'<a class="share-link share-{n}" href="{h}">{n.title()}</a>' for n, h in links)
    return f'<div class="share-buttons"><strong>{text}</strong> {a}</div>'


def ad(rng: random.Random, kind: str, page_url: str, head: list[str], lang: str) -> str:
    """One ad slot of the given network/kind; loader scripts go to `head`."""
    site_rng = random.Random(urlsplit(page_url).hostname or "")  # one publisher id per site, as on real sites
    pub = f"ca-pub-{site_rng.randrange(10**15, 10**16)}"
    slot = rng.randrange(10**9, 10**10)
    if kind in ("adsense", "label_adsense"):
        head.append(f'<script async src="https://pagead2.googlesyndication.com/pagead/js/adsbygoogle.js?client={pub}"></script>')
        lab = f'<span class="ad-label">{esc(pick(rng, lang, "ad_label", html=False))}</span>' if kind == "label_adsense" else ""
        return (f'<div class="ad-slot">{lab}<ins class="adsbygoogle" style="display:block" data-ad-client="{pub}" '
                f'data-ad-slot="{slot}" data-ad-format="auto"></ins>'
                '<script>(adsbygoogle = window.adsbygoogle || []).push({});</script></div>')
    if kind == "gpt":
        head.append('<script async src="https://securepubads.g.doubleclick.net/tag/js/gpt.js"></script>')
        gid = f"div-gpt-ad-{slot}-{rng.randrange(10)}"
        return (f'<div id="{gid}" style="min-width:300px;min-height:250px;">'
                f"<script>googletag.cmd.push(function() {{ googletag.display('{gid}'); }});</script></div>")
    if kind == "taboola":
        head.append(f'<script async src="//cdn.taboola.com/libtrc/{rng.choice(["newsnet", "viralpub", "mediahub"])}/loader.js"></script>')
        cid = f"taboola-below-article-thumbnails-{rng.randrange(100)}"
        return (f'<div id="{cid}"></div><script>window._taboola = window._taboola || [];'
                f"_taboola.push({{mode: 'thumbnails-a', container: '{cid}', placement: 'Below Article Thumbnails', target_type: 'mix'}});</script>")
    if kind == "outbrain":
        return (f'<div class="OUTBRAIN" data-src="{esc(page_url)}" data-widget-id="AR_{rng.randint(1, 9)}"></div>'
                '<script async src="https://widgets.outbrain.com/outbrain.js"></script>')
    if kind == "mgid":
        wid = rng.randrange(100000, 999999)
        head.append(f'<script src="https://jsc.mgid.com/site/{wid // 10}.js" async></script>')
        return (f'<div data-type="_mgwidget" data-widget-id="{wid}"></div>'
                '<script>(function(w,q){w[q]=w[q]||[];w[q].push(["_mgc.load"])})(window,"_mgq");</script>')
    # amp
    return f'<amp-ad width="300" height="250" type="adsense" data-ad-client="{pub}" data-ad-slot="{slot}"></amp-ad>'


def related(rng: random.Random, lang: str, style: str, titles: list[str], heading: str, base: str = "") -> str:
    """A related/similar-posts block in one of several plugin styles; `titles` are plain text, links go to
    the site's own posts (relative, or under ``base`` where the site writes absolute links)."""
    def href(t: str) -> str:
        return f"{base}/{rng.randint(2018, 2024)}/{rng.randint(1, 12):02d}/{slugify(t, 60)}/"

    items = [(esc(t), href(t)) for t in titles]
    h = esc(heading)
    if style == "jp":
        li = "".join(f'<div class="jp-relatedposts-post"><h4 class="jp-relatedposts-post-title"><a href="{u}">{t}</a></h4></div>' for t, u in items)
        return f'<div id="jp-relatedposts" class="jp-relatedposts"><h3 class="jp-relatedposts-headline"><em>{h}</em></h3><div class="jp-relatedposts-items">{li}</div></div>'
    if style == "yarpp":
        li = "".join(f'<li><a href="{u}" rel="bookmark">{t}</a></li>' for t, u in items)
        return f'<div class="yarpp yarpp-related"><h3>{h}</h3><ol>{li}</ol></div>'
    if style == "grid":
        li = "".join(f'<div class="rp-card"><a href="{u}"><img src="/img/thumb-{i}.jpg" alt="" loading="lazy"><span>{t}</span></a></div>'
                     for i, (t, u) in enumerate(items))
        return f'<section class="rp-grid"><h2 class="rp-title">{h}</h2>{li}</section>'
    if style == "td":
        li = "".join(f'<div class="td_module_related_posts"><h3 class="entry-title td-module-title"><a href="{u}">{t}</a></h3></div>' for t, u in items)
        return f'<div class="td-related-row"><div class="td-related-title"><a class="td-related-left">{h}</a></div>{li}</div>'
    li = "".join(f'<li><a href="{u}">{t}</a></li>' for t, u in items)
    return f'<section class="related-posts"><h3>{h}</h3><ul>{li}</ul></section>'


def push(rng: random.Random, lang: str, site: str, head: list[str], *, visible: bool, script: bool) -> str:
    """Web-push subscription: a OneSignal/PushEngage/iZooto loader and/or a visible prompt."""
    if script:
        vendor = rng.randrange(3)
        app_id = "-".join(f"{rng.getrandbits(32):08x}"[: n] for n in (8, 4, 4, 4, 8))
        if vendor == 0:
            head.append('<script src="https://cdn.onesignal.com/sdks/OneSignalSDK.js" async></script>')
            head.append(f'<script>window.OneSignal = window.OneSignal || []; OneSignal.push(function() {{ OneSignal.init({{ appId: "{app_id}" }}); }});</script>')
        elif vendor == 1:
            head.append(f'<script src="https://clientcdn.pushengage.com/core/{app_id}.js" async></script>')
        else:
            head.append(f'<script src="https://cdn.izooto.com/scripts/{app_id[:12]}.js" async></script>')
    if not visible:
        return ""
    return (f'<div class="push-prompt" role="dialog"><p>{esc(pick(rng, lang, "push_text", html=False, site=site))}</p>'
            f'<button class="push-allow">{esc(pick(rng, lang, "push_yes", html=False))}</button> '
            f'<button class="push-deny">{esc(pick(rng, lang, "push_no", html=False))}</button></div>')
