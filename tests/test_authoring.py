"""What authors reach for from other tools: page dates, drafts, links to .md files, admonitions,
images beside a page, .markdown files, per-page CSS, a site-wide plain_numbers list, and the YAML
and {#id} habits that are explained rather than failing obscurely. Each message names file and line."""

import json
import os
import re
import stat
from pathlib import Path

import pytest
from browser.harness import BROWSER_COMMANDS, find_browser, missing_browser
from browser.readers import find_firefox, missing_engine
from conftest import CHART_CACHE, edit, run, run_captured, write

from factsite.errors import ContentError
from factsite.safe_yaml import parse_yaml

HOME = "content/index.md"


def front(site: Path, name: str, lines: str) -> None:
    """Add front-matter lines after the page's description (line 3), so they start on line 4."""
    path = site / name
    head, rest = path.read_text().split("\n", 3)[:3], path.read_text().split("\n", 3)[3]
    path.write_text("\n".join(head) + "\n" + lines.rstrip("\n") + "\n" + rest)


def one_error(outcome, relative: str) -> re.Match:
    """The single error line of a failed run, which must be about `relative` (a path ending)."""
    assert outcome.code == 1, outcome.stderr
    errors = outcome.errors
    assert len(errors) == 1, outcome.stderr
    assert errors[0]["path"].endswith(relative), outcome.stderr
    return errors[0]


def json_ld(html: str) -> list[dict]:
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(found.group(1))["@graph"] if found else []


# ---- date: and updated: -------------------------------------------------------------------


def test_dates_show_under_the_title_and_in_json_ld(site, capsys):
    front(site, HOME, "date: 2023-03-12\nupdated: 2024-01-05\n")
    assert run_captured(capsys, "build", "--site", str(site)).code == 0
    html = (site / "_site/index.html").read_text()
    line = re.search(r'<p class="page-dates">.*</p>', html).group(0)
    assert '<time datetime="2023-03-12">' in line and '<time datetime="2024-01-05">' in line
    assert line.index("Published") < line.index("Updated")
    assert html.index("<h1>") < html.index('class="page-dates"') < html.index("</article>")
    graph = json_ld(html)
    article = next(node for node in graph if node["@type"] == "Article")
    assert (article["datePublished"], article["dateModified"]) == ("2023-03-12", "2024-01-05")
    assert article["headline"] == "Home" and article["url"] == "https://example.org/explainer/"
    assert any(node["@type"] == "Dataset" for node in graph), "the chart's Dataset stays"


def test_a_page_without_dates_has_no_date_line_and_no_article(site, capsys):
    assert run_captured(capsys, "build", "--site", str(site)).code == 0
    html = (site / "_site/second.html").read_text()
    assert "page-dates" not in html
    assert all(node["@type"] != "Article" for node in json_ld(html))


def test_only_updated_gives_date_modified_only(site, capsys):
    front(site, "content/second.md", "updated: 2024-02\n")
    assert run_captured(capsys, "build", "--site", str(site)).code == 0
    html = (site / "_site/second.html").read_text()
    assert "Published" not in html and '<time datetime="2024-02">' in html
    article = next(node for node in json_ld(html) if node["@type"] == "Article")
    assert "datePublished" not in article and article["dateModified"] == "2024-02"


def test_a_bad_date_names_its_line(site, capsys):
    front(site, HOME, "date: 2023-02-30\n")
    error = one_error(run_captured(capsys, "build", "--site", str(site)), HOME)
    assert error["line"] == "4"
    assert error["message"] == '"date": must be a date written YYYY-MM-DD (or YYYY-MM, YYYY)'


def test_the_corrections_feed_is_dated_by_the_newest_page_while_its_log_is_empty(site, capsys):
    front(site, HOME, "date: 2023-03-12\nupdated: 2024-01-05\n")
    assert run_captured(capsys, "build", "--site", str(site)).code == 0
    feed = (site / "_site/feed.xml").read_text()
    assert "<entry>" not in feed
    assert re.search(r"^  <updated>2024-01-05T00:00:00Z</updated>$", feed, re.M), feed


def test_a_correction_still_dates_the_feed(site, capsys):
    front(site, HOME, "updated: 2030-01-01\n")
    write(
        site,
        "content/facts/corrections.yaml",
        """
        corrections:
          - date: 2023-04-01
            change: The total now reads 159,090.
            reason: A typing slip.
            fact: total
        """,
    )
    assert run_captured(capsys, "build", "--site", str(site)).code == 0
    feed = (site / "_site/feed.xml").read_text()
    assert re.search(r"^  <updated>2023-04-01T00:00:00Z</updated>$", feed, re.M), feed


