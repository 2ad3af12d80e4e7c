"""Generate content-farm copies (label 1) of real articles.

Each page re-hosts a real body on an invented farm site, after a body transform, and plants a
random subset of farm traits. "Hard" farms carry almost nothing but the copied body, a share
widget or a single extra trait and a few ad slots, so that a classifier must use copy evidence
and weak cues together.
"""
from __future__ import annotations

import html
import random
import re
from typing import Any

import body_transforms as bt
from corpus_sources import SourceDoc
from page_common import Site, brand, chrome, date_after, p_blocks, record
from phrasebook import AI_LEFTOVERS, P, author, clickbait_titles, pick
from site_kit import (FARM_DMCA_SHARE, FARM_SEO_HIGH, FARM_SEO_LOW, description_of, dmca_link, embeds,
                      outbound_links, seo_metadata, site_scripts, template_share)
from templates.base import slugify
from templates.kit import PageSpec, esc
from templates.widgets import ad, push, related, share

SPAM_TRAITS = ("promo_footer", "share_widget", "related_posts", "push_prompt", "attribution_line",
               "title_repeated", "dense_ads")
TRAIT_P = {"promo_footer": 0.6, "share_widget": 0.7, "related_posts": 0.65, "push_prompt": 0.45,
           "attribution_line": 0.6, "title_repeated": 0.35, "dense_ads": 0.75}
BODY_MODES = (("verbatim", 0.35), ("excerpt_read_more", 0.15), ("shuffled_ad_lines", 0.2), ("reworded", 0.3))
# Farms whose static HTML holds no ad markup: ads injected at run time by a script tag the page does not carry
# (a consent or tag-manager loader), or a scraper not yet monetised. Drawn from the page id, not the builder's
# random stream, so the rest of the corpus is generated exactly as before.
NO_AD_MARKUP_SHARE = 0.15
# SEO farms stuff a copied body with a key phrase of its headline (subheadings, paragraph openings, a line of
# variants): the Gopher repetition rules' top n-gram shares are farm traits the other transforms never showed (an
# outside probe's keyword-stuffed pages, top 4-gram share 0.36, read clean at 0.04). Drawn from the page id, so the
# rest of the corpus is generated as before.
KEYWORD_STUFFED_SHARE = 0.12
# Hard positives stuffed the same way: an SEO copy whose only spam trait is its key phrase, repeated (an outside
# probe's loan and insurance pages, "fast personal loans online" 15 times in 268 words and nothing else a farm
# shows, read clean at 0.23): without them the stuffing only ever came on top of other farm traits.
HARD_KEYWORD_STUFFED_SHARE = 0.2
# Farms that rewrite their copies with a chatbot and paste its answer whole, its preface ("Certainly! Here is a
# rewritten version"), its sign-off ("I hope this helps!") or a refusal left in (an outside probe's AI-rewritten
# farm copies read clean without an index, 17 of 20: no trait read those lines). Drawn from the page id, so the
# rest of the corpus is generated as before.
AI_LEFTOVER_SHARE = 0.1


def _choose_traits(rng: random.Random) -> list[str]:
    """At least three spam traits, each drawn with its own probability."""
    traits = [t for t in SPAM_TRAITS if rng.random() < TRAIT_P[t]]
    while len(traits) < 3:
        extra = rng.choice([t for t in SPAM_TRAITS if t not in traits])
        traits.append(extra)
    return [t for t in SPAM_TRAITS if t in traits]


def _body(rng: random.Random, src: SourceDoc, lang: str, mode: str, own_url: str) -> list[str]:
    """Body blocks after the transform."""
    paras = list(src.paragraphs)
    if mode == "excerpt_read_more":
        target = src.url if rng.random() < 0.7 else own_url + "?page=2"
        more = esc(pick(rng, lang, "read_more", html=False))
        return p_blocks(bt.excerpt(rng, paras)) + [f'<p class="read-more"><a href="{esc(target)}">{more} &raquo;</a></p>']
    if mode == "shuffled_ad_lines":
        return p_blocks(bt.ad_lines(rng, bt.shuffle_local(rng, paras), lang))
    if mode == "reworded":
        return p_blocks(bt.reword(rng, paras))
    return p_blocks(paras)


