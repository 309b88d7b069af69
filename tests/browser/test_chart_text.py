"""Chart text a reader can read, at a phone's width and a desktop's, before and after reaching for a chart.

Every chart of every page, in both languages, at 360 and 1280 px: first the build-time picture the page
shows for that width (no pointer has reached it), then the interactive view a pointer brings. No chart
text may render below 11 CSS px, two texts may not overlap, none may leave the chart's box (the picture,
or the column it sits in), and none may be cut short with "…".
"""

from __future__ import annotations

import pytest

MIN_TEXT_PX = 11
WIDTHS = (360, 1280)
TOLERANCE = 0.5  # CSS px: anti-aliasing and rounding, not a real overlap

# For each text of the chart's shown SVG: its words, its size in CSS px as drawn (font size times the
# SVG's scale on screen), and its box on screen; with the boxes of the SVG and of its figure.
MEASURE = """figure => {
  const shown = [...figure.querySelectorAll('.chart-static svg, .chart-interactive svg')]
    .filter(svg => svg.getBoundingClientRect().width > 0 && getComputedStyle(svg).visibility !== 'hidden');
  const svg = shown[0];
  if (!svg) return null;
  const box = r => ({left: r.left, right: r.right, top: r.top, bottom: r.bottom});
  const texts = [...svg.querySelectorAll('text')].filter(t => {
    const r = t.getBoundingClientRect();
    return t.textContent.trim() && r.width > 0 && r.height > 0 && getComputedStyle(t).display !== 'none'
      && Number(getComputedStyle(t).opacity) > 0 && !t.closest('[opacity="0"]');
  }).map(t => {
    const m = t.getScreenCTM();
    const scale = Math.hypot(m.a, m.b);
    return {
      text: t.textContent, size: parseFloat(getComputedStyle(t).fontSize) * scale, box: box(t.getBoundingClientRect()),
    };
  });
  const style = getComputedStyle(figure);
  const frame = figure.getBoundingClientRect();
  const column = {
    left: frame.left + parseFloat(style.paddingLeft), right: frame.right - parseFloat(style.paddingRight),
  };
  return {count: shown.length, texts, svg: box(svg.getBoundingClientRect()), column};
}"""


def overlap(a: dict, b: dict) -> bool:
    return (
        min(a["right"], b["right"]) - max(a["left"], b["left"]) > TOLERANCE
        and min(a["bottom"], b["bottom"]) - max(a["top"], b["top"]) > TOLERANCE
    )


def outside(inner: dict, outer: dict) -> bool:
    return any(
        (inner[side] < outer[side] - TOLERANCE) if side in ("left", "top") else (inner[side] > outer[side] + TOLERANCE)
        for side in outer
    )


def text_problems(measured: dict | None) -> list[str]:
    """What is wrong with one chart's text as drawn."""
    if not measured:
        return ["no chart picture is shown"]
    problems = []
    if measured["count"] != 1:
        problems.append(f"{measured['count']} pictures shown at once")
    texts = measured["texts"]
    for text in texts:
        if text["size"] < MIN_TEXT_PX - 0.05:
            problems.append(f'"{text["text"]}" is {text["size"]:.1f} px')
        if "…" in text["text"]:
            problems.append(f'"{text["text"]}" is cut short')
        if outside(text["box"], measured["svg"]) or outside(
            text["box"], {key: measured["column"][key] for key in ("left", "right")}
        ):
            problems.append(f'"{text["text"]}" leaves the chart')
    for number, first in enumerate(texts):
        for second in texts[number + 1 :]:
            # The same words in the same place are one label drawn twice (over a halo of the page's colour).
            if overlap(first["box"], second["box"]) and (first["text"], first["box"]) != (
                second["text"],
                second["box"],
            ):
                problems.append(f'"{first["text"]}" and "{second["text"]}" overlap')
    return problems


def chart_pages(explainer) -> list[str]:
    return [name for name in explainer.pages if 'data-chart="' in (explainer.folder / name).read_text()]


@pytest.mark.parametrize("width", WIDTHS)
def test_chart_text_is_readable_before_and_after_a_pointer_reaches_it(explainer, new_page, width):
    pages = chart_pages(explainer)
    assert any(name.startswith("ru/") for name in pages) and any("/" not in name for name in pages)
    page = new_page(viewport={"width": width, "height": 900})
    problems, charts = {}, 0
    for name in pages:
        page.goto(explainer.url(name))
        figures = page.locator("figure[data-chart]")
        for number in range(figures.count()):
            figure = figures.nth(number)
            chart = f"{name} {figure.get_attribute('data-chart')}"
            charts += 1
            found = text_problems(figure.evaluate(MEASURE))
            figure.scroll_into_view_if_needed()
            figure.hover()
            page.wait_for_function(
                "f => f.matches('.is-interactive, .stays-static')", arg=figure.element_handle(), timeout=20_000
            )
            page.mouse.move(0, 0)
            if not figure.evaluate("f => f.classList.contains('is-interactive')"):
                found.append("a pointer did not make it interactive")
            found += [f"after a pointer: {problem}" for problem in text_problems(figure.evaluate(MEASURE))]
            if found:
                problems[chart] = found
    assert charts >= 10, "too few charts: the check checked little"
    assert not problems, "\n".join(f"{chart}: {'; '.join(found)}" for chart, found in problems.items())


def test_the_check_sees_small_cut_overlapping_and_escaping_text():
    """The measures themselves: each kind of problem is reported, and clean text is not."""
    svg = {"left": 0, "right": 300, "top": 0, "bottom": 200}
    column = {"left": 0, "right": 300}
    clean = {"text": "12 March", "size": 12, "box": {"left": 10, "right": 60, "top": 10, "bottom": 24}}
    assert text_problems({"count": 1, "texts": [clean], "svg": svg, "column": column}) == []
    small = {**clean, "size": 7.1}
    cut = {**clean, "text": "Rises the Daily Mail …", "box": {"left": 100, "right": 200, "top": 50, "bottom": 64}}
    over = {**clean, "text": "1,140", "box": {"left": 50, "right": 80, "top": 12, "bottom": 26}}
    escaping = {**clean, "text": "Чукотский", "box": {"left": 280, "right": 340, "top": 100, "bottom": 114}}
    found = text_problems({"count": 1, "texts": [small, cut, over, escaping], "svg": svg, "column": column})
    assert any("7.1 px" in problem for problem in found)
    assert any("cut short" in problem for problem in found)
    assert any("overlap" in problem for problem in found)
    assert any("leaves the chart" in problem for problem in found)
    assert text_problems(None) == ["no chart picture is shown"]
