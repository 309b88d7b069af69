"""A page's HTML (render): figures and charts put into its prose, its template, its structured data,
and the checks on the result."""

from __future__ import annotations

import functools
import html as html_text
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from . import charts as chart_stage
from . import embeds
from .errors import ContentError, ContentErrors
from .formatting import (
    attribution,
    decimals_for,
    format_date,
    format_fact,
    format_number,
    locale_of,
    noun_form,
    plural_category,
)
from .i18n import catalog, template_gettext
from .keys import engine_key
from .model import Claim, DataTable, Fact, Page, Site
from .prose import (
    PLACEHOLDER,
    PLACEHOLDER_BLOCK,
    ProseCompiler,
    placeholder_digest,
    source_line,
)
from .sanitize import start_tags
from .tables import named_fact, table_html, untranslated_cells
from .typography import NBSP, typeset, typeset_html

SOURCES_PAGE = "sources"


# An id attribute as html.parser reads one (value optional), and what must come before it.
ID_ATTRIBUTE = re.compile(r"""id\b(?:\s*=+\s*('[^']*'|"[^"]*"|(?!['"])[^>\s]*))?""")
BEFORE_ATTRIBUTE = re.compile(r"""['"\s/]""")
# A relative address in an attribute of rendered prose (not a scheme's, the site root's or a fragment).
RELATIVE_ADDRESS = re.compile(r'(\s(?:href|src|data-spec)=")(?![A-Za-z][A-Za-z0-9+.-]*:|/|#|")')


# A table readers can sort and filter (assets/tables.js): a chart's data table or a prose <div> marked data-findable.
FINDABLE = re.compile(r"<(?:table|div)\b[^>]*\sdata-findable\b")


Charts = dict[str, chart_stage.RenderedChart]  # a language's charts, by id


@dataclass(frozen=True)
class Use:
    """One place a fact or chart appears: page file and the anchor of that spot."""

    kind: str
    id: str
    page: str
    anchor: str
    style: str = "number"  # how a fact is shown there: number, compact, percent, plain


@dataclass
class RenderedProse:
    html: str
    uses: list[Use] = field(default_factory=list)
    charts: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class RenderedPage:
    filename: str
    html: bytes
    uses: tuple[Use, ...]  # in the order the page shows them
    # What the page was made from, recorded while it was made (incremental compares these): "page:<file>",
    # "fact:<id>", "source:<id>", "chart:<id>", "dataset:<id>", "template:<name>".
    reads: frozenset[str] = frozenset()


def agreeing_noun(site: Site, page: Page, fact: Fact, noun: str) -> str:
    """fact("id", noun="region"): the noun's form that agrees with the figure as shown, by CLDR's plural
    rules for the page's language (29 регионов, 21 регион, 77,4 раза), from site.yaml's nouns:."""
    forms = site.config.nouns.get(noun)
    number = fact.value if fact.value is not None else fact.high
    where = (page.where.path, source_line(page, f'noun="{noun}"') or source_line(page, f"noun='{noun}'"))
    if not isinstance(forms, dict) or not all(isinstance(form, str) for form in forms.values()):
        home = "nouns:" if site.language == site.config.language else f"translations: {site.language}: nouns:"
        raise ContentError(
            *where,
            f'no noun "{noun}" in {site.language}: give its forms in site.yaml under {home}'
            f" {noun}: {{one: ..., other: ...}} (and few:, many: where the language has them)",
        )
    if not isinstance(number, (int, float)):
        raise ContentError(*where, f'fact "{fact.id}" is not a number, so no noun can agree with it')
    try:
        return noun_form(forms, number, site.language, decimals_for(number, fact))
    except KeyError:
        category = plural_category(number, site.language, decimals_for(number, fact))
        raise ContentError(
            *where,
            f'noun "{noun}" has no form for "{category}" ({format_fact(fact, "number", site.language)})'
            f' in {site.language}, nor an "other" form',
        ) from None


