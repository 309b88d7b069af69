"""One reader's browser, whichever engine draws the page: the reader tests are written once against
`Reader` and run in Chromium, Gecko (Firefox ESR) and WebKit (WebKitGTK).

Each engine is driven by what can drive the browser Debian ships, with nothing downloaded:
- Chromium by Playwright (the Chromium-only checks use it directly too);
- Firefox by WebDriver BiDi, which Firefox speaks itself (`--remote-debugging-port`), through the
  small client below over `websockets`. Playwright 1.65 has a BiDi Firefox ("moz-firefox"), but every
  new context sends emulation.setMediaFeaturesOverride, which Firefox ESR 153 does not know, and
  Selenium reaches Firefox only through geckodriver, which Debian does not package;
- WebKitGTK by Selenium's WebKitGTK driver (WebKitWebDriver starting MiniBrowser in an Xvfb display).

A reader opens with a window width and a colour scheme. Each engine keeps one browser per colour
scheme for the session (Firefox and MiniBrowser take the scheme at launch), opening a fresh tab or
frame per page so nothing one page does is counted against the next.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Protocol

from .harness import FRAME_PAGE, missing_browser

ENGINES = ("chromium", "firefox", "webkit")
HEIGHT = 800  # a reader's window height unless a test asks for another, in CSS px
WAIT = 60.0  # seconds any wait may last: a bound on a hang on a busy machine, not a benchmark

# Install hints for a missing engine, by engine.
INSTALL = {
    "chromium": "apt-get install chromium",
    "firefox": "apt-get install firefox-esr",
    "webkit": "apt-get install webkit2gtk-driver xvfb",
}
FIREFOX_COMMANDS = ("firefox-esr", "firefox")
MINIBROWSER_PLACES = (
    "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser",
    "/usr/lib/aarch64-linux-gnu/webkit2gtk-4.1/MiniBrowser",
    "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.0/MiniBrowser",
    "/usr/lib/aarch64-linux-gnu/webkit2gtk-4.0/MiniBrowser",
)

# What a WebDriver key action sends for the keys the tests press (the WebDriver spec's code points).
KEYS = {
    "Tab": "\ue004",
    "Enter": "\ue007",
    "Space": " ",
    "Backspace": "\ue003",
    "Escape": "\ue00c",
    "ArrowLeft": "\ue012",
    "ArrowUp": "\ue013",
    "ArrowRight": "\ue014",
    "ArrowDown": "\ue015",
}


class Reader(Protocol):
    """One reader's window: a page at a time, read by script, used by keyboard and pointer."""

    engine: str

    def goto(self, url: str) -> None:
        """Open the page in a fresh tab (or frame), once it has loaded; forgets the last page's events."""

    def evaluate(self, function: str, arg: Any = None) -> Any:
        """Call a JavaScript function expression in the page, with one JSON-like argument; a promise is awaited."""

    def press(self, key: str) -> None:
        """Press and release a key of KEYS, or type one character."""

    def reach(self, selector: str) -> None:
        """Move the pointer onto the centre of the first element matching selector, scrolled into view."""

    def leave(self) -> None:
        """Move the pointer off the page's content, to its top left corner."""

    def screenshot(self, path: Path) -> None:
        """A PNG of the whole page (WebKit: of the window)."""

    def problems(self) -> list[str]:
        """Errors and warnings the page logged, uncaught errors, failed requests, since goto."""

    def requests(self) -> list[str]:
        """URLs the page asked for since goto (the page's own address included)."""


def wait_until(reader: Reader, function: str, arg: Any = None, timeout: float = WAIT, what: str = "") -> Any:
    """Call the function in the page until it returns something truthy; returns it, or fails saying what."""
    deadline = time.monotonic() + timeout
    while True:
        value = reader.evaluate(function, arg)
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"{reader.engine}: waited {timeout:g} s for {what or function}")
        time.sleep(0.05)


def type_text(reader: Reader, text: str) -> None:
    for character in text:
        reader.press(character)


FIGURES = "() => [...document.querySelectorAll('figure[data-chart]')].map(figure => figure.dataset.chart)"
FIGURE_SETTLED = (
    "chart => document.querySelector(`figure[data-chart='${chart}']`).matches('.is-interactive, .stays-static')"
)
NO_TOOLTIP = "() => !document.querySelector('#vg-tooltip-element.visible')"


