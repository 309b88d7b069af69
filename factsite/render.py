"""Stage 3, render: turn the validated Site into output files (path -> bytes), nothing written yet."""

from __future__ import annotations

import csv
import functools
import html as html_text
import io
import json
import re
from collections import Counter
from collections.abc import Callable
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

import jinja2
from markupsafe import Markup, escape

from . import charts as chart_stage
from . import embeds
from .colors import COLORS_CSS, stylesheet
from .errors import ContentError, ContentErrors, listed
from .feed import FEED_FILE, atom_feed
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
from .keys import body_key, engine_key
from .load import display_path, files_under
from .model import NO_LICENSE, Claim, Dataset, Fact, Page, Site, Source
from .parallel import CHUNKS_PER_WORKER, chunked, submit_chunks, usable_cores, warm_up
from .prose import (
    PLACEHOLDER,
    PLACEHOLDER_BLOCK,
    Memo,
    ProseCompiler,
    ProseMarkup,
    compile_in_worker,
    placeholder_digest,
    source_line,
)
from .sanitize import start_tags
from .svg import clean_svg
from .typography import NBSP, typeset, typeset_html

ENGINE_ASSETS = Path(__file__).parent / "assets"
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".avif")  # published from content/
# A cell a spreadsheet would read as a formula (OWASP, CSV injection): it starts with one of these.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
PARALLEL_PAGES = 100  # pages to put through Markdown before worker processes save more than they cost
PARALLEL_CHARTS = 8  # charts to run or draw before worker processes pay (each starts Altair and vl-convert)
CHARTS_PER_PROCESS = 12  # charts worth a worker of its own (vl-convert starts in each): under 24, one draws them all
SOURCES_PAGE = "sources"
# An id attribute as html.parser reads one (value optional), and what must come before it.
ID_ATTRIBUTE = re.compile(r"""id\b(?:\s*=+\s*('[^']*'|"[^"]*"|(?!['"])[^>\s]*))?""")
BEFORE_ATTRIBUTE = re.compile(r"""['"\s/]""")
# A table readers can sort and filter (assets/tables.js): a chart's data table or a prose <div> marked data-findable.
FINDABLE = re.compile(r"<(?:table|div)\b[^>]*\sdata-findable\b")


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
    uses: tuple  # the Uses on this page, in order


@dataclass(frozen=True)
class Rendered:
    files: dict  # output path -> bytes
    uses: tuple  # every Use of a fact or chart, for the sources page and `check`
    pages: int
    charts: int
    charts_rendered: int


# ---- figures in prose ------------------------------------------------------------------


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


@functools.lru_cache(maxsize=8192)
def shown_fact(fact: Fact, style: str, language: str) -> Markup:
    """format_fact, escaped, once per fact, style and language (facts are values: the same fact shows
    the same figure on every page)."""
    return escape(format_fact(fact, style, language))


def gettext_of(site: Site) -> Callable[[str], str]:
    """The interface words of the site's language (the site's catalog first, then the theme's)."""
    return catalog(site.language, str(Path(site.root) / "locales")).gettext


def source_links(source_ids, site: Site, page: str = f"{SOURCES_PAGE}.html") -> str:
    """Links to the sources' entries on the sources page (`page` is "" on that page itself)."""
    return ", ".join(f'<a href="{page}#source-{sid}">{escape(site.sources[sid].publisher)}</a>' for sid in source_ids)


def format_cell(value, language: str = "en", places: int | None = None) -> str:
    """A data table's cell as the language writes numbers: with `places` decimals (its column's, so
    48.0 stands as 48.0 among 47.3 and 50.1), else as many as the data has."""
    if isinstance(value, bool) or value is None:
        return "" if value is None else str(value)
    if isinstance(value, (int, float)):
        return format_number(value, language, chart_stage.decimals(value) if places is None else places)
    return str(value)