# ---- draft: true --------------------------------------------------------------------------

DRAFT = """
    ---
    title: Plans
    description: Not ready yet.
    draft: true
    ---
    A figure only this draft shows: {{ fact("share") }}.
    """


def test_build_and_check_leave_drafts_out_and_check_names_each(site, capsys):
    write(site, "content/plans.md", DRAFT)
    edit(site / "site.yaml", "nav: [index, second, sources]", "nav: [index, second, plans, sources]")
    edit(site / HOME, 'A share of {{ fact("share") }} and', "A share and")  # only the draft uses it now
    assert run_captured(capsys, "build", "--site", str(site)).code == 0
    assert not (site / "_site/plans.html").exists()
    assert "plans.html" not in (site / "_site/index.html").read_text()  # nor in the navigation
    assert "plans" not in (site / "_site/sitemap.xml").read_text()
    capsys.readouterr()
    assert run("check", "--site", str(site)) == 0
    err = capsys.readouterr().err
    assert re.search(
        r"^\S*content/plans\.md: a draft \(draft: true\), left out of check and build; serve shows it$", err, re.M
    ), err
    assert "no problems" in err  # the fact only the draft shows is not "unused"


def test_build_with_drafts_and_serve_build_them(site, capsys):
    from factsite.pipeline import BuildOptions, build

    write(site, "content/plans.md", DRAFT)
    assert run_captured(capsys, "build", "--site", str(site), "--drafts").code == 0
    assert "page-draft" in (site / "_site/plans.html").read_text()
    served = build(BuildOptions(site, CHART_CACHE, drafts=True))  # as serve builds
    assert "plans.html" in served.files


def test_a_link_to_a_draft_is_a_check_error(site, capsys):
    write(site, "content/plans.md", DRAFT)
    edit(site / HOME, "See [the second", "See [the plans](plans.md) and [the second")
    outcome = run_captured(capsys, "check", "--site", str(site))
    error = one_error(outcome, HOME)
    assert error["line"] == "10"
    assert error["message"].startswith('index.html links to a draft page, "plans.md" (')
    assert error["message"].endswith(
        "content/plans.md has draft: true): remove the link, or publish the page by removing draft: true"
    )


def test_a_link_to_a_draft_in_a_folder_is_a_check_error(site, capsys):
    write(site, "content/guides/night-buses.md", DRAFT)
    edit(site / HOME, "See [the second", "See [the buses](guides/night-buses.md) and [the second")
    error = one_error(run_captured(capsys, "check", "--site", str(site)), HOME)
    assert error["line"] == "10"
    assert error["message"].startswith('index.html links to a draft page, "guides/night-buses.md" (')


def test_draft_must_be_true_or_false(site, capsys):
    front(site, "content/second.md", 'draft: "yes"\n')
    error = one_error(run_captured(capsys, "build", "--site", str(site)), "content/second.md")
    assert (error["line"], error["message"]) == ("4", '"draft": must be true or false')


# ---- links to .md files -------------------------------------------------------------------


def test_a_link_to_a_page_file_goes_to_the_page(site, capsys):
    edit(site / HOME, "(second.html#later)", "(second.md#later) and [home](index.md)")
    assert run_captured(capsys, "check", "--site", str(site)).code == 0
    assert run_captured(capsys, "build", "--site", str(site)).code == 0
    html = (site / "_site/index.html").read_text()
    assert '<a href="second.html#later">the second page</a>' in html and '<a href="index.html">home</a>' in html


def test_a_broken_page_link_suggests_the_nearest_page(site, capsys):
    edit(site / HOME, "(second.html#later)", "(secnd.md)")
    error = one_error(run_captured(capsys, "check", "--site", str(site)), HOME)
    assert error["line"] == "10"
    assert (
        error["message"] == 'index.html links to "secnd.md", which the site does not have (did you mean "second.md"?)'
    )


def test_a_broken_html_link_suggests_the_nearest_page(site, capsys):
    edit(site / HOME, "(second.html#later)", "(secon.html)")
    error = one_error(run_captured(capsys, "check", "--site", str(site)), HOME)
    assert (
        error["message"]
        == 'index.html links to "secon.html", which the site does not have (did you mean "second.html"?)'
    )


def test_a_broken_anchor_suggests_the_nearest_id(site, capsys):
    edit(site / HOME, "(second.html#later)", "(second.md#latr)")
    error = one_error(run_captured(capsys, "check", "--site", str(site)), HOME)
    assert error["line"] == "10"
    assert (
        error["message"]
        == 'index.html links to "second.md#latr", but second.html has no id "latr" (did you mean "later"?)'
    )


