"""`build.py serve`: build, serve on 127.0.0.1, rebuild on every change and reload the open page.

The last good build is kept in memory and served from there, so a broken edit never takes the
page away: its error goes to the terminal and, as an overlay, to every open page, which reload
by themselves once the error is fixed. The reload script is added to HTML responses as they are
sent; nothing of it is written anywhere.
"""

from __future__ import annotations

import errno
import json
import mimetypes
import os
import queue
import threading
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

import watchfiles
from markupsafe import escape

from .errors import ContentError, ContentErrors, UsageError, first_names, listed
from .inputs import CONFIG_FILE, INPUT_FOLDERS, SITE_INPUTS, changed_inputs, input_folders, input_stamps

if TYPE_CHECKING:
    from .model import Site
    from .render import Rendered
    from .report import Reporter

LIVE_PREFIX = "/__factsite/"
EVENTS_PATH = LIVE_PREFIX + "events"
SCRIPT_PATH = LIVE_PREFIX + "live.js"
LIVE_SCRIPT = Path(__file__).parent / "assets" / "live.js"
KEEPALIVE_SECONDS = 15  # an idle event stream sends a comment this often, to notice closed pages
FOLDERS_LOOKED_FOR_SECONDS = 0.5  # how often the input folders are looked for, to watch one made later


# ---- the state every request reads --------------------------------------------------------


@dataclass(frozen=True)
class Snapshot:
    """What is being served: the last good build, and the error of a later failed one, if any."""

    files: dict[str, bytes] = field(default_factory=dict)  # by output path; empty until a build succeeds
    base_path: str = "/"  # the path of site.yaml's url, so /<repo>/page.html works as on GitHub Pages
    build: str = ""  # changes with every good build; a page served from another build reloads
    error: str = ""


class LiveSite:
    """The current Snapshot, swapped whole by the rebuilding thread; event streams wait on it."""

    def __init__(self) -> None:
        self.snapshot = Snapshot()
        self.changed = threading.Condition()
        self.builds = 0
        self.closed = False

    def publish(self, site: Site, files: dict[str, bytes]) -> None:
        self.builds += 1
        base_path = urlsplit(site.config.url).path or "/"
        self.replace(Snapshot(files, base_path, f"{os.getpid()}-{self.builds}", ""))

    def fail(self, error: str) -> None:
        current = self.snapshot
        self.replace(Snapshot(current.files, current.base_path, current.build, error))

    def replace(self, snapshot: Snapshot) -> None:
        with self.changed:
            self.snapshot = snapshot
            self.changed.notify_all()

    def close(self) -> None:
        with self.changed:
            self.closed = True
            self.changed.notify_all()

    def next_change(self, seen: Snapshot, timeout: float) -> Snapshot | None:
        """The snapshot after `seen`, or None when nothing changed within `timeout` or serving stops."""
        with self.changed:
            self.changed.wait_for(lambda: self.snapshot is not seen or self.closed, timeout)
            return None if self.closed or self.snapshot is seen else self.snapshot


# ---- responses ----------------------------------------------------------------------------


def overlay_html(snapshot: Snapshot) -> str:
    """The build-error panel (hidden while the last build is good) and the reload script."""
    hidden = "" if snapshot.error else " hidden"
    heading = (
        "The last edit broke the build; this is the last good build." if snapshot.files else "The site does not build."
    )
    return (
        f'<div id="factsite-build-error" role="alert"{hidden} style="position:fixed;left:0;right:0;bottom:0;'
        "z-index:2147483647;max-height:60vh;overflow:auto;margin:0;padding:1em 1.25em;background:#2b0b0b;"
        'color:#ffe9e9;border-top:4px solid #e5484d;font:14px/1.5 ui-monospace,Menlo,Consolas,monospace">'
        f"<strong>{heading}</strong> Fix the file and the page reloads by itself."
        f'<pre style="white-space:pre-wrap;margin:.75em 0 0">{escape(snapshot.error)}</pre></div>\n'
        f'<script src="{SCRIPT_PATH}" data-build="{snapshot.build}"></script>\n'
    )


def with_live_reload(html: bytes, snapshot: Snapshot) -> bytes:
    """The page with the error panel and the reload script added just before </body>."""
    addition = overlay_html(snapshot).encode()
    cut = html.rfind(b"</body>")
    return html + addition if cut < 0 else html[:cut] + addition + html[cut:]