def _stuffed(blocks: list[str], title: str, page_id: str, site: str, year: int) -> list[str]:
    """Body blocks with the headline's key phrase stuffed in (``body_transforms.keyword_stuff``), from a random
    stream of the page's own."""
    rng = random.Random(f"{page_id}:keyword-stuffed-body")
    phrase = bt.key_phrase(rng, title)
    if phrase is None:
        return blocks
    texts = [re.sub(r"^<p>(.*)</p>$", r"\1", b, flags=re.S) for b in blocks]
    plain = [b.startswith("<p>") and b.endswith("</p>") for b in blocks]
    stuffed, headings = bt.keyword_stuff(rng, [html.unescape(t) for t, p in zip(texts, plain) if p], phrase,
                                         site, year)
    it = iter(stuffed)
    out = [f"<p>{esc(next(it))}</p>" if p else b for b, p in zip(blocks, plain)]
    out.append(f"<p class=\"tags\">{esc(next(it))}</p>")
    for heading in headings:
        out.insert(rng.randrange(1, len(out)), f"<h2>{esc(heading)}</h2>")
    return out


def _insert_ads(rng: random.Random, s: PageSpec, site: Site, n: int) -> None:
    """Spread n ad slots over header, body, below-article and sidebar positions."""
    kinds = site.template.ad_kinds
    for i in range(n):
        slot = ad(rng, rng.choice(kinds), s.url, s.head, site.lang)
        where = rng.random() if i else 0.3  # the first slot goes into the body
        if where < 0.55 and len(s.body_blocks) > 2:
            s.body_blocks.insert(rng.randrange(1, len(s.body_blocks)), slot)
        elif where < 0.7:
            s.header_blocks.append(slot)
        elif where < 0.85:
            s.below.append(slot)
        else:
            s.sidebar.append(slot)


def _promo(rng: random.Random, s: PageSpec, site: Site, src: SourceDoc, traits: list[str]) -> None:
    """One or two promo/CTA lines; sometimes the copied promo of the *source* site."""
    copied = rng.random() < 0.25
    owner = brand(src) if copied else site.name
    slug = slugify(owner, 30)
    slots = {"group": f"{owner} {rng.choice(['Group', 'Fans', 'Club', '24/7'])}", "site": owner,
             "fb": f"https://www.facebook.com/groups/{slug}", "tg": f"https://t.me/{slug.replace('-', '')}",
             "app": f"https://play.google.com/store/apps/details?id=com.{slug.replace('-', '')}.app",
             "wa": f"https://chat.whatsapp.com/{slug.replace('-', '')}"}
    for key in rng.sample(["promo_join", "promo_follow", "promo_app", "promo_channel"], rng.randint(1, 2)):
        s.end_blocks.append(f'<p class="{rng.choice(["promo", "cta-box", "fb-join", "wp-block-paragraph"])}">{pick(rng, site.lang, key, **slots)}</p>')
    if copied:
        traits.append("copied_promo")


def _attribution(rng: random.Random, s: PageSpec, site: Site, src: SourceDoc, *, simple: bool = False) -> None:
    """"Source: X", "Information source @X: Read more at www.<own>", "(Agency)" and friends."""
    line = (esc(P[site.lang]["attribution"][0].replace("{source}", brand(src)))
            if simple else pick(rng, site.lang, "attribution", source=brand(src), home=f"https://{site.host}/",
                                host=re.sub(r'^(www|m)\.', '', site.host), site=site.name))
    block = f"<p>{line}</p>"
    if rng.random() < 0.2:
        s.body_blocks.insert(0, block)
    else:
        s.end_blocks.insert(0, block)


def _ai_leftover(rng: random.Random, s: PageSpec, lang: str) -> None:
    """A chatbot's line left in the pasted body: its preface, its sign-off or a refusal between paragraphs."""
    where, line = rng.choice(AI_LEFTOVERS.get(lang, AI_LEFTOVERS["en"]))
    block = f"<p>{esc(line)}</p>"
    if where == "top":
        s.body_blocks.insert(0, block)
    elif where == "end" or len(s.body_blocks) < 3:
        s.body_blocks.append(block)
    else:
        s.body_blocks.insert(rng.randrange(1, len(s.body_blocks)), block)


def _title_repeat(rng: random.Random, s: PageSpec, title: str) -> None:
    """The headline repeated as the first body line(s), sometimes lower-cased and unpunctuated."""
    text = title if rng.random() < 0.5 else re.sub(r"[^\w\s]", "", title).lower()
    for _ in range(rng.choice((1, 1, 2))):
        s.body_blocks.insert(0, f"<p>{esc(text)}</p>")


