"""The output files besides the pages (render): sources page, 404 page, facts and chart data files,
share images, feed, sitemap, assets, static files and images."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlparse
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

import jinja2
from markupsafe import Markup

from . import charts as chart_stage
from . import embeds
from .colors import COLORS_CSS, stylesheet
from .errors import ContentError, ContentErrors
from .feed import FEED_FILE, atom_feed
from .formatting import (
    attribution,
    format_fact,
)
from .load import display_path, files_under
from .model import NO_LICENSE, Dataset, Fact, Page, Site, Source
from .render_html import (
    FINDABLE,
    SOURCES_PAGE,
    Charts,
    Use,
    address,
    as_named,
    chart_csv_names,
    figure_html,
    gettext_of,
    page_context,
    render_template,
    script_json,
    source_links,
    without_shared_data,
)
from .svg import clean_svg

ENGINE_ASSETS = Path(__file__).parent / "assets"
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".avif")  # published from content/


# A cell a spreadsheet would read as a formula (OWASP, CSV injection): it starts with one of these.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def statement_pages(site: Site) -> dict[str, list[str]]:
    """The page files whose sentences rest on each statement ({{ check("id") }}), in page order."""
    found: dict[str, list[str]] = {}
    for page in site.pages:
        for reference in page.references:
            if reference.kind == "check" and page.filename not in found.setdefault(reference.id, []):
                found[reference.id].append(page.filename)
    return found


def shown_style(fact_id: str, used_on: dict[str, list[Use]]) -> str:
    """The form a fact takes where pages first show it; a figure used only in calculations as a number."""
    uses = used_on.get(f"fact:{fact_id}") or []
    return uses[0].style if uses else "number"


def figure_groups(site: Site, uses: list[Use], gettext: Callable[[str], str]) -> list[dict[str, Any]]:
    """The sources page's figures under the first page that shows each (pages in the site's order,
    figures in the order a reader meets them), then those used only in calculations; each group with
    its anchor, heading and page file."""
    order = {page.filename: number for number, page in enumerate(site.pages)}
    first_seen: dict[str, tuple[int, int]] = {}  # fact id -> (its page's place, its place in the uses)
    for position, use in enumerate(uses):
        if use.kind == "fact" and use.page in order and use.id in site.facts:
            first_seen[use.id] = min(first_seen.get(use.id, (len(order), 0)), (order[use.page], position))
    groups = [
        {
            "anchor": f"figures-{page.slug.replace('/', '-')}",
            "title": page.title,
            "page": page.filename,
            "facts": [
                site.facts[f]
                for f in sorted((f for f in first_seen if first_seen[f][0] == number), key=first_seen.__getitem__)
            ],
        }
        for number, page in enumerate(site.pages)
    ]
    rest = [site.facts[f] for f in sorted(site.facts) if f not in first_seen]
    groups.append(
        {"anchor": "figures-calculations", "title": gettext("Used only in calculations"), "page": "", "facts": rest}
    )
    return [group for group in groups if group["facts"]]


def render_sources_page(site: Site, uses: list[Use], env: jinja2.Environment, page_titles: dict[str, str]) -> bytes:
    used_on: dict[str, list[Use]] = {}
    for use in uses:
        used_on.setdefault(f"{use.kind}:{use.id}", []).append(use)
    gettext = gettext_of(site)
    context = page_context(
        site,
        SOURCES_PAGE,
        gettext("Sources and figures"),
        gettext("Every figure on %(site)s, who claims it, and where it was published.") % {"site": site.config.title},
        figure_groups=figure_groups(site, uses, gettext),
        facts_by_id=site.facts,
        datasets_by_id=site.datasets,
        sources=sorted(site.sources.values(), key=lambda s: (s.publisher.lower(), s.published, s.id)),
        datasets=sorted(site.datasets.values(), key=lambda d: d.id),
        statements=sorted(site.statements.values(), key=lambda s: s.id),
        statement_pages=statement_pages(site),
        used_on=used_on,
        page_titles=page_titles,
        no_license=NO_LICENSE,
        # Each figure in the form the pages show it (48.9% where a page writes the fraction 0.489 as a percentage).
        format_fact=lambda fact: format_fact(as_named(fact, site), shown_style(fact.id, used_on), site.language),
        attribution=lambda fact: attribution(fact, gettext),
        source_links=lambda ids, page=f"{SOURCES_PAGE}.html": Markup(source_links(ids, site, page)),
    )
    return render_template(env, "sources.html", "sources.html", **context)


def source_record(source: Source) -> dict[str, Any]:
    return {key: value for key, value in source.__dict__.items() if key != "where"}


def dataset_record(dataset: Dataset) -> dict[str, Any]:
    """A dataset's provenance and terms (its rows are published as the charts' CSV files)."""
    return {
        "id": dataset.id,
        "title": dataset.title,
        "claimant": dataset.claimant,
        "sources": list(dataset.sources),
        "columns": list(dataset.columns),
        "rows": len(dataset.rows),
        "note": dataset.note,
        "license": dataset.license,
        "license_url": dataset.license_url,
    }


def fact_record(fact: Fact, site: Site, pages: list[str]) -> dict[str, Any]:
    return {
        "id": fact.id,
        "label": fact.label,
        "value": fact.value,
        "low": fact.low,
        "high": fact.high,
        "unit": fact.unit,
        "counts": fact.counts,
        "as_of": fact.as_of,
        "claimant": fact.claimant,
        "status": fact.status,
        "display": format_fact(as_named(fact, site), "number", site.language),
        "derived_from": fact.expression,
        "datasets": list(fact.datasets),
        "sources": [source_record(site.sources[s]) for s in fact.sources],
        "quote": fact.quote,
        "note": fact.note,
        "used_on": pages,
    }


def facts_files(site: Site, uses: list[Use]) -> dict[str, bytes]:
    pages_of: dict[str, list[str]] = {}
    for use in uses:
        if use.kind == "fact" and use.page not in pages_of.setdefault(use.id, []):
            pages_of[use.id].append(use.page)
    records = [fact_record(f, site, pages_of.get(f.id, [])) for f in sorted(site.facts.values(), key=lambda f: f.id)]
    pages_resting = statement_pages(site)
    document = {
        "site": site.config.title,
        "url": site.config.url,
        "license": {"name": site.config.license, "url": site.config.license_url},  # of the site's text and charts
        "facts": records,
        "sources": [source_record(s) for s in sorted(site.sources.values(), key=lambda s: s.id)],
        "datasets": [dataset_record(d) for d in sorted(site.datasets.values(), key=lambda d: d.id)],
        "corrections": [
            {"date": c.date, "change": c.change, "reason": c.reason, "fact": c.fact} for c in site.corrections
        ],
        "statements": [
            {
                "id": s.id,
                "says": s.says,
                "check": s.check,
                "holds": True,
                "facts": list(s.inputs),
                "datasets": list(s.datasets),
                "used_on": pages_resting.get(s.id, []),
            }
            for s in sorted(site.statements.values(), key=lambda s: s.id)
        ],
    }
    columns = [
        "id",
        "label",
        "value",
        "low",
        "high",
        "unit",
        "counts",
        "as_of",
        "claimant",
        "status",
        "display",
        "derived_from",
        "source_ids",
        "source_urls",
        "quote",
        "note",
        "used_on",
    ]
    rows = []
    for record in records:
        joined = {
            "source_ids": " ".join(s["id"] for s in record["sources"]),
            "source_urls": " ".join(s["url"] for s in record["sources"]),
            "used_on": " ".join(record["used_on"]),
        }
        rows.append([joined.get(k, record.get(k, "")) for k in columns])
    return {
        f"{site.prefix}facts.json": (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode(),
        f"{site.prefix}facts.csv": csv_bytes(columns, rows),
    }


def spreadsheet_cell(value: object) -> object:
    """A CSV cell no spreadsheet runs: text starting as a formula would (=, +, -, @, tab, line
    break, or their full-width forms) gets a leading apostrophe, OWASP's rule; a plain number such
    as -3.5 stays a number, since a spreadsheet reads it as one and runs nothing."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_START) and not PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return value


