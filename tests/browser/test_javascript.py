"""With JavaScript, from any location: every chart turns interactive, nothing errs, nothing leaves the site.

(Without JavaScript, test_charts.py checks the build-time charts and their tables.)
"""

from __future__ import annotations

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from .harness import CHARTS_TIMEOUT, LOCATIONS, wait_for_charts

LOCAL_SCHEMES = ("data:", "blob:")  # made inside the page; no host is asked


def watch(page, problems: list[str], requests: list[str]) -> None:
    """Record every request, and every error, warning, failed request or error status, as they happen."""
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


@pytest.mark.parametrize("location", LOCATIONS)
def test_charts_turn_interactive_without_errors_or_outside_requests(explainer, new_page, location):
    """Each page in a page of its own: an event of one page (a request the next navigation cut short)
    can never be counted against the next."""
    context = new_page().context
    site_url = explainer.urls[location]
    found = []
    for name in explainer.pages_at(location):
        page = context.new_page()
        problems: list[str] = []
        requests: list[str] = []
        watch(page, problems, requests)
        page.goto(explainer.url(name, location))
        try:
            wait_for_charts(page)
        except PlaywrightTimeout:
            problems.append(f"charts.js did not finish within {CHARTS_TIMEOUT / 1000:g} s")
        static = page.eval_on_selector_all(
            "figure[data-chart]:not(.is-interactive)", "fs => fs.map(f => f.dataset.chart)"
        )
        if static:
            problems.append(f"charts left static: {static}")
        problems += [
            f"request outside {site_url}: {url}" for url in requests if not url.startswith((site_url, *LOCAL_SCHEMES))
        ]
        has_charts = page.locator("figure[data-chart]").count() > 0
        loaded_bundle = any(url.endswith("/assets/vega-embed.js") for url in requests)
        if has_charts != loaded_bundle:
            problems.append(f"Vega-Embed bundle loaded: {loaded_bundle}, charts on the page: {has_charts}")
        page.close()
        found += [f"{name}: {problem}" for problem in problems]
    assert not found, f"with JavaScript, from {location}:\n" + "\n".join(found)
