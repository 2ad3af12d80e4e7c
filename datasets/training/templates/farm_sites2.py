"""Content-farm site templates, part two: Elementor, aggregator, Bootstrap portal, tabloid, mobile-lite, autoblog.

Layouts and class names are invented to resemble common farm stacks, not copied from any site.
"""
from __future__ import annotations

from templates.base import Template, url_article, url_news, url_query, url_wp, url_portal
from templates.kit import PageSpec, doc, esc, home, join, nav_links, time_tag


def elementor(s: PageSpec) -> str:
    """Elementor page-builder markup: nested elementor-widget containers."""
    def w(kind: str, inner: str) -> str:
        return f'<div class="elementor-element elementor-widget elementor-widget-{kind}"><div class="elementor-widget-container">{inner}</div></div>'

    by = f'<span class="elementor-post-info__item--type-author">{esc(s.author)}</span>' if s.author else ""
    body = f"""<div data-elementor-type="header" class="elementor elementor-location-header">{w("nav-menu", f'<nav class="elementor-nav-menu--main"><ul class="elementor-nav-menu">{nav_links(s)}</ul></nav>')}
{w("theme-site-logo", f'<a href="{home(s)}">{esc(s.site_name)}</a>')}</div>
{join(s.header_blocks)}
<div data-elementor-type="single-post" class="elementor elementor-location-single"><section class="elementor-section"><div class="elementor-container">
{w("theme-post-title", f'<h1 class="elementor-heading-title">{esc(s.title)}</h1>')}
{w("post-info", f'<ul class="elementor-post-info"><li>{by}</li><li>{time_tag(s.published, s.lang, "", 1)}</li></ul>')}
{join(s.top_blocks)}
{w("theme-post-content", join(s.body_blocks))}
{w("share-buttons", join(s.end_blocks))}
{join(s.below)}
</div></section></div>
<div data-elementor-type="footer" class="elementor elementor-location-footer">{w("text-editor", esc(' · '.join(s.footer)))}</div>"""
    return doc(s, body, body_attrs=' class="post-template elementor-default elementor-kit-5"')


def aggregator(s: PageSpec) -> str:
    """News aggregator: feed cards, a big "source" box, sidebar of trending cards."""
    by = f'<span class="card-author">{esc(s.author)}</span>' if s.author else ""
    body = f"""<div class="agg-top">{join(s.header_blocks)}<a class="agg-logo" href="{home(s)}">{esc(s.site_name)}</a>
<form class="agg-search"><input type="search" name="q"></form><div class="agg-tabs">{nav_links(s, li=False, cls="tab")}</div></div>
<div class="agg-layout"><div class="agg-feed"><div class="card card-full">
<h1 class="card-title">{esc(s.title)}</h1><div class="card-sub">{by} {time_tag(s.published, s.lang, "card-time", 2)}</div>
{join(s.top_blocks)}
<div class="card-text">
{join(s.body_blocks)}
</div>
<div class="card-actions">{join(s.end_blocks)}</div></div>
{join(s.below)}</div>
<div class="agg-trending">{join(s.sidebar)}</div></div>
<div class="agg-footer">{esc(' | '.join(s.footer))}</div>"""
    return doc(s, body, body_attrs=' class="agg"')


def bootstrap_portal(s: PageSpec) -> str:
    """Bootstrap-based portal: navbar, container/row/col-md-8 article, col-md-4 rail."""
    by = f'<small class="text-muted author">{esc(s.author)}</small>' if s.author else ""
    body = f"""<nav class="navbar navbar-expand-lg navbar-dark bg-dark"><a class="navbar-brand" href="{home(s)}">{esc(s.site_name)}</a>
<ul class="navbar-nav mr-auto">{nav_links(s)}</ul></nav>
{join(s.header_blocks)}
<div class="container mt-3"><div class="row"><div class="col-md-8">
<h1 class="display-5 font-weight-bold">{esc(s.title)}</h1><p class="lead-meta">{by} {time_tag(s.published, s.lang, "text-muted", 1)}</p>
{join(s.top_blocks)}
<div class="news-text">
{join(s.body_blocks)}
</div>
{join(s.end_blocks)}
{join(s.below)}
</div><div class="col-md-4 sidebar">{join(s.sidebar)}</div></div></div>
<footer class="bg-dark text-white p-3"><div class="container">{esc(' · '.join(s.footer))}</div></footer>"""
    return doc(s, body)


