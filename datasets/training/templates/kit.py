"""Shared page model and HTML helpers for every site template.

Why: templates differ in layout and class names, but all of them take the same `PageSpec`
(text already chosen, widgets already rendered) so that page generation and layout stay apart.
All text from the corpora goes through `esc`, so the output is well-formed for lxml.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from html import escape


def slugify(text: str, n: int = 70) -> str:
    """ASCII URL slug."""
    t = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", t).strip("-")[:n].strip("-") or "post"


def esc(text: str) -> str:
    """Escape text for element content and double-quoted attributes."""
    return escape(text, quote=True)


@dataclass(slots=True)
class PageSpec:
    """Everything a template needs to lay out one page.

    Text fields are plain text (escaped by the template); `*_blocks`, `below`, `sidebar`
    and `head` hold ready HTML fragments produced by the widget functions.
    """

    lang: str
    host: str
    site_name: str
    url: str
    title: str
    doc_title: str
    canonical: str | None = None
    description: str = ""
    author: str | None = None
    published: datetime | None = None
    body_blocks: list[str] = field(default_factory=list)
    top_blocks: list[str] = field(default_factory=list)
    end_blocks: list[str] = field(default_factory=list)
    below: list[str] = field(default_factory=list)
    sidebar: list[str] = field(default_factory=list)
    header_blocks: list[str] = field(default_factory=list)
    head: list[str] = field(default_factory=list)
    nav: list[str] = field(default_factory=list)
    footer: list[str] = field(default_factory=list)
    footer_links: list[str] = field(default_factory=list)
    og_type: str = "article"
    link_base: str = ""  # "" for relative internal links, "https://<host>" where the site writes them absolute


def home(s: PageSpec) -> str:
    """The site's home link, relative or absolute as the site writes its internal links."""
    return f"{s.link_base}/"


def head(s: PageSpec, extra_meta: str = "") -> str:
    """The <head> contents common to all templates: charset, title, canonical, og tags, extras."""
    parts = ['<meta charset="utf-8">', '<meta name="viewport" content="width=device-width, initial-scale=1">',
             f"<title>{esc(s.doc_title)}</title>"]
    if s.canonical:
        parts.append(f'<link rel="canonical" href="{esc(s.canonical)}">')
    parts.append(f'<meta property="og:title" content="{esc(s.title)}">')
    parts.append(f'<meta property="og:site_name" content="{esc(s.site_name)}">')
    parts.append(f'<meta property="og:type" content="{s.og_type}">')
    if s.description:
        parts.append(f'<meta name="description" content="{esc(s.description)}">')
    if s.published is not None:
        parts.append(f'<meta property="article:published_time" content="{s.published.isoformat()}">')
    if s.author:
        parts.append(f'<meta name="author" content="{esc(s.author)}">')
    if extra_meta:
        parts.append(extra_meta)
    parts.extend(dict.fromkeys(s.head))  # de-duplicated, order kept
    return "\n".join(parts)


def doc(s: PageSpec, body: str, *, body_attrs: str = "", html_attrs: str = "", extra_meta: str = "") -> str:
    """A whole HTML document."""
    links = f'\n<div class="social-links">{" ".join(s.footer_links)}</div>' if s.footer_links else ""
    return (f'<!DOCTYPE html>\n<html lang="{s.lang}"{html_attrs}>\n<head>\n{head(s, extra_meta)}\n</head>\n'
            f"<body{body_attrs}>\n{body}{links}\n</body>\n</html>\n")


def nav_links(s: PageSpec, li: bool = True, cls: str = "") -> str:
    """Category links from the nav labels."""
    out = []
    for label in s.nav:
        a = f'<a href="{s.link_base}/category/{slugify(label)}/"{f" class={chr(34)}{cls}{chr(34)}" if cls else ""}>{esc(label)}</a>'
        out.append(f"<li>{a}</li>" if li else a)
    return ("" if li else " ").join(out)


def date_text(dt: datetime | None, lang: str, style: int = 0) -> str:
    """A human date in one of a few formats."""
    if dt is None:
        return ""
    if style % 3 == 0 and lang == "en":
        return dt.strftime("%B %d, %Y")
    if style % 3 == 1:
        return dt.strftime("%d.%m.%Y %H:%M")
    return dt.strftime("%Y-%m-%d %H:%M")


def time_tag(dt: datetime | None, lang: str, cls: str = "", style: int = 0) -> str:
    """A <time> element, or nothing when the page carries no date."""
    if dt is None:
        return ""
    c = f' class="{cls}"' if cls else ""
    return f'<time{c} datetime="{dt.isoformat()}">{date_text(dt, lang, style)}</time>'


def join(blocks: list[str]) -> str:
    """Fragments, one per line."""
    return "\n".join(b for b in blocks if b)
