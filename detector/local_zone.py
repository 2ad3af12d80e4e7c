"""The time zone of a page's local times, when its markup gives a time of day without a UTC offset.

A visible date line ("Gepubliceerd: 07.03.2025 15:30", "14.10.2024 20:10") states the newsroom's local time.
Against another page's time that carries an offset, such a time could be in any of 26 hours of zones, so a copy
made hours after its original on the same day got no direction at all (two outside probes: a Dutch farm's copy of
a university release, an Albanian farm's copy of a fashion report). A site on a country's domain, or written in a
language whose speakers keep one clock, states the local time of that country.

Only countries with one civil time are listed (the United States, Canada, Russia and Australia are not; Brazil
and Mexico, whose newsrooms keep their capital's clock nearly all, are), and only languages mostly written in one
of them: English, Spanish, Portuguese, French, Arabic and Russian pages take a zone only from their domain or the
region of their ``lang`` tag ("pt-PT", "en-GB").
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = ["local_zone", "localized", "zone_named"]

#: Country code (a ccTLD, or a ``lang`` tag's region) -> the country's one time zone. Codes sold as generic
#: domains (.co, .me, .tv, .io, .ai, .fm, .ly, .cc) are left out: their sites can be anywhere.
COUNTRY_ZONES: dict[str, str] = {
    # Europe
    "al": "Europe/Tirane", "rs": "Europe/Belgrade", "ba": "Europe/Sarajevo", "hr": "Europe/Zagreb",
    "si": "Europe/Ljubljana", "mk": "Europe/Skopje", "xk": "Europe/Belgrade", "bg": "Europe/Sofia",
    "ro": "Europe/Bucharest", "md": "Europe/Chisinau", "gr": "Europe/Athens", "cy": "Asia/Nicosia",
    "tr": "Europe/Istanbul", "hu": "Europe/Budapest", "sk": "Europe/Bratislava", "cz": "Europe/Prague",
    "pl": "Europe/Warsaw", "at": "Europe/Vienna", "ch": "Europe/Zurich", "li": "Europe/Vaduz", "de": "Europe/Berlin",
    "lu": "Europe/Luxembourg", "be": "Europe/Brussels", "nl": "Europe/Amsterdam", "dk": "Europe/Copenhagen",
    "no": "Europe/Oslo", "se": "Europe/Stockholm", "fi": "Europe/Helsinki", "ee": "Europe/Tallinn",
    "lv": "Europe/Riga", "lt": "Europe/Vilnius", "ua": "Europe/Kyiv", "by": "Europe/Minsk", "ie": "Europe/Dublin",
    "uk": "Europe/London", "gb": "Europe/London", "is": "Atlantic/Reykjavik", "it": "Europe/Rome",
    "sm": "Europe/San_Marino", "mt": "Europe/Malta", "fr": "Europe/Paris", "es": "Europe/Madrid",
    "pt": "Europe/Lisbon", "ad": "Europe/Andorra", "mc": "Europe/Monaco",
    # Africa, Asia, the Americas, Oceania
    "il": "Asia/Jerusalem", "eg": "Africa/Cairo", "za": "Africa/Johannesburg", "ng": "Africa/Lagos",
    "ke": "Africa/Nairobi", "gh": "Africa/Accra", "ma": "Africa/Casablanca", "tn": "Africa/Tunis",
    "dz": "Africa/Algiers", "in": "Asia/Kolkata", "pk": "Asia/Karachi", "bd": "Asia/Dhaka", "lk": "Asia/Colombo",
    "np": "Asia/Kathmandu", "jp": "Asia/Tokyo", "kr": "Asia/Seoul", "cn": "Asia/Shanghai", "hk": "Asia/Hong_Kong",
    "tw": "Asia/Taipei", "sg": "Asia/Singapore", "my": "Asia/Kuala_Lumpur", "ph": "Asia/Manila",
    "th": "Asia/Bangkok", "vn": "Asia/Ho_Chi_Minh", "ae": "Asia/Dubai", "sa": "Asia/Riyadh", "qa": "Asia/Qatar",
    "jo": "Asia/Amman", "lb": "Asia/Beirut", "ar": "America/Argentina/Buenos_Aires", "pe": "America/Lima",
    "ve": "America/Caracas", "uy": "America/Montevideo", "nz": "Pacific/Auckland", "cl": "America/Santiago",
    "bo": "America/La_Paz", "py": "America/Asuncion", "ec": "America/Guayaquil", "gt": "America/Guatemala",
    "hn": "America/Tegucigalpa", "sv": "America/El_Salvador", "ni": "America/Managua", "cr": "America/Costa_Rica",
    "pa": "America/Panama", "do": "America/Santo_Domingo", "cu": "America/Havana", "pr": "America/Puerto_Rico",
    "ao": "Africa/Luanda", "mz": "Africa/Maputo",
    # Two countries with more than one zone whose newsrooms keep the capital's clock nearly all: Brazil's national
    # and big-city press runs on Brasília time, Mexico's on Mexico City's.
    "br": "America/Sao_Paulo", "mx": "America/Mexico_City",
}

#: Language (a ``lang`` tag's primary subtag) -> the zone of nearly all its newsrooms.
LANGUAGE_ZONES: dict[str, str] = {
    "sq": "Europe/Tirane", "sr": "Europe/Belgrade", "hr": "Europe/Zagreb", "bs": "Europe/Sarajevo",
    "mk": "Europe/Skopje", "sl": "Europe/Ljubljana", "bg": "Europe/Sofia", "ro": "Europe/Bucharest",
    "el": "Europe/Athens", "tr": "Europe/Istanbul", "hu": "Europe/Budapest", "sk": "Europe/Bratislava",
    "cs": "Europe/Prague", "pl": "Europe/Warsaw", "de": "Europe/Berlin", "nl": "Europe/Amsterdam",
    "da": "Europe/Copenhagen", "nb": "Europe/Oslo", "nn": "Europe/Oslo", "no": "Europe/Oslo",
    "sv": "Europe/Stockholm", "fi": "Europe/Helsinki", "et": "Europe/Tallinn", "lv": "Europe/Riga",
    "lt": "Europe/Vilnius", "uk": "Europe/Kyiv", "it": "Europe/Rome", "he": "Asia/Jerusalem", "ja": "Asia/Tokyo",
    "ko": "Asia/Seoul", "zh": "Asia/Shanghai", "hi": "Asia/Kolkata",
}


@lru_cache(maxsize=128)
def zone_named(name: str) -> ZoneInfo | None:
    """The IANA zone ``name``; None when this machine has no time zone database."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):  # no time zone database on this machine: no zone, as before
        return None


def local_zone(domain: str | None, language: str | None) -> ZoneInfo | None:
    """The zone of the page's local times: its domain's country, else its ``lang`` tag's region, else its
    language's (``COUNTRY_ZONES``, ``LANGUAGE_ZONES``); None when none of them names one clock."""
    tld = (domain or "").rsplit(".", 1)[-1].lower() if domain and "." in domain else ""
    tag = (language or "").replace("_", "-").lower().split("-")
    region = next((part for part in tag[1:] if len(part) == 2 and part.isalpha()), "")
    for name in (COUNTRY_ZONES.get(tld), COUNTRY_ZONES.get(region), LANGUAGE_ZONES.get(tag[0])):
        if name and (zone := zone_named(name)) is not None:
            return zone
    return None


def localized(published: datetime | None, domain: str | None, language: str | None) -> datetime | None:
    """``published`` with the page's zone (``local_zone``) when it is a time of day without a UTC offset; else as
    it is (a day alone stays a day: there is no time to place)."""
    if published is None or published.tzinfo is not None:
        return published
    if (published.hour, published.minute, published.second) == (0, 0, 0):
        return published
    zone = local_zone(domain, language)
    return published.replace(tzinfo=zone) if zone is not None else published
