"""Generate label-0 pages: legitimate syndication and clean original-looking publisher pages.

Why: copying *with credit on a clean page* is not a farm, and real publishers carry share bars,
a related-articles block or an ad slot too; these pages keep the classifier honest about both.
"""
from __future__ import annotations

import random
import re
from dataclasses import replace
from urllib.parse import urlsplit
from typing import Any

from corpus_sources import SourceDoc
from page_common import Site, brand, chrome, date_after, p_blocks, pick_date, record
from phrasebook import author, pick
from templates.clean_sites import AMP_EDITION
from templates.kit import PageSpec, esc, slugify
from site_kit import (CLEAN_DEFAULT_BYLINE_SHARE, CLEAN_DMCA_SHARE, CLEAN_SEO, description_of, dmca_link, embeds,
                      outbound_links, seo_metadata, site_scripts)
from templates.widgets import ad, push, related, share

_MARK = "\x00SRC\x00"
# Real publishers stack ad networks: of the real pages with any (309 of 554), 49% load two or more (GPT with AdSense,
# Taboola or Outbrain below the article, Amazon or Prebid header bidding). One network on every generated
# clean page made "two networks" mean "farm", and a clean article loading GPT and AdSense scored suspicious.
PUBLISHER_NETWORKS = ("gpt", "adsense", "taboola", "outbrain")
#: Newsroom pages drawn as their site's AMP edition (``templates.clean_sites.AMP_EDITION``): the only AMP pages had
#: been farms', so the AMP runtime, amp-ad and amp-social-share read as a farm's (an outside probe's newsrooms'
#: AMP editions, 0.26-0.53). Drawn from the page id, so the rest of the corpus is generated as before.
AMP_EDITION_SHARE = 0.1
NETWORKS_STACKED = ((1, 0.5), (2, 0.32), (3, 0.18))


def publisher_networks(rng: random.Random, site: Site) -> list[str]:
    """The ad networks one clean page loads: the template's own, plus others as real publishers stack them."""
    count = rng.choices([n for n, _ in NETWORKS_STACKED], [w for _, w in NETWORKS_STACKED])[0]
    own = rng.choice(site.template.ad_kinds)
    return [own, *rng.sample([k for k in PUBLISHER_NETWORKS if k != own], count - 1)]


def _spec(rng: random.Random, src: SourceDoc, site: Site, *, copy: bool = False, byline: str | None = None) -> PageSpec:
    """A full-text clean page with byline (``byline`` when given), date, modest nav and footer; a ``copy``
    (republication) is dated after its source."""
    when = date_after(rng, src) if copy else pick_date(rng)
    url = site.template.url(rng, site.host, src.title, when)
    nav, footer = chrome(rng, site.lang)
    s = PageSpec(lang=site.lang, host=site.host, site_name=site.name, url=url, title=src.title,
                 link_base=site.link_base,
                 doc_title=src.title + site.template.title_sep + site.name, canonical=url,
                 author=author(rng, site.lang) if rng.random() < 0.75 else None,  # institutions often sign none
                 published=when if rng.random() < 0.95 else None, body_blocks=p_blocks(list(src.paragraphs)),
                 nav=nav, footer=footer)
    if byline is not None:
        s.author = byline
    elif s.author and random.Random(f"cms-byline:{url}").random() < CLEAN_DEFAULT_BYLINE_SHARE:
        s.author = "admin"
    dmca_link(s, url, CLEAN_DMCA_SHARE)
    # Metadata, analytics, embeds and outbound links from the same functions (and overlapping shares) as farms.
    seo_metadata(rng, s, site, CLEAN_SEO, description_of(src.paragraphs))
    site_scripts(rng, s, p_tracker=0.75)
    embeds(rng, s, p_video=0.15, p_page_plugin=0.2)
    outbound_links(rng, s, p_social=0.6, p_in_text=0.35)
    return s


