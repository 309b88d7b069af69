"""Write a synthetic explainer for benchmarks, and the same pages for the tools we compare with.

    python bench/make_site.py OUT --pages 1000 --charts 8 --facts 300 [--others]

OUT/factsite is our site: N pages of about 500 words (headings, lists, links, emphasis, four
fact() references), a facts file and C charts. With --others, the same pages (each fact() written
out as its bold figure, chart() lines left out, as those tools have neither) for Pelican
(OUT/pelican), MkDocs (OUT/mkdocs), Hugo (OUT/hugo) and the bare Markdown + Jinja2 loop (OUT/bare).
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

NAV_PAGES = 8
WORDS = [
    "report",
    "figure",
    "count",
    "estimate",
    "source",
    "region",
    "claim",
    "share",
    "rate",
    "people",
    "official",
    "analyst",
    "data",
    "week",
    "month",
    "series",
    "change",
    "total",
    "reading",
    "method",
    "table",
    "chart",
    "record",
    "survey",
    "archive",
    "note",
    "update",
    "review",
    "evidence",
]
FACT_CALL = re.compile(r'\{\{ fact\("(fact_\d+)"\) \}\}')
CHART_LINE = re.compile(r'^\{\{ chart\("chart_\d+"\) \}\}\n', re.M)
LINK = re.compile(r"\]\(((?:index|page_\d+)\.html)\)")

CHART = """import altair as alt


def chart(facts):
    rows = [{{"label": f"item {{i}}", "value": facts.value(f"fact_{{i}}")}} for i in range({first}, {first} + 12)]
    return alt.Chart(alt.Data(values=rows)).mark_bar().encode(
        x=alt.X("label:N", title="Item"), y=alt.Y("value:Q", title="Value")
    ).properties(title="Synthetic chart {number}", description="Twelve bars of synthetic values.", width=600)
"""


@dataclass(frozen=True)
class SyntheticPage:
    name: str  # file stem: index, page_1, ...
    title: str
    description: str
    body: str  # our Markdown, with fact() and chart() calls


def sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def paragraph(rng: random.Random, facts: int, pages: list[str], with_fact: bool) -> str:
    words = [rng.choice(WORDS) for _ in range(58)]
    if with_fact:
        words[10] = f'{{{{ fact("fact_{rng.randrange(facts)}") }}}}'
    words[25] = f"*{words[25]}*"
    words[40] = f"[{rng.choice(WORDS)}]({rng.choice(pages)}.html)"
    words[50] = f"**{words[50]}**"
    return " ".join(words).capitalize() + "."


def page_body(rng: random.Random, facts: int, pages: list[str], charts: list[int]) -> str:
    """About 500 words: three sections, each with paragraphs, a sub-heading and a list; four figures."""
    parts, fact_slots = [], set(rng.sample(range(9), 4))
    for section in range(3):
        parts.append(f"## Section {'ABC'[section]}\n")
        for number in range(3):
            parts.append(paragraph(rng, facts, pages, 3 * section + number in fact_slots) + "\n")
            if number == 1:
                parts.append(f"### {sentence(rng, 3)[:-1]}\n")
        if section == 1:
            parts.append("".join(f"{n}. {sentence(rng, 6)}\n" for n in range(1, 5)))
        else:
            parts.append("".join(f"- {sentence(rng, 5)}\n" for _ in range(4)))
    parts.extend(f'{{{{ chart("chart_{c}") }}}}\n' for c in charts)
    return "\n".join(parts)


def synthetic_pages(pages: int, charts: int, facts: int, seed: int, first: str = "index") -> list[SyntheticPage]:
    """`pages` pages: the first named `first`, then page_1, page_2, ..."""
    rng = random.Random(seed)
    names = [first] + [f"page_{n}" for n in range(1, pages)]
    return [
        SyntheticPage(
            name,
            f"Page {number}",
            f"Synthetic page {number}.",
            page_body(rng, facts, names, [c for c in range(charts) if c % pages == number]),
        )
        for number, name in enumerate(names)
    ]


def fact_values(facts: int, seed: int) -> list[int]:
    rng = random.Random(seed + 1)
    return [rng.randrange(100, 200000) for _ in range(facts)]


def fresh(folder: Path) -> Path:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    return folder


# ---- our site ---------------------------------------------------------------------------


def write_facts(path: Path, values: list[int], source: str) -> None:
    lines = [
        f"sources:\n  - {{id: {source}, publisher: P, title: T, url: 'https://example.org/', published: 2023-01-01}}\n"
        "facts:\n"
    ]
    lines += [
        f"  - {{id: fact_{i}, value: {value}, unit: people, counts: killed, as_of: 2023-03-12,"
        f" claimant: Someone, status: claim, sources: {source}}}\n"
        for i, value in enumerate(values)
    ]
    path.write_text("".join(lines))


def write_pages(content: Path, pages: list[SyntheticPage]) -> None:
    for page in pages:
        (content / f"{page.name}.md").write_text(
            f"---\ntitle: {page.title}\ndescription: {page.description}\n---\n{page.body}"
        )


def write_factsite(out: Path, pages: list[SyntheticPage], charts: int, values: list[int]) -> Path:
    fresh(out)
    (out / "content" / "facts").mkdir(parents=True)
    (out / "content" / "charts").mkdir()
    nav = ", ".join(p.name for p in pages[:NAV_PAGES])
    (out / "site.yaml").write_text(
        f"title: Benchmark\ndescription: Synthetic site.\nurl: https://example.org/bench/\nlanguage: en\nnav: [{nav}, "
        "sources]\n"
    )
    write_facts(out / "content" / "facts" / "facts.yaml", values, "src")
    for number in range(charts):
        first = (number * 12) % (len(values) - 12)
        (out / "content" / "charts" / f"chart_{number}.py").write_text(CHART.format(first=first, number=number))
    write_pages(out / "content", pages)
    return out


def copy_explainer(project: Path, out: Path) -> Path:
    """The explainer's site (site.yaml and its input folders) copied to `out`, without caches or output."""
    fresh(out)
    shutil.copy2(project / "site.yaml", out / "site.yaml")
    for folder in ("content", "templates", "static", "locales"):
        if (project / folder).is_dir():
            shutil.copytree(project / folder, out / folder, ignore=shutil.ignore_patterns("__pycache__"))
    return out


