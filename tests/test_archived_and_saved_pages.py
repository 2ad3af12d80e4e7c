"""What probe 90 found (news pages as researchers hold them: saved, archived, mirrored): a Wayback Machine capture
of a farm page read as a clean syndicated page (its links and canonical link rewritten to web.archive.org);
archive.today captures read as pages of archive.ph, dated when captured; SingleFile saves and reader views
without a link element naming their address read as local files."""

from __future__ import annotations

import re
from datetime import datetime, timezone

import lxml.html
import pytest

from detector.archive_capture import is_archive_address, original_url, restore
from detector.extract import extract
from detector.records import Page
from detector.score import examined
from detector.sources import read_page_bytes
from features import compute_traits
from tests.test_wire_and_sources import _story

FARM_URL = "https://dailybuzzwire24.example/water-plant-fails-nitrate-test/"
STAMP = "20260314060011"


def _farm_page() -> str:
    body = "".join(f"<p>{p}</p>" for p in _story(90, 5))
    related = "".join(f"<li><a href='https://dailybuzzwire24.example/story-{i}/'>You won't believe what happened "
                      f"next in town {i}</a></li>" for i in range(4))
    return (f"<html lang='en'><head><title>Water plant fails nitrate test</title>"
            f"<link rel='canonical' href='{FARM_URL}'><meta property='og:url' content='{FARM_URL}'>"
            "<meta property='article:published_time' content='2026-03-02T17:48:00+00:00'></head><body>"
            "<header><a href='https://dailybuzzwire24.example/'>Daily Buzz Wire 24</a></header><article>"
            f"<h1>Water plant fails nitrate test</h1><span class='author'>admin</span>{body}"
            "<div class='share'>Spread the love <a href='https://www.facebook.com/sharer.php?u=x'>Facebook</a> "
            "<a href='https://twitter.com/share?u=x'>Twitter</a> <a href='https://wa.me/?text=x'>WhatsApp</a></div>"
            f"<div class='related'><h3>Similar posts</h3><ul>{related}</ul></div></article>"
            "<ins class='adsbygoogle' data-ad-client='ca-pub-1'></ins><ins class='adsbygoogle' data-ad-client='ca-pub-1'>"
            "</ins><script async src='https://pagead2.googlesyndication.com/pagead/js/adsbygoogle.js'></script>"
            "</body></html>")


def _wayback(html: str) -> str:
    """The page as the Wayback Machine serves a capture: every absolute link and the canonical link rewritten to
    the archive's address, its scripts in the head and its toolbar opening the body."""
    rewritten = re.sub(r"(href|src)='(https?://[^']+)'", lambda m: f"{m.group(1)}='https://web.archive.org/web/"
                       f"{STAMP}/{m.group(2)}'", html)
    rewritten = rewritten.replace(f"content='{FARM_URL}'", f"content='{FARM_URL}'")  # Wayback leaves meta content
    head = ("<script src='https://web-static.archive.org/_static/js/bundle-playback.js'></script>"
            f"<script>__wm.init('https://web.archive.org/web'); __wm.wombat('{FARM_URL}','{STAMP}');</script>"
            "<link rel='stylesheet' href='https://web-static.archive.org/_static/css/banner-styles.css'>")
    toolbar = ("<div id='wm-ipp-base' lang='en' style='display:none'><div id='wm-ipp'><form id='wmtb'>"
               f"<input id='wmtbURL' value='{FARM_URL}'></form><a href='/web/'>Wayback Machine</a> 7 captures "
               "02 Mar 2026 - 14 Mar 2026 <a href='https://archive.org/donate'>Donate</a></div></div>"
               f"<div id='wm-ipp-print'>The Wayback Machine - https://web.archive.org/web/{STAMP}/{FARM_URL}</div>")
    return rewritten.replace("<head>", f"<head>{head}", 1).replace("<body>", f"<body>{toolbar}", 1)


def _read(html: str, name: str = "saved.html", url: str = "file:///tmp/saved.html"):
    return examined(extract(read_page_bytes(html.encode(), name, url, 10_000_000), target=name))


def test_a_wayback_capture_of_a_farm_page_reads_as_the_farm_page() -> None:
    """Probe 90: a farm page's capture read clean (0.01, against 0.999 for the page itself): its rewritten
    canonical link read as a syndicated page's, its rewritten links as links leaving the site."""
    pristine, _ = _read(_farm_page(), url=FARM_URL)
    captured, view = _read(_wayback(_farm_page()))
    assert captured.article.url == FARM_URL and captured.article.domain == "dailybuzzwire24.example"
    assert captured.article.published == pristine.article.published
    assert captured.article.seen == datetime(2026, 3, 14, 6, 0, 11, tzinfo=timezone.utc)
    assert captured.article.canonical == FARM_URL
    assert "Wayback" not in captured.article.text and "captures" not in captured.article.text
    traits = {t.name: t.value for t in compute_traits(view)}
    _, pristine_view = _read(_farm_page(), url=FARM_URL)
    assert traits == {t.name: t.value for t in compute_traits(pristine_view)}