def placeholder_page(site_root: Path) -> bytes:
    """Served before any build has succeeded: the error panel says what to fix."""
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Build failed</title></head>'
        f"<body><p>Nothing to show yet: {escape(str(site_root))} has not built.</p></body></html>\n"
    ).encode()


def output_path(request_path: str, base_path: str) -> str:
    """The output file a URL path names: '/' is index.html; the site.yaml url's path may lead."""
    path = unquote(urlsplit(request_path).path)
    if base_path != "/" and (path + "/").startswith(base_path):
        path = "/" + path[len(base_path) :]
    if path.endswith("/"):
        path += "index.html"
    return path.lstrip("/")


def content_type(name: str) -> str:
    kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return (
        f"{kind}; charset=utf-8"
        if kind.startswith("text/") or kind in ("application/json", "application/xml")
        else kind
    )


def event(snapshot: Snapshot) -> bytes:
    data = json.dumps({"build": snapshot.build, "error": snapshot.error})
    return f"event: build\ndata: {data}\n\n".encode()


class LiveHandler(BaseHTTPRequestHandler):
    """Serves the current snapshot, the reload script and the stream of build events."""

    server_version = "factsite-serve"

    def __init__(self, *args: Any, live: LiveSite, site_root: Path, log: Callable[[str], None], **kwargs: Any) -> None:
        self.live, self.site_root, self.log = live, site_root, log
        super().__init__(*args, **kwargs)

    def do_GET(self) -> None:
        self.respond(send_body=True)

    def do_HEAD(self) -> None:
        self.respond(send_body=False)

    def respond(self, send_body: bool) -> None:
        path = urlsplit(self.path).path
        if path == EVENTS_PATH and send_body:
            self.stream_events()
            return
        if path == SCRIPT_PATH:
            self.send(200, "text/javascript; charset=utf-8", LIVE_SCRIPT.read_bytes(), send_body)
            return
        snapshot = self.live.snapshot
        if not snapshot.files:
            self.send(
                503, "text/html; charset=utf-8", with_live_reload(placeholder_page(self.site_root), snapshot), send_body
            )
            return
        name = output_path(self.path, snapshot.base_path)
        status = 200
        if name not in snapshot.files and name + "/index.html" in snapshot.files:
            self.redirect(path + "/")
            return
        if name not in snapshot.files:
            status, name = 404, "404.html"
        body = snapshot.files.get(name, b"Not found\n")
        if name.endswith(".html"):
            body = with_live_reload(body, snapshot)
        self.send(status, content_type(name), body, send_body)

    def send(self, status: int, kind: str, body: bytes, send_body: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def redirect(self, location: str) -> None:
        self.send_response(301)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def stream_events(self) -> None:
        """Server-Sent Events: the current build at once, then each new build or error as it happens."""
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        snapshot = self.live.snapshot
        try:
            self.wfile.write(event(snapshot))
            self.wfile.flush()
            while not self.live.closed:
                changed = self.live.next_change(snapshot, KEEPALIVE_SECONDS)
                if changed is None:
                    self.wfile.write(b": still here\n\n")
                else:
                    snapshot = changed
                    self.wfile.write(event(snapshot))
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            return  # the page was closed or reloaded

    def log_message(self, format: str, *args: Any) -> None:
        self.log(f"{self.address_string()} {format % args}")


# ---- watching and rebuilding ------------------------------------------------------------


def watch_site(site_root: Path, stop: threading.Event) -> queue.Queue[object]:
    """Start watching the site's inputs (inputs.SITE_INPUTS); batches of changes arrive on the queue.

    The input folders are watched with their subfolders, and the site folder without them (it may
    hold large ones, such as .git): that watch sees site.yaml, however an editor saves it (renaming
    a new file over the old one would end a watch on the file itself), and input folders made or
    removed, after which the folders are watched again as they now are.
    """
    site_root = site_root.absolute()
    batches: queue.Queue[object] = queue.Queue()

    def watch(
        paths: list[Path],
        recursive: bool,
        keep: Callable[[watchfiles.Change, str], bool],
        until: threading.Event,
        announce: bool = False,
    ) -> None:
        """Put each batch on the queue; with `announce`, also the first, maybe empty, batch once the watch
        runs, so that the stamps are compared again for files written while it started."""
        try:
            for batch in watchfiles.watch(
                *paths,
                watch_filter=keep,
                recursive=recursive,
                stop_event=until,
                step=30,
                rust_timeout=500,
                yield_on_timeout=announce,
                raise_interrupt=False,
            ):
                if batch or announce:
                    batches.put(batch)
                announce = False
        except FileNotFoundError:
            return  # a folder removed as its watch started: watch_folders watches the folders as they are

    def watch_folders() -> None:
        while not stop.is_set():
            folders, until = input_folders(site_root), threading.Event()
            watcher = threading.Thread(
                target=watch,
                args=(folders, True, watchfiles.DefaultFilter(), until, True),
                name="factsite-watch",
                daemon=True,
            )
            if folders:
                watcher.start()
            while not stop.wait(FOLDERS_LOOKED_FOR_SECONDS) and input_folders(site_root) == folders:
                continue
            until.set()
            if folders:
                watcher.join()

    threading.Thread(
        target=watch,
        args=([site_root], False, lambda change, path: Path(path).name in SITE_INPUTS, stop),
        name="factsite-watch",
        daemon=True,
    ).start()
    threading.Thread(target=watch_folders, name="factsite-watch-folders", daemon=True).start()
    return batches


def changes(
    site_root: Path, stamps: dict[str, tuple[int, int]], batches: queue.Queue[object], stop: threading.Event
) -> Iterator[list[str]]:
    """Lists of the input files changed since `stamps` and then since the last list, worked out from
    the files' stamps whenever the watcher saw something: a file saved by renaming, deleted and made
    again or checked out by git counts, an editor's temporary file made and removed does not."""
    while not stop.is_set():
        try:
            batches.get(timeout=0.5)
        except queue.Empty:
            continue
        while not batches.empty():
            batches.get()
        now = input_stamps(site_root)
        changed, stamps = changed_inputs(stamps, now), now
        if changed:
            yield changed


def rebuild(live: LiveSite, build: Callable[[], tuple[Site, Rendered]], reporter: Reporter) -> None:
    """Build once; publish the result, or keep the last good build and publish the error."""
    try:
        site, rendered = build()
    except (ContentError, ContentErrors) as exc:
        errors = listed(exc)
        for error in errors:
            reporter.error(error)
        reporter.info("still serving the last good build")
        live.fail("\n".join(str(error) for error in errors))
    except UsageError as exc:  # site.yaml deleted or renamed while serving
        reporter.error(str(exc))
        reporter.info("still serving the last good build")
        live.fail(str(exc))
    except Exception as exc:  # a bug or an unreadable file must not stop the preview
        reporter.error(f"build failed: {type(exc).__name__}: {exc}")
        reporter.detail(traceback.format_exc().rstrip())
        live.fail(f"build failed: {type(exc).__name__}: {exc}")
    else:
        live.publish(site, rendered.files)


def start_server(port: int, handler: Callable[..., BaseHTTPRequestHandler]) -> ThreadingHTTPServer:
    try:
        server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise UsageError(f"port {port} is in use: stop what runs there or pick another with --port") from None
        raise UsageError(f"cannot listen on 127.0.0.1:{port}: {exc.strerror}") from None
    server.daemon_threads = True  # open event streams must not hold up Ctrl+C
    threading.Thread(target=server.serve_forever, name="factsite-serve", daemon=True).start()
    return server


def serve_site(site_root: Path, port: int, build: Callable[[], tuple[Site, Rendered]], reporter: Reporter) -> int:
    """Serve until interrupted; returns the exit code."""
    site_root = Path(site_root)
    if not (site_root / CONFIG_FILE).is_file():
        raise UsageError(f"{site_root} holds no site.yaml: run serve in a site folder or pass --site")
    live = LiveSite()
    server = start_server(port, partial(LiveHandler, live=live, site_root=site_root, log=reporter.detail))
    stop = threading.Event()
    batches = watch_site(site_root, stop)  # before the first build, so no edit goes unseen
    stamps = input_stamps(site_root)
    try:  # Ctrl+C may come during the first build too: a page can already be connected
        rebuild(live, build, reporter)
        base = live.snapshot.base_path if live.snapshot.files else "/"
        watched = ", ".join([CONFIG_FILE] + [f"{name}/" for name in INPUT_FOLDERS])
        reporter.info(f"serving http://127.0.0.1:{server.server_port}{base} - watching {watched}; Ctrl+C stops")
        for shown in changes(site_root, stamps, batches, stop):
            reporter.info(f"changed: {first_names(shown)}")
            rebuild(live, build, reporter)
    except KeyboardInterrupt:
        reporter.info("stopped")
    finally:
        stop.set()
        live.close()
        server.shutdown()
        server.server_close()
    return 0