def fact_html(fact: Fact, style: str, anchor: str, home: str, language: str, gettext: Callable[[str], str]) -> str:
    """<a data-fact> that shows the figure as readers of `language` write it, links to its entry on
    the sources page of that language (`home` leads to its folder) and says who claims it."""
    return (
        f'<a class="fact fact-{fact.status}" data-fact="{fact.id}" id="{anchor}" '
        f'href="{home}{SOURCES_PAGE}.html#fact-{fact.id}">'
        f"{shown_fact(fact, style, language)}"
        f'<span class="visually-hidden"> ({escape(attribution(fact, gettext))})</span></a>'
    )


CARD_TEMPLATE = "_fact_card.html"
CHART_TEMPLATE = "_chart.html"


def fact_cards(fact_ids: list[str], site: Site, env: jinja2.Environment, home: str) -> str:
    """One card for each figure the page shows (fact_html's links open them): who says so, what, when,
    the source, and what a calculated figure is calculated from."""
    template = env.get_template(CARD_TEMPLATE)
    cards = [
        template.render(
            fact=site.facts[fact_id],
            home=home,
            format_date=lambda iso: format_date(iso, site.language),
            sources=[site.sources[s] for s in site.facts[fact_id].sources],
            inputs=[site.facts[i].label or site.facts[i].counts for i in site.facts[fact_id].inputs],
        )
        for fact_id in fact_ids
    ]
    return f'<div class="fact-cards">{"".join(cards)}</div>' if cards else ""


def as_named(fact: Fact, site: Site) -> Fact:
    """The fact as readers see it: in the site's own language, a text cell by the name its dataset's
    entry gives it (values:); an edition's facts hold their words already."""
    return fact if site.prefix else named_fact(fact, site.datasets)


@functools.lru_cache(maxsize=8192)
def shown_fact(fact: Fact, style: str, language: str) -> Markup:
    """format_fact, escaped, once per fact, style and language (facts are values: the same fact shows
    the same figure on every page)."""
    return escape(format_fact(fact, style, language))


def gettext_of(site: Site) -> Callable[[str], str]:
    """The interface words of the site's language (the site's catalog first, then the theme's)."""
    return catalog(site.language, str(Path(site.root) / "locales")).gettext


def source_links(source_ids: Iterable[str], site: Site, page: str = f"{SOURCES_PAGE}.html") -> str:
    """Links to the sources' entries on the sources page (`page` is "" on that page itself)."""
    return ", ".join(f'<a href="{page}#source-{sid}">{escape(site.sources[sid].publisher)}</a>' for sid in source_ids)


def format_cell(value: object, language: str = "en", places: int | None = None) -> str:
    """A data table's cell as the language writes numbers: with `places` decimals (its column's, so
    48.0 stands as 48.0 among 47.3 and 50.1), else as many as the data has."""
    if isinstance(value, bool) or value is None:
        return "" if value is None else str(value)
    if isinstance(value, (int, float)):
        return format_number(value, language, chart_stage.decimals(value) if places is None else places)
    return str(value)