#: Share of the credited republications that print a press release (trade and regional press do, often whole,
#: with a "Source: press release of X" line and no canonical link): a whole copy with a source line was
#: otherwise only ever a farm's, and an outside probe's trade-press page scored 0.99 once indexed.
PRESS_RELEASE_SHARE = 0.3
#: Share of the other credited republications that carry no canonical link to the source, only their credit line
#: ("This article originally appeared on X"): many partners set none. When every one did, a credited copy without
#: canonical read as a farm's (an outside probe: a paper crediting its source went 0.05 -> 0.65, suspicious).
SYNDICATION_NO_CANONICAL_SHARE = 0.3
#: Share of the republications with a canonical link that print no credit line: the canonical link is their
#: credit (partner feeds, AMP copies). When every one printed a line too, an outside probe's canonical-only reprint
#: read as suspicious once indexed (0.62).
SYNDICATION_CANONICAL_ONLY_SHARE = 0.2
#: Share of the other credited republications that are a wire or partner pickup credited only where a newsroom
#: credits one: in the byline ("Tom Larkin, Cascade Regional Press", "TOM LARKIN Cascade Regional Press") and, on
#: some, a dateline tag ("ASHGROVE (CRP) —"); no credit line, no canonical link. Every generated republication
#: printed a credit line or pointed its canonical link at the source, so an outside probe's agency pickup, credited
#: by its byline, read as suspicious once its source was indexed (0.75).
WIRE_PICKUP_SHARE = 0.25
#: Share of the republications that run their site's usual ad load (the publisher networks of ``make_clean``, and
#: the furniture's extra slots) instead of at most one slot: a newsroom's wire and partner stories sit in its own
#: template. With at most one slot on every generated one, a credited whole copy with the paper's four ad slots
#: could only be a farm's (the same probe's pickup and a partner reprint read 0.75 and 0.59).
SYNDICATION_AD_LOAD_SHARE = 0.5
#: Share of the credited republications in these languages that credit as their newsrooms do, with the words the
#: farms' source lines use ("Con información de X", "Com informações de X", "Avec X", "Mit Material von X",
#: "Via X"), the name linked to the source. Only farms wrote them, so three outside probes' newsroom reprints
#: credited "Con información de" were read as farms (0.94; 0.98 once indexed).
NEWSROOM_CREDIT_SHARE = 0.3
_NEWSROOM_CREDITS = {"es": "Con información de {source}.", "pt": "Com informações de {source}.",
                     "fr": "Avec {source}.", "de": "Mit Material von {source}.", "en": "Via {source}."}
#: Dateline cities per language for wire pickups.
_DATELINE_CITIES = {
    "en": ("LONDON", "WASHINGTON", "CHICAGO", "SYDNEY", "TORONTO"), "sq": ("TIRANË", "DURRËS", "PRISHTINË"),
    "sr": ("BEOGRAD", "NOVI SAD", "ZAGREB", "SARAJEVO"), "es": ("MADRID", "BARCELONA", "MÉXICO", "BOGOTÁ"),
    "pt": ("LISBOA", "SÃO PAULO", "PORTO", "BRASÍLIA"), "de": ("BERLIN", "MÜNCHEN", "WIEN", "ZÜRICH"),
    "fr": ("PARIS", "LYON", "BRUXELLES", "GENÈVE"), "ro": ("BUCUREȘTI", "CLUJ-NAPOCA", "IAȘI", "CHIȘINĂU"),
}


