"""Load real article bodies and titles from the shared corpora at build time.

Why: the training corpus re-hosts *real* journalism into generated pages, so the builder
reads the corpora on every run instead of storing any of their text in the repository.
"""
from __future__ import annotations

import gzip
import json
import re
import signal
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import lxml.html

MIN_WORDS = 80
EXTRACT_SECONDS = 10  # hard per-page limit of our own (trafilatura's timeout is CLI-only)

_CTRL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_STOP = {
    "en": {"the", "and", "of", "to", "is", "that", "with", "for"},
    "de": {"der", "die", "und", "das", "ist", "nicht", "mit", "ein"},
    "fr": {"le", "la", "les", "et", "des", "est", "une", "pour"},
}


@dataclass(frozen=True, slots=True)
class SourceDoc:
    """One real article: where it lives, its title and body paragraphs."""

    key: str  # short stable id, e.g. "aeb-042bb7b5fe"
    corpus: str  # "scrapinghub-aeb" | "htmldate-dev"
    url: str
    site: str  # host without "www."
    title: str
    paragraphs: tuple[str, ...]
    language: str
    html_path: Path
    gzipped: bool
    sitename: str = ""  # og:site_name / trafilatura sitename, when the page names itself
    published: date | None = None  # the day the real page was published, when known (copies are dated after it)

    def read_html(self) -> bytes:
        """The untouched bytes of the real page."""
        data = self.html_path.read_bytes()
        return gzip.decompress(data) if self.gzipped else data


def host_of(url: str) -> str:
    """Host of a URL without a leading "www."."""
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


def clean_text(text: str) -> str:
    """Drop control characters that an HTML/XML parser would choke on."""
    return _CTRL.sub("", text).strip()


def strip_site_suffix(title: str, sitename: str, site: str) -> str:
    """Drop a trailing " | Site" / " - Site" that names the publisher (the headline is what gets copied)."""
    names = {n.lower() for n in (sitename, site, site.split(".")[0]) if n}
    m = re.match(r"^(.{12,}?)\s+[|\-–—:]\s+([^|\-–—]{2,40})$", title)
    if m and (m.group(2).strip().lower() in names or m.group(2).strip().lower().replace(" ", "") in names):
        return m.group(1).strip()
    return title


def split_paragraphs(text: str) -> tuple[str, ...]:
    """Body text to non-empty paragraphs (one per line)."""
    return tuple(p for p in (clean_text(x) for x in text.splitlines()) if p)


def without_headline(paragraphs: tuple[str, ...], title: str) -> tuple[str, ...]:
    """The body without the headline that extraction kept as one of its first paragraphs.

    A generated page prints the title as its own heading; a body that starts with it again showed the title as a
    heading and as a paragraph, which is the pasted title of a farm (``title_repeated``), on a fifth of the
    generated publisher pages where real pages have it on one in sixty.
    """
    def plain(text: str) -> str:
        return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())

    head = plain(title)
    drop = {i for i, p in enumerate(paragraphs[:3]) if head and plain(p) == head}
    return tuple(p for i, p in enumerate(paragraphs) if i not in drop)


def guess_language(text: str, declared: str | None = None) -> str:
    """Declared `<html lang>` first, else a stop-word vote among en/de/fr."""
    if declared:
        code = declared.strip().lower().replace("_", "-").split("-")[0]
        if re.fullmatch(r"[a-z]{2,3}", code):
            return code
    words = re.findall(r"[a-zà-ÿ]+", text.lower()[:4000])
    scores = {lang: sum(w in stop for w in words) for lang, stop in _STOP.items()}
    return max(sorted(scores), key=lambda k: scores[k])


def decode_html(raw: bytes) -> str:
    """Bytes to text: UTF-8 when it decodes, else the declared charset, else cp1252.

    Why: lxml guesses Latin-1 for bytes without a charset it can see, which turns UTF-8 titles into mojibake.
    """
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        m = re.search(rb"""charset=["']?([A-Za-z0-9_\-]+)""", raw[:4096])
        try:
            text = raw.decode(m.group(1).decode("ascii") if m else "cp1252", errors="replace")
        except LookupError:
            text = raw.decode("cp1252", errors="replace")
    return re.sub(r"^\s*<\?xml[^>]*\?>", "", text)


def parse_day(text: str | None) -> date | None:
    """A "YYYY-MM-DD" string to a date (None when absent or malformed)."""
    try:
        return date.fromisoformat(text[:10]) if text else None
    except ValueError:
        return None