def script_json(value: object) -> Markup:
    """JSON safe inside a <script> element: "<" escaped, so no "</script>" can end it early."""
    return Markup(json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c"))


SHARED_DATA = "factsite-shared-"  # charts.js names the wide spec's inline rows so, in the order they come
SAME_PARTS = "factsite-same"  # the top-level keys a narrow spec takes from the wide one (charts.js)


def without_shared_data(spec: dict[str, Any], other: dict[str, Any]) -> dict[str, Any]:
    """`spec` without the rows `other` has as they are (charts.js takes them from it): a page carries a
    chart's rows once for both of its layouts. Named datasets `other` has are left out; inline rows
    `other` has become {"name": "factsite-shared-<n>"}, the n-th inline rows of `other` in its JSON's order."""
    shared = other.get("datasets") or {}
    in_order = json.loads(json.dumps(other, sort_keys=True))  # the order of the page's JSON, as charts.js reads it
    inline = [
        json.dumps(node["data"]["values"], sort_keys=True)
        for node in chart_stage.walk(in_order)
        if isinstance(node.get("data"), dict) and "values" in node["data"]
    ]

    def lighter(value: Any) -> Any:
        if isinstance(value, list):
            return [lighter(item) for item in value]
        if not isinstance(value, dict):
            return value
        data = value.get("data")
        if isinstance(data, dict) and "values" in data and json.dumps(data["values"], sort_keys=True) in inline:
            value = {
                **value,
                "data": {"name": f"{SHARED_DATA}{inline.index(json.dumps(data['values'], sort_keys=True))}"},
            }
        return {key: child if key in ("datasets", "data") else lighter(child) for key, child in value.items()}

    spec = lighter(spec)
    own = {name: rows for name, rows in (spec.get("datasets") or {}).items() if shared.get(name) != rows}
    spec = {**spec, "datasets": own} if "datasets" in spec else spec
    # Top-level parts the same in both (config, description, usermeta...) are named, not repeated.
    same = sorted(key for key in spec if key != "datasets" and other.get(key) == spec[key])
    return {key: value for key, value in spec.items() if key not in same} | ({SAME_PARTS: same} if same else {})


def figure_html(
    chart: chart_stage.RenderedChart, site: Site, env: jinja2.Environment, home: str, embed: str = ""
) -> str:
    """A chart's figure; `embed` is the snippet that embeds it elsewhere (embeds.snippet), or "" on
    the chart's own page."""
    return env.get_template(CHART_TEMPLATE).render(
        chart=chart,
        home=home,
        embed=embeds.as_textarea_text(embed),
        svg=Markup(chart_stage.inline_svg(chart.svg, chart.id, chart.description)),
        sources=Markup(source_links(chart.sources, site, f"{home}{SOURCES_PAGE}.html")),
        narrow_svg=Markup(chart_stage.inline_svg(chart.narrow_svg, f"{chart.id}-narrow", chart.description))
        if chart.narrow_svg
        else "",
        csv_names=chart_csv_names(chart),
        format_cell=lambda value, places=None: format_cell(value, site.language, places),
    )


def table_figure(table: DataTable, site: Site, home: str) -> str:
    """A table from a dataset in the site's language, its dataset's sources under it (tables.table_html)."""
    dataset = site.datasets[table.dataset]
    if site.prefix:  # an edition: every text cell it shows needs words in its language
        missing = untranslated_cells(table, dataset, site.language)
        if missing:
            raise ContentErrors(missing)
    label = catalog(site.language, str(Path(site.root) / "locales")).ngettext("Source", "Sources", len(dataset.sources))
    links = source_links(dataset.sources, site, f"{home}{SOURCES_PAGE}.html")
    return table_html(table, dataset, site.language, links, label)


def render_prose(
    page: Page, site: Site, charts: Charts, env: jinja2.Environment, compiler: ProseCompiler
) -> RenderedProse:
    """The page's prose markup with fact and chart HTML put in place of its tokens (after the HTML check)."""
    markup = compiler.markup(page)
    pieces: list[str] = []
    prose = RenderedProse("")
    counts: dict[str, int] = {}
    gettext = gettext_of(site)
    for kind, item, *style in markup.calls:
        if kind == "fact":
            counts[item] = counts.get(item, 0) + 1
            anchor = f"use-{item}-{counts[item]}"
            prose.uses.append(Use("fact", item, page.filename, anchor, style[0]))
            pieces.append(
                fact_html(as_named(site.facts[item], site), style[0], anchor, page.home, site.language, gettext)
                + (NBSP + str(escape(agreeing_noun(site, page, site.facts[item], style[1]))) if len(style) > 1 else "")
            )
        elif kind == "table":
            prose.uses.append(Use("table", item, page.filename, f"table-{item}"))
            prose.uses.append(Use("dataset", site.tables[item].dataset, page.filename, f"table-{item}"))
            pieces.append(table_figure(site.tables[item], site, page.home))
        else:
            prose.uses.append(Use("chart", item, page.filename, f"chart-{item}"))
            for key in charts[item].reads:
                read_kind, read_id = key.split(":", 1)
                prose.uses.append(Use(read_kind, read_id, page.filename, f"chart-{item}"))
            prose.charts.append(item)
            pieces.append(figure_html(charts[item], site, env, page.home, embeds.snippet(charts[item], site)))

    digest = placeholder_digest(page.body)

    def block(match: re.Match[str]) -> str:
        """The call's HTML; text that only looks like a placeholder (another digest) stays as it is."""
        return pieces[int(match.group(2))] if match.group(1) == digest else match.group(0)

    html = PLACEHOLDER_BLOCK.sub(block, markup.html)
    for chart_id in prose.charts:
        if f'data-chart="{chart_id}"' not in html:
            raise ContentError(
                page.where.path,
                source_line(page, f'chart("{chart_id}")'),
                f'chart("{chart_id}") must stand on a line of its own',
            )
    for table_id in (item for kind, item, *_ in markup.calls if kind == "table"):
        if f'id="table-{table_id}"' not in html:
            raise ContentError(
                page.where.path,
                source_line(page, f'table("{table_id}")'),
                f'table("{table_id}") must stand on a line of its own',
            )
    prose.html = PLACEHOLDER.sub(block, html) + fact_cards(list(counts), site, env, page.home)
    return prose


def page_url(site: Site, slug: str) -> str:
    return address(site, f"{site.prefix}{slug}.html")


def address(site: Site, output_file: str) -> str:
    """The absolute address of an output file; a folder's index.html is the folder itself."""
    return site.config.url + (
        output_file[: -len("index.html")] if output_file.rsplit("/", 1)[-1] == "index.html" else output_file
    )


def site_organization(site: Site) -> dict[str, Any]:
    return {"@type": "Organization", "name": site.config.title, "url": site.config.url}


def claim_review(claim: Claim, page: Page, site: Site) -> dict[str, Any]:
    item = {
        "@type": "Claim",
        "author": {"@type": claim.claimant_type, "name": claim.claimant},
        "datePublished": claim.date,
    }
    if claim.appearance:
        item["appearance"] = {"@type": "CreativeWork", "url": claim.appearance}
    return {
        "@type": "ClaimReview",
        "inLanguage": site.language,
        "url": f"{page_url(site, page.slug)}#claim-{claim.id}",
        "claimReviewed": claim.claim,
        "itemReviewed": item,
        "reviewRating": {"@type": "Rating", "alternateName": claim.verdict},
        "author": site_organization(site),
        "mainEntityOfPage": page_url(site, claim.page),
    }


def chart_dataset(chart: chart_stage.RenderedChart, page: Page, site: Site) -> dict[str, Any]:
    return {
        "@type": "Dataset",
        "inLanguage": site.language,
        "name": chart.title,
        "description": chart.description,
        "url": f"{page_url(site, page.slug)}#chart-{chart.id}",
        "creator": site_organization(site),
        "isBasedOn": [site.sources[s].url for s in chart.sources],
        "distribution": [
            {"@type": "DataDownload", "encodingFormat": "text/csv", "contentUrl": site.config.url + site.prefix + name}
            for name in chart_csv_names(chart)
        ],
    }


def page_dates(page: Page) -> dict[str, Any]:
    """schema.org's dates of a page from its front matter: date: (first published) and updated:."""
    dates = {"datePublished": page.date, "dateModified": page.updated}
    return {key: value for key, value in dates.items() if value}


def page_article(page: Page, site: Site) -> dict[str, Any]:
    """The page as an Article with its dates, for a page that gives them."""
    return {
        "@type": "Article",
        "inLanguage": site.language,
        "headline": page.title,
        "description": page.description,
        "url": page_url(site, page.slug),
        "author": site_organization(site),
        "publisher": site_organization(site),
        **page_dates(page),
        **({"license": site.config.license_url} if site.config.license_url else {}),
    }


def structured_data(page: Page, site: Site, charts: list[chart_stage.RenderedChart]) -> Markup:
    """One JSON-LD graph: a ClaimReview per claim checked on the page, a Dataset per chart on it, and
    an Article for the page itself when its front matter dates it (date:, updated:)."""
    reviews = [claim_review(c, page, site) for c in page.claims]
    dates = page_dates(page)
    if "datePublished" in dates:
        reviews = [{**review, "datePublished": dates["datePublished"]} for review in reviews]  # published with the page
    graph = ([page_article(page, site)] if dates else []) + reviews + [chart_dataset(c, page, site) for c in charts]
    return script_json({"@context": "https://schema.org", "@graph": graph}) if graph else Markup("")


def check_claim_anchors(page: Page, html: str) -> None:
    """Each claim's ClaimReview points at #claim-<id>, so the page must have that element."""
    missing = [c for c in page.claims if f'id="claim-{c.id}"' not in html]
    if missing:
        raise ContentErrors(
            ContentError(
                c.where.path,
                c.where.line,
                f'claim "{c.id}": the page has no element with id="claim-{c.id}"; '
                f"add {{: #claim-{c.id} }} after the heading that discusses it",
            )
            for c in missing
        )


# A paragraph that quotes a claim ({: .claim-text } after it): its figures are the claimant's own.
CLAIM_PARAGRAPH = re.compile(r'<p class="(?:[^"]* )?claim-text(?: [^"]*)?">(.*?)</p>', re.S)
FIGURE_IN_HTML = re.compile(r'data-fact="([a-z][a-z0-9_]*)"')


def check_claim_paragraphs(page: Page, site: Site, html: str) -> None:
    """A claim paragraph shows the figures as the claimant gave them (facts with status: claim), so a
    reader never takes this site's calculation for the claimant's words; the site's own figures go in
    the verdict."""
    problems = [
        ContentError(
            page.where.path,
            source_line(page, f'fact("{fact_id}")'),
            f'"{fact_id}" is a figure of kind {site.facts[fact_id].status} in a claim paragraph ({{: .claim-text }}):'
            " a claim shows the claimant's own figures; add the figure as they gave it, as a fact with"
            " status: claim, and show this one in the verdict",
        )
        for paragraph in CLAIM_PARAGRAPH.finditer(html)
        for fact_id in FIGURE_IN_HTML.findall(paragraph.group(1))
        if site.facts[fact_id].status != "claim"
    ]
    if problems:
        raise ContentErrors(problems)


def template_env(site: Site, cache_dir: Path | None = None) -> jinja2.Environment:
    """The page templates' environment; with `cache_dir`, compiled templates are kept there (by
    name and source checksum, under the engine's key: this environment's options shape the compiled
    code), so a build compiles only templates that changed."""
    bytecode = None
    if cache_dir is not None:
        (cache_dir / "templates").mkdir(parents=True, exist_ok=True)
        bytecode = jinja2.FileSystemBytecodeCache(str(cache_dir / "templates"), f"{engine_key()[:16]}-%s.cache")
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(list(site.template_dirs)),  # the site's templates first, then the theme's
        bytecode_cache=bytecode,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.i18n"],
    )
    # Interface words in the site's language, escaped (i18n.interface_text); compiled templates stay
    # the same for every language.
    translations = catalog(site.language, str(Path(site.root) / "locales"))
    env.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]  # jinja2.ext.i18n adds it
    env.globals.update(template_gettext(translations))
    return env