def reach_charts(reader: Reader, timeout: float = WAIT) -> None:
    """Reach for every chart as a reader does, then wait until charts.js is done with each: made
    interactive, or left static on purpose (a combined chart too wide for a narrow column, or one
    Vega could not draw).

    charts.js loads the Vega bundle only when a pointer or keyboard focus reaches a figure, so each
    figure not done yet gets the pointer (scrolled into view first) and is waited for in turn. Then
    the pointer leaves the charts, the tooltip it opened is waited out (Vega hides it on the next
    pointer event), and the page scrolls back to its top."""
    for chart in reader.evaluate(FIGURES):
        if not reader.evaluate(FIGURE_SETTLED, chart):
            reader.reach(f"figure[data-chart='{chart}']")
            wait_until(reader, FIGURE_SETTLED, chart, timeout, f"charts.js to finish with chart {chart}")
    reader.leave()
    wait_until(reader, NO_TOOLTIP, None, timeout, "the chart's tooltip to close")
    reader.evaluate("() => window.scrollTo(0, 0)")


def wait_for_charts(page, timeout: float = WAIT) -> None:
    """reach_charts for a Playwright page of the Chromium-only checks."""
    reach_charts(ChromiumReader.showing(page), timeout)


# ---------------------------------------------------------------- Chromium, through Playwright


class ChromiumReader:
    engine = "chromium"

    def __init__(self, browser, width: int, height: int, scheme: str):
        self.context = browser.new_context(viewport={"width": width, "height": height}, color_scheme=scheme)
        self.page = None
        self.seen_problems: list[str] = []
        self.seen_requests: list[str] = []

    @classmethod
    def showing(cls, page) -> ChromiumReader:
        """A reader of a page a test opened itself (its events are not recorded)."""
        reader = cls.__new__(cls)
        reader.context, reader.page, reader.seen_problems, reader.seen_requests = page.context, page, [], []
        return reader

    def goto(self, url: str) -> None:
        if self.page is not None:
            self.page.close()
        self.page = page = self.context.new_page()
        problems: list[str] = []
        requests: list[str] = []
        self.seen_problems, self.seen_requests = problems, requests
        page.on(
            "console",
            lambda message: (
                message.type in ("error", "warning") and problems.append(f"console {message.type}: {message.text}")
            ),
        )
        page.on("pageerror", lambda error: problems.append(f"uncaught: {error}"))
        page.on("request", lambda request: requests.append(request.url))
        page.on("requestfailed", lambda request: problems.append(f"failed: {request.url} ({request.failure})"))
        page.on(
            "response",
            lambda response: response.status >= 400 and problems.append(f"HTTP {response.status}: {response.url}"),
        )
        page.goto(url)

    def evaluate(self, function: str, arg: Any = None) -> Any:
        return self.page.evaluate(function, arg)

    def press(self, key: str) -> None:
        if len(key) == 1:
            self.page.keyboard.type(key)  # any character, where press() knows the US keyboard's only
        else:
            self.page.keyboard.press(key)

    def reach(self, selector: str) -> None:
        self.page.locator(selector).first.hover(timeout=WAIT * 1000)

    def leave(self) -> None:
        self.page.mouse.move(0, 0)

    def screenshot(self, path: Path) -> None:
        self.page.screenshot(path=path, full_page=True)

    def problems(self) -> list[str]:
        return list(self.seen_problems)

    def requests(self) -> list[str]:
        return list(self.seen_requests)

    def close(self) -> None:
        self.context.close()


# ---------------------------------------------------------------- Firefox, through WebDriver BiDi


class BiDiError(RuntimeError):
    pass


def to_bidi(value: Any) -> dict:
    """A Python value as a BiDi LocalValue."""
    if value is None:
        return {"type": "null"}
    if isinstance(value, bool):
        return {"type": "boolean", "value": value}
    if isinstance(value, (int, float)):
        return {"type": "number", "value": value}
    if isinstance(value, str):
        return {"type": "string", "value": value}
    if isinstance(value, (list, tuple)):
        return {"type": "array", "value": [to_bidi(item) for item in value]}
    if isinstance(value, dict):
        return {"type": "object", "value": [[str(key), to_bidi(item)] for key, item in value.items()]}
    raise TypeError(f"cannot pass {type(value).__name__} to the page")


NUMBERS = {"NaN": float("nan"), "Infinity": float("inf"), "-Infinity": float("-inf"), "-0": -0.0}