def script_json(value) -> Markup:
    """JSON safe inside a <script> element: "<" escaped, so no "</script>" can end it early."""
    return Markup(json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c"))


SHARED_DATA = "factsite-shared-"  # charts.js names the wide spec's inline rows so, in the order they come
SAME_PARTS = "factsite-same"  # the top-level keys a narrow spec takes from the wide one (charts.js)


def without_shared_data(spec: dict, other: dict) -> dict:
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

    def lighter(value):
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
    return env.get_template("_chart.html").render(
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


# ---- prose -------------------------------------------------------------------------------


def render_prose(
    page: Page, site: Site, charts: dict, env: jinja2.Environment, compiler: ProseCompiler
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
                fact_html(site.facts[item], style[0], anchor, page.home, site.language, gettext)
                + (NBSP + str(escape(agreeing_noun(site, page, site.facts[item], style[1]))) if len(style) > 1 else "")
            )
        else:
            prose.uses.append(Use("chart", item, page.filename, f"chart-{item}"))
            for key in charts[item].reads:
                read_kind, read_id = key.split(":", 1)
                prose.uses.append(Use(read_kind, read_id, page.filename, f"chart-{item}"))
            prose.charts.append(item)
            pieces.append(figure_html(charts[item], site, env, page.home, embeds.snippet(charts[item], site)))

    digest = placeholder_digest(page.body)

    def block(match: re.Match) -> str:
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
    prose.html = PLACEHOLDER.sub(block, html) + fact_cards(list(counts), site, env, page.home)
    return prose


# ---- structured data (schema.org JSON-LD) -----------------------------------------------


def page_url(site: Site, slug: str) -> str:
    return address(site, f"{site.prefix}{slug}.html")


def address(site: Site, output_file: str) -> str:
    """The absolute address of an output file; a folder's index.html is the folder itself."""
    return site.config.url + (
        output_file[: -len("index.html")] if output_file.rsplit("/", 1)[-1] == "index.html" else output_file
    )


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
        "inLanguage": site.language,
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


def page_dates(page: Page) -> dict:
    """schema.org's dates of a page from its front matter: date: (first published) and updated:."""
    dates = {"datePublished": page.extra.get("date"), "dateModified": page.extra.get("updated")}
    return {key: value for key, value in dates.items() if value}


def page_article(page: Page, site: Site) -> dict:
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


# ---- pages -------------------------------------------------------------------------------


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
    env.install_gettext_translations(translations, newstyle=True)
    env.globals.update(template_gettext(translations))
    return env


def nav_items(site: Site, current: str, home: str) -> list[dict]:
    """The navigation in the site's language; a page not (yet) in this language is left out."""
    titles = {**site.nav_titles, SOURCES_PAGE: gettext_of(site)("Sources")}
    return [
        {"title": titles[slug], "href": f"{home}{slug}.html", "current": slug == current}
        for slug in site.config.nav
        if slug in titles
    ]


def language_versions(site: Site, slug: str, root: str) -> list[dict]:
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
    chart_id = page.extra.get("share_chart") or site.config.share_chart
    return f"{site.config.url}{site.prefix}charts/{chart_id}.png" if chart_id else ""


def render_template(env: jinja2.Environment, name: str, path: str, **context) -> bytes:
    try:
        return typeset_html(env.get_template(name).render(**context), context["language"]).encode()
    except jinja2.TemplateSyntaxError as exc:
        raise ContentError(exc.filename or name, exc.lineno, f"template: {exc.message}") from None
    except jinja2.TemplateError as exc:
        found = next(
            (Path(folder) / name for folder in env.loader.searchpath if (Path(folder) / name).is_file()), Path(name)
        )
        raise ContentError(str(found), None, f"template error while rendering {path}: {exc}") from None


def page_context(
    site: Site, slug: str, title: str, description: str, root: str | None = None, home: str | None = None, **more
) -> dict:
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


def id_counts(html: str) -> Counter:
    """How often each id="..." occurs in the page's tags. A scan that finds every id the HTML parser
    would (and maybe more, say in a <script>) goes first: the parser, a hundred times slower, runs
    only when the scan finds a repeat or an id attribute in capitals."""
    found: Counter = Counter()
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


def render_page(
    page: Page, site: Site, charts: dict, env: jinja2.Environment, compiler: ProseCompiler
) -> tuple[bytes, RenderedProse]:
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
        format_fact=lambda fact, style="number": format_fact(fact, style, site.language),
        corrections=site.corrections,
        structured_data=structured_data(page, site, [charts[c] for c in dict.fromkeys(prose.charts)]),
    )
    html = render_template(env, page.template, page.filename, **context)
    ids = id_counts(html.decode())
    problems = [
        ContentError(
            page.where.path,
            source_line(page, f"#{id_}") or source_line(page, id_),
            f'the id "{id_}" is used twice on the page (a heading or {{: #id }} may repeat one the build gives)',
        )
        for id_, count in sorted(ids.items())
        if count > 1
    ]
    if problems:
        raise ContentErrors(problems)
    return html, prose


def statement_pages(site: Site) -> dict[str, list[str]]:
    """The page files whose sentences rest on each statement ({{ check("id") }}), in page order."""
    found: dict[str, list[str]] = {}
    for page in site.pages:
        for reference in page.references:
            if reference.kind == "check" and page.filename not in found.setdefault(reference.id, []):
                found[reference.id].append(page.filename)
    return found


def shown_style(fact_id: str, used_on: dict) -> str:
    """The form a fact takes where pages first show it; a figure used only in calculations as a number."""
    uses = used_on.get(f"fact:{fact_id}") or []
    return uses[0].style if uses else "number"


def figure_groups(site: Site, uses: list[Use], gettext: Callable[[str], str]) -> list[dict]:
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


def render_sources_page(site: Site, uses: list[Use], env: jinja2.Environment, page_titles: dict) -> bytes:
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
        format_fact=lambda fact: format_fact(fact, shown_style(fact.id, used_on), site.language),
        attribution=lambda fact: attribution(fact, gettext),
        source_links=lambda ids, page=f"{SOURCES_PAGE}.html": Markup(source_links(ids, site, page)),
    )
    return render_template(env, "sources.html", "sources.html", **context)