def nav_items(site: Site, current: str, home: str) -> list[dict[str, Any]]:
    """The navigation in the site's language; a page not (yet) in this language is left out, or shown
    in the source language (`lang`) when the edition publishes it so (untranslated: fallback)."""
    titles = {**site.nav_titles, SOURCES_PAGE: gettext_of(site)("Sources")}
    fallback = {page.slug for page in site.fallback_pages}
    return [
        {
            "title": titles[slug],
            "href": f"{home}{slug}.html",
            "current": slug == current,
            "lang": site.fallback_language if slug in fallback else "",
        }
        for slug in site.config.nav
        if slug in titles
    ]


def language_versions(site: Site, slug: str, root: str) -> list[dict[str, Any]]:
    """This page in every language the site has it in, for hreflang links and the language switcher."""
    return [
        {
            "tag": tag,
            "name": language_name(tag),
            "href": root + output_file,
            "url": address(site, output_file),
            "current": tag == site.language,
        }
        for tag, output_file in site.versions.get(slug, ())
    ]


def language_name(tag: str) -> str:
    """A language's name in itself, as a switcher offers it: English, Русский."""
    name = locale_of(tag).get_language_name(locale_of(tag)) or tag
    return name[:1].upper() + name[1:]


def share_image(site: Site, page: Page) -> str:
    """The page's share image; in an edition whose translated pages do not show the chart, the source
    language's (an edition draws only the charts its translated pages show)."""
    chart_id = page.share_chart or site.config.share_chart
    prefix = site.prefix if chart_id in site.charts else ""
    return f"{site.config.url}{prefix}charts/{chart_id}.png" if chart_id else ""