# ---- YAML errors with a hint --------------------------------------------------------------

YAML_CASES = [
    # (text, line, column, the message's end)
    (
        "title: Fares: a guide\n",
        1,
        13,
        'mapping values are not allowed here; a value holding ": " must be in quotes: title: "Fares: a guide"',
    ),
    (
        'facts:\n  - id: a\n    note: He said "no": twice\n',
        3,
        23,
        """a value holding ": " must be in quotes: note: 'He said "no": twice'""",
    ),
    (
        "facts:\n  - id: a\n     unit: x\n",
        3,
        10,
        "this line is indented further than the keys above it: the keys of one entry start in the same column",
    ),
    (
        "facts:\n  - id: a\n   unit: x\n",
        3,
        4,
        "check the indentation: YAML counts spaces, so the keys of one entry must start"
        ' in the same column and the items of a list ("- ") must line up',
    ),
    ("facts:\n\t- id: a\n", 2, 1, "YAML indents with spaces, never tabs: replace the tab on this line with spaces"),
    (
        'title: "Fares\ndescription: x\n',
        3,
        1,
        "found unexpected end of stream; the quote opened on line 1 is never closed",
    ),
    ("nav: [index, sources\n", 2, 1, "the [ opened on line 1 is never closed"),
    (
        "title: x\nnav\nlanguage: en\n",
        3,
        1,
        'line 2 is not "key: value": each line holds a key, or continues the value above, indented under its key',
    ),
]


@pytest.mark.parametrize("text, line, col, words", YAML_CASES, ids=[c[3][:40] for c in YAML_CASES])
def test_yaml_errors_carry_a_hint(text, line, col, words):
    with pytest.raises(ContentError) as caught:
        parse_yaml(text, "f.yaml")
    error = caught.value
    assert (error.path, error.line, error.col) == ("f.yaml", line, col)
    assert error.message.startswith("invalid YAML: ") and error.message.endswith(words), error.message


def test_a_colon_in_front_matter_is_explained_at_its_line(site, capsys):
    edit(site / HOME, "title: Home", "title: Home: the start")
    error = one_error(run_captured(capsys, "build", "--site", str(site)), HOME)
    assert (error["line"], error["col"]) == ("2", "12")
    assert error["message"].endswith('a value holding ": " must be in quotes: title: "Home: the start"')


def test_a_tab_in_a_facts_file_is_explained_at_its_line(site, capsys):
    edit(
        site / "content/facts/main.yaml",
        "    unit: people\n    counts: killed and wounded",
        "\tunit: people\n    counts: killed and wounded",
    )
    error = one_error(run_captured(capsys, "build", "--site", str(site)), "content/facts/main.yaml")
    assert error["line"] == "16"
    assert error["message"].endswith("YAML indents with spaces, never tabs: replace the tab on this line with spaces")


# ---- {#id} and admonitions ----------------------------------------------------------------


def test_a_pandoc_heading_id_is_explained_at_its_line(site, capsys):
    edit(site / "content/second.md", "## Later", "## Later {#later}")
    error = one_error(run_captured(capsys, "build", "--site", str(site)), "content/second.md")
    assert error["line"] == "6"
    assert error["message"] == "write {: #later } (Python-Markdown's attribute list), not {#later}"


def test_a_pandoc_id_with_a_class_and_a_jinja_comment(site, capsys):
    edit(site / "content/second.md", "## Later", "{# a comment, which is fine #}\n\n## Later {#later .wide}")
    error = one_error(run_captured(capsys, "build", "--site", str(site)), "content/second.md")
    assert error["line"] == "8"
    assert error["message"] == "write {: #later .wide } (Python-Markdown's attribute list), not {#later .wide}"


def test_admonitions_are_rendered_and_kept(site, capsys):
    edit(
        site / "content/second.md",
        "## Later",
        '!!! note\n    Read this first.\n\n!!! warning "Mind the gap"\n    Carefully.\n\n## Later',
    )
    assert run_captured(capsys, "check", "--site", str(site)).code == 0
    assert run_captured(capsys, "build", "--site", str(site)).code == 0
    html = (site / "_site/second.html").read_text()
    assert (
        '<div class="admonition note">\n<p class="admonition-title">Note</p>\n<p>Read this first.</p>\n</div>' in html
    )
    assert '<div class="admonition warning">\n<p class="admonition-title">Mind the gap</p>' in html
    css = (site / "_site/css/site.css").read_text()
    assert ".admonition {" in css and ".admonition-title" in css


# ---- images beside a page, .markdown files ------------------------------------------------

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 16


