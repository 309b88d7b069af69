"""Any table can be made findable from the page's Markdown. (The regions map's table, sorted by keyboard
and filtered as the reader types, is checked in every engine: test_readers.py.)"""

from __future__ import annotations

from playwright.sync_api import expect


def test_a_markdown_table_opts_in_from_the_page(tmp_path, new_page):
    """Any table can be made findable: a Markdown table inside <div data-findable markdown="1"> gets
    the search box (named by the attribute) and sort buttons; tables.js is published and loaded only
    where a page has such a table."""
    from conftest import make_site, run, write

    from .harness import serve

    site = make_site(tmp_path / "site")
    write(
        site,
        "content/routes.md",
        """\
        ---
        title: Routes
        description: Bus routes.
        plain_numbers: ["12", "4", "30"]
        ---
        <div data-findable="Find a route" markdown="1">

        | Route | Buses an hour |
        | --- | --: |
        | Harbour | 12 |
        | Hill | 4 |
        | Station | 30 |

        </div>
        """,
    )
    assert run("build", "--site", str(site), "--quiet") == 0
    out = site / "_site"
    assert (out / "assets" / "tables.js").is_file()
    assert "assets/tables.js" in (out / "routes.html").read_text()
    assert "assets/tables.js" not in (out / "index.html").read_text()
    with serve(out) as url:
        page = new_page()
        page.goto(url + "routes.html")
        search = page.get_by_role("searchbox", name="Find a route")
        search.fill("st")
        expect(page.locator("[role=status]")).to_have_text("1 of 3 rows shown")
        search.fill("")
        page.get_by_role("button", name="Buses an hour").click()
        expect(page.locator("th[aria-sort]")).to_have_attribute("aria-sort", "ascending")
        page.get_by_role("button", name="Buses an hour").click()
        expect(page.locator("th[aria-sort]")).to_have_attribute("aria-sort", "descending")
        expect(page.locator("tbody tr td:first-child")).to_have_text(["Station", "Harbour", "Hill"])
        expect(page.locator("[role=status]")).to_have_text("3 of 3 rows shown. Sorted by Buses an hour, descending")