def template_folders(env: jinja2.Environment) -> list[str]:
    """The folders templates are looked for in, in order (template_env's loader reads folders)."""
    return list(env.loader.searchpath) if isinstance(env.loader, jinja2.FileSystemLoader) else []


def render_template(env: jinja2.Environment, name: str, path: str, **context: Any) -> bytes:
    try:
        return typeset_html(env.get_template(name).render(**context), context["language"]).encode()
    except jinja2.TemplateSyntaxError as exc:
        raise ContentError(exc.filename or name, exc.lineno, f"template: {exc.message}") from None
    except jinja2.TemplateError as exc:
        found = next(
            (Path(folder) / name for folder in template_folders(env) if (Path(folder) / name).is_file()), Path(name)
        )
        raise ContentError(str(found), None, f"template error while rendering {path}: {exc}") from None


def page_context(
    site: Site, slug: str, title: str, description: str, root: str | None = None, home: str | None = None, **more: Any
) -> dict[str, Any]:
    """What every template gets. `root` leads from the page to the site's root folder (styles,
    scripts), `home` to its language's folder (the navigation, the sources page, charts); the
    404 page, served at any depth, gives both as the site's path."""
    output_file = f"{site.prefix}{slug}.html"
    root = "../" * output_file.count("/") if root is None else root
    home = "../" * slug.count("/") if home is None else home
    return {
        "site": site.config,
        "language": site.language,
        "nav": nav_items(site, slug, home),
        "title": typeset(title, site.language),
        "description": typeset(description, site.language),
        "canonical": address(site, output_file),
        "root": root,
        "home": home,
        "versions": language_versions(site, slug, root),
        "has_charts": False,
        "share_image": "",
        "structured_data": "",
        "format_date": lambda iso: format_date(iso, site.language),
        **more,
    }


