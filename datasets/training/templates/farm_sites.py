"""Content-farm site templates, part one: WordPress-ish, Blogger-ish, AMP-ish, portal, listicle, Newspaper-theme.

Layouts and class names are invented to resemble common farm stacks, not copied from any site.
"""
from __future__ import annotations

from templates.base import Template, url_amp, url_blogger, url_portal, url_query, url_wp, url_article
from templates.kit import PageSpec, doc, esc, home, join, nav_links, time_tag


def wp_magazine(s: PageSpec) -> str:
    """WordPress news theme (botasot-like): entry-title, entry-content, code-block ads."""
    meta = time_tag(s.published, s.lang, "entry-date published")
    by = f'<span class="byline author vcard"><a class="url fn n">{esc(s.author)}</a></span>' if s.author else ""
    body = f"""{join(s.header_blocks)}
<header class="site-header"><a href="{home(s)}" class="custom-logo-link">{esc(s.site_name)}</a>
<nav class="main-navigation"><ul>{nav_links(s)}</ul></nav></header>
<div class="site-content"><article class="post type-post status-publish">
<h1 class="entry-title">{esc(s.title)}</h1>
<div class="entry-meta">{meta} {by}</div>
{join(s.top_blocks)}
<div class="entry-content">
{join(s.body_blocks)}
{join(s.end_blocks)}
</div></article>
{join(s.below)}
<aside class="widget-area">{join(s.sidebar)}</aside></div>
<footer class="site-footer"><p>{esc(s.site_name)} &copy; 2023 {esc(' | '.join(s.footer))}</p></footer>"""
    return doc(s, body, body_attrs=' class="post-template-default single single-post"')


def blogspot(s: PageSpec) -> str:
    """Blogger-ish: post-outer/post-body, "Posted by", a widget sidebar."""
    by = f'<span class="post-author vcard">Posted by <span class="fn">{esc(s.author)}</span></span>' if s.author else ""
    when = time_tag(s.published, s.lang, "published", 1)
    body = f"""<div class="content-outer"><header><div class="header-inner"><h1 class="title"><a href="{home(s)}">{esc(s.site_name)}</a></h1>
<div class="descriptionwrapper"><p class="description"><span>{esc(' · '.join(s.nav[:4]))}</span></p></div></div></header>
{join(s.header_blocks)}
<div class="main-outer"><div class="main-inner"><div class="blog-posts hfeed"><div class="date-outer"><h2 class="date-header"><span>{when}</span></h2>
<div class="post-outer"><div class="post hentry" itemscope itemtype="http://schema.org/BlogPosting">
<h3 class="post-title entry-title" itemprop="name">{esc(s.title)}</h3>
{join(s.top_blocks)}
<div class="post-body entry-content" itemprop="description articleBody">
{join(s.body_blocks)}
<div style="clear: both;"></div></div>
{join(s.end_blocks)}
<div class="post-footer"><div class="post-footer-line post-footer-line-1">{by}</div></div>
</div></div></div></div>
{join(s.below)}
</div><div class="sidebar section" id="sidebar-right-1">{join(s.sidebar)}
<div class="widget PopularPosts"><h2>Popular Posts</h2></div></div></div>
<footer class="footer-outer">Powered by Blogger. {esc(' '.join(s.footer))}</footer></div>"""
    return doc(s, body, body_attrs=' class="loading"')


def amp_lite(s: PageSpec) -> str:
    """AMP-ish: <html amp>, amp-boilerplate, amp-ad, amp-social-share."""
    s.head.append('<script async src="https://cdn.ampproject.org/v0.js"></script>')
    s.head.append('<script async custom-element="amp-ad" src="https://cdn.ampproject.org/v0/amp-ad-0.1.js"></script>')
    s.head.append('<style amp-boilerplate>body{visibility:hidden}</style>')
    by = f'<div class="amp-wp-byline"><span class="amp-wp-author author vcard">{esc(s.author)}</span></div>' if s.author else ""
    body = f"""<header id="top" class="amp-wp-header"><div><a href="{home(s)}">{esc(s.site_name)}</a></div></header>
{join(s.header_blocks)}
<article class="amp-wp-article"><header class="amp-wp-article-header"><h1 class="amp-wp-title">{esc(s.title)}</h1>
<div class="amp-wp-meta">{by}<div class="amp-wp-posted-on">{time_tag(s.published, s.lang, "", 2)}</div></div></header>
{join(s.top_blocks)}
<div class="amp-wp-article-content">
{join(s.body_blocks)}
</div>
<footer class="amp-wp-article-footer">{join(s.end_blocks)}</footer></article>
{join(s.below)}
<footer class="amp-wp-footer"><div><h2>{esc(s.site_name)}</h2><a href="#top" class="back-to-top">↑</a></div></footer>"""
    return doc(s, body, html_attrs=" amp", body_attrs=' class="amp-mode-mouse"')


