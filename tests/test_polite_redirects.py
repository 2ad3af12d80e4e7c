"""A redirect is a request to the host it lands on: that host's robots.txt, gate and delay apply; 429/503
answers are retried after their ``Retry-After`` when it asks for longer than the backoff."""

from __future__ import annotations

import time

import pytest

from detector.errors import FetchError
from detector.fetch import retry_after_s
from detector.politeness import Politeness, PoliteFetcher

PAGE = "<html><body><p>" + "A page of ordinary text. " * 30 + "</p></body></html>"


def test_a_redirect_into_a_disallowed_path_is_refused_by_robots_txt(http_server) -> None:
    http_server.add("/robots.txt", "User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    http_server.add("/private/secret", PAGE)
    url = http_server.redirect("/go", "/private/secret", status=301)
    with PoliteFetcher(Politeness(delay_s=0.0), allow_private=True) as polite:
        with pytest.raises(FetchError, match=r"disallowed by robots.txt \(redirect to .*/private/secret\)"):
            polite.fetch(url)
    assert "/private/secret" not in [r.path for r in http_server.requests]


def test_a_redirect_to_another_host_reads_that_hosts_robots_txt(http_server, http_server_factory) -> None:
    landing = http_server_factory()
    landing.add("/robots.txt", "oops", status=500, content_type="text/plain")
    landing.add("/page", PAGE)
    http_server.add("/robots.txt", "User-agent: *\nAllow: /\n", content_type="text/plain")
    url = http_server.redirect("/go", landing.url("/page"))
    with PoliteFetcher(Politeness(delay_s=0.0), allow_private=True) as polite:
        with pytest.raises(FetchError, match=r"robots.txt unreachable \(HTTP 500\) \(redirect to "):
            polite.fetch(url)
    assert [r.path for r in landing.requests] == ["/robots.txt"]


def test_redirects_from_several_hosts_wait_their_turn_on_the_host_they_land_on(http_server) -> None:
    """Two sites (localhost, 127.0.0.1) redirect to one page of 127.0.0.1: the landing requests keep its delay
    (they went out back to back, past the per-host limit, before)."""
    http_server.add("/page", PAGE)
    first = http_server.redirect("/r1", http_server.url("/page")).replace("127.0.0.1", "localhost")
    second = http_server.redirect("/r2", http_server.url("/page"))
    start = time.monotonic()
    with PoliteFetcher(Politeness(delay_s=0.4, robots=False, concurrency=4), allow_private=True) as polite:
        results = list(polite.fetch_all([first, second]))
    assert [type(r).__name__ for _, r in results] == ["Page", "Page"]
    # 127.0.0.1 serves /r2, then the two landings, 0.4 s apart each
    assert time.monotonic() - start >= 0.75


def test_a_busy_server_is_asked_again_after_its_retry_after(http_server) -> None:
    url = http_server.add("/busy", "<html>busy</html>", status=429, headers={"Retry-After": "2"})
    waits: list[float] = []
    with PoliteFetcher(Politeness(delay_s=0.0, robots=False, retries=2, backoff_s=0.5), allow_private=True,
                       sleep=waits.append) as polite:
        with pytest.raises(FetchError, match=r"HTTP 429 Too Many Requests \(retried 2 times\)"):
            polite.fetch(url)
    assert waits == [2.0, 2.0]  # the server's 2 s, longer than the backoff's 0.5 s and 1 s


def test_retry_after_reads_seconds_and_http_dates() -> None:
    assert retry_after_s("120") == 120.0
    assert retry_after_s("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # a date in the past: no wait
    assert retry_after_s("soon") is None and retry_after_s(None) is None


def test_a_robots_txt_in_an_encoding_it_cannot_read_disallows_the_host_saying_why(http_server) -> None:
    """A zstd robots.txt was read as empty, which allows everything (httpx advertised zstd for it)."""
    http_server.add("/robots.txt", b"\x28\xb5\x2f\xfd not really zstd", content_type="text/plain",
                    headers={"Content-Encoding": "zstd"})
    url = http_server.add("/private/page", PAGE)
    with PoliteFetcher(Politeness(delay_s=0.0), allow_private=True) as polite:
        refusal = polite.robots_refusal(url)
    assert refusal is not None and "robots.txt unreadable" in refusal and "zstd" in refusal
    robots_request = next(r for r in http_server.requests if r.path == "/robots.txt")
    accepted = {k.lower(): v for k, v in robots_request.headers.items()}["accept-encoding"]
    assert "gzip" in accepted and "zstd" not in accepted


def test_a_url_that_cannot_be_fetched_keeps_its_site_in_its_verdict(http_server) -> None:
    """Probe 14: a refused URL's verdict had no domain, so tables could not count it against its site."""
    from detector.score import score

    url = http_server.add("/gone", "<html>gone</html>", status=410)
    (verdict,) = score([url], allow_private=True)
    assert verdict.error == "HTTP 410 Gone" and verdict.url == url and verdict.domain == "127.0.0.1"
    (bad,) = score(["http://[not an ip]/x"], allow_private=True)
    assert bad.error and bad.domain is None


def test_a_fetcher_left_early_fetches_again_and_a_stopped_one_gives_up_at_once(http_server) -> None:
    """Leaving ``fetch_all`` early stops the fetches it had in flight (an interrupted audit's must not hold it
    for a slow server's time limit); the same fetcher then fetches again. ``stop`` makes a slow read give up."""
    pages = [http_server.add(f"/p{i}", "<html><body><p>" + "word " * 60 + "</p></body></html>") for i in range(6)]
    slow = http_server.add("/slow", "<html><body><p>" + "word " * 60 + "</p></body></html>", delay=30)
    with PoliteFetcher(Politeness(delay_s=0.0, robots=False), allow_private=True) as polite:
        for _ in polite.fetch_all(pages):
            break
        assert all(not isinstance(r, FetchError) for _, r in polite.fetch_all(pages[:3]))
        import threading

        threading.Timer(0.5, polite.stop).start()
        started = time.monotonic()
        ((_, result),) = list(polite.fetch_all([slow]))
        assert isinstance(result, FetchError) and result.message == "interrupted before it finished"
        assert time.monotonic() - started < 5


def test_a_robots_txt_read_cut_short_by_stop_leaves_no_refusal_behind(http_server) -> None:
    """A stopped robots.txt read marked the host unread but kept its 'robots.txt unreachable' reason, so every
    later fetch of that host was refused though its robots.txt then answered (a review found it)."""
    import threading

    http_server.add("/robots.txt", "User-agent: *\nAllow: /\n", content_type="text/plain", delay=3)
    page = http_server.add("/page", "<html><body><p>" + "word " * 60 + "</p></body></html>")
    with PoliteFetcher(Politeness(delay_s=0.0), allow_private=True) as polite:
        threading.Timer(0.5, polite.stop).start()
        ((_, first),) = list(polite.fetch_all([page]))
        assert isinstance(first, FetchError) and first.message == "interrupted before it finished"
        polite.fetcher.resume()
        http_server.add("/robots.txt", "User-agent: *\nAllow: /\n", content_type="text/plain")  # answers now
        ((_, second),) = list(polite.fetch_all([page]))
        assert not isinstance(second, FetchError), second