def from_bidi(remote: dict) -> Any:
    """A BiDi RemoteValue as a Python value (nodes and other handles as their type name)."""
    kind, value = remote["type"], remote.get("value")
    if kind in ("undefined", "null"):
        return None
    if kind == "number":
        return NUMBERS.get(value, value) if isinstance(value, str) else value
    if kind in ("string", "boolean", "bigint"):
        return value
    if kind in ("array", "set"):
        return [from_bidi(item) for item in value or []]
    if kind in ("object", "map"):
        return {key if isinstance(key, str) else str(from_bidi(key)): from_bidi(item) for key, item in value or []}
    return kind


class BiDiSession:
    """A WebDriver BiDi session over one WebSocket: commands in order, events handed to listeners by context."""

    def __init__(self, url: str):
        from websockets.sync.client import connect

        self.closing = contextlib.ExitStack()
        self.socket = self.closing.enter_context(connect(url, max_size=None, open_timeout=WAIT))
        self.last_id = 0
        self.listeners: dict[str, Callable[[str, dict], None]] = {}  # browsing context -> listener
        self.send("session.new", {"capabilities": {}})

    def send(self, method: str, params: dict) -> dict:
        self.last_id += 1
        self.socket.send(json.dumps({"id": self.last_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv(timeout=WAIT))
            if message.get("type") == "event":
                context = message["params"].get("context") or message["params"].get("source", {}).get("context")
                if context in self.listeners:
                    self.listeners[context](message["method"], message["params"])
            elif message.get("id") == self.last_id:
                if message.get("type") == "error":
                    raise BiDiError(f"{method}: {message.get('error')}: {message.get('message')}")
                return message["result"]

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.send("session.end", {})
        self.closing.close()


# Firefox's own background traffic off, and the colour scheme set (0 dark, 1 light) before any page.
FIREFOX_PREFS = {
    "browser.shell.checkDefaultBrowser": False,
    "browser.startup.homepage_override.mstone": "ignore",
    "datareporting.policy.dataSubmissionEnabled": False,
    "toolkit.telemetry.reportingpolicy.firstRun": False,
    "app.update.disabledForTesting": True,
    "browser.safebrowsing.update.enabled": False,
    "network.captive-portal-service.enabled": False,
    "network.connectivity-service.enabled": False,
    "extensions.update.enabled": False,
    "browser.newtabpage.enabled": False,
    "browser.aboutwelcome.enabled": False,
}
BIDI_ADDRESS = re.compile(r"WebDriver BiDi listening on (ws://\S+)")


class Firefox:
    """Firefox ESR, headless, in a throwaway profile, with a BiDi session open; one per colour scheme."""

    def __init__(self, executable: Path, scheme: str):
        self.profile = Path(tempfile.mkdtemp(prefix="factsite-firefox-"))
        prefs = {**FIREFOX_PREFS, "layout.css.prefers-color-scheme.content-override": 0 if scheme == "dark" else 1}
        (self.profile / "user.js").write_text(
            "".join(f"user_pref({json.dumps(name)}, {json.dumps(value)});\n" for name, value in prefs.items())
        )
        command = [str(executable), "--headless", "--no-remote", "--profile", str(self.profile)]
        self.process = subprocess.Popen(
            [*command, "--remote-debugging-port", "0"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        address = self.bidi_address()
        self.session = BiDiSession(f"{address}/session")
        self.session.send(
            "session.subscribe",
            {
                "events": [
                    "log.entryAdded",
                    "network.beforeRequestSent",
                    "network.fetchError",
                    "network.responseCompleted",
                ]
            },
        )

    def bidi_address(self) -> str:
        """The WebSocket address Firefox prints once it listens (read in a thread: a hang fails, not blocks)."""
        found: list[str] = []
        ready = threading.Event()

        def read() -> None:
            for line in self.process.stderr:
                match = BIDI_ADDRESS.search(line)
                if match and not found:
                    found.append(match.group(1))
                    ready.set()
            ready.set()

        threading.Thread(target=read, daemon=True).start()
        ready.wait(WAIT)
        if not found:
            self.process.kill()
            raise RuntimeError(f"Firefox did not open WebDriver BiDi within {WAIT:g} s")
        return found[0]

    def close(self) -> None:
        self.session.close()
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        shutil.rmtree(self.profile, ignore_errors=True)


class FirefoxReader:
    engine = "firefox"

    def __init__(self, firefox: Firefox, width: int, height: int):
        self.session = firefox.session
        self.width, self.height = width, height
        self.context: str | None = None
        self.seen_problems: list[str] = []
        self.seen_requests: list[str] = []

    def listen(self, method: str, params: dict) -> None:
        if method == "log.entryAdded" and params.get("level") in ("error", "warn"):
            where = "uncaught" if params.get("type") == "javascript" else f"console {params['level']}"
            self.seen_problems.append(f"{where}: {params.get('text')}")
        elif method == "network.beforeRequestSent":
            self.seen_requests.append(params["request"]["url"])
        elif method == "network.fetchError":
            self.seen_problems.append(f"failed: {params['request']['url']} ({params.get('errorText')})")
        elif method == "network.responseCompleted" and params["response"]["status"] >= 400:
            self.seen_problems.append(f"HTTP {params['response']['status']}: {params['request']['url']}")

    def goto(self, url: str) -> None:
        self.close()
        self.seen_problems, self.seen_requests = [], []
        self.context = self.session.send("browsingContext.create", {"type": "tab"})["context"]
        self.session.listeners[self.context] = self.listen
        self.session.send(
            "browsingContext.setViewport",
            {"context": self.context, "viewport": {"width": self.width, "height": self.height}},
        )
        self.session.send("browsingContext.navigate", {"context": self.context, "url": url, "wait": "complete"})

    def evaluate(self, function: str, arg: Any = None) -> Any:
        result = self.session.send(
            "script.callFunction",
            {
                "functionDeclaration": function,
                "arguments": [] if arg is None else [to_bidi(arg)],
                "target": {"context": self.context},
                "awaitPromise": True,
                "resultOwnership": "none",
            },
        )
        if result["type"] == "exception":
            raise BiDiError(f"in the page: {result['exceptionDetails'].get('text')}")
        return from_bidi(result["result"])

    def perform(self, actions: list[dict]) -> None:
        self.session.send("input.performActions", {"context": self.context, "actions": actions})

    def press(self, key: str) -> None:
        value = KEYS.get(key, key)
        self.perform(
            [
                {
                    "type": "key",
                    "id": "keyboard",
                    "actions": [{"type": "keyDown", "value": value}, {"type": "keyUp", "value": value}],
                }
            ]
        )

    def move_to(self, x: float, y: float) -> None:
        self.perform(
            [
                {
                    "type": "pointer",
                    "id": "mouse",
                    "parameters": {"pointerType": "mouse"},
                    "actions": [{"type": "pointerMove", "x": int(x), "y": int(y)}],
                }
            ]
        )

    def reach(self, selector: str) -> None:
        centre = self.evaluate(CENTRE, selector)
        self.move_to(centre["x"], centre["y"])

    def leave(self) -> None:
        self.move_to(0, 0)

    def screenshot(self, path: Path) -> None:
        import base64

        shot = self.session.send("browsingContext.captureScreenshot", {"context": self.context, "origin": "document"})
        path.write_bytes(base64.b64decode(shot["data"]))

    def problems(self) -> list[str]:
        self.evaluate("() => 0")  # a round trip: every event sent before it has been handed over
        return list(self.seen_problems)

    def requests(self) -> list[str]:
        self.evaluate("() => 0")
        return list(self.seen_requests)

    def close(self) -> None:
        if self.context is not None:
            self.session.listeners.pop(self.context, None)
            with contextlib.suppress(BiDiError):
                self.session.send("browsingContext.close", {"context": self.context})
            self.context = None


# The viewport point at the centre of an element, scrolled to the middle of the window first.
CENTRE = """selector => {
    const element = document.querySelector(selector);
    element.scrollIntoView({block: 'center', inline: 'center'});
    const box = element.getBoundingClientRect();
    return {x: box.left + box.width / 2, y: box.top + box.height / 2};
}"""


# ---------------------------------------------------------------- WebKitGTK, through Selenium

# What WebKit's WebDriver cannot report (it has no log or network events): the test server adds this
# to the head of every page a WebKit reader with JavaScript opens, before the page's own scripts.
RECORDER = """<script>(function () {
  var seen = window.__readerProblems = [];
  function text(value) {
    return value && value.stack ? String(value) : typeof value === "string" ? value : JSON.stringify(value);
  }
  ["error", "warn"].forEach(function (level) {
    var original = console[level];
    console[level] = function () {
      seen.push("console " + (level === "warn" ? "warning" : level) + ": " + [].map.call(arguments, text).join(" "));
      return original.apply(console, arguments);
    };
  });
  window.addEventListener("error", function (event) {
    var target = event.target;
    if (target && target !== window && (target.src || target.href)) seen.push("failed: " + (target.src || target.href));
    else seen.push("uncaught: " + (event.error ? String(event.error) : event.message));
  }, true);
  window.addEventListener("unhandledrejection", function (event) { seen.push("uncaught: " + text(event.reason)); });
})();</script>"""


def with_recorder(html: str) -> str:
    """A page with RECORDER first in its head (after <meta charset>, which must stay near the top)."""
    head = re.search(r"<meta charset[^>]*>|<head[^>]*>", html)
    assert head, "a page without <head> or <meta charset>"
    return html[: head.end()] + RECORDER + html[head.end() :]


RECORDED = """() => ({
    problems: window.__readerProblems || ['the problem recorder is missing from the page'],
    requests: [location.href, ...performance.getEntriesByType('resource').map(entry => entry.name)],
})"""
# MiniBrowser's window does not get narrower than GTK lets it (447 px here), so a narrower reader's
# page is opened in a frame of its width in a blank page of the same server (harness.FRAME_PAGE).
OPEN_FRAME = """(url, width, height) => new Promise(resolve => {
    const frame = document.createElement('iframe');
    frame.style.cssText = `border: 0; display: block; width: ${width}px; height: ${height}px`;
    frame.addEventListener('load', () => resolve(frame.contentWindow.innerWidth), {once: true});
    frame.src = url;
    document.body.append(frame);
})"""


def find_minibrowser(environ=os.environ, is_file=os.path.isfile) -> str | None:
    named = environ.get("FACTSITE_MINIBROWSER")
    return named or next((place for place in MINIBROWSER_PLACES if is_file(place)), None)


@contextlib.contextmanager
def xvfb_display() -> Iterator[str]:
    """A display for MiniBrowser: an Xvfb server of our own (it picks a free number and tells it)."""
    read, write = os.pipe()
    process = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", "1600x1200x24", "-nolisten", "tcp"],
        pass_fds=(write,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    with os.fdopen(read) as numbers:
        number = numbers.readline().strip()
    try:
        if not number:
            raise RuntimeError("Xvfb did not start")
        yield f":{number}"
    finally:
        process.terminate()
        process.wait(10)


class WebKit:
    """MiniBrowser driven by WebKitWebDriver, on an Xvfb display; one per colour scheme."""

    def __init__(self, minibrowser: str, driver: str, display: str, scheme: str):
        from selenium import webdriver
        from selenium.webdriver.webkitgtk.service import Service

        options = webdriver.WebKitGTKOptions()
        options.binary_location = minibrowser
        options.add_argument("--automation")
        if scheme == "dark":
            options.add_argument("--dark-mode")
        service = Service(executable_path=driver, env={**os.environ, "DISPLAY": display}, log_output=subprocess.DEVNULL)
        self.driver = webdriver.WebKitGTK(options=options, service=service)
        self.driver.set_script_timeout(WAIT)
        self.driver.set_page_load_timeout(WAIT)
        self.smallest = self.narrowest_window()
        self.size: tuple[tuple[int, int], int] = ((0, 0), 0)  # the size last asked for, and the width it gave

    def narrowest_window(self) -> int:
        self.driver.set_window_size(200, HEIGHT)
        return self.driver.execute_script("return innerWidth")

    def resize(self, width: int, height: int) -> int:
        """Make the page's viewport width x height px, as far as the window can be; returns the width it has."""
        if self.size[0] != (width, height):
            self.driver.set_window_size(max(width, self.smallest), height)
            inner = self.driver.execute_script("return [innerWidth, innerHeight, outerWidth, outerHeight]")
            self.driver.set_window_size(max(width, self.smallest) + inner[2] - inner[0], height + inner[3] - inner[1])
            self.size = ((width, height), self.driver.execute_script("return innerWidth"))
        return self.size[1]

    def close(self) -> None:
        self.driver.quit()


class WebKitReader:
    engine = "webkit"

    def __init__(self, webkit: WebKit, width: int, height: int):
        self.webkit = webkit
        self.driver = webkit.driver
        self.width, self.height = width, height

    def goto(self, url: str) -> None:
        driver = self.driver
        driver.switch_to.default_content()
        shown = self.webkit.resize(self.width, self.height)
        if shown == self.width:
            driver.get(url)
            return
        driver.get(frame_page_url(url))
        got = driver.execute_script(f"return ({OPEN_FRAME}).apply(null, arguments)", url, self.width, self.height)
        assert got == self.width, f"webkit: the frame is {got} px wide, not {self.width}"
        driver.switch_to.frame(driver.find_element("css selector", "iframe"))

    def evaluate(self, function: str, arg: Any = None) -> Any:
        return self.driver.execute_script(
            f"return ({function}).apply(null, arguments)", *([] if arg is None else [arg])
        )

    def press(self, key: str) -> None:
        from selenium.webdriver.common.action_chains import ActionChains

        ActionChains(self.driver).send_keys(KEYS.get(key, key)).perform()

    def reach(self, selector: str) -> None:
        from selenium.webdriver.common.action_chains import ActionChains

        element = self.driver.find_element("css selector", selector)
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'center', inline: 'center'})", element)
        ActionChains(self.driver).move_to_element(element).perform()

    def leave(self) -> None:
        from selenium.webdriver.common.actions.action_builder import ActionBuilder

        actions = ActionBuilder(self.driver)
        actions.pointer_action.move_to_location(0, 0)
        actions.perform()

    def screenshot(self, path: Path) -> None:
        self.driver.find_element("css selector", "html").screenshot(str(path))

    def problems(self) -> list[str]:
        return self.evaluate(RECORDED)["problems"]

    def requests(self) -> list[str]:
        return self.evaluate(RECORDED)["requests"]

    def close(self) -> None:
        pass


def frame_page_url(url: str) -> str:
    """The blank page that holds a narrow reader's frame: at the root of the server the page is on."""
    scheme, _, host = url.split("/", 3)[:3]
    return f"{scheme}//{host}/{FRAME_PAGE}"


def find_firefox(environ=os.environ) -> str | None:
    """FACTSITE_FIREFOX as given, else firefox-esr or firefox on PATH."""
    if environ.get("FACTSITE_FIREFOX"):
        return environ["FACTSITE_FIREFOX"]
    return next(filter(None, (shutil.which(command, path=environ.get("PATH")) for command in FIREFOX_COMMANDS)), None)


def missing_engine(engine: str, environ=os.environ) -> str | None:
    """Why an engine cannot run the reader tests here, saying what to install; None when it can."""
    if engine == "chromium":
        return missing_browser(environ)
    if engine == "firefox":
        found = find_firefox(environ)
        if found and os.path.isfile(found):
            return None
        return (
            f"no Firefox found (FACTSITE_FIREFOX, else {' or '.join(FIREFOX_COMMANDS)} on PATH): install it"
            f" (Debian: {INSTALL['firefox']}) or set FACTSITE_FIREFOX to its path"
        )
    needed = {
        "MiniBrowser (FACTSITE_MINIBROWSER)": find_minibrowser(environ),
        "WebKitWebDriver": shutil.which("WebKitWebDriver", path=environ.get("PATH")),
        "Xvfb": shutil.which("Xvfb", path=environ.get("PATH")),
    }
    lacking = [name for name, path in needed.items() if not path or not os.path.isfile(path)]
    return f"no {', '.join(lacking)} found: install them (Debian: {INSTALL['webkit']})" if lacking else None


class Browsers:
    """The session's browsers, started when a reader first needs one: per engine and colour scheme
    (Chromium's one browser takes the scheme per context). `chromium` starts Chromium when asked."""

    def __init__(self, chromium: Callable[[], Any]):
        self.chromium = chromium
        self.started: dict[tuple[str, str], Any] = {}
        self.closing = contextlib.ExitStack()
        self.display: str | None = None

    def browser(self, engine: str, scheme: str):
        key = (engine, "any" if engine == "chromium" else scheme)
        if key not in self.started:
            if engine == "chromium":
                started = self.chromium()
            elif engine == "firefox":
                started = Firefox(Path(find_firefox()), scheme)
                self.closing.callback(started.close)
            else:
                if self.display is None:
                    self.display = self.closing.enter_context(xvfb_display())
                started = WebKit(find_minibrowser(), shutil.which("WebKitWebDriver"), self.display, scheme)
                self.closing.callback(started.close)
            self.started[key] = started
        return self.started[key]

    def reader(self, engine: str, width: int = 1280, scheme: str = "light", height: int = HEIGHT) -> Reader:
        browser = self.browser(engine, scheme)
        if engine == "chromium":
            return ChromiumReader(browser, width, height, scheme)
        if engine == "firefox":
            return FirefoxReader(browser, width, height)
        return WebKitReader(browser, width, height)

    def close(self) -> None:
        self.closing.close()