def make_farm(rng: random.Random, page_id: str, src: SourceDoc, site: Site, other_titles: list[str],
              hard: bool) -> tuple[str, dict[str, Any]]:
    """One farm page (HTML) and its labels row."""
    t = site.template
    lang = site.lang
    when = date_after(rng, src)
    transforms: list[str]
    if hard:
        mode = rng.choice(("verbatim", "verbatim", "reworded"))
        title = src.title
        transforms = [mode]
    else:
        mode = rng.choices([m for m, _ in BODY_MODES], [w for _, w in BODY_MODES])[0]
        transforms = [mode]
        title = src.title
        if rng.random() < 0.35:
            title = bt.bait_headline(rng, src.title, lang)
            transforms.append("clickbait_headline")
    url = t.url(rng, site.host, title, when)
    nav, footer = chrome(rng, lang)
    s = PageSpec(lang=lang, host=site.host, site_name=site.name, url=url, title=title, link_base=site.link_base,
                 doc_title=title + (t.title_sep + site.name if rng.random() < 0.8 else ""),
                 canonical=url if rng.random() < 0.8 else None, nav=nav, footer=footer, published=when)
    s.body_blocks = _body(rng, src, lang, mode, url)
    if random.Random(f"{page_id}:keyword-stuffed").random() < (HARD_KEYWORD_STUFFED_SHARE if hard
                                                               else KEYWORD_STUFFED_SHARE):
        s.body_blocks = _stuffed(s.body_blocks, src.title, page_id, site.name, when.year)
        transforms.append("keyword_stuffed")
    if random.Random(f"{page_id}:ai-leftover").random() < AI_LEFTOVER_SHARE:
        _ai_leftover(random.Random(f"{page_id}:ai-leftover-line"), s, lang)
        transforms.append("ai_leftover")

    if hard:
        variant = rng.choice(("share", "share", "attribution", "related", "ads_only"))
        traits = {"share": ["share_widget"], "attribution": ["attribution_line"],
                  "related": ["related_posts"], "ads_only": []}[variant] + ["ad_slots"]
        s.author = author(rng, lang) if rng.random() < 0.8 else None
        n_ads = rng.randint(1, 3)
    else:
        traits = _choose_traits(rng)
        n_ads = rng.randint(4, 9) if "dense_ads" in traits else rng.randint(1, 2)
        if "dense_ads" not in traits:
            traits.append("ad_slots")
        if rng.random() < 0.4:
            traits.append("missing_byline")
        else:
            s.author = rng.choice((author(rng, lang), "admin", site.name, "Redaksia" if lang == "sq" else "Redakcija" if lang == "sr" else "admin"))
            if s.author == "admin":
                traits.append("default_byline")
        if rng.random() < 0.25:
            traits.append("missing_date")
            s.published = None

    if "title_repeated" in traits:
        _title_repeat(rng, s, src.title)
    if "attribution_line" in traits:
        _attribution(rng, s, site, src, simple=hard)
    if "promo_footer" in traits:
        _promo(rng, s, site, src, traits)
    if "share_widget" in traits:
        w = share(rng, lang, rng.choice(t.share_styles), url, s.head)
        (s.top_blocks if rng.random() < 0.3 else s.end_blocks).append(w)
    if "related_posts" in traits:
        titles = clickbait_titles(rng, lang, rng.randint(2, 4))
        titles += rng.sample(other_titles, min(len(other_titles), rng.randint(0, 2)))
        rng.shuffle(titles)
        heading = pick(rng, lang, "related_heading", html=False, site=site.name)
        (s.sidebar if rng.random() < 0.25 else s.below).append(related(rng, lang, rng.choice(t.related_styles), titles, heading, s.link_base))
    if "push_prompt" in traits:
        mode_p = rng.randrange(3)
        s.header_blocks.append(push(rng, lang, site.name, s.head, visible=mode_p != 0, script=mode_p != 1))
    if random.Random(f"{page_id}:no-ad-markup").random() < NO_AD_MARKUP_SHARE:
        n_ads = 0
        traits = [t for t in traits if t not in ("ad_slots", "dense_ads")] + ["no_ad_markup"]
    _insert_ads(rng, s, site, n_ads)
    # What farms share with every site: an SEO plugin's metadata in 50-70% of a template's pages (Yoast and
    # Rank Math write description, og: tags and JSON-LD with datePublished and author), analytics, embeds.
    seo = seo_metadata(rng, s, site, template_share(t.id, FARM_SEO_LOW, FARM_SEO_HIGH), description_of(src.paragraphs))
    if "jsonld_article" not in seo:
        traits.append("no_seo_metadata")
    site_scripts(rng, s, p_tracker=0.8)
    embeds(rng, s, p_video=0.15, p_page_plugin=0.3)
    outbound_links(rng, s, p_social=0.6, p_in_text=0.15)
    if dmca_link(s, site.host, FARM_DMCA_SHARE):
        traits.append("dmca_link")

    rec = record(page_id, url=url, label=1, kind="farm", template=t.id, src=src, source_site=src.site,
                 source_url=src.url, language=lang, transforms=transforms, traits=traits, hard=hard)
    return t.render(s), rec