def make_syndication(rng: random.Random, page_id: str, src: SourceDoc, site: Site) -> tuple[str, dict[str, Any]]:
    """A credited republication: credit line, canonical to the source, at most one ad slot or the site's ad load;
    or (drawn from the page id alone, so every other draw stays) a press release printed with its credit and no
    canonical, a republication with its credit line and no canonical, one with its canonical link and no credit
    line, or a wire pickup credited in its byline (and dateline)."""
    press = random.Random(f"{page_id}:press-release").random() < PRESS_RELEASE_SHARE
    uncanonical = random.Random(f"{page_id}:no-canonical").random() < SYNDICATION_NO_CANONICAL_SHARE
    canonical_only = (not press and not uncanonical
                      and random.Random(f"{page_id}:canonical-only").random() < SYNDICATION_CANONICAL_ONLY_SHARE)
    wire = not press and random.Random(f"{page_id}:wire-pickup").random() < WIRE_PICKUP_SHARE
    s = _spec(rng, src, site, copy=True, byline=_wire_byline(page_id, src, site) if wire else None)
    if not press and not uncanonical and not wire:
        s.canonical = src.url
    if rng.random() < 0.5 and not press and not wire:
        s.head.append(f'<meta property="og:url" content="{esc(src.url)}">')
    if rng.random() < 0.3 and not press and not wire:
        s.author = f"{brand(src)}"
    credit = pick(rng, site.lang, "credit_press" if press else "credit_syn", source=_MARK)
    newsroom = _NEWSROOM_CREDITS.get(site.lang)  # drawn from the page id alone: every other draw stays
    if (newsroom and not press
            and random.Random(f"{page_id}:newsroom-credit").random() < NEWSROOM_CREDIT_SHARE):
        credit = newsroom.replace("{source}", _MARK)
    credit = credit.replace(_MARK, f'<a href="{esc(src.url)}">{esc(brand(src))}</a>')
    cls = rng.choice(("syndication-credit", "republish-note", "source-note", "credit"))
    block = f'<p class="{cls}"><em>{credit}</em></p>'
    on_top = rng.random() < 0.4  # drawn for every page, so that the draws after it stay as they were
    if not canonical_only and not wire:
        (s.top_blocks if on_top else s.end_blocks).append(block)
    traits = (["press_release_credit"] if press else _wire_dateline(page_id, s, src, site) if wire
              else ["canonical_to_source"] if canonical_only
              else ["syndication_credit"] + ([] if uncanonical else ["canonical_to_source"]))
    single_slot = rng.random() < 0.5  # drawn for every page, so that the draws after it stay as they were
    if random.Random(f"{page_id}:ad-load").random() < SYNDICATION_AD_LOAD_SHARE:
        _ad_load(random.Random(f"{page_id}:ad-load-slots"), page_id, s, site, traits)
    elif single_slot:
        slot = ad(rng, rng.choice(site.template.ad_kinds), s.url, s.head, site.lang)
        if rng.random() < 0.5:
            s.body_blocks.insert(rng.randrange(1, max(2, len(s.body_blocks))), slot)
        else:
            s.sidebar.append(slot)
        traits.append("single_ad_slot")
    _publisher_channels(page_id, s, site, traits)
    _publisher_community(page_id, s, site, traits)
    _newsroom_furniture(page_id, s, site, traits, [])
    rec = record(page_id, url=s.url, label=0, kind="syndication", template=site.template.id, src=src,
                 source_site=src.site, source_url=src.url, language=site.lang, transforms=["verbatim"], traits=traits)
    return site.template.render(s), rec


def _wire_name(src: SourceDoc) -> str:
    """How a wire pickup names its source: the site name, its longest part when it has several ("LN - Lübecker
    Nachrichten"); the domain's name when the site name is a host ("politics.co.uk" -> "Politics"), or reads as a
    headline, a URL or a copyright line (some pages' site-name metadata holds those)."""
    name = max(re.split(r"\s+[-|:–]\s+", brand(src)), key=len).strip()
    if len(name.split()) > 4 or "/" in name or re.search(r"\d{4}", name) or not re.search(r"[^\W\d]", name):
        name = urlsplit(src.url).hostname or name
    if "." in name and " " not in name:  # "jungle.world" -> "Jungle", "politics.co.uk" -> "Politics"
        name = name.lower().removeprefix("www.").split(".")[0].capitalize()
    return name


def _wire_byline(page_id: str, src: SourceDoc, site: Site) -> str:
    """A wire or partner pickup's byline crediting its source (see ``WIRE_PICKUP_SHARE``)."""
    rng = random.Random(f"{page_id}:wire-byline")
    source = _wire_name(src)
    writer = author(rng, site.lang)
    return rng.choice((f"{writer}, {source}", f"{writer.upper()} {source}", f"{writer} / {source}", source))


def _wire_dateline(page_id: str, s: PageSpec, src: SourceDoc, site: Site) -> list[str]:
    """The traits of a wire pickup; on some pages a dateline tag opening the story credits the source too (its
    initials when its name has several words)."""
    rng = random.Random(f"{page_id}:wire-dateline")
    traits = ["wire_pickup"]
    if rng.random() < 0.4 and s.body_blocks and s.body_blocks[0].startswith("<p>"):
        name = _wire_name(src)
        words = [w for w in name.replace("-", " ").split() if w[:1].isalnum()]
        tag = "".join(w[0] for w in words).upper() if len(words) > 1 else name
        city = rng.choice(_DATELINE_CITIES.get(site.lang, _DATELINE_CITIES["en"]))
        s.body_blocks[0] = f"<p>{esc(city)} ({esc(tag)}) {rng.choice(('—', '--', '-'))} {s.body_blocks[0][3:]}"
        traits.append("dateline_credit")
    return traits


