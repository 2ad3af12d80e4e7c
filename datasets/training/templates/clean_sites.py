"""Clean publisher templates used for original-looking pages and for legitimate syndication.

Why: negatives need several restrained layouts (including a WordPress one with the same
`entry-content` classes farms use) so that neither the template nor the CMS gives the label away.
"""
from __future__ import annotations

import zlib

from templates.base import Template, url_amp, url_article, url_blogger, url_news, url_wp
from templates.kit import PageSpec, doc, esc, home, join, nav_links, time_tag


def _byline(s: PageSpec, cls: str, style: int) -> str:
    who = f'<span class="author">{esc(s.author)}</span>' if s.author else ""
    return f'<div class="{cls}">{who} {time_tag(s.published, s.lang, "", style)}</div>'


def broadsheet(s: PageSpec) -> str:
    """Quality-paper layout: masthead, standfirst, byline with time, related aside."""
    stand = f'<p class="standfirst">{esc(s.description)}</p>' if s.description else ""
    body = f"""<header class="masthead"><a href="{home(s)}" class="logo">{esc(s.site_name)}</a><nav><ul>{nav_links(s)}</ul></nav></header>
<main><article class="article"><h1 class="headline">{esc(s.title)}</h1>{stand}
{_byline(s, "byline", 0)}
{join(s.top_blocks)}
<div class="article-body">
{join(s.body_blocks)}
</div>
{join(s.end_blocks)}</article>
{join(s.below)}</main>
<aside class="sidebar">{join(s.sidebar)}</aside>
<footer class="site-footer"><p>&copy; {esc(s.site_name)}. {esc(' · '.join(s.footer))}</p></footer>"""
    return doc(s, body)


def regional(s: PageSpec) -> str:
    """Regional paper: simple header nav, post-body section, plain footer."""
    body = f"""<header><a href="{home(s)}" class="logo">{esc(s.site_name)}</a>
<nav>{nav_links(s, li=False)}</nav></header>
{join(s.header_blocks)}
<main><article><h1>{esc(s.title)}</h1>
{_byline(s, "byline", 1)}
{join(s.top_blocks)}
<section class="post-body">
{join(s.body_blocks)}
</section>
{join(s.end_blocks)}</article>{join(s.below)}</main>
<aside class="rail">{join(s.sidebar)}</aside>
<footer><p>&copy; {esc(s.site_name)}</p><a href="{s.link_base}/privacy">{esc(s.footer[-1] if s.footer else '')}</a></footer>"""
    return doc(s, body)


def magazine(s: PageSpec) -> str:
    """Magazine: kicker, dek, author bio box at the end."""
    bio = f'<div class="author-bio"><strong>{esc(s.author)}</strong></div>' if s.author else ""
    body = f"""<div class="mag-header"><a class="mag-logo" href="{home(s)}">{esc(s.site_name)}</a><ul class="mag-sections">{nav_links(s)}</ul></div>
<main class="mag-main"><article class="story"><div class="kicker">{esc(s.nav[1] if len(s.nav) > 1 else '')}</div>
<h1 class="story-title">{esc(s.title)}</h1>{f'<p class="dek">{esc(s.description)}</p>' if s.description else ""}
{_byline(s, "story-meta", 2)}
{join(s.top_blocks)}
<div class="story-body">
{join(s.body_blocks)}
</div>
{join(s.end_blocks)}{bio}</article>
{join(s.below)}</main>
<aside class="mag-rail">{join(s.sidebar)}</aside>
<footer class="mag-footer">{esc(' | '.join(s.footer))}</footer>"""
    return doc(s, body)


def wp_clean(s: PageSpec) -> str:
    """A tidy WordPress site (same entry-title/entry-content classes as many farms)."""
    body = f"""<header id="masthead" class="site-header"><p class="site-title"><a href="{home(s)}" rel="home">{esc(s.site_name)}</a></p>
<nav class="main-navigation"><ul class="menu">{nav_links(s)}</ul></nav></header>
<div id="content" class="site-content"><main id="main" class="site-main">
<article class="post type-post status-publish hentry"><header class="entry-header"><h1 class="entry-title">{esc(s.title)}</h1>
{_byline(s, "entry-meta", 0)}</header>
{join(s.top_blocks)}
<div class="entry-content">
{join(s.body_blocks)}
</div>
<footer class="entry-footer">{join(s.end_blocks)}</footer></article>
{join(s.below)}
</main><aside id="secondary" class="widget-area">{join(s.sidebar)}</aside></div>
<footer id="colophon" class="site-footer"><div class="site-info">{esc(' | '.join(s.footer))}</div></footer>"""
    return doc(s, body, body_attrs=' class="post-template-default single"')


