"""Page names as the web writes them: hyphens, and folders of content/ that become folders of the site."""

from conftest import run, run_captured, write

GUIDE = """\
---
title: Night buses
description: A page in a folder, with a hyphenated name.
---
The total is {{ fact("total") }}.

{{ chart("rises") }}

Back to [the home page](../index.html) or on to [the second page](../second.html#later).
"""


def test_a_hyphenated_page_in_a_folder_is_published_there_with_working_links(site, capsys):
    write(site, "content/guides/night-buses.md", GUIDE)
    (site / "site.yaml").write_text(
        (site / "site.yaml")
        .read_text()
        .replace("nav: [index, second, sources]", "nav: [index, second, guides/night-buses, sources]")
    )
    assert run_captured(capsys, "check", "--site", str(site)).code == 0  # every link and anchor resolves
    assert run("build", "--site", str(site), "--quiet") == 0
    page = (site / "_site/guides/night-buses.html").read_text()
    assert 'href="../sources.html#fact-total"' in page and 'href="../css/site.css"' in page
    assert 'href="../charts/rises.csv"' in page
    home = (site / "_site/index.html").read_text()
    assert 'href="guides/night-buses.html"' in home, "the navigation reaches it from the root"
    assert "https://example.org/explainer/guides/night-buses.html" in (site / "_site/sitemap.xml").read_text()


def test_a_page_name_the_web_cannot_use_is_refused_with_the_rule(site, capsys):
    write(site, "content/Night_Buses.md", GUIDE)
    errors = run_captured(capsys, "build", "--site", str(site)).errors
    assert [e["message"] for e in errors] == [
        'page file name "Night_Buses.md": use lower-case letters, digits, - and _ (night-buses.md), in folders named '
        "the same way"
    ]
    assert errors[0]["path"].endswith("content/Night_Buses.md")


def test_the_sources_page_shows_each_figure_in_the_form_the_pages_do(site):
    write(
        site,
        "content/facts/extra.yaml",
        """\
        facts:
          - id: fraction
            value: 0.489
            unit: share
            counts: share of the dead
            as_of: 2023-04-12
            claimant: A. Researcher
            status: count
            sources: survey
        """,
    )
    write(
        site,
        "content/shares.md",
        '---\ntitle: Shares\ndescription: D.\n---\nA share of {{ fact("fraction", "percent") }}.\n',
    )
    assert run("build", "--site", str(site), "--quiet") == 0
    entry = (site / "_site/sources.html").read_text().split('id="fact-fraction"')[1].split("</h3>")[0]
    assert ">48.9%</span>" in entry


def test_front_matter_is_read_into_typed_fields_of_the_page(site):
    """A page's front matter becomes declared fields with their types (an unquoted year is a date's
    text, plain numbers are text as prose shows them), and a translation takes its source page's
    unless it gives its own, but never the source's standfirst words."""
    from factsite.load import load_site
    from factsite.validate import validate_site

    write(
        site,
        "content/typed.md",
        "---\ntitle: Typed\ndescription: D.\ndate: 2023\nupdated: 2024-05-01\nplain_numbers: [100, 2.5]\n"
        "share_chart: rises\ncss: css/site.css\nstandfirst: The answer.\n---\nText.\n",
    )
    page = next(p for p in validate_site(load_site(site)).pages if p.slug == "typed")
    assert (page.date, page.updated, page.plain_numbers) == ("2023", "2024-05-01", ("100", "2.5"))
    assert (page.share_chart, page.css, page.standfirst, page.draft) == ("rises", "css/site.css", "The answer.", False)
    assert not hasattr(page, "extra")