def publication_day(raw: bytes) -> date | None:
    """The page's original publication day as htmldate finds it (the htmldate-dev corpus gives it as a label)."""
    from htmldate import find_date

    try:
        return parse_day(find_date(decode_html(raw), original_date=True, extensive_search=False))
    except Exception:  # noqa: BLE001 - an undated page is dated at random later, never a failed build
        return None


def _title_from_html(raw: bytes) -> tuple[str, str | None, str]:
    """og:title, else h1, else <title>; plus the declared language and og:site_name."""
    tree = lxml.html.fromstring(decode_html(raw))
    lang = tree.get("lang")
    site = " ".join(tree.xpath('//meta[@property="og:site_name"]/@content')[:1]).strip()
    if site.startswith("http") or "://" in site:
        site = ""
    for xp in ('//meta[@property="og:title"]/@content', "//h1//text()", "//title/text()"):
        found = " ".join(t.strip() for t in tree.xpath(xp) if t.strip())
        if found:
            return clean_text(found), lang, clean_text(site)
    return "", lang, clean_text(site)


def load_scrapinghub(root: Path, limit: int | None) -> list[SourceDoc]:
    """Bodies from ground-truth.json, titles from the page head (no extraction needed)."""
    truth: dict[str, dict[str, str]] = json.loads((root / "ground-truth.json").read_text("utf-8"))
    docs: list[SourceDoc] = []
    for sha in sorted(truth):
        if limit is not None and len(docs) >= limit:
            break
        path = root / "html" / f"{sha}.html.gz"
        if not path.exists():
            continue
        paras = split_paragraphs(truth[sha].get("articleBody", ""))
        if sum(len(p.split()) for p in paras) < MIN_WORDS:
            continue
        raw = gzip.decompress(path.read_bytes())
        title, lang, site = _title_from_html(raw)
        if not title:
            continue
        url = truth[sha]["url"]
        title = strip_site_suffix(title, site, host_of(url))
        paras = without_headline(paras, title)
        docs.append(SourceDoc(f"aeb-{sha[:10]}", "scrapinghub-aeb", url, host_of(url), title, paras,
                              guess_language(" ".join(paras), lang), path, True, site, publication_day(raw)))
    return docs


def _alarm(signum: int, frame: object) -> None:
    raise TimeoutError


def _extract(path: str) -> tuple[str, str, str | None, str] | None:
    """Worker: trafilatura on the bytes under a hard alarm; (title, text, lang, sitename) or None."""
    from trafilatura import bare_extraction

    raw = Path(path).read_bytes()
    signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(EXTRACT_SECONDS)
    try:
        doc = bare_extraction(raw, with_metadata=True)
    except Exception:  # noqa: BLE001 - one bad page must not stop the build
        return None
    finally:
        signal.alarm(0)
    if doc is None or not doc.text or not doc.title:
        return None
    try:
        lang = lxml.html.fromstring(raw).get("lang")
    except Exception:  # noqa: BLE001
        lang = None
    return doc.title, doc.text, lang, doc.sitename or ""


def load_htmldate(root: Path, limit: int | None, workers: int = 2) -> list[SourceDoc]:
    """Pages from labels.json, extracted with trafilatura; pages under MIN_WORDS are skipped.

    With a limit, a few extra candidates are extracted so that short pages do not starve it.
    """
    labels: dict[str, dict[str, str]] = json.loads((root / "labels.json").read_text("utf-8"))
    items = sorted((v["file"], u) for u, v in labels.items() if (root / v["file"]).exists())
    days = {u: parse_day(v.get("date")) for u, v in labels.items()}
    if limit is not None:
        items = items[: limit * 3 + 5]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        results = list(pool.map(_extract, [str(root / f) for f, _ in items], chunksize=4))
    docs: list[SourceDoc] = []
    seen: set[str] = set()
    for (file, url), res in zip(items, results):
        if res is None:
            continue
        title, text, lang, site = res
        paras = split_paragraphs(text)
        if sum(len(p.split()) for p in paras) < MIN_WORDS:
            continue
        stem = re.sub(r"[^a-z0-9]+", "-", Path(file).stem.lower()).strip("-")[:40]
        key = f"hd-{stem}"
        if key in seen:
            continue
        seen.add(key)
        title = strip_site_suffix(clean_text(title), clean_text(site), host_of(url))
        paras = without_headline(paras, title)
        docs.append(SourceDoc(key, "htmldate-dev", url, host_of(url), title, paras,
                              guess_language(text, lang), root / file, False, clean_text(site), days.get(url)))
        if limit is not None and len(docs) >= limit:
            break
    return docs
