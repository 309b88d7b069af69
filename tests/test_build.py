"""End to end: the fixture site built, and the output contract of DESIGN.md checked on it."""

import csv
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import chart_specs, edit, make_site, run


def read(out: Path, name: str) -> str:
    return (out / name).read_text()


class Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def tags(html: str):
    parser = Tags()
    parser.feed(html)
    return parser.tags


def test_every_output_file_is_written(built_fixture):
    expected = {
        "index.html",
        "second.html",
        "sources.html",
        "404.html",
        "facts.json",
        "facts.csv",
        "sitemap.xml",
        "robots.txt",
        ".nojekyll",
        "css/site.css",
        "assets/vega-embed.js",
        "assets/charts.js",
        "charts/rises.csv",
        "charts/rises.vl.json",
        "charts/rises.svg",
        "charts/rises.png",
        "charts/shares.csv",
        "charts/shares.vl.json",
        "charts/shares.svg",
    }
    written = {p.relative_to(built_fixture).as_posix() for p in built_fixture.rglob("*") if p.is_file()}
    assert expected <= written


def test_a_figure_links_to_its_entry_and_names_its_claimant(built_fixture):
    html = read(built_fixture, "index.html")
    fact = next(attrs for tag, attrs in tags(html) if attrs.get("data-fact") == "total")
    assert fact["href"] == "sources.html#fact-total"
    assert re.search(
        r'data-fact="total"[^>]*>159,090<span class="visually-hidden"> \(claimed by[ \xa0]Example Agency\)</span>', html
    )
    assert ">159K<" in html  # CLDR writes thousands "K" in English (en), "k" in British English (en-GB)
    assert "40,000\u2013\u206060,000" in html and "estimated by\xa0Example Intelligence" in html
    assert ">48.9%<" in html
    assert 'id="fact-total"' in read(built_fixture, "sources.html")


def test_derived_fact_is_computed_and_carries_its_inputs_sources(built_fixture):
    facts = {f["id"]: f for f in json.loads(read(built_fixture, "facts.json"))["facts"]}
    assert facts["ratio"]["value"] == round(159090 / 3.05 / 1000, 1)
    assert [s["id"] for s in facts["ratio"]["sources"]] == ["agency_report", "survey"]
    assert facts["ratio"]["derived_from"] == "round(total / base / 1000, 1)"
    assert facts["total"]["used_on"] == ["index.html", "second.html"]
    assert facts["total"]["sources"][0]["url"] == "https://example.org/report"
    assert "ratio,,52.2," in read(built_fixture, "facts.csv").replace('"', "")


def test_chart_figure_has_svg_caption_table_links_and_spec(built_fixture):
    html = read(built_fixture, "index.html")
    figure = re.search(r'<figure class="chart" data-chart="rises".*?</figure>', html, re.S).group(0)
    assert re.search(r'<svg role="img" aria-label="Three bars rising from 900[ \xa0]to[ \xa0]1,090\."', figure)
    assert '<a href="sources.html#source-agency_report">Example Agency</a>' in figure
    assert "<caption>Data for: Rises by\xa0day</caption>" in figure
    assert '<th scope="col">Report date</th>' in figure and '<td class="num">1,090</td>' in figure
    for link in ("charts/rises.csv", "charts/rises.vl.json", "charts/rises.svg"):
        assert f'href="{link}"' in figure
    assert (
        'data-spec="charts/rises.spec.js"' in figure and "chart-spec" not in figure
    )  # loaded when a reader reaches for it
    spec, _ = chart_specs(built_fixture, "rises")
    # The title as the module wrote it, with the chart's source line under it (on the chart, in every download).
    assert spec["title"] == {"text": "Rises by day", "subtitle": ["Source: Example Agency"]}
    assert read(built_fixture, "charts/rises.csv") == (
        "date,rise\n2023-03-10,900\n2023-03-11,1010\n2023-03-12,1090\n"
        "\n# Source: Example Agency\n# Example Agency: Daily report; https://example.org/report\n"
    )


def test_chart_scripts_load_only_on_pages_with_charts_and_deferred(built_fixture):
    scripts = [attrs for tag, attrs in tags(read(built_fixture, "index.html")) if tag == "script" and "src" in attrs]
    # The Vega bundle is not loaded with the page: charts.js adds it when a reader reaches for a chart.
    assert [(s["src"], s.get("data-bundle")) for s in scripts] == [
        ("assets/cards.js", None),
        ("assets/charts.js", "assets/vega-embed.js"),
    ]
    assert all("defer" in s for s in scripts)
    assert "vega-embed.js" not in read(built_fixture, "sources.html")
    assert "charts.js" not in read(built_fixture, "sources.html")


