"""Stage 3, render: turn the validated Site into output files (path -> bytes), nothing written yet."""
from __future__ import annotations

import csv
import hashlib
import html as html_text
import io
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable
from urllib.parse import urlparse
from xml.sax.saxutils import escape as xml_escape

import jinja2
import markdown
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup, escape

from . import charts as chart_stage
from .errors import ContentError, ContentErrors
from .feed import FEED_FILE, atom_feed
from .formatting import attribution, format_fact
from .model import Claim, Fact, Page, Site, Source
from .sanitize import sanitize, start_tags

ENGINE_ASSETS = Path(__file__).parent / "assets"
MARKDOWN_EXTENSIONS = ["extra", "toc", "sane_lists", "smarty"]
SOURCES_PAGE = "sources"


@dataclass(frozen=True)
class Use:
    """One place a fact or chart appears: page file and the anchor of that spot."""

    kind: str
    id: str
    page: str
    anchor: str


@dataclass
class RenderedProse:
    html: str
    uses: list[Use] = field(default_factory=list)
    charts: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Rendered:
    files: dict  # output path -> bytes
    uses: tuple  # every Use of a fact or chart, for the sources page and `check`
    pages: int
    charts: int
    charts_rendered: int


# ---- figures in prose ------------------------------------------------------------------


def fact_html(fact: Fact, style: str, anchor: str) -> str:
    """<a data-fact> that shows the figure, links to its entry and says who claims it."""
    return (
        f'<a class="fact fact-{fact.status}" data-fact="{fact.id}" id="{anchor}" '
        f'href="{SOURCES_PAGE}.html#fact-{fact.id}">{escape(format_fact(fact, style))}'
        f'<span class="visually-hidden"> ({escape(attribution(fact))})</span></a>'
    )


def source_links(source_ids, site: Site) -> str:
    return ", ".join(
        f'<a href="{SOURCES_PAGE}.html#source-{sid}">{escape(site.sources[sid].publisher)}</a>' for sid in source_ids
    )


def format_cell(value) -> str:
    if isinstance(value, bool) or value is None:
        return "" if value is None else str(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,}"
    return str(value)