def test_an_image_beside_a_page_is_published(site, capsys):
    (site / "content/map.png").write_bytes(PNG)
    (site / "content/maps").mkdir()
    (site / "content/maps/detail.webp").write_bytes(b"RIFF....WEBP")
    (site / "content/notes.txt").write_text("not an image")
    edit(site / HOME, "See [the second", "![Map](map.png) ![Detail](maps/detail.webp)\n\nSee [the second")
    assert run_captured(capsys, "check", "--site", str(site)).code == 0
    assert run_captured(capsys, "build", "--site", str(site)).code == 0
    assert (site / "_site/map.png").read_bytes() == PNG
    assert (site / "_site/maps/detail.webp").is_file()
    assert not (site / "_site/notes.txt").exists()
    assert '<img alt="Map" src="map.png">' in (site / "_site/index.html").read_text()


def test_a_missing_image_is_a_check_error_at_its_line(site, capsys):
    (site / "content/map.png").write_bytes(PNG)
    edit(site / HOME, "See [the second", "![Map](mpa.png)\n\nSee [the second")
    error = one_error(run_captured(capsys, "check", "--site", str(site)), HOME)
    assert error["line"] == "10"
    assert error["message"] == (
        'index.html shows the image "mpa.png", which the site does not have (did you mean "map.png"?):'
        " put the image file next to the page in content/, or in static/"
    )


def test_an_svg_with_script_is_not_published(site, capsys):
    write(
        site,
        "content/map.svg",
        """
        <svg xmlns="http://www.w3.org/2000/svg">
          <script>alert(1)</script>
        </svg>
        """,
    )
    error = one_error(run_captured(capsys, "build", "--site", str(site)), "content/map.svg")
    assert error["line"] == "2"
    assert error["message"] == "<script> is not allowed in an SVG image: save the image as PNG, or remove it"