def test_all_internal_links_are_relative(built_fixture):
    for page in ("index.html", "second.html", "sources.html"):
        for tag, attrs in tags(read(built_fixture, page)):
            for name in ("href", "src"):
                address = attrs.get(name, "")
                assert not address.startswith("/"), (page, address)
                if tag != "link" or attrs.get("rel") == "stylesheet":
                    assert not address.startswith("https://example.org/explainer"), (page, address)


def test_sitemap_robots_and_share_image_use_the_absolute_url(built_fixture):
    sitemap = read(built_fixture, "sitemap.xml")
    assert "<loc>https://example.org/explainer/</loc>" in sitemap
    assert "<loc>https://example.org/explainer/second.html</loc>" in sitemap
    assert "Sitemap: https://example.org/explainer/sitemap.xml" in read(built_fixture, "robots.txt")
    assert '<meta property="og:image" content="https://example.org/explainer/charts/rises.png">' in read(
        built_fixture, "index.html"
    )
    assert (built_fixture / "charts/rises.png").read_bytes().startswith(b"\x89PNG")


def test_404_links_from_the_site_root_path(built_fixture):
    assert 'href="/explainer/index.html"' in read(built_fixture, "404.html")


def test_sources_page_links_back_to_each_use(built_fixture):
    sources = read(built_fixture, "sources.html")
    assert 'href="index.html#use-total-1"' in sources and 'href="second.html#use-total-1"' in sources
    assert 'id="use-total-1"' in read(built_fixture, "second.html")
    assert 'id="source-survey"' in sources


def test_two_builds_are_byte_identical(tmp_path):
    outputs = []
    for number in (1, 2):
        folder = make_site(tmp_path / f"site{number}")
        assert run("build", "--site", str(folder), "--quiet", cache=tmp_path / f"cache{number}") == 0
        outputs.append(
            {p.relative_to(folder / "_site"): p.read_bytes() for p in (folder / "_site").rglob("*") if p.is_file()}
        )
    assert outputs[0] == outputs[1]


def test_warm_build_renders_no_chart_and_imports_no_altair(site, tmp_path):
    import subprocess
    import sys

    cache = tmp_path / "cache"
    command = [sys.executable, "-X", "importtime", "build.py", "--site", str(site), "--cache", str(cache)]
    project = Path(__file__).resolve().parent.parent
    cold = subprocess.run(command, cwd=project, capture_output=True, text=True, check=True)
    assert "2 re-rendered" in cold.stderr and "altair" in cold.stderr
    warm = subprocess.run(command, cwd=project, capture_output=True, text=True, check=True)
    assert "0 re-rendered" in warm.stderr
    assert not re.search(r"\|\s+altair$", warm.stderr, re.M)


def test_changed_fact_reruns_only_the_chart_that_read_it(site, tmp_path, capsys):
    cache = tmp_path / "cache"
    assert run("build", "--site", str(site), cache=cache) == 0
    facts = site / "content/facts/main.yaml"
    facts.write_text(facts.read_text().replace("value: 48.9", "value: 49.5"))
    capsys.readouterr()
    assert run("build", "--site", str(site), cache=cache) == 0
    assert "1 re-rendered" in capsys.readouterr().err
    assert "49.5" in (site / "_site/charts/shares.csv").read_text()


def test_the_explainer_is_the_same_bytes_cold_warm_and_in_another_time_zone(tmp_path):
    """Cache state and the machine's time zone change no byte: a warm build (a restored .cache/, as
    the workflows keep it) equals a cold one, and a build in New York equals one in UTC."""
    import os
    import subprocess
    import sys

    project = Path(__file__).resolve().parent.parent

    def build(out: str, cache: str, zone: str) -> dict:
        command = [
            sys.executable,
            "build.py",
            "--out",
            str(tmp_path / out),
            "--cache",
            str(tmp_path / cache),
            "--quiet",
        ]
        done = subprocess.run(
            command, cwd=project, capture_output=True, text=True, env={**os.environ, "TZ": zone}, check=False
        )
        assert done.returncode == 0, done.stderr
        folder = tmp_path / out
        return {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}

    cold = build("cold", "cache", "UTC")
    warm = build("warm", "cache", "UTC")
    elsewhere = build("new-york", "cache-new-york", "America/New_York")
    assert [name for name in cold if cold[name] != warm.get(name)] == []
    assert [name for name in cold if cold[name] != elsewhere.get(name)] == []
    assert cold.keys() == warm.keys() == elsewhere.keys()


# ---- the engine's key: a warm build after a change to the engine equals a cold one ------------------

# (file of the package, text in it, what it becomes): each changes what a build of the fixture writes.
ENGINE_CHANGES = {
    "formatting": (
        "formatting.py",
        "return with_pattern(number, locale_of(language).decimal_formats[None].pattern,",
        'return "~" + with_pattern(number, locale_of(language).decimal_formats[None].pattern,',
    ),
    "prose": ("prose.py", 'MARKDOWN_EXTENSIONS = ["extra", "toc",', 'MARKDOWN_EXTENSIONS = ["extra",'),
    "render": ("render_html.py", "trim_blocks=True,", "trim_blocks=False,"),
    "theme template": ("theme/templates/_chart.html", "Download:", "Downloads:"),
}