# ---- the same pages for the other tools ---------------------------------------------------


def plain_body(body: str, values: list[int], link_suffix: str = ".html") -> str:
    """Our body as plain Markdown: each figure in bold, no chart lines, links ending in `link_suffix`."""
    body = FACT_CALL.sub(lambda m: f"**{values[int(m.group(1).split('_')[1])]:,}**", body)
    body = CHART_LINE.sub("", body)
    return LINK.sub(lambda m: f"]({m.group(1)[:-5]}{link_suffix})", body)


def yaml_front(page: SyntheticPage) -> str:
    return f"---\ntitle: {page.title}\ndescription: {page.description}\n---\n"


PELICAN_CONF = """AUTHOR = "Bench"
SITENAME = "Benchmark"
SITEURL = ""
PATH = "content"
PAGE_PATHS = ["pages"]
ARTICLE_PATHS = ["articles"]  # none: the benchmark's pages are pages, not blog posts
DIRECT_TEMPLATES = []
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
RELATIVE_URLS = True
PAGE_URL = "{slug}.html"
PAGE_SAVE_AS = "{slug}.html"
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
MENUITEMS = [%s]
DISPLAY_PAGES_ON_MENU = False
SLUGIFY_SOURCE = "basename"  # page_5.md -> page_5.html, as with the other tools
"""
# Pelican's own Markdown extensions (codehilite, extra, meta) and ours (toc, sane_lists, smarty,
# admonition): the same Markdown work as our build, for a like-for-like comparison.
PELICAN_OUR_MARKDOWN = """
MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.codehilite": {"css_class": "highlight"},
        "markdown.extensions.extra": {},
        "markdown.extensions.meta": {},
        "markdown.extensions.toc": {},
        "markdown.extensions.sane_lists": {},
        "markdown.extensions.smarty": {},
        "markdown.extensions.admonition": {},
    },
    "output_format": "html5",
}
"""
PELICAN_CACHED = """
CACHE_CONTENT = True  # Pelican's own cache of parsed content, kept between builds
LOAD_CONTENT_CACHE = True
CACHE_PATH = "cache"
"""


def write_pelican(out: Path, pages: list[SyntheticPage], values: list[int]) -> None:
    folder = fresh(out) / "content" / "pages"
    folder.mkdir(parents=True)
    menu = ", ".join(f'("{p.title}", "{p.name}.html")' for p in pages[:NAV_PAGES])
    (out / "pelicanconf.py").write_text(PELICAN_CONF % menu)
    (out / "pelicanconf_cached.py").write_text(PELICAN_CONF % menu + PELICAN_CACHED)
    (out / "pelicanconf_our_markdown.py").write_text(PELICAN_CONF % menu + PELICAN_OUR_MARKDOWN)
    for page in pages:
        (folder / f"{page.name}.md").write_text(
            f"Title: {page.title}\nSummary: {page.description}\n\n{plain_body(page.body, values)}"
        )


