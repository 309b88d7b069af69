"""`build.py check`: links and anchors, unused entries, numbers typed into prose."""

from conftest import run


def check(site, capsys) -> tuple[int, str]:
    capsys.readouterr()
    code = run("check", "--site", str(site))
    return code, capsys.readouterr().err


def test_fixture_site_is_clean(site, capsys):
    code, err = check(site, capsys)
    assert code == 0, err
    assert "no problems" in err
    assert not (site / "_site").exists(), "check writes nothing"


def test_bare_number_is_reported_with_line_column_and_matching_fact(site, capsys):
    page = site / "content/index.md"
    page.write_text(page.read_text() + "\nSome 159,090 people and 12 more, in 2023, on 3 March, and 4.5% too.\n")
    code, err = check(site, capsys)
    assert code == 1
    lines = [line for line in err.splitlines() if "typed into prose" in line]
    assert len(lines) == 3, err
    assert lines[0].endswith(
        'content/index.md:12:6: error: number "159,090" typed into prose: use {{ fact("id") }} so it has a source '
        '(fact "total" has this value)'
    )
    assert '"12"' in lines[1] and '"4.5%"' in lines[2]


def test_numbers_in_code_links_and_whitelist_are_not_prose(site, capsys):
    page = site / "content/index.md"
    text = page.read_text().replace("description: The fixture's home page.", 'description: x\nplain_numbers: ["16-61"]')
    page.write_text(
        text + "\nMen aged 16-61, `code 42`, [a link](https://example.org/7) and a note.[^1]\n\n[^1]: Footnote.\n"
    )
    code, err = check(site, capsys)
    assert code == 0, err


def test_unused_fact_source_dataset_and_chart_are_reported(site, capsys):
    facts = site / "content/facts/main.yaml"
    facts.write_text(
        facts.read_text() + "\n  - id: lonely\n    title: Lonely\n    sources: survey\n    rows: [{a: 1}]\n"
    )
    page = site / "content/second.md"
    page.write_text(
        page.read_text()
        .replace('Again {{ fact("total") }} and the base {{ fact("base") }}.', "")
        .replace('{{ chart("shares") }}', "")
    )
    code, err = check(site, capsys)
    assert code == 1
    assert 'fact "base" is not used on any page or chart' not in err  # used by the derived "ratio"
    assert 'dataset "lonely" is not read by any chart' in err
    assert 'dataset "inline_rows" is not read by any chart' in err
    assert 'chart "shares" is not placed on any page' in err


def test_broken_link_and_anchor_are_reported_at_their_line(site, capsys):
    page = site / "content/index.md"
    page.write_text(page.read_text() + "\n[gone](missing.html) and [no anchor](second.html#nowhere).\n")
    code, err = check(site, capsys)
    assert code == 1
    assert 'content/index.md:12: error: index.html links to "missing.html", which the site does not have' in err
    assert 'index.html links to "second.html#nowhere", but second.html has no id "nowhere"' in err