def test_a_capture_fetched_or_stored_at_its_archive_address_is_the_captured_sites_page() -> None:
    """Probe 90: a WARC of Wayback captures stored under their web.archive.org addresses made archive.org a
    content-farm domain in the audit."""
    archived = f"https://web.archive.org/web/{STAMP}/{FARM_URL}"
    page = Page(url=archived, final_url=archived, html=_wayback(_farm_page()).encode())
    done = extract(page, target="capture")
    assert done.article.url == FARM_URL and done.article.domain == "dailybuzzwire24.example"
    assert original_url(archived) == FARM_URL and original_url(f"https://web.archive.org/web/{STAMP}id_/http:/x.example/a") \
        == "http://x.example/a"
    assert is_archive_address("https://archive.ph/Xy7Qk") and not is_archive_address(FARM_URL)


ORIGINAL = "https://www.redfielddaily.example/health/2026/03/04/maternity-closure"


def _archive_today() -> str:
    body = "".join(f"<p style='margin:0'>{p}</p>" for p in _story(91, 5))
    bar = ("<div style='position:relative;background-color:#EEE'><table><tr><td><a href='https://archive.ph/'>"
           "archive.today</a><br>webpage capture</td><td><table><tr><td>Saved from</td><td>"
           f"<input type='text' value='{ORIGINAL}'> <a href='https://archive.ph/{ORIGINAL}'>search</a></td>"
           "<td>12 Mar 2026 08:15:00 UTC</td></tr></table></td><td><a href='https://archive.ph/download/Xy7Qk.zip'>"
           "download .zip</a></td></tr></table></div>")
    return ("<html><head><meta itemprop='url' content='https://archive.ph/2026.03.12-081500/" + ORIGINAL + "'>"
            "<meta property='og:url' content='https://archive.ph/Xy7Qk'><meta property='og:site_name' "
            "content='archive.ph'><meta property='article:published_time' content='2026-03-12T08:15:00Z'>"
            "<title>Redfield hospital to close maternity ward | Redfield Daily News</title></head><body>" + bar
            + "<div><a href='https://archive.ph/o/Xy7Qk/https://www.redfielddaily.example/'>Redfield Daily News</a>"
            "<h1>Redfield hospital to close maternity ward</h1><div class='byline'>By Ana Ruiz · March 4, 2026, "
            f"4:00 PM</div>{body}<a href='https://archive.ph/o/Xy7Qk/https://www.redfielddaily.example/news/'>"
            "More news</a></div></body></html>")


def test_an_archive_today_capture_is_the_captured_page_dated_by_its_own_date_line() -> None:
    """Probe 90: archive.today captures read as pages of archive.ph (its og:url), dated when captured (its
    article:published_time), an original read as the credited copy of itself."""
    done, _ = _read(_archive_today())
    assert done.article.url == ORIGINAL and done.article.domain == "redfielddaily.example"
    assert done.article.published is not None and done.article.published.date().isoformat() == "2026-03-04"
    assert done.article.seen == datetime(2026, 3, 12, 8, 15, tzinfo=timezone.utc)
    assert "webpage capture" not in done.article.text
    assert all("archive.ph" not in link for link in done.article.links)


def test_a_page_that_is_no_capture_is_left_as_it_is() -> None:
    """A fact-check linking an archived copy of a deleted post is no capture: its links stay as written."""
    html = (f"<html><head><link rel='canonical' href='https://factline.example/checks/1'></head><body><article>"
            f"<p>{_story(92, 1)[0]}</p><p>The post, <a href='https://web.archive.org/web/{STAMP}/https://social.example"
            "/p/1'>archived here</a>, was deleted.</p></article></body></html>")
    dom = lxml.html.fromstring(html)
    assert restore(dom) is None
    assert dom.xpath("//a/@href") == [f"https://web.archive.org/web/{STAMP}/https://social.example/p/1"]


@pytest.mark.parametrize("kind", ["singlefile", "reader"])
def test_a_saved_copy_naming_its_address_in_its_own_way_reads_as_that_address(kind: str) -> None:
    """Probe 90: a SingleFile save without a canonical link and a saved Firefox reader view read as local files
    (``file://``), the same article counted twice for its site, a reader view called the copy of its article."""
    body = "".join(f"<p>{p}</p>" for p in _story(93, 4))
    if kind == "singlefile":
        html = (f"<!DOCTYPE html>\n<html lang='de'><!--\n Page saved with SingleFile \n url: {ORIGINAL} \n saved date: "
                f"Thu Mar 12 2026 09:40:00 GMT+0100\n--><head><title>Maternity closure</title></head><body><article>"
                f"<h1>Maternity closure</h1>{body}</article></body></html>")
    else:
        html = ("<html><head><title>Maternity closure</title></head><body><div class='container'><div class='header "
                f"reader-header'><a class='domain reader-domain' href='{ORIGINAL}'>redfielddaily.example</a>"
                "<h1 class='reader-title'>Maternity closure</h1><div class='credits reader-credits'>Ana Ruiz</div>"
                f"</div><div class='content'><div class='moz-reader-content'>{body}</div></div></div></body></html>")
    done, _ = _read(html)
    assert done.article.url == ORIGINAL and done.article.domain == "redfielddaily.example"
