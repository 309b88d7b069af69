"""End to end: the fixture site built, and the output contract of DESIGN.md checked on it."""
import json
import re
from html.parser import HTMLParser
from pathlib import Path

from conftest import make_site, run


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
        "index.html", "second.html", "sources.html", "404.html", "facts.json", "facts.csv", "sitemap.xml",
        "robots.txt", ".nojekyll", "css/site.css", "assets/vega-embed.js", "assets/charts.js",
        "charts/rises.csv", "charts/rises.vl.json", "charts/rises.svg", "charts/rises.png",
        "charts/shares.csv", "charts/shares.vl.json", "charts/shares.svg",
    }
    written = {p.relative_to(built_fixture).as_posix() for p in built_fixture.rglob("*") if p.is_file()}
    assert expected <= written


def test_a_figure_links_to_its_entry_and_names_its_claimant(built_fixture):
    html = read(built_fixture, "index.html")
    fact = next(attrs for tag, attrs in tags(html) if attrs.get("data-fact") == "total")
    assert fact["href"] == "sources.html#fact-total"
    assert re.search(r'data-fact="total"[^>]*>159,090<span class="visually-hidden"> \(claimed by Example Agency\)</span>', html)
    assert ">159K<" in html  # CLDR writes thousands "K" in English (en), "k" in British English (en-GB)
    assert "40,000\u201360,000" in html and "estimated by Example Intelligence" in html
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
    assert re.search(r'<svg role="img" aria-label="Three bars rising from 900 to 1,090\."', figure)
    assert '<a href="sources.html#source-agency_report">Example Agency</a>' in figure
    assert "<caption>Data for: Rises by day</caption>" in figure
    assert '<th scope="col">Report date</th>' in figure and '<td class="num">1,090</td>' in figure
    for link in ("charts/rises.csv", "charts/rises.vl.json", "charts/rises.svg"):
        assert f'href="{link}"' in figure
    spec = json.loads(re.search(r'<script type="application/json" class="chart-spec">(.*?)</script>', figure, re.S).group(1))
    # The title as the module wrote it, with the chart's source line under it (on the chart, in every download).
    assert spec["title"] == {"text": "Rises by day", "subtitle": ["Source: Example Agency"]}
    assert read(built_fixture, "charts/rises.csv") == "date,rise\n2023-03-10,900\n2023-03-11,1010\n2023-03-12,1090\n"


def test_chart_scripts_load_only_on_pages_with_charts_and_deferred(built_fixture):
    scripts = [attrs for tag, attrs in tags(read(built_fixture, "index.html")) if tag == "script" and "src" in attrs]
    # The Vega bundle is not loaded with the page: charts.js adds it when a reader reaches for a chart.
    assert [(s["src"], s.get("data-bundle")) for s in scripts] == [("assets/charts.js", "assets/vega-embed.js")]
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
    assert '<meta property="og:image" content="https://example.org/explainer/charts/rises.png">' in read(built_fixture, "index.html")
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
        outputs.append({p.relative_to(folder / "_site"): p.read_bytes() for p in (folder / "_site").rglob("*") if p.is_file()})
    assert outputs[0] == outputs[1]


def test_warm_build_renders_no_chart_and_imports_no_altair(site, tmp_path):
    import subprocess
    import sys

    cache = tmp_path / "cache"
    command = [sys.executable, "-X", "importtime", "build.py", "--site", str(site), "--cache", str(cache)]
    project = Path(__file__).resolve().parent.parent
    cold = subprocess.run(command, cwd=project, capture_output=True, text=True)
    assert "2 re-rendered" in cold.stderr and "altair" in cold.stderr
    warm = subprocess.run(command, cwd=project, capture_output=True, text=True)
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
        command = [sys.executable, "build.py", "--out", str(tmp_path / out), "--cache", str(tmp_path / cache), "--quiet"]
        done = subprocess.run(command, cwd=project, capture_output=True, text=True, env={**os.environ, "TZ": zone})
        assert done.returncode == 0, done.stderr
        folder = tmp_path / out
        return {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}

    cold = build("cold", "cache", "UTC")
    warm = build("warm", "cache", "UTC")
    elsewhere = build("new-york", "cache-new-york", "America/New_York")
    assert [name for name in cold if cold[name] != warm.get(name)] == []
    assert [name for name in cold if cold[name] != elsewhere.get(name)] == []
    assert cold.keys() == warm.keys() == elsewhere.keys()