def csv_bytes(header: Sequence[object], rows: Iterable[Sequence[object]], note: list[str] | None = None) -> bytes:
    """A published CSV file: the header and rows, each cell made safe to open in a spreadsheet, and
    after an empty row the lines of `note` (where the data comes from), one cell each."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([spreadsheet_cell(cell) for cell in header])
    writer.writerows([spreadsheet_cell(cell) for cell in row] for row in rows)
    if note:
        writer.writerow([])
        writer.writerows([spreadsheet_cell(line)] for line in note)
    return buffer.getvalue().encode()


def chart_files(chart: chart_stage.RenderedChart, prefix: str = "", note: list[str] | None = None) -> dict[str, bytes]:
    """A chart's downloads, in the folder of its language (`prefix`); each CSV ends with `note`, which
    says where the data comes from (chart_stage.source_note)."""
    files = {
        f"{prefix}charts/{chart.id}.vl.json": (
            json.dumps(chart.spec, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
        ).encode(),
        f"{prefix}charts/{chart.id}.svg": chart.svg.encode(),
    }
    files[f"{prefix}{chart_spec_script(chart.id)}"] = interactive_specs(chart)
    for name, table in zip(chart_csv_names(chart), chart.tables, strict=True):
        files[prefix + name] = csv_bytes(table.columns, table.rows, note)
    return files


def chart_spec_script(chart_id: str) -> str:
    return f"charts/{chart_id}.spec.js"


def interactive_specs(chart: chart_stage.RenderedChart) -> bytes:
    """The script assets/charts.js loads when a reader reaches for the chart: its wide spec and its
    narrow one (without the rows it shares with the wide). A script, not JSON, so that it loads from
    file:// too, and not in the page, which stays within its budget with two pictures per chart."""
    narrow = script_json(without_shared_data(chart.narrow_spec, chart.spec)) if chart.narrow_spec else "null"
    return (
        f"(self.factsiteSpecs = self.factsiteSpecs || {{}})[{script_json(chart.id)}] = "
        f"[{script_json(chart.spec)}, {narrow}];\n"
    ).encode()