def script_json(value) -> Markup:
    """JSON safe inside a <script> element: "<" escaped, so no "</script>" can end it early."""
    return Markup(json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c"))


def figure_html(chart: chart_stage.RenderedChart, site: Site, env: jinja2.Environment) -> str:
    return env.get_template("_chart.html").render(
        chart=chart,
        svg=Markup(chart_stage.inline_svg(chart.svg, chart.id, chart.description)),
        sources=Markup(source_links(chart.sources, site)),
        spec_json=script_json(chart.spec),
        csv_names=chart_csv_names(chart),
        format_cell=format_cell,
    )


# ---- prose -------------------------------------------------------------------------------


def source_line(page: Page, needle: str) -> int | None:
    """The line in the page file where `needle` first appears, as written or once HTML entities
    are decoded (`&#106;avascript:`), for error messages."""
    needle = needle.lower()
    for number, line in enumerate(page.body.split("\n")):
        if needle in line.lower() or needle in html_text.unescape(line).lower():
            return page.body_line + number
    return None


def placeholder_stamp(page: Page) -> str:
    """Start of the placeholders for fact and chart HTML while Markdown and nh3 run. It holds a
    digest of the page, so text typed into the page (which cannot hold its own digest) never matches."""
    return f"@@factsite-{hashlib.sha256(page.body.encode()).hexdigest()[:16]}:"


def placement_problems(page: Page, html: str, stamp: str, calls: list[str]) -> list[ContentError]:
    """Each fact() and chart() must land once in the page's text: not inside a tag's attribute, not
    lost in a part Markdown does not show (a link definition), not copied (a [TOC] of headings)."""
    problems = []
    attributes = "\n".join(value for _, _, value in start_tags(html) if value)
    for number, call in enumerate(calls):
        placeholder = f"{stamp}{number}@@"
        if placeholder in attributes:
            problem = f"{call} cannot be used inside an HTML tag or a link address"
        elif placeholder not in html:
            problem = f"{call} is in a part of the page that is not shown (such as a link definition)"
        elif html.count(placeholder) > 1:
            problem = f"{call} is repeated by Markdown (such as a [TOC] of headings): place it elsewhere"
        else:
            continue
        problems.append(ContentError(page.where.path, source_line(page, call), problem))
    return problems


def render_prose(page: Page, site: Site, charts: dict, env: jinja2.Environment) -> RenderedProse:
    """Markdown + fact()/chart() -> sanitised HTML; fact and chart HTML is added after sanitising."""
    pieces: list[str] = []  # the HTML of each fact() and chart() call, in order
    calls: list[str] = []  # each call as an editor would look for it in the page
    prose = RenderedProse("")
    counts: dict[str, int] = {}
    stamp = placeholder_stamp(page)
    token = re.compile(re.escape(stamp) + r"(\d+)@@")

    def fact(fact_id: str, style: str = "number") -> str:
        counts[fact_id] = counts.get(fact_id, 0) + 1
        anchor = f"use-{fact_id}-{counts[fact_id]}"
        prose.uses.append(Use("fact", fact_id, page.filename, anchor))
        pieces.append(fact_html(site.facts[fact_id], style, anchor))
        calls.append(f'fact("{fact_id}")')
        return f"{stamp}{len(pieces) - 1}@@"

    def chart(chart_id: str) -> str:
        prose.uses.append(Use("chart", chart_id, page.filename, f"chart-{chart_id}"))
        for key in charts[chart_id].reads:
            kind, item = key.split(":", 1)
            prose.uses.append(Use(kind, item, page.filename, f"chart-{chart_id}"))
        prose.charts.append(chart_id)
        pieces.append(figure_html(charts[chart_id], site, env))
        calls.append(f'chart("{chart_id}")')
        return f"\n\n{stamp}{len(pieces) - 1}@@\n\n"

    sandbox = SandboxedEnvironment(undefined=jinja2.StrictUndefined, autoescape=False)
    try:
        text = sandbox.from_string(page.body).render(fact=fact, chart=chart)
    except jinja2.TemplateError as exc:
        raise ContentError(page.where.path, page.body_line, f"prose: {exc}") from None
    html = markdown.Markdown(extensions=MARKDOWN_EXTENSIONS, output_format="html").convert(text)
    html, removed = sanitize(html)
    problems = [ContentError(page.where.path, source_line(page, needle), message) for message, needle in removed]
    problems += placement_problems(page, html, stamp, calls)
    if problems:
        raise ContentErrors(problems)

    def block(match: re.Match) -> str:
        return pieces[int(match.group(1))]

    html = re.sub(rf"<p>\s*{token.pattern}\s*</p>", block, html)
    for chart_id in prose.charts:
        if f'data-chart="{chart_id}"' not in html:
            raise ContentError(page.where.path, source_line(page, f'chart("{chart_id}")'), f'chart("{chart_id}") must stand on a line of its own')
    prose.html = token.sub(block, html)
    return prose


# ---- structured data (schema.org JSON-LD) -----------------------------------------------


def page_url(site: Site, slug: str) -> str:
    return site.config.url + ("" if slug == "index" else f"{slug}.html")


def site_organization(site: Site) -> dict:
    return {"@type": "Organization", "name": site.config.title, "url": site.config.url}


def claim_review(claim: Claim, page: Page, site: Site) -> dict:
    item = {
        "@type": "Claim",
        "author": {"@type": claim.claimant_type, "name": claim.claimant},
        "datePublished": claim.date,
    }
    if claim.appearance:
        item["appearance"] = {"@type": "CreativeWork", "url": claim.appearance}
    return {
        "@type": "ClaimReview",
        "url": f"{page_url(site, page.slug)}#claim-{claim.id}",
        "claimReviewed": claim.claim,
        "itemReviewed": item,
        "reviewRating": {"@type": "Rating", "alternateName": claim.verdict},
        "author": site_organization(site),
        "mainEntityOfPage": page_url(site, claim.page),
    }


def chart_dataset(chart: chart_stage.RenderedChart, page: Page, site: Site) -> dict:
    return {
        "@type": "Dataset",
        "name": chart.title,
        "description": chart.description,
        "url": f"{page_url(site, page.slug)}#chart-{chart.id}",
        "creator": site_organization(site),
        "isBasedOn": [site.sources[s].url for s in chart.sources],
        "distribution": [
            {"@type": "DataDownload", "encodingFormat": "text/csv", "contentUrl": site.config.url + name}
            for name in chart_csv_names(chart)
        ],
    }


def structured_data(page: Page, site: Site, charts: list[chart_stage.RenderedChart]) -> Markup:
    """One JSON-LD graph: a ClaimReview per claim checked on the page, a Dataset per chart on it."""
    graph = [claim_review(c, page, site) for c in page.claims] + [chart_dataset(c, page, site) for c in charts]
    return script_json({"@context": "https://schema.org", "@graph": graph}) if graph else Markup("")


def check_claim_anchors(page: Page, html: str) -> None:
    """Each claim's ClaimReview points at #claim-<id>, so the page must have that element."""
    missing = [c for c in page.claims if f'id="claim-{c.id}"' not in html]
    if missing:
        raise ContentErrors(
            ContentError(c.where.path, c.where.line, f'claim "{c.id}": the page has no element with id="claim-{c.id}"; '
                         f'add {{: #claim-{c.id} }} after the heading that discusses it')
            for c in missing
        )


# ---- pages -------------------------------------------------------------------------------


def template_env(site: Site) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(site.templates_dir),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def nav_items(site: Site, current: str) -> list[dict]:
    titles = {p.slug: p.nav_title or p.title for p in site.pages}
    titles[SOURCES_PAGE] = "Sources"
    return [
        {"title": titles[slug], "href": f"{slug}.html", "current": slug == current}
        for slug in site.config.nav
    ]


def share_charts(site: Site) -> list[str]:
    """Charts that serve as a page's share image (Open Graph), rendered to PNG."""
    chosen = [site.config.share_chart] + [p.extra.get("share_chart", "") for p in site.pages]
    return sorted({c for c in chosen if c})


def share_image(site: Site, page: Page) -> str:
    chart_id = page.extra.get("share_chart") or site.config.share_chart
    return f"{site.config.url}charts/{chart_id}.png" if chart_id else ""


def render_template(env: jinja2.Environment, name: str, path: str, **context) -> bytes:
    try:
        return env.get_template(name).render(**context).encode()
    except jinja2.TemplateSyntaxError as exc:
        raise ContentError(exc.filename or name, exc.lineno, f"template: {exc.message}") from None
    except jinja2.TemplateError as exc:
        raise ContentError(str(Path(env.loader.searchpath[0]) / name), None, f"template error while rendering {path}: {exc}") from None


def page_context(site: Site, slug: str, title: str, description: str, **more) -> dict:
    return {
        "site": site.config,
        "nav": nav_items(site, slug),
        "title": title,
        "description": description,
        "canonical": site.config.url + ("" if slug == "index" else f"{slug}.html"),
        "root": "",
        "has_charts": False,
        "share_image": "",
        "structured_data": "",
        **more,
    }


def render_page(page: Page, site: Site, charts: dict, env: jinja2.Environment) -> tuple[bytes, RenderedProse]:
    prose = render_prose(page, site, charts, env)
    check_claim_anchors(page, prose.html)
    context = page_context(
        site,
        page.slug,
        page.title,
        page.description,
        page=page,
        content=Markup(prose.html),
        has_charts=bool(prose.charts),
        share_image=share_image(site, page),
        facts=site.facts,
        format_fact=format_fact,
        corrections=site.corrections,
        structured_data=structured_data(page, site, [charts[c] for c in dict.fromkeys(prose.charts)]),
    )
    html = render_template(env, page.template, page.filename, **context)
    ids = Counter(value for _, name, value in start_tags(html.decode()) if name == "id")
    problems = [
        ContentError(page.where.path, source_line(page, f"#{id_}") or source_line(page, id_),
                     f'the id "{id_}" is used twice on the page (a heading or {{: #id }} may repeat one the build gives)')
        for id_, count in sorted(ids.items())
        if count > 1
    ]
    if problems:
        raise ContentErrors(problems)
    return html, prose


def render_sources_page(site: Site, uses: list[Use], env: jinja2.Environment, page_titles: dict) -> bytes:
    used_on: dict[str, list[Use]] = {}
    for use in uses:
        used_on.setdefault(f"{use.kind}:{use.id}", []).append(use)
    cited_by: dict[str, list[str]] = {}
    for fact in site.facts.values():
        for sid in fact.sources:
            cited_by.setdefault(sid, []).append(fact.id)
    context = page_context(
        site,
        SOURCES_PAGE,
        "Sources and figures",
        f"Every figure on {site.config.title}, who claims it, and where it was published.",
        facts=sorted(site.facts.values(), key=lambda f: f.id),
        sources=sorted(site.sources.values(), key=lambda s: (s.publisher.lower(), s.published, s.id)),
        datasets=sorted(site.datasets.values(), key=lambda d: d.id),
        used_on=used_on,
        cited_by=cited_by,
        page_titles=page_titles,
        format_fact=format_fact,
        attribution=attribution,
        source_links=lambda ids: Markup(source_links(ids, site)),
    )
    return render_template(env, "sources.html", "sources.html", **context)


# ---- machine-readable files ----------------------------------------------------------------


def source_record(source: Source) -> dict:
    return {key: value for key, value in source.__dict__.items() if key != "where"}


def fact_record(fact: Fact, site: Site, pages: list[str]) -> dict:
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
        "display": format_fact(fact),
        "derived_from": fact.expression,
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
    document = {
        "site": site.config.title,
        "url": site.config.url,
        "facts": records,
        "sources": [source_record(s) for s in sorted(site.sources.values(), key=lambda s: s.id)],
    }
    buffer = io.StringIO()
    columns = ["id", "label", "value", "low", "high", "unit", "counts", "as_of", "claimant", "status", "display",
               "derived_from", "source_ids", "source_urls", "quote", "note", "used_on"]
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for record in records:
        writer.writerow(
            {k: record[k] for k in columns if k in record}
            | {
                "source_ids": " ".join(s["id"] for s in record["sources"]),
                "source_urls": " ".join(s["url"] for s in record["sources"]),
                "used_on": " ".join(record["used_on"]),
            }
        )
    return {
        "facts.json": (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode(),
        "facts.csv": buffer.getvalue().encode(),
    }


def chart_csv_names(chart: chart_stage.RenderedChart) -> list[str]:
    """Output paths of a chart's data tables: charts/<id>.csv, then charts/<id>-2.csv, ..."""
    return [f"charts/{chart.id}{'' if number == 0 else f'-{number + 1}'}.csv" for number in range(len(chart.tables))]


def chart_files(chart: chart_stage.RenderedChart) -> dict[str, bytes]:
    files = {
        f"charts/{chart.id}.vl.json": (json.dumps(chart.spec, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode(),
        f"charts/{chart.id}.svg": chart.svg.encode(),
    }
    for name, table in zip(chart_csv_names(chart), chart.tables):
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(table.columns)
        writer.writerows(table.rows)
        files[name] = buffer.getvalue().encode()
    return files


def sitemap(site: Site) -> bytes:
    urls = [site.config.url + ("" if p.slug == "index" else p.filename) for p in site.pages]
    urls.append(site.config.url + f"{SOURCES_PAGE}.html")
    body = "".join(f"  <url><loc>{xml_escape(u)}</loc></url>\n" for u in urls)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + body + "</urlset>\n"
    ).encode()


def robots(site: Site) -> bytes:
    return f"User-agent: *\nAllow: /\nSitemap: {site.config.url}sitemap.xml\n".encode()


# ---- the stage -----------------------------------------------------------------------------


def render_charts(site: Site, cache_dir: Path, progress: Callable[[str], None]) -> dict:
    rendered, errors = {}, []
    for number, (chart_id, raw) in enumerate(sorted(site.charts.items()), start=1):
        progress(f"rendering chart {number} of {len(site.charts)}: {chart_id}")
        try:
            rendered[chart_id] = chart_stage.render_chart(raw, site, cache_dir)
        except ContentErrors as many:
            errors.extend(many.errors)
        except ContentError as error:
            errors.append(error)
    if errors:
        raise ContentErrors(errors)
    return rendered


def no_progress(step: str) -> None:
    """The default for render_site's progress: report nothing."""


def render_site(site: Site, cache_dir: Path, progress: Callable[[str], None] = no_progress) -> Rendered:
    """Every output file of the site, as bytes keyed by its path inside the output folder.

    `progress` is told each step as it starts, for the terminal.
    """
    charts = render_charts(site, cache_dir, progress)
    progress("rendering pages")
    env = template_env(site)
    files: dict[str, bytes] = {}
    uses: list[Use] = []
    errors: list[ContentError] = []
    for page in site.pages:
        try:
            files[page.filename], prose = render_page(page, site, charts, env)
            uses.extend(prose.uses)
        except ContentErrors as many:
            errors.extend(many.errors)
        except ContentError as error:
            errors.append(error)
    if errors:
        raise ContentErrors(errors)
    progress("rendering the sources page, data files and share images")
    page_titles = {p.filename: p.title for p in site.pages}
    files[f"{SOURCES_PAGE}.html"] = render_sources_page(site, uses, env, page_titles)
    root_path = urlparse(site.config.url).path or "/"
    # GitHub Pages serves 404.html for a missing path at any depth, so only this page links from the site root.
    files["404.html"] = render_template(
        env, "404.html", "404.html", **page_context(site, "404", "Page not found", site.config.description, root=root_path)
    )
    files.update(facts_files(site, uses))
    for chart in charts.values():
        files.update(chart_files(chart))
    for chart_id in share_charts(site):
        files[f"charts/{chart_id}.png"], _ = chart_stage.cached_render(cache_dir, "png", charts[chart_id].spec, chart_stage.png_of)
    if charts:
        files["assets/vega-embed.js"] = chart_stage.vega_embed_bundle(cache_dir).encode()
        files["assets/charts.js"] = (ENGINE_ASSETS / "charts.js").read_bytes()
    files[FEED_FILE] = atom_feed(site)
    files["sitemap.xml"] = sitemap(site)
    files["robots.txt"] = robots(site)
    files[".nojekyll"] = b""
    for relative, absolute in site.static_files:
        if relative in files:
            raise ContentErrors([ContentError(absolute, None, f'static file would replace the generated "{relative}"; rename it')])
        files[relative] = Path(absolute).read_bytes()
    return Rendered(
        files=files,
        uses=tuple(uses),
        pages=len(site.pages) + 1,
        charts=len(charts),
        charts_rendered=sum(c.rendered for c in charts.values()),
    )