def tabloid(s: PageSpec) -> str:
    """Tabloid: red flash banner, EXCLUSIVE tag, huge headline, image-first layout."""
    by = f'<div class="tb-by">{esc(s.author)}</div>' if s.author else ""
    body = f"""<div class="tb-flash"><span>LIVE</span> <a class="tb-logo" href="{home(s)}">{esc(s.site_name)}</a></div>
{join(s.header_blocks)}
<div class="tb-nav">{nav_links(s, li=False)}</div>
<div class="tb-wrap"><div class="tb-story"><span class="tb-tag">EXCLUSIVE</span><h1 class="tb-headline">{esc(s.title)}</h1>
<figure class="tb-hero"><img src="/uploads/hero.jpg" alt=""></figure>{by}<div class="tb-time">{time_tag(s.published, s.lang, "", 2)}</div>
{join(s.top_blocks)}
<div class="tb-text">
{join(s.body_blocks)}
</div>
{join(s.end_blocks)}</div>
<div class="tb-more">{join(s.below)}</div><div class="tb-side">{join(s.sidebar)}</div></div>
<div class="tb-foot">{esc(' '.join(s.footer))}</div>"""
    return doc(s, body, body_attrs=' class="tabloid"')


def mobile_lite(s: PageSpec) -> str:
    """Mobile-lite page (m. subdomain): minimal markup, ads between everything."""
    by = f"<em>{esc(s.author)}</em> " if s.author else ""
    body = f"""<div id="m-head"><a href="{home(s)}">{esc(s.site_name)}</a> <a href="#menu" class="m-burger">&#9776;</a></div>
{join(s.header_blocks)}
<div id="m-art"><h2 id="m-title">{esc(s.title)}</h2><div class="m-date">{by}{time_tag(s.published, s.lang, "", 1)}</div>
{join(s.top_blocks)}
<div id="m-txt">
{join(s.body_blocks)}
</div>
{join(s.end_blocks)}</div>
{join(s.below)}{join(s.sidebar)}
<div id="menu" class="m-menu">{nav_links(s, li=False)}</div><div id="m-foot">{esc(' '.join(s.footer))}</div>"""
    return doc(s, body, body_attrs=' id="mobile"')


def autoblog(s: PageSpec) -> str:
    """WordPress autoblog (feed-import plugin): wp-automatic classes, "Source link" style footers."""
    by = f'<span class="posted-by">{esc(s.author)}</span>' if s.author else ""
    body = f"""<div id="page" class="hfeed site"><div id="masthead" class="site-header"><p class="site-title"><a href="{home(s)}" rel="home">{esc(s.site_name)}</a></p>
<div id="site-navigation" class="main-navigation"><ul id="primary-menu" class="menu">{nav_links(s)}</ul></div></div>
{join(s.header_blocks)}
<div id="content" class="site-content"><div id="primary" class="content-area"><main id="main" class="site-main">
<article class="post hentry category-uncategorized"><header class="entry-header"><h1 class="entry-title">{esc(s.title)}</h1>
<div class="entry-meta"><span class="posted-on">{time_tag(s.published, s.lang, "entry-date published", 2)}</span> {by}</div></header>
{join(s.top_blocks)}
<div class="entry-content wp-automatic-content">
{join(s.body_blocks)}
</div>
<footer class="entry-footer">{join(s.end_blocks)}</footer></article>
{join(s.below)}
</main></div><div id="secondary" class="widget-area">{join(s.sidebar)}</div></div>
<footer id="colophon" class="site-footer"><div class="site-info">{esc(' | '.join(s.footer))}</div></footer></div>"""
    return doc(s, body, body_attrs=' class="post-template-default single single-post single-format-standard"')


TEMPLATES: tuple[Template, ...] = (
    Template("farm_elementor", elementor, url_wp, ("heateor", "a2a", "sharedaddy"), ("adsense", "gpt", "mgid"), ("jp", "grid"), " - "),
    Template("farm_aggregator", aggregator, url_news, ("plain", "a2a"), ("outbrain", "taboola", "adsense"), ("grid", "list"), " | "),
    Template("farm_bootstrap_portal", bootstrap_portal, url_portal, ("plain", "heateor"), ("adsense", "label_adsense", "mgid"), ("list", "grid"), " | "),
    Template("farm_tabloid", tabloid, url_article, ("plain", "stl", "a2a"), ("taboola", "mgid", "label_adsense"), ("grid", "list"), " - "),
    Template("farm_mobile_lite", mobile_lite, url_query, ("plain", "stl"), ("adsense", "label_adsense", "mgid"), ("list",), " - "),
    Template("farm_autoblog", autoblog, url_wp, ("sharedaddy", "heateor", "stl"), ("adsense", "gpt", "outbrain"), ("yarpp", "jp", "list"), " – "),
)
