"""The template record and URL patterns shared by farm and clean site templates."""
from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from templates.kit import PageSpec, slugify

__all__ = ["Template", "slugify"]


UrlFn = Callable[[random.Random, str, str, datetime], str]


def url_wp(rng: random.Random, host: str, title: str, dt: datetime) -> str:
    return f"https://{host}/{dt:%Y/%m/%d}/{slugify(title)}/"


def url_blogger(rng: random.Random, host: str, title: str, dt: datetime) -> str:
    return f"https://{host}/{dt:%Y/%m}/{slugify(title, 40)}.html"


def url_amp(rng: random.Random, host: str, title: str, dt: datetime) -> str:
    return f"https://{host}/amp/{slugify(title)}-{rng.randrange(10**5, 10**6)}"


def url_portal(rng: random.Random, host: str, title: str, dt: datetime) -> str:
    return f"https://{host}/lajme/{rng.randrange(10**5, 10**7)}/{slugify(title, 50)}.html"


def url_query(rng: random.Random, host: str, title: str, dt: datetime) -> str:
    return f"https://{host}/?p={rng.randrange(1000, 400000)}"


def url_news(rng: random.Random, host: str, title: str, dt: datetime) -> str:
    return f"https://{host}/news/{dt:%Y%m%d}-{slugify(title, 50)}"


def url_article(rng: random.Random, host: str, title: str, dt: datetime) -> str:
    return f"https://{host}/article/{slugify(title, 60)}-{rng.randrange(10**6, 10**7)}"


@dataclass(frozen=True, slots=True)
class Template:
    """A site template: id, layout function, URL pattern and the widget styles it tends to use."""

    id: str
    render: Callable[[PageSpec], str]
    url: UrlFn
    share_styles: tuple[str, ...]
    ad_kinds: tuple[str, ...]
    related_styles: tuple[str, ...]
    title_sep: str = " - "