def id_counts(html: str) -> Counter[str | None]:
    """How often each id="..." occurs in the page's tags. A scan that finds every id the HTML parser
    would (and maybe more, say in a <script>) goes first: the parser, a hundred times slower, runs
    only when the scan finds a repeat or an id attribute in capitals."""
    found: Counter[str | None] = Counter()
    if "ID" not in html and "Id" not in html and "iD" not in html:
        position = 0
        while match := ID_ATTRIBUTE.search(html, position):
            position = match.start() + 1  # not past the match: an attribute may start inside what it took
            if match.start() and BEFORE_ATTRIBUTE.match(html, match.start() - 1):
                value = match.group(1)
                if value is not None and value[:1] in "'\"" and value[:1] == value[-1:]:
                    value = value[1:-1]
                found[html_text.unescape(value) if value is not None else None] += 1
        if all(count == 1 for count in found.values()):
            return found
    return Counter(value for _, name, value in start_tags(html) if name == "id")


EVERY_PAGE_READS = frozenset({"site", "words"})  # the site's settings and navigation, its interface words


def page_reads(
    page: Page, site: Site, prose: RenderedProse, charts: dict[str, chart_stage.RenderedChart]
) -> frozenset[str]:
    """What the page was made from: what every page reads, the page itself and its versions in other
    languages (hreflang links), its templates, the facts, charts and datasets it shows, and what their
    cards and captions show (sources, the labels of the figures a calculated one is made from)."""
    shown = {f"{use.kind}:{use.id}" for use in prose.uses}
    facts = {use.id for use in prose.uses if use.kind == "fact"}
    carded = {f"fact:{i}" for f in facts for i in site.facts[f].inputs}
    carded |= {f"source:{s}" for f in facts for s in site.facts[f].sources}
    cited = {f"source:{s}" for chart_id in prose.charts for s in charts[chart_id].sources}
    templates = {page.template, *([CHART_TEMPLATE] if prose.charts else []), *([CARD_TEMPLATE] if facts else [])}
    return EVERY_PAGE_READS | {
        f"page:{page.filename}",
        f"versions:{page.slug}",
        *shown,
        *carded,
        *cited,
        *(f"template:{name}" for name in templates),
    }