def _ad_load(rng: random.Random, page_id: str, s: PageSpec, site: Site, traits: list[str]) -> None:
    """A publisher's ordinary ad load: one to three slots of the networks it stacks (``publisher_networks``)."""
    networks = publisher_networks(random.Random(f"{page_id}:networks"), site)
    for i in range(max(rng.choice((1, 1, 2, 3)), len(networks))):
        slot = ad(rng, networks[i % len(networks)], s.url, s.head, site.lang)
        where = rng.random()
        if where < 0.4 and len(s.body_blocks) > 3:
            s.body_blocks.insert(rng.randrange(2, len(s.body_blocks)), slot)
        else:
            (s.sidebar if where < 0.8 else s.below).append(slot)
    traits.append("ad_slots" if len(networks) == 1 else "ad_networks_stacked")


#: Share of generated publisher pages that load a web-push service (OneSignal, PushEngage, iZooto), a third of
#: them with a visible prompt. Many real newsrooms do; when only farms did, the model took OneSignal alone for
#: a farm (an outside probe: removing it moved real wire and local pages by 0.12-0.38).
PUBLISHER_PUSH_SHARE = 0.25


def _publisher_push(page_id: str, s: PageSpec, site: Site, traits: list[str]) -> None:
    """Add a web-push loader (and sometimes its prompt) to a clean page, drawn from the page id alone so that
    every other draw of the page stays as it was."""
    rng = random.Random(f"{page_id}:publisher-push")
    if rng.random() >= PUBLISHER_PUSH_SHARE:
        return
    prompt = push(rng, site.lang, site.name, s.head, visible=rng.random() < 1 / 3, script=True)
    if prompt:
        s.header_blocks.append(prompt)
    traits.append("publisher_push")


#: Share of generated publisher pages that end the article with their own channel or app: "Follow us on Telegram",
#: "Download the X app" with a Play Store link. Newsrooms do; when only farms did, one Telegram-channel or
#: app-store link inside an article made a clean page a farm (an outside probe: 0.06 -> 0.95, content_farm).
PUBLISHER_COMMUNITY_SHARE = 0.12
PUBLISHER_CHANNELS_SHARE = 0.25  # 0.08 before a probe of 2024 newsroom templates: most push a WhatsApp channel


def _site_slug(site: Site) -> str:
    """The site's name as its social accounts and invite links spell it ("valleyherald")."""
    return slugify(site.name, 30).replace("-", "")


def _publisher_channels(page_id: str, s: PageSpec, site: Site, traits: list[str]) -> None:
    """End the article with the site's own channel or app promotion (a page, a channel or an app: never a
    group that approves requests), drawn from the page id alone so every other draw of the page stays."""
    rng = random.Random(f"{page_id}:publisher-channels")
    if rng.random() >= PUBLISHER_CHANNELS_SHARE:
        return
    slug = _site_slug(site)
    slots = {"site": site.name, "group": site.name, "fb": f"https://www.facebook.com/{slug}",
             "tg": f"https://t.me/{slug}", "app": f"https://play.google.com/store/apps/details?id=com.{slug}.news",
             "wa": rng.choice((f"https://whatsapp.com/channel/0029Va{slug[:12]}", f"https://chat.whatsapp.com/{slug}"))}
    key = rng.choice(["promo_follow", "promo_app", "promo_channel", "promo_channel"])
    s.end_blocks.append(f'<p class="{rng.choice(["follow-us", "app-promo", "newsletter-note"])}">'
                        f'{pick(rng, site.lang, key, **slots)}</p>')
    traits.append("publisher_channels")


def _publisher_community(page_id: str, s: PageSpec, site: Site, traits: list[str]) -> None:
    """Invite the reader into the site's own Viber or WhatsApp community, as many newsrooms do: only farms' pages
    had (outside probes' newsrooms with such a box read as suspicious, 0.32-0.60, in six probes). Drawn from the page
    id alone, so every other draw of the page stays."""
    rng = random.Random(f"{page_id}:publisher-community")
    if rng.random() >= PUBLISHER_COMMUNITY_SHARE:
        return
    slug = _site_slug(site)
    slots = {"site": site.name, "wa": f"https://chat.whatsapp.com/{slug}", "vb": f"https://invite.viber.com/?g2=AQ{slug[:16]}"}
    s.end_blocks.append(f'<p class="{rng.choice(["community-box", "viber-box", "follow-us"])}">'
                        f'{pick(rng, site.lang, "promo_community", **slots)}</p>')
    traits.append("publisher_community")