def blog(s: PageSpec) -> str:
    """Personal/professional blog: one column, post header, short footer."""
    body = f"""<div class="blog-wrap"><header class="blog-header"><a href="{home(s)}">{esc(s.site_name)}</a></header>
<article class="blog-post"><h1 class="post-title">{esc(s.title)}</h1>
{_byline(s, "post-meta", 1)}
{join(s.top_blocks)}
<div class="post-content">
{join(s.body_blocks)}
</div>
{join(s.end_blocks)}</article>
{join(s.below)}
<aside class="blog-sidebar">{join(s.sidebar)}</aside>
<footer class="blog-footer">{esc(' · '.join(s.footer))}</footer></div>"""
    return doc(s, body)


def institutional(s: PageSpec) -> str:
    """Institution / NGO newsroom: breadcrumb, press-release style body."""
    body = f"""<header class="org-header"><a class="org-logo" href="{home(s)}">{esc(s.site_name)}</a><ul class="org-nav">{nav_links(s)}</ul></header>
<nav class="breadcrumb"><a href="{home(s)}">Home</a> &rsaquo; <a href="{s.link_base}/newsroom/">Newsroom</a></nav>
<main class="org-main"><h1>{esc(s.title)}</h1>
{_byline(s, "meta", 2)}
{join(s.top_blocks)}
<div class="field-body">
{join(s.body_blocks)}
</div>
{join(s.end_blocks)}
{join(s.below)}</main>
<aside class="org-aside">{join(s.sidebar)}</aside>
<footer class="org-footer">{esc(' · '.join(s.footer))}</footer>"""
    return doc(s, body)


def amp_edition(s: PageSpec) -> str:
    """A newsroom's AMP edition of its story: the AMP runtime and components from the AMP CDN, amp-ad slots,
    amp-social-share, amp-analytics; lean, as AMP pages are (its canonical link is the story's ordinary page)."""
    body = f"""<header class="amp-header"><a href="{home(s)}" class="amp-logo">{esc(s.site_name)}</a></header>
{join(s.header_blocks)}
<main><article class="amp-article"><h1 class="amp-headline">{esc(s.title)}</h1>
{_byline(s, "amp-byline", 0)}
{join(s.top_blocks)}
<div class="amp-article-body">
{join(s.body_blocks)}
</div>
{join(s.end_blocks)}</article>
{join(s.below)}</main>
<amp-analytics type="gtag" data-credentials="include"><script type="application/json">{{"vars": {{"gtag_id": "G-{zlib.crc32(s.host.encode()) % 10**8:08d}"}}}}</script></amp-analytics>
<footer class="amp-footer"><p>&copy; {esc(s.site_name)}</p><a href="{home(s)}">{esc(s.footer[-1] if s.footer else '')}</a></footer>"""
    s.head.append('<script async src="https://cdn.ampproject.org/v0.js"></script>')
    for component in ("amp-ad", "amp-analytics", "amp-social-share"):  # the components the page uses
        if f"<{component} " in body:
            s.head.append(f'<script async custom-element="{component}" '
                          f'src="https://cdn.ampproject.org/v0/{component}-0.1.js"></script>')
    s.head.append('<style amp-boilerplate>body{visibility:hidden}</style>')
    return doc(s, body, html_attrs=" amp")


#: Not in ``TEMPLATES``: a clean page is drawn as its site's AMP edition from its own random stream
#: (``clean_pages.AMP_EDITION_SHARE``), so that the rest of the corpus is generated as before.
AMP_EDITION = Template("clean_amp_edition", amp_edition, url_amp, ("amp",), ("amp",), ("list",), " | ")

TEMPLATES: tuple[Template, ...] = (
    Template("clean_broadsheet", broadsheet, url_article, ("plain", "a2a"), ("gpt",), ("list",), " | "),
    Template("clean_regional", regional, url_news, ("plain",), ("adsense",), ("list",), " - "),
    Template("clean_magazine", magazine, url_article, ("a2a", "plain"), ("gpt",), ("grid",), " | "),
    Template("clean_wp", wp_clean, url_wp, ("sharedaddy", "a2a"), ("adsense",), ("jp", "yarpp"), " – "),
    Template("clean_blog", blog, url_blogger, ("plain", "sharedaddy"), ("adsense",), ("list",), " · "),
    Template("clean_institutional", institutional, url_news, ("plain",), ("gpt",), ("list",), " | "),
)
