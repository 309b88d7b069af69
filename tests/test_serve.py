"""`build.py serve`: a real server in a subprocess, edited, broken and fixed while it runs."""

from __future__ import annotations

import html
import json
import os
import queue
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from conftest import CHART_CACHE, PROJECT

from factsite.cli import main
from factsite.inputs import INPUT_FOLDERS
from factsite.serve import Snapshot, output_path, with_live_reload

WAIT = 15  # seconds; the longest any step may take before the test fails


@dataclass
class Server:
    url: str  # http://127.0.0.1:PORT
    log: list[str]  # every line the server printed so far
    process: subprocess.Popen


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=WAIT) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def wait_until(what: str, condition, timeout: float = WAIT):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.05)
    pytest.fail(f"gave up after {timeout} s waiting for {what}")


def events(url: str):
    """The build events of a server, one parsed dict at a time."""
    response = urllib.request.urlopen(url + "/__factsite/events", timeout=WAIT)
    try:
        data = []
        for raw in response:
            line = raw.decode().rstrip("\n")
            if line.startswith("data: "):
                data.append(line[6:])
            elif not line and data:
                yield json.loads("\n".join(data))
                data = []
    finally:
        response.close()


def next_event(stream, condition, limit: int = 10) -> dict:
    """The first event that meets `condition`; an edit may be seen as more than one change."""
    for _ in range(limit):
        event = next(stream)
        if condition(event):
            return event
    pytest.fail(f"no such event in {limit}")


@contextmanager
def serving(site: Path, *options: str):
    """`build.py serve` on a free port; always stopped, within seconds, however the test ends."""
    process = subprocess.Popen(
        [
            sys.executable,
            str(PROJECT / "build.py"),
            "serve",
            "--site",
            str(site),
            "--port",
            "0",
            "--cache",
            str(CHART_CACHE),
            *options,
        ],
        cwd=site,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
        # As in a terminal, even under CI. preexec_fn is unsafe only with threads running: none is yet.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # noqa: PLW1509
    )
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line.rstrip("\n")) for line in process.stderr], daemon=True).start()
    log: list[str] = []
    try:
        deadline = time.monotonic() + 60  # the first build may render charts
        while time.monotonic() < deadline:
            try:
                log.append(lines.get(timeout=0.2))
            except queue.Empty:
                assert process.poll() is None, f"serve exited with {process.returncode}: {log}"
                continue
            started = re.search(r"serving (http://127\.0\.0\.1:\d+)/", log[-1])
            if started:
                break
        else:
            pytest.fail(f"serve did not start: {log}")
        server = Server(started.group(1), log, process)
        threading.Thread(target=lambda: [log.append(lines.get()) for _ in iter(int, 1)], daemon=True).start()
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def overlay_error(page: str) -> str | None:
    """The error shown in the page's build-error panel; None while the panel is hidden."""
    match = re.search(
        r'<div id="factsite-build-error" role="alert"( hidden)?[^>]*>.*?<pre[^>]*>(.*?)</pre>', page, re.S
    )
    assert match, "the page has no build-error panel"
    return None if match.group(1) else html.unescape(match.group(2))


def test_serve_rebuilds_on_edit_and_keeps_the_last_good_build_through_an_error(site):
    facts = site / "content" / "facts" / "main.yaml"
    good_facts = facts.read_text()
    with serving(site) as server:
        status, home = fetch(server.url + "/")
        assert status == 200 and "Fixture explainer" in home
        assert '<script src="/__factsite/live.js"' in home and overlay_error(home) is None
        # the site answers at its published path too (site.yaml url: .../explainer), as on GitHub Pages
        assert fetch(server.url + "/explainer/second.html")[0] == 200
        status, missing = fetch(server.url + "/no-such-page.html")
        assert status == 404 and "Page not found" in missing
        status, script = fetch(server.url + "/__factsite/live.js")
        assert status == 200 and "EventSource" in script
        stream = events(server.url)
        first_build = next(stream)["build"]

        second = site / "content" / "second.md"
        second.write_text(second.read_text().replace("Again", "Once more"))
        next_event(stream, lambda e: e["build"] != first_build and not e["error"])
        wait_until("the edit to be served", lambda: "Once more" in fetch(server.url + "/second.html")[1])

        facts.write_text(good_facts.replace("    value: 159090\n", "    value: [159090\n"))
        broken = next_event(stream, lambda e: e["error"])
        assert "main.yaml" in broken["error"] and "error:" in broken["error"]
        status, page = fetch(server.url + "/second.html")
        assert status == 200 and "Once more" in page, "the last good build is no longer served"
        assert "main.yaml" in (overlay_error(page) or ""), "the page does not show the error"
        wait_until(
            "the error in the terminal", lambda: any("main.yaml:" in line and "error:" in line for line in server.log)
        )

        facts.write_text(good_facts)
        fixed = next_event(stream, lambda e: not e["error"])
        assert fixed["build"] != broken["build"]
        status, page = fetch(server.url + "/second.html")
        assert status == 200 and overlay_error(page) is None
    assert not (site / "_site").exists(), "serve wrote an output folder"