def sitemap(site: Site) -> bytes:
    """Every page in every language, each with its versions in the others (hreflang alternates)."""
    body = []
    for versions in site.versions.values():
        links = (
            "".join(
                f'    <xhtml:link rel="alternate" hreflang="{tag}" href={quoteattr(address(site, output_file))}/>\n'
                for tag, output_file in versions
            )
            if len(versions) > 1
            else ""
        )
        for _, output_file in versions:
            body.append(f"  <url>\n    <loc>{xml_escape(address(site, output_file))}</loc>\n{links}  </url>\n")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">\n'
        + "".join(body)
        + "</urlset>\n"
    ).encode()


def robots(site: Site) -> bytes:
    return f"User-agent: *\nAllow: /\nSitemap: {site.config.url}sitemap.xml\n".encode()


def edition_files(
    site: Site, charts: Charts, uses: list[Use], env: jinja2.Environment, cache_dir: Path
) -> dict[str, bytes]:
    """The files of one language besides its pages, in its folder: sources page, facts files, chart
    files, each chart's own page and PNG image (also the share images), corrections feed."""
    files: dict[str, bytes] = {}
    page_titles = {p.filename: p.title for p in site.pages}
    files[f"{site.prefix}{SOURCES_PAGE}.html"] = render_sources_page(site, uses, env, page_titles)
    files.update(facts_files(site, uses))
    for chart in charts.values():
        files.update(chart_files(chart, site.prefix, chart_stage.source_note(chart.sources, site)))
    files.update(
        embeds.embed_files(site, charts, uses, lambda chart, article: embed_page(chart, article, site, env), cache_dir)
    )
    files[site.prefix + FEED_FILE] = atom_feed(site, gettext_of(site))
    files[f"{site.prefix}404.html"] = not_found_page(site, env)
    return files


def embed_page(chart: chart_stage.RenderedChart, article: Page | None, site: Site, env: jinja2.Environment) -> bytes:
    """The chart's own page (embeds.embed_path), which other sites embed: the figure alone, with a
    link to the article that shows it."""
    slug = embeds.embed_path(chart.id).removesuffix(".html")
    home = "../" * slug.count("/")
    figure = figure_html(chart, site, env, home)
    context = page_context(
        site,
        slug,
        chart.title,
        chart.description,
        chart=chart,
        article=article,
        figure=Markup(figure),
        has_charts=True,
        has_findable=bool(FINDABLE.search(figure)),
        share_image=f"{site.config.url}{site.prefix}charts/{chart.id}.png",
        embed_script=embeds.EMBED_SCRIPT,
    )
    return render_template(env, embeds.EMBED_TEMPLATE, f"{site.prefix}{slug}.html", **context)


def not_found_page(site: Site, env: jinja2.Environment) -> bytes:
    """A language's 404 page. It may be served at any depth (GitHub Pages serves 404.html for every
    missing path), so it links from the site's root path, not relatively."""
    root_path = urlparse(site.config.url).path or "/"
    return render_template(
        env,
        "404.html",
        f"{site.prefix}404.html",
        **page_context(
            site,
            "404",
            gettext_of(site)("Page not found"),
            site.config.description,
            root=root_path,
            home=root_path + site.prefix,
        ),
    )


