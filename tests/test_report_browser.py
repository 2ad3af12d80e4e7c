"""The audit report opens offline in headless Chromium: every chart renders and the console shows no errors."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
websocket = pytest.importorskip("websocket", reason="install websocket-client for the browser test")


class DevTools:
    """A minimal Chrome DevTools Protocol client over one page's websocket."""

    def __init__(self, url: str) -> None:
        self.ws = websocket.create_connection(url, timeout=30)
        self.next_id = 0
        self.events: list[dict[str, Any]] = []

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.next_id:
                return message.get("result", {})
            self.events.append(message)

    def errors(self) -> list[str]:
        found = []
        for event in self.events:
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                found.append(" ".join(str(a.get("value", a.get("description"))) for a in params.get("args", [])))
            elif method == "Runtime.exceptionThrown":
                found.append(params["exceptionDetails"].get("text", "exception"))
            elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
                found.append(params["entry"].get("text", "log error"))
        return found


def _launch(tmp_path: Path, scratch: Path) -> tuple[subprocess.Popen[bytes], str]:
    profile = tmp_path / "profile"
    process = subprocess.Popen(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", "--disable-sync", "--remote-debugging-port=0",
         f"--user-data-dir={profile}", "about:blank"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, "TMPDIR": str(scratch)})
    port_file = profile / "DevToolsActivePort"
    deadline = time.monotonic() + 30
    while not port_file.exists() or not port_file.read_text().strip():
        if time.monotonic() > deadline or process.poll() is not None:
            process.kill()
            pytest.fail("chromium did not start")
        time.sleep(0.1)
    port = port_file.read_text().split()[0]
    for _ in range(50):
        try:
            targets = json.loads(urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=5).read())
            page = next(t for t in targets if t.get("type") == "page")
            return process, page["webSocketDebuggerUrl"]
        except (OSError, StopIteration):
            time.sleep(0.1)
    process.kill()
    pytest.fail("no DevTools page target")


def _render(tmp_path: Path, report: Path, expected: int) -> tuple[int, int, list[str]]:
    """Open the report in headless Chromium; return charts rendered, SVG charts in the DOM, console errors."""
    # Chromium keeps its singleton socket in a folder under TMPDIR and leaves it there when terminated; a
    # short path of our own (a socket path may not exceed 107 bytes), removed afterwards
    scratch = Path(tempfile.mkdtemp(prefix="cfd-chromium-"))
    try:
        process, ws_url = _launch(tmp_path, scratch)
        try:
            tools = DevTools(ws_url)
            for domain in ("Runtime", "Log", "Page"):
                tools.call(f"{domain}.enable")
            tools.call("Page.navigate", url=report.resolve().as_uri())
            rendered, deadline = 0, time.monotonic() + 60
            while time.monotonic() < deadline:
                value = tools.call("Runtime.evaluate", expression="window.renderedCharts || 0", returnByValue=True)
                rendered = value.get("result", {}).get("value", 0)
                if rendered >= expected:
                    break
                time.sleep(0.2)
            svgs = tools.call("Runtime.evaluate", returnByValue=True,
                              expression="document.querySelectorAll('.chart svg.marks').length")["result"]["value"]
            return rendered, svgs, tools.errors()
        finally:
            process.terminate()
            process.wait(timeout=10)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)")
def test_seed_audit_report_renders_every_chart_offline_without_console_errors(tmp_path: Path, seed_dir: Path) -> None:
    from detector.audit import audit

    result = audit([str(seed_dir)], tmp_path / "out", workers=1)
    assert result.report is not None
    text = result.report.read_text(encoding="utf-8")
    assert "<script src" not in text and "cdn." not in text.lower() and "<link" not in text
    expected = text.count("class='chart' id='chart-")
    assert expected >= 4
    assert _render(tmp_path, result.report, expected) == (expected, expected, [])


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)")
def test_report_with_classifier_output_renders_all_five_charts(tmp_path: Path) -> None:
    from tests.test_audit_tables import _tables, _verdicts

    from detector.report import write_report

    pages, domains, edges = _tables()
    path = write_report(tmp_path / "report.html", pages, domains, edges, [{"verdict": v.to_dict()} for v in _verdicts()])
    assert _render(tmp_path, path, 5) == (5, 5, [])