def write_mkdocs(out: Path, pages: list[SyntheticPage], values: list[int]) -> None:
    docs = fresh(out) / "docs"
    docs.mkdir()
    nav = "".join(f"  - {p.title}: {p.name}.md\n" for p in pages[:NAV_PAGES])
    (out / "mkdocs.yml").write_text(
        "site_name: Benchmark\nsite_url: https://example.org/bench/\nuse_directory_urls: false\n"
        "plugins: []  # no search index: ours builds none either\n"
        f"nav:\n{nav}"
    )
    for page in pages:
        (docs / f"{page.name}.md").write_text(yaml_front(page) + plain_body(page.body, values, ".md"))


HUGO_BASEOF = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>{{ .Title }} · {{ site.Title }}</title>
<meta name="description" content="{{ .Description }}"><link rel="stylesheet" href="css/site.css"></head>
<body>
<header><nav><ul>{{ range site.Params.nav }}<li><a href="{{ .href }}">{{ .title }}</a></li>{{ end }}</ul></nav></header>
<main>{{ block "main" . }}{{ end }}</main></body></html>
"""
HUGO_SINGLE = '{{ define "main" }}<article><h1>{{ .Title }}</h1>{{ .Content }}</article>{{ end }}\n'


def write_hugo(out: Path, pages: list[SyntheticPage], values: list[int]) -> None:
    content = fresh(out) / "content"
    content.mkdir()
    (out / "layouts" / "_default").mkdir(parents=True)
    (out / "layouts" / "_default" / "baseof.html").write_text(HUGO_BASEOF)
    (out / "layouts" / "_default" / "single.html").write_text(HUGO_SINGLE)
    (out / "layouts" / "index.html").write_text(HUGO_SINGLE)
    nav = "".join(f'  [[params.nav]]\n    title = "{p.title}"\n    href = "{p.name}.html"\n' for p in pages[:NAV_PAGES])
    (out / "hugo.toml").write_text(
        'baseURL = "https://example.org/bench/"\nlanguageCode = "en"\ntitle = "Benchmark"\nuglyURLs = true\n'
        'disableKinds = ["section", "taxonomy", "term", "RSS"]\n[params]\n' + nav
    )
    for page in pages:
        name = "_index" if page.name == "index" else page.name  # Hugo's home page is content/_index.md
        (content / f"{name}.md").write_text(yaml_front(page) + plain_body(page.body, values))


def write_bare(out: Path, pages: list[SyntheticPage], values: list[int]) -> None:
    folder = fresh(out) / "content"
    folder.mkdir()
    for page in pages:
        (folder / f"{page.name}.md").write_text(yaml_front(page) + plain_body(page.body, values))


def make_explainer_sites(out: Path, project: Path, pages: int, facts: int = 300, seed: int = 1) -> tuple[Path, Path]:
    """Issue 23's comparison: the explainer in `project` with `pages` synthetic pages added (its
    own charts, none added), and the same pages for Pelican. Returns (that site, the explainer alone)."""
    made = synthetic_pages(pages, 0, facts, seed, first="page_0")
    values = fact_values(facts, seed)
    explainer = copy_explainer(project, out / "explainer")
    grown = copy_explainer(project, out / "factsite")
    write_facts(grown / "content" / "facts" / "bench_pages.yaml", values, "bench_source")
    words = "".join(f"  fact_{i}: {{unit: чел., counts: убитые, claimant: Кто-то}}\n" for i in range(facts))
    (grown / "content" / "facts" / "bench_pages.ru.yaml").write_text(
        f"facts:\n{words}"
    )  # the explainer is in two languages
    write_pages(grown / "content", made)
    # Like for like: Pelican builds each added page once. They are in English only, and by default
    # (untranslated: fallback) the Russian edition would publish each again, doubling our pages.
    with (grown / "site.yaml").open("a") as config:
        config.write("untranslated: omit\n")
    write_pelican(out / "pelican", made, values)
    return grown, explainer


def make_sites(out: Path, pages: int, charts: int, facts: int, others: bool, seed: int = 1) -> Path:
    """Write our site (and with `others` every other tool's) under `out`; returns our site's folder."""
    made = synthetic_pages(pages, charts, facts, seed)
    values = fact_values(facts, seed)
    ours = write_factsite(out / "factsite", made, charts, values)
    if others:
        write_pelican(out / "pelican", made, values)
        write_mkdocs(out / "mkdocs", made, values)
        write_hugo(out / "hugo", made, values)
        write_bare(out / "bare", made, values)
    return ours


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--pages", type=int, default=10)
    parser.add_argument("--charts", type=int, default=8)
    parser.add_argument("--facts", type=int, default=300)
    parser.add_argument(
        "--others", action="store_true", help="also write the pages for Pelican, MkDocs, Hugo and the bare loop"
    )
    args = parser.parse_args()
    make_sites(args.out, args.pages, args.charts, args.facts, args.others)


if __name__ == "__main__":
    main()
