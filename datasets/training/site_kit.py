"""What every kind of site carries whatever its label: SEO metadata, analytics, embeds, outbound links.

Why: a first model trained on this corpus leaned on corpus artefacts. Every farm template omitted the meta
description and JSON-LD, and no generated page had analytics, iframes or outbound links, while real pages of
both kinds have them. Real farms are mostly WordPress sites whose SEO plugin (Yoast, Rank Math) writes a
description, og: tags and a JSON-LD NewsArticle with datePublished and author; many small clean publishers
have none of that. So both generators draw these from the same functions, with shares that overlap.
"""
from __future__ import annotations

import json
import random
import zlib

from page_common import Site
from templates.kit import PageSpec, esc

# Share of pages with an SEO plugin's metadata (description + og:description + JSON-LD), by label. Farm
# templates each get their own share in [FARM_SEO_LOW, FARM_SEO_HIGH] (a theme either ships a plugin or not).
FARM_SEO_LOW, FARM_SEO_HIGH = 0.5, 0.7
CLEAN_SEO = 0.6
DESCRIPTION_ONLY = 0.3  # of pages without the plugin: a hand-written or theme-made meta description
TRACKERS = (
    ('<script async src="https://www.googletagmanager.com/gtag/js?id=G-{id}"></script>'
     "<script>window.dataLayer=window.dataLayer||[];function gtag(){{dataLayer.push(arguments);}}gtag('js',new Date());"
     "gtag('config','G-{id}');</script>"),
    "<script>(function(i,s,o,g,r){{i['GoogleAnalyticsObject']=r;}})(window,document,'script',"
    "'https://www.google-analytics.com/analytics.js','ga');ga('create','UA-{id}-1','auto');</script>",
    "<script>!function(f,b,e,v,n){{n=f.fbq=function(){{}};}}(window,document,'script',"
    "'https://connect.facebook.net/en_US/fbevents.js');fbq('init','{id}');</script>",
    '<script async src="https://static.hotjar.com/c/hotjar-{id}.js"></script>',
    '<script src="https://mc.yandex.ru/metrika/tag.js" async></script>',
    '<script async src="https://www.statcounter.com/counter/counter.js"></script>',
)
LIBRARIES = (
    '<script src="https://code.jquery.com/jquery-3.6.0.min.js"></script>',
    '<link rel="stylesheet" href="https://fonts.googleapis.com/css2?family=Roboto&amp;display=swap">',
    '<script src="https://cdn.jsdelivr.net/npm/bootstrap@5.3.0/dist/js/bootstrap.bundle.min.js"></script>',
)
SOCIAL = ("https://www.facebook.com/{slug}", "https://twitter.com/{slug}", "https://www.instagram.com/{slug}/",
          "https://www.youtube.com/@{slug}")
OUTBOUND = ("https://en.wikipedia.org/wiki/{topic}", "https://www.europa.eu/", "https://www.who.int/",
            "https://www.reuters.com/", "https://www.bbc.com/news", "https://www.gov.uk/", "https://www.un.org/")


#: Share of farm sites whose footer links a DMCA page or a DMCA.com badge (a takedown address that keeps the host's
#: abuse desk away from a site living off others' text), and of clean pages (a few publishers print a "DMCA
#: contact": 4 of the 571 real pages). Drawn from the site's host (a footer is the site's) or the clean page's URL,
#: so every other draw of the corpus stays as it was.
FARM_DMCA_SHARE = 0.3
CLEAN_DMCA_SHARE = 0.01
DMCA_LINKS = ('<a href="/dmca/">DMCA</a>', '<a href="/dmca-policy/">DMCA Policy</a>',
              '<a href="/dmca-removal-request/">DMCA / Removal Request</a>', '<a href="/contact-dmca">DMCA</a>',
              '<a href="https://www.dmca.com/Protection/Status.aspx?ID={id}" title="DMCA.com Protection Status" '
              'class="dmca-badge"><img src="https://images.dmca.com/Badges/dmca_protected_sml_120n.png?ID={id}" '
              'alt="DMCA.com Protection Status"></a>')
#: Share of signed clean pages signed "admin" (a small site's CMS account: 4 of the 571 real pages show one).
#: Farms sign so far more often (``farm_pages.make_farm``).
CLEAN_DEFAULT_BYLINE_SHARE = 0.01


def dmca_link(s: PageSpec, key: str, share: float) -> bool:
    """Maybe a DMCA link among the footer links, drawn from ``key`` alone; whether one was added."""
    drawer = random.Random(f"dmca:{key}")
    if drawer.random() >= share:
        return False
    s.footer_links.append(drawer.choice(DMCA_LINKS).format(id=drawer.randrange(10**7, 10**8)))
    return True