def render_page(
    page: Page,
    site: Site,
    charts: dict[str, chart_stage.RenderedChart],
    env: jinja2.Environment,
    compiler: ProseCompiler,
) -> RenderedPage:
    prose = render_prose(page, site, charts, env, compiler)
    check_claim_anchors(page, prose.html)
    check_claim_paragraphs(page, site, prose.html)
    context = page_context(
        site,
        page.slug,
        page.title,
        page.description,
        page=page,
        content=Markup(prose.html),
        has_charts=bool(prose.charts),
        has_findable=bool(FINDABLE.search(prose.html)),
        has_cards='class="fact-cards"' in prose.html,
        share_image=share_image(site, page),
        facts=site.facts,
        format_fact=lambda fact, style="number": format_fact(as_named(fact, site), style, site.language),
        corrections=site.corrections,
        structured_data=structured_data(page, site, [charts[c] for c in dict.fromkeys(prose.charts)]),
    )
    html = render_template(env, page.template, page.filename, **context)
    ids = id_counts(html.decode())
    problems = [
        ContentError(
            page.where.path,
            source_line(page, f"#{id_}") or source_line(page, str(id_)),
            f'the id "{id_}" is used twice on the page (a heading or {{: #id }} may repeat one the build gives)',
        )
        for id_, count in sorted(ids.items(), key=lambda item: str(item[0]))  # None: the scan's "id" in text
        if count > 1
    ]
    if problems:
        raise ContentErrors(problems)
    return RenderedPage(page.filename, html, tuple(prose.uses), page_reads(page, site, prose, charts))


@dataclass(frozen=True)
class SourceEdition:
    """The site in its own language as rendered: what an edition shows its untranslated pages with."""

    site: Site
    charts: dict[str, chart_stage.RenderedChart]
    env: jinja2.Environment


def rebased(html: str, root: str) -> str:
    """Rendered prose moved into a folder `root` ("../") leads out of: each relative address in it
    still leads where it led."""
    return RELATIVE_ADDRESS.sub(lambda match: match.group(1) + root, html) if root else html


def render_fallback_page(
    page: Page, edition: Site, env: jinja2.Environment, source: SourceEdition, compiler: ProseCompiler
) -> bytes:
    """An edition's copy of a page not translated into its language (untranslated: fallback): the source
    page's prose, figures and charts as its own readers see them (marked with their language, linking to
    the source language's sources and chart files), under the edition's menu with a notice in the
    edition's language. Its canonical address is the source page's, and it names no alternates: it is
    no translation."""
    prose = render_prose(page, source.site, source.charts, source.env, compiler)
    language = source.site.language
    root = "../" * edition.prefix.count("/")
    context = page_context(
        edition,
        page.slug,
        page.title,
        page.description,
        page=page,
        content=Markup(f'<div lang="{language}">{rebased(prose.html, root)}</div>'),
        untranslated={
            "lang": language,
            "name": locale_of(language).get_language_name(locale_of(edition.language)) or language,
        },
        has_charts=bool(prose.charts),
        has_findable=bool(FINDABLE.search(prose.html)),
        has_cards='class="fact-cards"' in prose.html,
        share_image=share_image(source.site, page),
        facts=source.site.facts,
        format_fact=lambda fact, style="number": format_fact(fact, style, language),
        corrections=source.site.corrections,
        canonical=address(source.site, page.filename),
        versions=[],
    )
    return render_template(env, page.template, f"{edition.prefix}{page.filename}", **context)


def chart_csv_names(chart: chart_stage.RenderedChart) -> list[str]:
    """Output paths of a chart's data tables: charts/<id>.csv, then charts/<id>-2.csv, ..."""
    return [f"charts/{chart.id}{'' if number == 0 else f'-{number + 1}'}.csv" for number in range(len(chart.tables))]