def copy_of_package(folder: Path) -> Path:
    import shutil

    import factsite

    shutil.copytree(Path(factsite.__file__).parent, folder / "factsite", ignore=shutil.ignore_patterns("__pycache__"))
    return folder


def build_with(engine: Path, site: Path, out: Path, cache: Path) -> dict:
    """The fixture built by the factsite in `engine` (another process: it imports that copy)."""
    import os
    import subprocess
    import sys

    command = [
        sys.executable,
        "-m",
        "factsite",
        "build",
        "--site",
        str(site),
        "--out",
        str(out),
        "--cache",
        str(cache),
        "--quiet",
        "--jobs",
        "1",
    ]
    done = subprocess.run(
        command, cwd=engine, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(engine)}, check=False
    )
    assert done.returncode == 0, done.stderr
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


@pytest.mark.parametrize("change", ENGINE_CHANGES)
def test_a_warm_build_after_a_change_to_the_engine_equals_a_cold_one(tmp_path, change):
    """The workflows keep .cache/ between runs: after a change to any engine file, what it holds from
    the engine before must not reach the output (a chart's title formats its number through formatting.py)."""
    engine = copy_of_package(tmp_path / "engine")
    site = make_site(tmp_path / "site")
    chart = site / "content/charts/rises.py"
    chart.write_text(chart.read_text().replace('title="Rises by day"', 'title=f"Rises to {facts.number(1090)}"'))
    before = build_with(engine, site, tmp_path / "before", tmp_path / "cache")
    name, old, new = ENGINE_CHANGES[change]
    edit(engine / "factsite" / name, old, new)
    warm = build_with(engine, site, tmp_path / "warm", tmp_path / "cache")
    cold = build_with(engine, site, tmp_path / "cold", tmp_path / "cold-cache")
    assert [name for name in cold if cold[name] != warm.get(name)] == []
    assert cold.keys() == warm.keys()
    assert cold != before  # the change shows in the output


def test_the_engine_key_covers_every_file_of_the_engine_and_its_libraries(tmp_path, monkeypatch):
    """Found on disk: a module added (or one split in two) changes the key as an edited one does; so do
    the fonts and the libraries' versions. What `new` copies into a new site is not the engine."""
    from factsite import keys

    package = copy_of_package(tmp_path) / "factsite"
    first = keys.engine_key_of(package)
    changed = []
    for name in ("formatting.py", "theme/locales/ru/LC_MESSAGES/messages.po", "assets/fonts/FactsiteSans-Bold.ttf"):
        (package / name).write_bytes((package / name).read_bytes() + b"\n")
        changed.append(keys.engine_key_of(package))
    (package / "pages.py").write_text("")
    changed.append(keys.engine_key_of(package))
    assert len({first, *changed}) == 5
    (package / "starter" / "README.md").write_text("another starter")
    assert keys.engine_key_of(package) == changed[-1]
    real = keys.metadata.version
    monkeypatch.setattr(keys.metadata, "version", lambda name: "99" if name == "babel" else real(name))
    assert keys.engine_key_of(package) != changed[-1]


def test_a_charts_csv_says_where_its_data_comes_from_in_its_language(site):
    """Below the data, after an empty row: the chart's source line, then each source's publisher,
    title, address and licence, each one cell, in the language of the chart's folder."""
    edit(
        site / "content/facts/main.yaml",
        "url: https://example.org/report\n",
        "url: https://example.org/report\n    license: CC BY 4.0\n"
        "    license_url: https://creativecommons.org/licenses/by/4.0/\n",
    )
    edit(
        site / "content/facts/main.yaml",
        "url: https://example.org/survey\n",
        "url: https://example.org/survey\n    license: none\n",
    )
    assert run("build", "--site", str(site), "--quiet") == 0
    with open(site / "_site/charts/rises.csv", newline="") as file:
        rows = list(csv.reader(file))
    blank = rows.index([])
    assert rows[:blank] == [["date", "rise"], ["2023-03-10", "900"], ["2023-03-11", "1010"], ["2023-03-12", "1090"]]
    assert rows[blank + 1 :] == [
        ["# Source: Example Agency"],
        [
            "# Example Agency: Daily report; https://example.org/report;"
            " Licence: CC BY 4.0, https://creativecommons.org/licenses/by/4.0/"
        ],
    ]
    shares = (site / "_site/charts/shares.csv").read_text()
    assert "# Example Statistics Office: Survey of things; https://example.org/survey; No licence stated." in shares