# ---- machine-readable files ----------------------------------------------------------------


def source_record(source: Source) -> dict:
    return {key: value for key, value in source.__dict__.items() if key != "where"}


def dataset_record(dataset: Dataset) -> dict:
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
        "display": format_fact(fact, "number", site.language),
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


def spreadsheet_cell(value) -> object:
    """A CSV cell no spreadsheet runs: text starting as a formula would (=, +, -, @, tab, line
    break, or their full-width forms) gets a leading apostrophe, OWASP's rule; a plain number such
    as -3.5 stays a number, since a spreadsheet reads it as one and runs nothing."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_START) and not PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return value


def csv_bytes(header, rows) -> bytes:
    """A published CSV file: the header and rows, each cell made safe to open in a spreadsheet."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([spreadsheet_cell(cell) for cell in header])
    writer.writerows([spreadsheet_cell(cell) for cell in row] for row in rows)
    return buffer.getvalue().encode()


def chart_csv_names(chart: chart_stage.RenderedChart) -> list[str]:
    """Output paths of a chart's data tables: charts/<id>.csv, then charts/<id>-2.csv, ..."""
    return [f"charts/{chart.id}{'' if number == 0 else f'-{number + 1}'}.csv" for number in range(len(chart.tables))]


def chart_files(chart: chart_stage.RenderedChart, prefix: str = "") -> dict[str, bytes]:
    """A chart's downloads, in the folder of its language (`prefix`)."""
    files = {
        f"{prefix}charts/{chart.id}.vl.json": (
            json.dumps(chart.spec, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
        ).encode(),
        f"{prefix}charts/{chart.id}.svg": chart.svg.encode(),
    }
    files[f"{prefix}{chart_spec_script(chart.id)}"] = interactive_specs(chart)
    for name, table in zip(chart_csv_names(chart), chart.tables):
        files[prefix + name] = csv_bytes(table.columns, table.rows)
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
    for slug, versions in site.versions.items():
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


# ---- the stage -----------------------------------------------------------------------------


def no_progress(step: str) -> None:
    """The default for render_site's progress: report nothing."""


class ChartJobs:
    """A site's charts: those the cache holds, taken at once; the others run and drawn in worker
    processes when there are enough of them to pay for the workers' start (each worker starts
    Altair and vl-convert), else here when asked for (result)."""

    def __init__(self, site: Site, cache_dir: Path, workers: int = 1, many: bool = False):
        """`many`: the build has PARALLEL_CHARTS or more to make in all its languages together, so even
        a language with fewer sends its charts to a worker (each language's to another)."""
        self.site, self.cache_dir = site, cache_dir
        self.ready: dict = {}  # id -> RenderedChart, or the list of its ContentErrors
        self.todo: list = []  # RawCharts still to run or draw
        for chart_id, raw in sorted(site.charts.items()):
            try:
                found = chart_stage.render_chart(raw, site, cache_dir, cached_only=True)
            except (ContentError, ContentErrors) as failure:
                self.ready[chart_id] = listed(failure)
                continue
            if found is None:
                self.todo.append(raw)
            else:
                self.ready[chart_id] = found
        self.chunks, self.futures = [], []
        self.done: dict | None = None  # what result() returned
        if workers > 1 and self.todo and (many or len(self.todo) >= PARALLEL_CHARTS):
            # A few chunks per worker, for balance, but never a worker for fewer than CHARTS_PER_PROCESS.
            self.chunks = chunked(self.todo, min(workers * CHUNKS_PER_WORKER, -(-len(self.todo) // CHARTS_PER_PROCESS)))
            try:
                self.futures = submit_chunks(
                    chart_stage.render_in_worker,
                    self.chunks,
                    workers,
                    chart_stage.for_workers(site),
                    cache_dir,
                    frozenset(site.charts),  # each chart's PNG (embeds.embed_files) drawn in the workers too
                )
            except (OSError, BrokenProcessPool):  # no worker could start: all are rendered here
                self.chunks, self.futures = [], []

    def result(self, progress: Callable[[str], None] = no_progress) -> dict:
        """Every chart by id (in id order); raises the charts' ContentErrors, all of them at once."""
        if self.done is not None:
            return self.done
        if self.futures:
            progress(f"rendering {len(self.todo)} charts in {len(self.futures)} processes")
        for chunk, future in zip(self.chunks, self.futures):
            try:
                results = future.result()
            except BrokenProcessPool:
                continue  # rendered here, below
            for raw, found in zip(chunk, results):
                self.ready[raw.id] = [ContentError(*problem) for problem in found] if isinstance(found, list) else found
        self.chunks, self.futures = [], []
        for number, (chart_id, raw) in enumerate(sorted(self.site.charts.items()), start=1):
            progress(f"rendering chart {number} of {len(self.site.charts)}: {chart_id}")
            if chart_id in self.ready:
                continue
            try:
                self.ready[chart_id] = chart_stage.render_chart(raw, self.site, self.cache_dir)
            except (ContentError, ContentErrors) as failure:
                self.ready[chart_id] = listed(failure)
        errors = [error for found in self.ready.values() if isinstance(found, list) for error in found]
        if errors:
            raise ContentErrors(errors)
        self.done = {chart_id: self.ready[chart_id] for chart_id in sorted(self.ready)}
        return self.done


def render_charts(site: Site, cache_dir: Path, progress: Callable[[str], None], workers: int = 1) -> dict:
    """Every chart of the site by id, from the cache or made now (in `workers` processes when many)."""
    return ChartJobs(site, cache_dir, workers).result(progress)


class ProseJobs:
    """The markup of pages that need Markdown, made in worker processes, chunk by chunk in page order;
    each chunk goes into the memo when the first page needing it is rendered, so rendering pages
    here overlaps the workers' Markdown. A page whose markup failed gets its errors from here."""

    def __init__(self, pages, memo: Memo, workers: int):
        self.memo = memo
        todo: dict[str, Page] = {}
        for page in pages:
            key = body_key(page.body)
            if key not in memo.markup and key not in todo:
                todo[key] = page
        self.chunks = chunked(list(todo.values()), workers * CHUNKS_PER_WORKER)
        self.chunk_of = {body_key(page.body): number for number, chunk in enumerate(self.chunks) for page in chunk}
        self.failed: dict[str, list[ContentError]] = {}  # page file -> its errors
        try:
            self.futures = submit_chunks(compile_in_worker, self.chunks, workers) if self.chunks else []
        except (OSError, BrokenProcessPool):  # no worker could start: pages are compiled as they render
            self.futures = []
        self.taken = 0  # chunks put into the memo so far

    def wait_for(self, page: Page) -> list[ContentError] | None:
        """Once the page's markup is in the memo: None, or the errors that making it raised."""
        number = self.chunk_of.get(body_key(page.body), -1)
        while self.taken <= number and self.taken < len(self.futures):
            chunk = self.chunks[self.taken]
            try:
                results = self.futures[self.taken].result()
            except BrokenProcessPool:
                results = [None] * len(chunk)  # made here when rendered
            for made_for, found in zip(chunk, results):
                if isinstance(found, ProseMarkup):
                    self.memo.markup[body_key(made_for.body)] = found
                elif found is not None:
                    self.failed[made_for.where.path] = [ContentError(*problem) for problem in found]
            self.taken += 1
        return self.failed.get(page.where.path)


def render_pages(
    pages,
    site: Site,
    charts: dict | Callable[[], dict],
    env: jinja2.Environment,
    memo: Memo,
    workers: int,
    jobs: ProseJobs | None = None,
) -> dict[str, RenderedPage]:
    """Each page rendered, by filename; with `workers` > 1 (or `jobs` already started), Markdown runs
    in worker processes (same bytes either way). `charts` may be a function that waits for them: then
    pages without charts are rendered first."""
    compiler = ProseCompiler(memo.markup)
    if jobs is None and workers > 1:
        jobs = ProseJobs(pages, memo, workers)
    if callable(charts):  # charts still being made: the pages that show none go first
        pages = list(pages)
        order = [p for p in pages if not any(r.kind == "chart" for r in p.references)]
        order += [p for p in pages if any(r.kind == "chart" for r in p.references)]
    else:
        order = pages
    rendered, errors = {}, []
    for page in order:
        failed = jobs.wait_for(page) if jobs else None
        if failed is not None:
            errors.extend(failed)
            continue
        if callable(charts) and any(r.kind == "chart" for r in page.references):
            charts = charts()
        try:
            html, prose = render_page(page, site, {} if callable(charts) else charts, env, compiler)
        except (ContentError, ContentErrors) as failure:
            errors.extend(listed(failure))
            continue
        rendered[page.filename] = RenderedPage(page.filename, html, tuple(prose.uses))
    if callable(charts):
        charts()  # a chart's errors come first, as when charts are made before pages
    if errors:
        raise ContentErrors(errors)
    return {page.filename: rendered[page.filename] for page in pages}


def to_compile(pages, memo: Memo) -> int:
    """How many different page bodies need Markdown (their markup is not remembered)."""
    return len({key for key in map(body_key, (page.body for page in pages)) if key not in memo.markup})


def page_workers(pages, memo: Memo, workers: int | None) -> int:
    """Worker processes for rendering `pages`: all cores when many need Markdown, unless told otherwise.

    Pages whose markup is remembered render in well under a millisecond; workers pay only for the rest.
    """
    if workers is not None:
        return workers
    return usable_cores() if to_compile(pages, memo) >= PARALLEL_PAGES else 1


def edition_files(
    site: Site, charts: dict, uses: list[Use], env: jinja2.Environment, cache_dir: Path
) -> dict[str, bytes]:
    """The files of one language besides its pages, in its folder: sources page, facts files, chart
    files, each chart's own page and PNG image (also the share images), corrections feed."""
    files: dict[str, bytes] = {}
    page_titles = {p.filename: p.title for p in site.pages}
    files[f"{site.prefix}{SOURCES_PAGE}.html"] = render_sources_page(site, uses, env, page_titles)
    files.update(facts_files(site, uses))
    for chart in charts.values():
        files.update(chart_files(chart, site.prefix))
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


def site_files(site: Site, charts: dict, uses: list[Use], env: jinja2.Environment, cache_dir: Path) -> dict[str, bytes]:
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


def findable_tables(site: Site, charts: dict) -> bool:
    """Whether a page may have a table readers sort and filter, for which assets/tables.js is published:
    a chart's data table (its spec's usermeta says findable) or prose marked data-findable, in any language.
    (serve makes site-wide files again when charts change, not page bodies: a first findable table added
    to prose while serving gets its script at the next full build; the page works without it meanwhile.)"""
    metas = [chart.spec.get("usermeta") for chart in charts.values()]
    if any(isinstance(meta, dict) and meta.get("findable") for meta in metas):
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


def start_workers_early(site_dir: Path, cache_dir: Path, memo: Memo, workers: int | None) -> None:
    """Before content is read: start the workers' fork server when this build will likely want
    workers (PARALLEL_PAGES more page files than the memo remembers, or chart modules the chart
    cache has never run), so that it imports the engine (and Altair, for many charts) on another
    core while this process reads and checks the content. A wrong guess costs that core a moment."""
    if workers == 1 or usable_cores() < 2:
        return
    content = Path(site_dir) / "content"
    pages = sum(1 for path in content.rglob("*") if path.suffix in (".md", ".markdown"))
    uncached = sum(1 for _ in (content / "charts").glob("*.py")) - sum(
        1 for _ in (Path(cache_dir) / "charts").glob("*.json")
    )
    if pages - len(memo.markup) >= PARALLEL_PAGES or uncached >= PARALLEL_CHARTS // 2:
        warm_up(["altair"] if uncached >= 2 * CHARTS_PER_PROCESS else [])


def compile_here(pages, memo: Memo) -> None:
    """The markup of `pages` made in this process and kept in the memo, while workers draw charts (too
    few pages to be worth sending). A page whose markup fails is made again when it is rendered, which
    reports its errors in page order."""
    compiler = ProseCompiler(memo.markup)
    for page in pages:
        try:
            compiler.markup(page)
        except (ContentError, ContentErrors):
            continue


def charts_to_make(site: Site, cache_dir: Path) -> int:
    """How many charts of the site and its editions must run or be drawn (a quick look at the cache)."""
    return sum(
        chart_stage.cached_run(cache_dir, raw, edition) is None
        for edition in (site, *site.editions.values())
        for raw in edition.charts.values()
    )


def render_site(
    site: Site,
    cache_dir: Path,
    progress: Callable[[str], None] = no_progress,
    memo: Memo | None = None,
    workers: int | None = None,
) -> Rendered:
    """Every output file of the site, as bytes keyed by its path inside the output folder.

    `progress` is told each step as it starts, for the terminal; `memo` remembers prose markup
    between builds; `workers` sets the number of processes (default: all cores when many pages need
    Markdown or many charts must be made, see page_workers). With workers, every edition's charts
    and page Markdown are started in them at once, and pages render here as their Markdown arrives.
    """
    memo = memo or Memo()
    editions = [site, *site.editions.values()]
    every_page = site.every_page
    charts_to_run = charts_to_make(site, cache_dir) if site.charts else 0
    many_pages = to_compile(every_page, memo) >= PARALLEL_PAGES
    asked = workers is not None  # --jobs N: Markdown goes to the workers however few pages need it
    if workers is None:
        workers = usable_cores() if many_pages or charts_to_run >= PARALLEL_CHARTS else 1
    chart_jobs, prose_jobs = {}, None
    if workers > 1:
        # The fork server starts importing now; Altair too when several workers will run charts.
        warm_up(["altair"] if charts_to_run >= 2 * CHARTS_PER_PROCESS else [])
        chart_jobs = {
            edition.language: ChartJobs(edition, cache_dir, workers, charts_to_run >= PARALLEL_CHARTS)
            for edition in editions
        }
        if asked or many_pages:
            prose_jobs = ProseJobs(every_page, memo, workers)
        else:  # workers for the charts, a few pages: their Markdown made here at once, not queued behind charts
            compile_here(every_page, memo)
    env = template_env(site, cache_dir)
    if chart_jobs:  # pages without charts render while the workers make the charts
        progress("rendering pages and charts")
        pages = render_pages(
            site.pages, site, lambda: chart_jobs[site.language].result(progress), env, memo, workers, prose_jobs
        )
        charts = chart_jobs[site.language].result(progress)
    else:
        charts = render_charts(site, cache_dir, progress)
        progress("rendering pages")
        pages = render_pages(site.pages, site, charts, env, memo, workers, prose_jobs)
    uses = [use for page in pages.values() for use in page.uses]
    files = {name: page.html for name, page in pages.items()}
    progress("rendering the sources page, data files and share images")
    files.update(site_files(site, charts, uses, env, cache_dir))
    pages_count, charts_count, rendered = len(site.pages) + 1, len(charts), sum(c.rendered for c in charts.values())
    for language, edition in site.editions.items():
        progress(f"rendering the {language} edition")
        edition_build = render_edition(edition, cache_dir, memo, workers, chart_jobs.get(edition.language), prose_jobs)
        refuse_replacing(files, edition_build.files, site, language)
        files.update(edition_build.files)
        uses += edition_build.uses
        pages_count, charts_count = pages_count + edition_build.pages, charts_count + edition_build.charts
        rendered += edition_build.charts_rendered
    return Rendered(files=files, uses=tuple(uses), pages=pages_count, charts=charts_count, charts_rendered=rendered)


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


def edition_pages(
    edition: Site,
    cache_dir: Path,
    memo: Memo,
    workers: int | None = None,
    chart_jobs: ChartJobs | None = None,
    prose_jobs: ProseJobs | None = None,
) -> tuple[dict, jinja2.Environment, dict[str, RenderedPage]]:
    """One language's charts (drawn in it) and pages, with the templates they were rendered by."""
    charts = chart_jobs.result() if chart_jobs else render_charts(edition, cache_dir, no_progress)
    env = template_env(edition, cache_dir)
    count = workers if prose_jobs else page_workers(edition.pages, memo, workers)
    return charts, env, render_pages(edition.pages, edition, charts, env, memo, count, prose_jobs)


def render_edition(
    edition: Site,
    cache_dir: Path,
    memo: Memo,
    workers: int | None = None,
    chart_jobs: ChartJobs | None = None,
    prose_jobs: ProseJobs | None = None,
) -> Rendered:
    """One of the site's other languages: its pages, charts drawn in it, its sources page and data files."""
    charts, env, pages = edition_pages(edition, cache_dir, memo, workers, chart_jobs, prose_jobs)
    uses = [use for page in pages.values() for use in page.uses]
    files = {name: page.html for name, page in pages.items()} | edition_files(edition, charts, uses, env, cache_dir)
    return Rendered(
        files=files,
        uses=tuple(uses),
        pages=len(edition.pages) + 1,
        charts=len(charts),
        charts_rendered=sum(c.rendered for c in charts.values()),
    )