def test_an_image_may_not_replace_a_static_file(site, capsys):
    (site / "content/favicon.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    error = one_error(run_captured(capsys, "build", "--site", str(site)), "content/favicon.svg")
    assert error["message"] == 'image would replace "favicon.svg" (a generated file or one in static/); rename it'


def test_a_markdown_file_is_a_page(site, capsys):
    write(
        site,
        "content/fares.markdown",
        """
        ---
        title: Fares
        description: Written with the longer extension.
        ---
        The total is {{ fact("total") }}; see [home](index.md).
        """,
    )
    edit(site / HOME, "See [the second", "See [fares](fares.markdown) and [the second")
    assert run_captured(capsys, "check", "--site", str(site)).code == 0
    assert run_captured(capsys, "build", "--site", str(site)).code == 0
    assert "<h1>Fares</h1>" in (site / "_site/fares.html").read_text()
    assert '<a href="fares.html">fares</a>' in (site / "_site/index.html").read_text()


def test_a_page_in_both_extensions_is_refused(site, capsys):
    write(site, "content/second.markdown", "---\ntitle: Again\ndescription: Twice.\n---\nHello.\n")
    error = one_error(run_captured(capsys, "build", "--site", str(site)), "content/second.md")
    assert error["line"] is None
    assert error["message"].endswith(
        "content/second.markdown makes the same page, second.html: keep one of the two files"
    )


# ---- a page's own stylesheet ----------------------------------------------------------------


def test_a_page_links_its_own_stylesheet(site, capsys):
    write(site, "static/css/fares.css", "h1 { letter-spacing: 0.01em; }\n")
    front(site, "content/second.md", "css: css/fares.css\n")
    assert run_captured(capsys, "check", "--site", str(site)).code == 0
    assert run_captured(capsys, "build", "--site", str(site)).code == 0
    html = (site / "_site/second.html").read_text()
    assert html.index('href="css/site.css"') < html.index('<link rel="stylesheet" href="css/fares.css">')
    assert "fares.css" not in (site / "_site/index.html").read_text()


@pytest.mark.parametrize(
    "css, words",
    [
        (
            "css/fare.css",
            'no file "css/fare.css" in static/ (write the path inside static/, such as css/fare.css) (did you mean '
            '"css/fares.css"?)',
        ),
        ("fares.js", '"fares.js" is not a stylesheet: name a .css file in static/'),
    ],
)
def test_a_missing_stylesheet_names_its_line(site, capsys, css, words):
    write(site, "static/css/fares.css", "h1 { letter-spacing: 0.01em; }\n")
    front(site, "content/second.md", f"css: {css}\n")
    error = one_error(run_captured(capsys, "build", "--site", str(site)), "content/second.md")
    assert (error["line"], error["message"]) == ("4", f'"css": {words}')


# ---- plain_numbers for the whole site -----------------------------------------------------


def test_site_wide_plain_numbers(site, capsys):
    edit(site / "content/second.md", "## Later", "Rates are per 100,000 people.\n\n## Later")
    error = one_error(run_captured(capsys, "check", "--site", str(site)), "content/second.md")
    assert error["message"].startswith('number "100,000" typed into prose')
    edit(site / "site.yaml", "share_chart: rises", 'share_chart: rises\nplain_numbers: ["100,000", 16]')
    assert run_captured(capsys, "check", "--site", str(site)).code == 0


def test_site_wide_plain_numbers_must_be_a_list(site, capsys):
    edit(site / "site.yaml", "share_chart: rises", "share_chart: rises\nplain_numbers: 100")
    error = one_error(run_captured(capsys, "build", "--site", str(site)), "site.yaml")
    assert (error["line"], error["message"]) == ("7", '"plain_numbers": must be a list')


# ---- the browser for the browser tests ------------------------------------------------------


def fake_browser(folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text("#!/bin/sh\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def test_the_browser_is_found_on_path_in_order(tmp_path):
    bin_dir = tmp_path / "bin"
    chrome = fake_browser(bin_dir, "google-chrome-stable")
    assert find_browser({"PATH": str(bin_dir)}) == chrome
    chromium = fake_browser(bin_dir, "chromium-browser")
    assert find_browser({"PATH": str(bin_dir)}) == chromium  # chromium-browser comes before google-chrome
    assert missing_browser({"PATH": str(bin_dir)}) is None
    assert BROWSER_COMMANDS[0] == "chromium"


def test_a_variable_names_the_browser_first(tmp_path):
    bin_dir = tmp_path / "bin"
    fake_browser(bin_dir, "chromium")
    mine = fake_browser(tmp_path / "elsewhere", "my-chrome")
    assert find_browser({"PATH": str(bin_dir), "CHROME_PATH": str(mine)}) == mine
    assert find_browser({"PATH": str(bin_dir), "FACTSITE_BROWSER": str(mine), "CHROME_PATH": "/nowhere"}) == mine
    problem = missing_browser({"PATH": str(bin_dir), "FACTSITE_BROWSER": str(tmp_path / "gone")})
    assert (
        problem
        == f"FACTSITE_BROWSER is {tmp_path / 'gone'}, which is not a file: set it to the path of Chromium or Chrome"
    )


def test_the_browser_is_found_in_macos_applications(tmp_path):
    chrome = "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome"
    found = find_browser({"PATH": str(tmp_path)}, is_file=lambda path: path == chrome)
    assert found == Path(chrome)
    in_home = os.path.join("/Users/me", "Applications/Chromium.app/Contents/MacOS/Chromium")
    assert find_browser({"PATH": str(tmp_path), "HOME": "/Users/me"}, is_file=lambda path: path == in_home) == Path(
        in_home
    )


def test_no_browser_says_how_to_get_one(tmp_path):
    problem = missing_browser({"PATH": str(tmp_path)}, is_file=lambda path: False)
    assert problem.startswith("no Chromium or Chrome found") and "FACTSITE_BROWSER" in problem


def test_a_missing_engine_says_what_to_install(tmp_path):
    nothing = {"PATH": str(tmp_path)}
    assert "(Debian: apt-get install firefox-esr)" in missing_engine("firefox", nothing)
    webkit = missing_engine("webkit", {**nothing, "FACTSITE_MINIBROWSER": str(tmp_path / "gone")})
    assert webkit == (
        "no MiniBrowser (FACTSITE_MINIBROWSER), WebKitWebDriver, Xvfb found:"
        " install them (Debian: apt-get install webkit2gtk-driver xvfb)"
    )


def test_firefox_and_webkit_are_found_on_path_or_named(tmp_path):
    bin_dir = tmp_path / "bin"
    firefox = fake_browser(bin_dir, "firefox-esr")
    assert find_firefox({"PATH": str(bin_dir)}) == str(firefox)
    assert missing_engine("firefox", {"PATH": str(bin_dir)}) is None
    mine = fake_browser(tmp_path / "elsewhere", "my-firefox")
    assert find_firefox({"PATH": str(bin_dir), "FACTSITE_FIREFOX": str(mine)}) == str(mine)
    minibrowser = fake_browser(tmp_path / "lib", "MiniBrowser")
    fake_browser(bin_dir, "WebKitWebDriver")
    fake_browser(bin_dir, "Xvfb")
    assert missing_engine("webkit", {"PATH": str(bin_dir), "FACTSITE_MINIBROWSER": str(minibrowser)}) is None


# ---- CONTRIBUTING's example ---------------------------------------------------------------
