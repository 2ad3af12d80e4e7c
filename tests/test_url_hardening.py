"""Malformed URLs and unreachable robots.txt: each bad URL is refused in one line naming it, the batch goes on.

Found by an outside probe: one ``http://[::1`` in a URL list stopped a whole audit with ``error: Invalid
IPv6 URL``; robots.txt failures of every kind read "disallowed by robots.txt"; a redirect to ``javascript:``
surfaced httpx's own words; ``http://127.0.0.1:99999/x`` was a refused connection. Real HTTP on 127.0.0.1.
"""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from typer.testing import CliRunner

from detector.audit import audit
from detector.errors import FetchError
from detector.fetch import Fetcher, fetch
from detector.netguard import AddressPolicy
from detector.politeness import Politeness, PoliteFetcher
from detector.records import Page
from detector.urls import UNSUPPORTED_SCHEME, url_problem
from tests.conftest_http import TestServer

pytest_plugins = ["tests.conftest_http"]

MALFORMED = {
    "http://[::1": "unclosed '['",
    "http://[zz]/": "'zz' is not an IPv6 address",
    "http://": "no host",
    "https://:80/": "no host",
    "http://127.0.0.1:99999/x": "port '99999' out of range (1-65535)",
    "http://example.com:0/": "port '0' out of range",
    "http://example.com:8a/": "port '8a' is not a number",
    "http://exa mple.com/": "invalid character ' ' in the host",
    "http://exa%20mple.com/": "invalid character '%' in the host",
    "http://a..b/": "empty label in the host 'a..b'",
    "http://-x-.com/": "starts or ends with a hyphen",
    "http://xn--/": "'xn--' is not a valid internationalised (punycode) label",
    "http://999.1.1.1/": "'999.1.1.1' is not a valid IPv4 address",
    "http://" + "a" * 64 + ".com/": "longer than 63 characters (64)",
    "http://" + ("a" * 60 + ".") * 5 + "com/": "host name longer than 253 characters",
    "http://::1/": "an IPv6 address is written in brackets",
}
GOOD = ["https://www.balkanweb.com/a?b=1#c", "http://bücher.de/", "http://xn--bcher-kva.de/", "http://[::1]:8080/x",
        "http://user:pw@example.com:8080/", "http://example.com./", "http://2130706433/", "http://a_b.example.com/",
        "http://foo-.blogspot.com/", "HTTP://EXAMPLE.COM", "http://host:/x", "http://example.com/a b"]


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _polite(fetcher: Fetcher | None = None, **politeness: object) -> PoliteFetcher:
    settings = Politeness(delay_s=0.0, **politeness)  # type: ignore[arg-type]
    return PoliteFetcher(settings, allow_private=True, fetcher=fetcher)


# ------------------------------------------------------------------------------------------ url_problem


@pytest.mark.parametrize("url", sorted(MALFORMED))
def test_url_problem_names_what_is_wrong_in_one_line(url: str) -> None:
    problem = url_problem(url)
    assert problem is not None and problem.startswith("invalid URL: ") and MALFORMED[url] in problem
    assert "\n" not in problem and len(problem) < 200


@pytest.mark.parametrize("url", GOOD)
def test_url_problem_passes_urls_that_can_be_fetched(url: str) -> None:
    assert url_problem(url) is None


@pytest.mark.parametrize("url", ["ftp://x/file", "javascript:alert(1)", "file:///etc/passwd", "example.com", ""])
def test_url_problem_refuses_what_is_not_http(url: str) -> None:
    assert url_problem(url) in (UNSUPPORTED_SCHEME, "invalid URL: empty")


def test_malformed_urls_cost_no_dns_lookup_and_no_robots_request(http_server: TestServer) -> None:
    """The probe saw DNS queries for ``exa mple.com``, ``a..b`` and ``-x-.com``."""
    looked_up: list[str] = []

    def resolver(host: str, port: int) -> list[str]:
        looked_up.append(host)
        return ["127.0.0.1"]

    http_server.add("/robots.txt", "User-agent: *\nAllow: /\n", content_type="text/plain")
    page = http_server.add("/a", "<html><body><p>hello</p></body></html>")
    with Fetcher(allow_private=True, policy=AddressPolicy(resolver=resolver)) as fetcher, _polite(fetcher) as polite:
        results = dict(polite.fetch_all([*MALFORMED, page]))
    assert isinstance(results[page], Page)
    for url, expected in MALFORMED.items():
        assert isinstance(results[url], FetchError) and expected in results[url].message, url
        assert results[url].target == url
    assert looked_up == [] and {r.path for r in http_server.requests} == {"/robots.txt", "/a"}


def test_fetch_refuses_a_port_out_of_range_instead_of_connecting() -> None:
    with pytest.raises(FetchError) as info:
        fetch("http://127.0.0.1:99999/x", allow_private=True)
    assert info.value.target == "http://127.0.0.1:99999/x"
    assert info.value.message == "invalid URL: port '99999' out of range (1-65535)"


def test_fetch_names_a_bad_ipv6_url_as_typed() -> None:
    with pytest.raises(FetchError) as info:
        fetch("http://[zz]/", allow_private=True)
    assert info.value.target == "http://[zz]/" and "'zz' is not an IPv6 address" in info.value.message


# ---------------------------------------------------------------------------------------------- audits