def site_files(
    site: Site, charts: Charts, uses: list[Use], env: jinja2.Environment, cache_dir: Path
) -> dict[str, bytes]:
    """Every output file besides the pages: sources page, 404, facts files, chart files, assets, static files."""
    files = edition_files(site, charts, uses, env, cache_dir)
    page_titles = {p.filename: p.title for p in site.pages}
    if charts:
        files["assets/vega-embed.js"] = chart_stage.vega_embed_bundle(cache_dir).encode()
        files["assets/charts.js"] = (ENGINE_ASSETS / "charts.js").read_bytes()
        files[embeds.EMBED_SCRIPT] = (ENGINE_ASSETS / "embed.js").read_bytes()
    if site.facts:
        files["assets/cards.js"] = (ENGINE_ASSETS / "cards.js").read_bytes()
    if findable_tables(site, charts):
        files["assets/tables.js"] = (ENGINE_ASSETS / "tables.js").read_bytes()
    if site.config.colors:
        files[COLORS_CSS] = stylesheet(site.config.colors).encode()
    files["sitemap.xml"] = sitemap(site)
    files["robots.txt"] = robots(site)
    files[".nojekyll"] = b""
    for relative, absolute in site.static_files:
        if relative in files or relative in page_titles:
            raise ContentErrors(
                [ContentError(absolute, None, f'static file would replace the generated "{relative}"; rename it')]
            )
        files[relative] = Path(absolute).read_bytes()
    for relative, (shown, data) in content_images(site).items():
        if relative in files:
            raise ContentErrors(
                [
                    ContentError(
                        shown, None, f'image would replace "{relative}" (a generated file or one in static/); rename it'
                    )
                ]
            )
        files[relative] = data
    return files


def findable_tables(site: Site, charts: Charts) -> bool:
    """Whether a page may have a table readers sort and filter, for which assets/tables.js is published:
    a chart's data table (its spec's usermeta says findable) or prose marked data-findable, in any language.
    (serve makes site-wide files again when charts change, not page bodies: a first findable table added
    to prose while serving gets its script at the next full build; the page works without it meanwhile.)"""
    metas = [chart.spec.get("usermeta") for chart in charts.values()]
    if any(isinstance(meta, dict) and meta.get("findable") for meta in metas):
        return True
    if any(table.findable for table in site.tables.values()):
        return True
    return any("data-findable" in page.body for page in site.every_page)


def content_images(site: Site) -> dict[str, tuple[str, bytes]]:
    """Images kept beside the pages in content/ (content/map.png, shown with ![Map](map.png)), by the
    output path they keep (map.png): (the file as messages show it, its bytes). Image types only; an
    SVG image is published as svg.clean_svg writes it again, or refused."""
    content = Path(site.root) / "content"
    if not content.is_dir() or not any(path.suffix.lower() in IMAGE_SUFFIXES for path in content.rglob("*")):
        return {}  # the usual site: no image, no need to check where each file's links lead
    paths, _ = files_under(content)  # load refused links that lead out
    images, errors = {}, []
    for path in paths:
        if path.suffix.lower() not in IMAGE_SUFFIXES or path.name.startswith("."):
            continue
        data = path.read_bytes()
        if path.suffix.lower() == ".svg":
            try:
                data = clean_svg(data, display_path(path))
            except ContentError as error:
                errors.append(error)
                continue
        images[path.relative_to(content).as_posix()] = (display_path(path), data)
    if errors:
        raise ContentErrors(errors)
    return images


def refuse_replacing(files: dict[str, bytes], edition_files: dict[str, bytes], site: Site, language: str) -> None:
    """A file of static/ or an image of content/ where an edition writes one of its own files
    (static/ru/index.html, content/ru/charts/rises.png): refused, like one where the site's own
    language writes. Pages that collide were refused by validate, so only these can."""
    static = dict(site.static_files)
    errors = [
        ContentError(
            static.get(name) or display_path(Path(site.root) / "content" / name),
            None,
            f'would replace the "{language}" edition\'s generated "{name}"; rename it',
        )
        for name in sorted(edition_files)
        if name in files
    ]
    if errors:
        raise ContentErrors(errors)