def test_serve_sees_site_yaml_replaced_by_rename(site):
    """Editors that save by renaming a new file over the old one must not end the watch."""
    config = site / "site.yaml"
    with serving(site) as server:
        for title in ("Renamed once", "Renamed twice"):
            replacement = site / ".site.yaml.new"
            replacement.write_text(re.sub(r"^title: .*$", f"title: {title}", config.read_text(), flags=re.M))
            os.replace(replacement, config)
            wait_until(f"title {title!r}", lambda title=title: title in fetch(server.url + "/")[1])


def served(server: Server, page: str, text: str) -> bool:
    """Whether the page is served with `text` and no build error."""
    status, html = fetch(server.url + "/" + page)
    return status == 200 and text in html and overlay_error(html) is None


def test_serve_picks_up_interface_words_in_locales(site):
    """locales/ is an input like content/: made after serve started, then edited."""
    words = site / "locales" / "en" / "LC_MESSAGES" / "messages.po"
    with serving(site) as server:
        assert served(server, "index.html", "Download:")
        for label in ("Get the data:", "Take the data:"):
            words.parent.mkdir(parents=True, exist_ok=True)
            words.write_text(
                f'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                f'msgid "Download:"\nmsgstr "{label}"\n'
            )
            wait_until(f"the label {label!r}", lambda label=label: served(server, "index.html", label))


def test_serve_sees_a_page_deleted_and_written_again_after_a_broken_edit(site):
    """As `git checkout FILE` restores a page: removed and made again at once, which an editor's
    temporary file also is; the preview must leave the error overlay."""
    page = site / "content" / "second.md"
    good = page.read_text()
    with serving(site) as server:
        page.write_text(good.replace('fact("total")', 'fact("totl")', 1))
        wait_until("the error", lambda: "totl" in (overlay_error(fetch(server.url + "/second.html")[1]) or ""))
        page.unlink()
        page.write_text(good.replace("Again", "Restored"))
        wait_until("the restored page", lambda: served(server, "second.html", "Restored"))


def test_serve_sees_a_page_saved_by_renaming(site):
    """Editors that save through a temporary file renamed over the page, or that rename the page to
    a backup and write it anew."""
    page = site / "content" / "second.md"
    with serving(site) as server:
        temporary = site / "content" / ".second.md.tmp"
        temporary.write_text(page.read_text().replace("Again", "Renamed over"))
        os.replace(temporary, page)
        wait_until("the page renamed over", lambda: served(server, "second.html", "Renamed over"))
        text = page.read_text()
        os.replace(page, site / "content" / "second.md~")
        page.write_text(text.replace("Renamed over", "Written anew"))
        wait_until("the page written anew", lambda: served(server, "second.html", "Written anew"))


def test_serve_starts_on_a_broken_site_and_recovers(site):
    page = site / "content" / "index.md"
    good = page.read_text()
    page.write_text(good.replace('fact("total")', 'fact("totl")', 1))
    with serving(site) as server:
        status, html = fetch(server.url + "/")
        assert status == 503 and 'unknown fact "totl" (did you mean "total"?)' in (overlay_error(html) or "")
        page.write_text(good)
        wait_until("the fixed site", lambda: fetch(server.url + "/")[0] == 200)