def description_of(paragraphs: tuple[str, ...] | list[str]) -> str:
    """A meta description as SEO plugins make one: the first paragraph, cut near 200 characters."""
    first = paragraphs[0] if paragraphs else ""
    return first if len(first) < 220 else first[:200].rsplit(" ", 1)[0] + "…"


def template_share(template_id: str, low: float, high: float) -> float:
    """A fixed share in [low, high] for one template (from its id, so every build agrees)."""
    return low + (high - low) * (zlib.crc32(template_id.encode()) % 1000) / 999


def seo_metadata(rng: random.Random, s: PageSpec, site: Site, p_plugin: float, description: str) -> list[str]:
    """Maybe an SEO plugin's head tags: description, og:description/url, JSON-LD (News)Article. Returns the
    names of what was written (for the labels row)."""
    added: list[str] = []
    if rng.random() < p_plugin:
        s.description = description
        s.head.append(f'<meta property="og:description" content="{esc(description)}">')
        s.head.append(f'<meta property="og:url" content="{esc(s.canonical or s.url)}">')
        data: dict[str, object] = {"@context": "https://schema.org",
                                   "@type": rng.choice(("NewsArticle", "NewsArticle", "Article", "BlogPosting")),
                                   "headline": s.title[:110], "mainEntityOfPage": s.canonical or s.url,
                                   "publisher": {"@type": "Organization", "name": s.site_name}}
        if s.published is not None:
            data["datePublished"] = s.published.isoformat()
        if s.author:
            data["author"] = {"@type": "Person", "name": s.author}
        s.head.append(f'<script type="application/ld+json">{esc_json(data)}</script>')
        added += ["seo_description", "jsonld_article"]
    elif rng.random() < DESCRIPTION_ONLY:
        s.description = description
        added.append("seo_description")
    else:
        s.description = ""
    return added


def esc_json(data: dict[str, object]) -> str:
    """JSON for a <script> element (no '</' inside)."""
    return json.dumps(data, ensure_ascii=False).replace("</", "<\\/")


def site_scripts(rng: random.Random, s: PageSpec, p_tracker: float) -> None:
    """Analytics and common libraries, as most sites of either kind load them."""
    if rng.random() < p_tracker:
        for snippet in rng.sample(TRACKERS, rng.choice((1, 1, 2, 3))):
            s.head.append(snippet.format(id=rng.randrange(10**6, 10**9)))
    if rng.random() < 0.5:
        s.head.extend(rng.sample(LIBRARIES, rng.randint(1, 2)))


def embeds(rng: random.Random, s: PageSpec, p_video: float, p_page_plugin: float) -> None:
    """A video embed in the body and/or a Facebook page plugin in the sidebar."""
    if rng.random() < p_video and len(s.body_blocks) > 2:
        vid = "".join(rng.choice("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ0123456789_-") for _ in range(11))
        s.body_blocks.insert(rng.randrange(1, len(s.body_blocks)),
                             f'<figure class="video"><iframe src="https://www.youtube.com/embed/{vid}" width="560" '
                             'height="315" allowfullscreen></iframe></figure>')
    if rng.random() < p_page_plugin:
        s.sidebar.append(f'<div class="fb-page-box"><iframe src="https://www.facebook.com/plugins/page.php?href='
                         f'https%3A%2F%2Fwww.facebook.com%2F{esc(slug_of(s))}" width="300" height="130"></iframe></div>')


def slug_of(s: PageSpec) -> str:
    return "".join(c for c in s.site_name.lower() if c.isalnum()) or "site"


def outbound_links(rng: random.Random, s: PageSpec, p_social: float, p_in_text: float) -> None:
    """Footer links to the site's social profiles; sometimes a link in the text to an outside source."""
    if rng.random() < p_social:
        links = " ".join(f'<a href="{u.format(slug=slug_of(s))}" rel="noopener">{u.split("/")[2].split(".")[-2].title()}</a>'
                         for u in rng.sample(SOCIAL, rng.randint(2, 4)))
        if rng.random() < 0.3:
            s.end_blocks.append(f'<p class="follow-us">{links}</p>')
        else:
            s.footer_links.append(links)
    if rng.random() < p_in_text and len(s.body_blocks) > 1:
        url = rng.choice(OUTBOUND).format(topic=esc(s.title.split(" ")[0] or "News"))
        i = rng.randrange(len(s.body_blocks))
        block = s.body_blocks[i]
        if block.startswith("<p>") and block.endswith("</p>"):
            s.body_blocks[i] = block[:-4] + f' (<a href="{url}">{url.split("/")[2]}</a>)</p>'