#: Newsroom furniture of real article pages, drawn from the page id alone so that every other draw stays. An outside
#: probe of 27 publisher pages in 2024 templates found 14 "suspicious": a share bar alone, a chart's "Quelle:" line,
#: an inline link to the paper's own earlier story, a missing byline each pushed a clean page up, as generated
#: publisher pages seldom carried them. Shares: of clean pages without one already, those given a share bar; of
#: clean and syndicated pages, those with a chart captioned with its data source, and an inline "READ MORE:" link.
PUBLISHER_SHARE_BAR_SHARE = 0.45
DATA_CAPTION_SHARE = 0.12
OWN_READ_ALSO_SHARE = 0.2
#: Share of clean pages with a newsletter or alerts sign-up box: most newsrooms run one under or beside the
#: article. Generated publisher pages had 2% (real corpus pages 13%, farms 9%), so a sign-up line read as a farm's
#: (an outside probe: "Get breaking news alerts" on two newsroom pages among the reasons they were flagged).
NEWSLETTER_SHARE = 0.3
#: Of clean pages with ads, those that run 2-8 more slots: the real publisher pages of the corpora run a median
#: of 2 and a p90 of 13 slots, generated ones ran at most 3, so a well-monetised newsroom looked like a farm.
PUBLISHER_MORE_ADS_SHARE = 0.45


#: Share of clean pages that are a news brief: the first paragraphs of the story, 20 to 90 words in all. Newsrooms
#: run briefs, captions and short updates; generated publisher pages all ran a whole article, so only a farm's
#: excerpt was ever short, and an outside probe's 25-word paragraph read "suspicious" (0.64), its 50-word one with
#: byline, date and description too (0.54).
BRIEF_SHARE = 0.1
BRIEF_WORDS = (20, 90)


def _brief(page_id: str, s: PageSpec, src: SourceDoc, traits: list[str]) -> None:
    """Cut the page to a brief (drawn from the page id alone, so that every other draw of a longer page stays)."""
    rng = random.Random(f"{page_id}:brief")
    if rng.random() >= BRIEF_SHARE:
        return
    limit = rng.randint(*BRIEF_WORDS)
    kept: list[str] = []
    words = 0
    for para in src.paragraphs:
        tokens = para.split()
        if words + len(tokens) > limit:
            if not kept:  # a long first paragraph: its first sentences up to the limit
                cut = " ".join(tokens[:limit])
                end = max(cut.rfind(". "), cut.rfind("? "), cut.rfind("! "))
                kept.append(cut[:end + 1] if end > 40 else cut)
            break
        kept.append(para)
        words += len(tokens)
    s.body_blocks = p_blocks(kept)
    traits.append("brief")


def _newsroom_furniture(page_id: str, s: PageSpec, site: Site, traits: list[str], other_titles: list[str]) -> None:
    """Add a share bar, a captioned chart, more ad slots, a newsletter box and an inline link to one of the site's
    own stories, each to a share of the pages (see above)."""
    rng = random.Random(f"{page_id}:newsroom-furniture")
    if "share_widget" not in traits and rng.random() < PUBLISHER_SHARE_BAR_SHARE:
        w = share(rng, site.lang, rng.choice(site.template.share_styles), s.url, s.head, label=rng.random() < 0.6)
        (s.top_blocks if rng.random() < 0.5 else s.end_blocks).append(w)
        traits.append("share_widget")
    if rng.random() < DATA_CAPTION_SHARE and len(s.body_blocks) > 2:
        org = pick(rng, site.lang, "data_org", html=False)
        caption = esc(pick(rng, site.lang, "data_source", html=False, org=org))
        tag, cls = rng.choice((("figcaption", ""), ("figcaption", ' class="wp-element-caption"'),
                               ("p", ' class="chart-source"'), ("p", ' class="graphic-caption"')))
        block = (f'<figure class="{rng.choice(["chart", "wp-block-image", "infographic"])}"><img src="/img/chart-'
                 f'{rng.randint(100, 999)}.png" alt=""><{tag}{cls}>{caption}</{tag}></figure>')
        s.body_blocks.insert(rng.randrange(1, len(s.body_blocks)), block)
        traits.append("data_caption")
    if {"ad_slots", "ad_networks_stacked"} & set(traits) and rng.random() < PUBLISHER_MORE_ADS_SHARE:
        networks = publisher_networks(random.Random(f"{page_id}:networks"), site)
        for i in range(rng.randint(2, 8)):
            slot = ad(rng, networks[i % len(networks)], s.url, s.head, site.lang)
            where = rng.random()
            if where < 0.4 and len(s.body_blocks) > 3:
                s.body_blocks.insert(rng.randrange(2, len(s.body_blocks)), slot)
            else:
                (s.sidebar if where < 0.75 else s.below if where < 0.9 else s.header_blocks).append(slot)
        traits.append("many_ad_slots")
    _newsletter(page_id, s, site, traits)
    if other_titles and rng.random() < OWN_READ_ALSO_SHARE and len(s.body_blocks) > 3:
        title = rng.choice(other_titles)
        lead = esc(pick(rng, site.lang, "read_also_inline", html=False))
        href = f"{s.link_base}/{rng.randint(2019, 2024)}/{slugify(title, 60)}/"
        block = f'<p class="{rng.choice(["read-more-inline", "related-inline", "also-read"])}"><strong>{lead}</strong> <a href="{esc(href)}">{esc(title)}</a></p>'
        s.body_blocks.insert(rng.randrange(2, len(s.body_blocks)), block)
        traits.append("own_read_also")