def test_serve_rebuilds_the_explainer_after_each_one_page_edit(tmp_path):
    """This project's own site: each saved page edit is rebuilt, with no chart drawn again.

    How long that takes is measured by bench/ (timed assertions are flaky on shared machines).
    """
    site = tmp_path / "site"
    for part in INPUT_FOLDERS:
        if (PROJECT / part).is_dir():
            shutil.copytree(PROJECT / part, site / part)
    (site / "site.yaml").write_bytes((PROJECT / "site.yaml").read_bytes())
    page = site / "content" / "index.md"
    published_path = urllib.parse.urlparse(yaml.safe_load((site / "site.yaml").read_text())["url"]).path
    with serving(site) as server:
        stream = events(server.url)
        build = next(stream)["build"]
        for word in ("one", "two", "three"):
            page.write_text(page.read_text() + f"\nEdit {word}.\n")
            build = next_event(stream, lambda e, previous=build: e["build"] != previous and not e["error"])["build"]
            assert f"Edit {word}." in fetch(server.url + published_path + "index.html")[1]
    # the first build may draw charts (the shared cache is cold after any change to the engine); the edits draw none
    rebuilt = [line for line in server.log if line.startswith("rebuilt ")]
    assert len(rebuilt) >= 3 and all(re.search(r", 0 charts in ", line) for line in rebuilt), rebuilt


def test_ctrl_c_stops_serving_at_once_even_with_a_page_open(site):
    with serving(site) as server:
        stream = events(server.url)
        next(stream)  # a page is listening
        server.process.send_signal(signal.SIGINT)
        assert server.process.wait(timeout=WAIT) == 0
        wait_until("the goodbye", lambda: server.log[-1:] == ["stopped"])


def test_serve_refuses_a_busy_port_and_a_folder_without_site_yaml(site, tmp_path, capsys):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = str(busy.getsockname()[1])
        assert main(["serve", "--site", str(site), "--port", port, "--cache", str(CHART_CACHE)]) == 2
    assert f"port {port} is in use: stop what runs there or pick another with --port" in capsys.readouterr().err
    assert main(["serve", "--site", str(tmp_path), "--port", "0"]) == 2
    assert "holds no site.yaml" in capsys.readouterr().err


# ---- the pieces, without a server ----------------------------------------------------------


def test_output_path_maps_urls_to_files():
    assert output_path("/", "/") == "index.html"
    assert output_path("/sources.html?x=1#a", "/") == "sources.html"
    assert output_path("/repo/", "/repo/") == "index.html"
    assert output_path("/repo", "/repo/") == "index.html"
    assert output_path("/repo/charts/a%20b.svg", "/repo/") == "charts/a b.svg"
    assert output_path("/repository.html", "/repo/") == "repository.html"


def test_live_reload_goes_before_body_end_and_escapes_the_error():
    page = b"<html><body><p>x</p></body></html>"
    shown = with_live_reload(page, Snapshot({}, "/", "7-1", 'a.yaml:1: error: "<script>"'))
    assert shown.startswith(b'<html><body><p>x</p><div id="factsite-build-error"')
    assert shown.endswith(b"</body></html>")
    assert b"&lt;script&gt;" in shown and b'data-build="7-1"' in shown
    assert b" hidden" not in shown.split(b">")[3]
    assert b" hidden style" in with_live_reload(page, Snapshot({}, "/", "7-2", ""))


def test_build_output_has_no_live_reload(built_fixture):
    for path in built_fixture.rglob("*"):
        if path.is_file():
            assert b"__factsite" not in path.read_bytes() and b"factsite-build-error" not in path.read_bytes(), path


# ---- in a browser: the reload script itself ----------------------------------------------


def test_open_page_shows_the_error_then_reloads_when_fixed(site, browser):
    facts = site / "content" / "facts" / "main.yaml"
    good_facts = facts.read_text()
    second = site / "content" / "second.md"
    with serving(site, "--verbose") as server:
        page = browser.new_page()
        try:
            page.set_default_timeout(WAIT * 1000)
            page.goto(server.url + "/second.html")
            wait_until(
                "the page to listen for builds", lambda: any("GET /__factsite/events" in line for line in server.log)
            )
            page.evaluate("window.notReloaded = true")
            panel = page.locator("#factsite-build-error")
            assert panel.is_hidden()

            facts.write_text(good_facts.replace("    value: 159090\n", "    value: [159090\n"))
            panel.wait_for(state="visible")
            assert "main.yaml" in panel.locator("pre").inner_text()
            assert page.evaluate("window.notReloaded === true"), "a failed build must not reload the page"

            facts.write_text(good_facts)
            page.wait_for_function("() => window.notReloaded === undefined")
            assert panel.is_hidden()

            second.write_text(second.read_text().replace("Again", "Once more"))
            page.wait_for_function("() => document.body.textContent.includes('Once more')")
        finally:
            page.close()