def test_an_audit_refuses_a_malformed_url_and_audits_the_rest(tmp_path: Path, seed_dir: Path,
                                                              http_server: TestServer) -> None:
    good = http_server.add("/kyiv", (seed_dir / "kyivpost.html").read_bytes())
    urls = tmp_path / "urls.txt"
    urls.write_text(f"{good}\nhttp://[::1\nhttp://[zz]/\n", encoding="utf-8")
    errors: list[tuple[str, str]] = []
    result = audit([str(urls)], tmp_path / "out", workers=1, allow_private=True, report=False,
                   politeness=Politeness(delay_s=0.0), on_error=lambda name, message: errors.append((name, message)))
    pages = result.tables()["pages"]
    assert pages.filter(pages["error"].is_null())["url"].to_list() == [good]
    refused = dict(errors)
    assert set(refused) == {"http://[::1", "http://[zz]/"}
    assert "unclosed '['" in refused["http://[::1"] and "'zz' is not an IPv6 address" in refused["http://[zz]/"]
    assert result.summary["errors"] == 2 and result.summary["pages"] == 1


def test_the_audit_command_finishes_and_names_the_malformed_url(tmp_path: Path, seed_dir: Path,
                                                                http_server: TestServer) -> None:
    from detector.cli import app

    good = http_server.add("/kyiv", (seed_dir / "kyivpost.html").read_bytes())
    urls = tmp_path / "urls.txt"
    urls.write_text(f"{good}\nhttp://[::1\n", encoding="utf-8")
    run = CliRunner().invoke(app, ["audit", "--out", str(tmp_path / "out"), "--workers", "1", "--quiet",
                                   "--no-report", "--allow-private", "--delay", "0", str(urls)])
    assert run.exit_code == 2, run.output
    assert "refused http://[::1: invalid URL: unclosed '['" in run.output
    assert "Invalid IPv6 URL" not in run.output and (tmp_path / "out" / "pages.parquet").exists()


# ------------------------------------------------------------------------------------------ robots.txt


def test_unreachable_robots_txt_says_why_the_page_was_not_fetched(http_server: TestServer) -> None:
    http_server.add("/robots.txt", "oops", status=500, content_type="text/plain")
    page = http_server.add("/page", "<html><body><p>x</p></body></html>")
    dead = f"http://127.0.0.1:{_closed_port()}/page"
    with _polite() as polite:
        results = dict(polite.fetch_all([page, dead]))
        assert polite.allowed(page) is False and polite.allowed(dead) is False  # the policy stays: disallow
    assert results[page].message == "not fetched: robots.txt unreachable (HTTP 500)"
    # no server on the port: the user is told the page's host refused, not that its robots.txt is missing
    assert results[dead].message == "not fetched: host unreachable (connection refused, while reading robots.txt)"
    assert [r.path for r in http_server.requests] == ["/robots.txt"]


def test_a_robots_txt_that_never_answers_times_out_with_its_own_limit(http_server: TestServer) -> None:
    http_server.add("/robots.txt", "User-agent: *\nAllow: /\n", content_type="text/plain", delay=3.0)
    page = http_server.add("/page", "<html><body><p>x</p></body></html>")
    with _polite(robots_timeout_s=0.3) as polite, pytest.raises(FetchError) as info:
        polite.fetch(page)
    assert info.value.message == "not fetched: robots.txt unreachable (timed out after 0.3 s)"


def test_a_disallow_rule_is_still_disallowed_by_robots_txt(http_server: TestServer) -> None:
    http_server.add("/robots.txt", "User-agent: *\nDisallow: /private\n", content_type="text/plain")
    page = http_server.add("/private/x", "<html><body><p>x</p></body></html>")
    with _polite() as polite, pytest.raises(FetchError) as info:
        polite.fetch(page)
    assert info.value.message == "disallowed by robots.txt"


def test_a_host_that_does_not_resolve_is_a_plain_dns_failure_in_audits() -> None:
    """Was ``ResolveError: DNS lookup failed ...``: the robots.txt request's exception, class name and all."""

    def no_such_host(host: str, port: int) -> list[str]:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    with Fetcher(policy=AddressPolicy(resolver=no_such_host)) as fetcher, _polite(fetcher) as polite:
        ((url, error),) = list(polite.fetch_all(["http://nowhere.invalid/a"]))
    assert isinstance(error, FetchError)
    assert error.message.startswith("DNS lookup failed for nowhere.invalid") and "Error:" not in error.message


# ------------------------------------------------------------------------------------------- redirects


@pytest.mark.parametrize("location", ["javascript:alert(1)", "data:text/html,<p>x</p>", "mailto:a@b.example",
                                      "ftp://127.0.0.1/x.html"])
def test_a_redirect_to_a_scheme_never_fetched_is_refused_clearly(http_server: TestServer, location: str) -> None:
    url = http_server.redirect("/go", location)
    scheme = location.split(":", 1)[0]
    with pytest.raises(FetchError) as info:
        fetch(url, allow_private=True)
    assert info.value.message == (f"refused scheme {scheme!r}: only http and https are fetched "
                                  f"(redirect to {location!r})")
    with _polite(robots=False) as polite:
        ((_, error),) = list(polite.fetch_all([url]))
    assert error.message == info.value.message


def test_a_redirect_to_a_malformed_url_is_refused_with_its_reason(http_server: TestServer) -> None:
    url = http_server.redirect("/go", "http://127.0.0.1:99999/x")
    with pytest.raises(FetchError) as info:
        fetch(url, allow_private=True)
    assert info.value.message == ("invalid redirect target 'http://127.0.0.1:99999/x': "
                                  "port '99999' out of range (1-65535)")


def test_a_refused_url_is_named_as_typed_even_with_brackets() -> None:
    """Rich read '[zz]' in 'http://[zz]/' as a style tag and printed the refused input as 'http:///'."""
    from detector.cli import app

    run = CliRunner().invoke(app, ["score", "http://[zz]/", "--format", "jsonl"])
    assert run.exit_code == 2
    assert "refused http://[zz]/: invalid URL" in run.output