def _newsletter(page_id: str, s: PageSpec, site: Site, traits: list[str]) -> None:
    """A newsletter or alerts sign-up box under or beside the article, on ``NEWSLETTER_SHARE`` of the pages
    (drawn from the page id alone, so every other draw of the page stays)."""
    rng = random.Random(f"{page_id}:newsletter")
    if rng.random() >= NEWSLETTER_SHARE:
        return
    text = esc(pick(rng, site.lang, "newsletter", html=False, site=site.name))
    button = esc(pick(rng, site.lang, "newsletter_button", html=False))
    box = (f'<div class="{rng.choice(["newsletter-signup", "nl-box", "subscribe-widget"])}"><p>{text}</p>'
           f'<form action="/newsletter" method="post"><input type="email" name="email" placeholder="E-mail">'
           f'<button type="submit">{button}</button></form></div>')
    (s.end_blocks if rng.random() < 0.6 else s.sidebar).append(box)
    traits.append("newsletter")


def make_clean(rng: random.Random, page_id: str, src: SourceDoc, site: Site, other_titles: list[str]) -> tuple[str, dict[str, Any]]:
    """An original-looking publisher page; about a third carry a share bar or one related block."""
    amp = random.Random(f"{page_id}:amp-edition").random() < AMP_EDITION_SHARE
    if amp:
        site = replace(site, template=AMP_EDITION)
    s = _spec(rng, src, site)
    if amp:  # an edition of the story whose ordinary page is the canonical one
        s.canonical = s.url.replace("/amp/", "/", 1)
    traits: list[str] = []
    _brief(page_id, s, src, traits)
    hard = rng.random() < 0.35
    if hard:
        if rng.random() < 0.55:
            w = share(rng, site.lang, rng.choice(site.template.share_styles), s.url, s.head, label=rng.random() < 0.6)
            (s.top_blocks if rng.random() < 0.5 else s.end_blocks).append(w)
            traits.append("share_widget")
        else:
            titles = rng.sample(other_titles, min(len(other_titles), rng.randint(3, 5)))
            key = "related_clean" if rng.random() < 0.7 else "related_heading"
            heading = pick(rng, site.lang, key, html=False, site=site.name)
            s.below.append(related(rng, site.lang, rng.choice(site.template.related_styles), titles, heading, s.link_base))
            traits.append("related_posts")
    if rng.random() < 0.5:  # many real publishers run a few ad slots too
        _ad_load(rng, page_id, s, site, traits)
    _publisher_push(page_id, s, site, traits)
    _publisher_channels(page_id, s, site, traits)
    _publisher_community(page_id, s, site, traits)
    _newsroom_furniture(page_id, s, site, traits, other_titles)
    rec = record(page_id, url=s.url, label=0, kind="clean_generated", template=site.template.id, src=src,
                 source_site=src.site, source_url=src.url, language=site.lang, transforms=["verbatim"],
                 traits=traits, hard=hard)
    return site.template.render(s), rec