def news_portal(s: PageSpec) -> str:
    """Regional news portal: breaking ticker, dense category bar, "lajme" URLs, mgid block."""
    by = f'<span class="autori">{esc(s.author)}</span>' if s.author else ""
    body = f"""<div class="topbar"><div class="ticker"><span class="ticker-label">BREAKING</span><marquee>{esc(s.title)}</marquee></div></div>
{join(s.header_blocks)}
<div class="logo-row"><a class="logo" href="{home(s)}">{esc(s.site_name)}</a></div>
<div class="menu-kategori"><ul class="menu">{nav_links(s)}</ul></div>
<div class="container-lajm"><div class="kolona-majte">
<div class="lajm-single"><div class="kategoria">{esc(s.nav[0] if s.nav else '')}</div>
<h1 class="titulli">{esc(s.title)}</h1><div class="info-lajmi">{by} {time_tag(s.published, s.lang, "data", 1)}</div>
{join(s.top_blocks)}
<div class="lajm-content">
{join(s.body_blocks)}
</div>
{join(s.end_blocks)}
</div>
{join(s.below)}
</div><div class="kolona-djathte">{join(s.sidebar)}<div class="me-te-lexuarat"></div></div></div>
<div class="footer-portal"><p>{esc(' · '.join(s.footer))}</p></div>"""
    return doc(s, body, body_attrs=' class="single-lajm"')


def listicle(s: PageSpec) -> str:
    """Listicle/slideshow farm: numbered sections, "next page" pager, taboola-style feed."""
    items = []
    for i, block in enumerate(s.body_blocks, 1):
        if block.startswith("<p"):
            items.append(f'<div class="list-item" id="item-{i}"><span class="list-num">{i}.</span>{block}</div>')
        else:
            items.append(block)
    by = f'<span class="writer">{esc(s.author)}</span>' if s.author else ""
    body = f"""{join(s.header_blocks)}
<div class="lst-header"><a class="lst-brand" href="{home(s)}">{esc(s.site_name)}</a><div class="lst-cats">{nav_links(s, li=False)}</div></div>
<main class="lst-main"><h1 class="lst-title">{esc(s.title)}</h1><div class="lst-meta">{by} {time_tag(s.published, s.lang, "", 0)}</div>
{join(s.top_blocks)}
<div class="lst-body">{join(items)}</div>
<div class="lst-pager"><a class="next-page" href="?page=2">Next &raquo;</a></div>
{join(s.end_blocks)}
{join(s.below)}</main>
<aside class="lst-rail">{join(s.sidebar)}</aside>
<footer class="lst-foot">{esc(' | '.join(s.footer))}</footer>"""
    return doc(s, body, body_attrs=' class="listicle-page"')


def td_newspaper(s: PageSpec) -> str:
    """Newspaper-theme-ish: td-post-header, td-post-content, td-ss-main-sidebar."""
    by = f'<div class="td-post-author-name"><a>{esc(s.author)}</a></div>' if s.author else ""
    body = f"""<div class="td-header-wrap"><div class="td-header-menu-wrap"><ul class="sf-menu">{nav_links(s)}</ul></div>
<div class="td-header-sp-logo"><a class="td-main-logo" href="{home(s)}">{esc(s.site_name)}</a></div>
{join(s.header_blocks)}</div>
<div class="td-main-content-wrap"><div class="td-container"><div class="td-pb-row"><div class="td-pb-span8 td-main-content">
<article class="post type-post"><div class="td-post-header"><header class="td-post-title"><h1 class="entry-title">{esc(s.title)}</h1>
<div class="td-module-meta-info">{by}<span class="td-post-date">{time_tag(s.published, s.lang, "entry-date updated td-module-date", 1)}</span></div></header></div>
{join(s.top_blocks)}
<div class="td-post-content tagdiv-type">
{join(s.body_blocks)}
</div>
<footer>{join(s.end_blocks)}</footer></article>
{join(s.below)}
</div><div class="td-pb-span4 td-main-sidebar"><div class="td-ss-main-sidebar">{join(s.sidebar)}</div></div></div></div></div>
<div class="td-sub-footer-container"><div class="td-sub-footer-copy">&copy; {esc(s.site_name)} {esc(' '.join(s.footer))}</div></div>"""
    return doc(s, body, body_attrs=' class="post-template-default single td-standard-pack"')


TEMPLATES: tuple[Template, ...] = (
    Template("farm_wp_magazine", wp_magazine, url_wp, ("stl", "sharedaddy", "heateor"), ("adsense", "label_adsense", "gpt"), ("list", "yarpp"), " – "),
    Template("farm_blogspot", blogspot, url_blogger, ("blogger", "a2a", "plain"), ("adsense", "mgid"), ("list", "grid"), ": "),
    Template("farm_amp_lite", amp_lite, url_amp, ("amp",), ("amp", "amp", "adsense"), ("list", "grid"), " | "),
    Template("farm_news_portal", news_portal, url_portal, ("plain", "heateor", "stl"), ("adsense", "mgid", "gpt"), ("list", "grid"), " - "),
    Template("farm_listicle", listicle, url_query, ("a2a", "plain"), ("taboola", "adsense", "label_adsense"), ("grid",), " | "),
    Template("farm_td_newspaper", td_newspaper, url_article, ("sharedaddy", "heateor", "a2a"), ("gpt", "adsense", "outbrain"), ("td", "jp"), " - "),
)
