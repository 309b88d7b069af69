"""Each kind of bad input gets one clear line naming file and line, exit 1, and costs nothing."""

import json
import re
from pathlib import Path

import pytest
from conftest import edit, run, run_captured

FACTS = "content/facts/main.yaml"


CASES = [
    # (file, old text, new text, expected "path:line" suffix, words in the message)
    (FACTS, "    unit: people\n    counts: killed and wounded", "    unit: [people\n", FACTS + ":", "invalid YAML"),
    (FACTS, "  - id: killed_range", "  - id: total", FACTS + ":23", 'duplicate fact id "total" (also defined at '),
    (FACTS, "    claimant: Example Agency", "    claimaint: Example Agency", FACTS + ":19", 'did you mean "claimant"'),
    (
        FACTS,
        "    sources: agency_report\n    quote",
        "    sources: agency_reprot\n    quote",
        FACTS + ":21",
        'unknown source "agency_reprot" (did you mean "agency_report"?)',
    ),
    (FACTS, "    value: 159090", "    value: lots", FACTS + ":15", '"value": must be a number'),
    (FACTS, "    counts: killed and wounded\n", "", FACTS + ":13", 'missing required field "counts"'),
    (FACTS, "    status: claim", "    status: rumour", FACTS + ":20", "must be one of claim, estimate"),
    (FACTS, "round(total / base / 1000, 1)", "total / (base - base)", FACTS + ":48", "division by zero"),
    (FACTS, "round(total / base / 1000, 1)", "ratio + 1", FACTS + ":48", "cycle: ratio -> ratio"),
    (FACTS, "round(total / base / 1000, 1)", "__import__('os').system('true')", FACTS + ":48", "is not allowed"),
    (FACTS, "round(total / base / 1000, 1)", "totl * 2", FACTS + ":48", 'unknown fact "totl" (did you mean "total"?)'),
    (FACTS, "csv: data/rises.csv", "csv: ../../outside.csv", FACTS + ":57", "leaves the content/ folder"),
    (
        "site.yaml",
        "nav: [index, second, sources]",
        "nav: [index, secnd, sources]",
        "site.yaml:5",
        'no content/secnd.md (did you mean "second"?)',
    ),
    ("content/index.md", '{{ fact("total") }} (', '{{ fact("totl") }} (', "content/index.md:5", 'unknown fact "totl"'),
    ("content/index.md", '{{ chart("rises") }}', '{{ chart("rise") }}', "content/index.md:8", 'unknown chart "rise"'),
    (
        "content/index.md",
        "See [the second",
        "<script>alert(1)</script>\n\nSee [the second",
        "content/index.md:10",
        "<script> is not allowed",
    ),
    (
        "content/index.md",
        "(second.html#later)",
        "(javascript:alert(1))",
        "content/index.md:10",
        '"javascript:alert(1)" is not allowed',
    ),
    (
        "content/index.md",
        "See [the second",
        '<p onclick="x()">hi</p>\n\nSee [the second',
        "content/index.md:10",
        "onclick= on <p> is not allowed",
    ),
    (
        "content/index.md",
        '{{ fact("total", "compact") }}',
        '{{ fact("total", "tiny") }}',
        "content/index.md:5",
        'unknown format "tiny"',
    ),
    (
        "content/index.md",
        "The agency",
        "{{ config }} The agency",
        "content/index.md:5",
        '"config" is not known in prose',
    ),
    (
        "content/charts/rises.py",
        "rows = facts.dataset",
        "raise ValueError('boom')\n    rows = facts.dataset",
        "content/charts/rises.py:5",
        "chart failed: ValueError: boom",
    ),
    (
        "content/charts/rises.py",
        "    rows = facts.dataset",
        "    return 42\n    rows = facts.dataset",
        "content/charts/rises.py",
        "must return an Altair chart, not int",
    ),
    (
        "content/charts/rises.py",
        ', description="Three bars rising from 900 to 1,090."',
        "",
        "content/charts/rises.py",
        "chart needs a description",
    ),
    (
        "content/charts/rises.py",
        "alt.Data(values=rows)",
        'alt.UrlData("https://example.org/data.csv")',
        "content/charts/rises.py",
        "must be inline",
    ),
    (
        "content/charts/rises.py",
        'facts.dataset("rises")',
        'facts.dataset("rise")',
        "content/charts/rises.py:5",
        'unknown dataset "rise" (did you mean "rises"?)',
    ),
]


@pytest.mark.parametrize(
    "name, old, new, where, words", CASES, ids=[f"{c[0].split('/')[-1]}-{c[4][:30]}" for c in CASES]
)
def test_bad_input_is_one_clear_line_and_keeps_the_previous_build(site, capsys, name, old, new, where, words):
    assert run("build", "--site", str(site), "--quiet") == 0
    before = {p: p.read_bytes() for p in (site / "_site").rglob("*") if p.is_file()}
    edit(site / name, old, new)
    capsys.readouterr()
    assert run("build", "--site", str(site)) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    problems = [line for line in err.splitlines() if ": error: " in line]
    assert problems, err
    relative = [re.sub(r"^.*?(?=(content/|site\.yaml))", "", line) for line in problems]
    assert any(line.startswith(where) and words in line for line in relative), err
    assert {p: p.read_bytes() for p in (site / "_site").rglob("*") if p.is_file()} == before


def test_non_utf8_text_names_the_line(site, capsys):
    (site / "content/index.md").write_bytes((site / "content/index.md").read_bytes() + b"\nbad \xff byte\n")
    assert run("build", "--site", str(site)) == 1
    assert re.search(r"content/index.md:12: error: file is not UTF-8", capsys.readouterr().err)


def test_file_outside_the_layout_is_refused(site, capsys):
    (site / "content/stray.yaml").write_text("facts: []\n")
    assert run("build", "--site", str(site)) == 1
    assert (
        "content/stray.yaml: error: file is not where the layout expects it: content/facts/*.yaml"
        in capsys.readouterr().err
    )


def test_empty_content_folder_is_refused(tmp_path, capsys):
    (tmp_path / "content").mkdir()
    (tmp_path / "site.yaml").write_text("title: x\n")
    assert run("build", "--site", str(tmp_path)) == 1
    assert "content/ has no pages" in capsys.readouterr().err


def test_output_folder_with_foreign_files_is_refused_and_left_alone(site, tmp_path, capsys):
    out = tmp_path / "elsewhere"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    assert run("build", "--site", str(site), "--out", str(out)) == 2
    assert "holds files this build did not write (notes.txt)" in capsys.readouterr().err
    assert [p.name for p in out.iterdir()] == ["notes.txt"]


@pytest.mark.parametrize("target", [".", "..", "/"])
def test_output_folder_holding_the_site_is_refused(site, target, capsys):
    out = site if target == "." else site.parent if target == ".." else Path("/")
    assert run("build", "--site", str(site), "--out", str(out)) == 2
    assert "refusing to build into" in capsys.readouterr().err


def test_usage_error_exits_2(capsys):
    with pytest.raises(SystemExit) as exited:
        run("frobnicate")
    assert exited.value.code == 2


def test_an_unquoted_year_is_a_date_wherever_one_is_asked_for(site, capsys):
    edit(next((site / "content" / "facts").glob("*.yaml")), "published: 2023-03-12", "published: 2024")
    assert run_captured(capsys, "build", "--site", str(site)).code == 0
    document = json.loads((site / "_site" / "facts.json").read_text())
    assert "2024" in {source["published"] for source in document["sources"]}


def test_a_top_level_heading_is_explained_in_markdown_terms_once(site, capsys):
    edit(site / "content" / "index.md", "---\nThe agency", "---\n# A second title\n\nThe agency")
    outcome = run_captured(capsys, "build", "--site", str(site))
    assert outcome.code == 1
    (error,) = outcome.errors
    assert error["line"] == "5" and '"# Title"' in error["message"] and "<h1>" not in error["message"]


def test_an_image_without_alt_text_is_refused(site, capsys):
    edit(site / "content" / "index.md", "---\nThe agency", "---\n![](img/missing-words.png)\n\nThe agency")
    outcome = run_captured(capsys, "check", "--site", str(site))
    assert outcome.code == 1
    assert any("needs alt text" in e["message"] and e["line"] == "5" for e in outcome.errors)


def test_a_claim_paragraph_shows_only_the_claimants_own_figures(site, capsys):
    edit(
        site / "content" / "index.md",
        "---\nThe agency",
        '---\nThe paper said {{ fact("ratio") }}.\n{: .claim-text }\n\nThe agency',
    )
    outcome = run_captured(capsys, "build", "--site", str(site))
    assert outcome.code == 1
    (error,) = outcome.errors
    assert error["line"] == "5" and '"ratio" is a figure of kind derived in a claim paragraph' in error["message"]


def test_a_claims_colour_must_be_a_claimants_colour(site, capsys):
    edit(
        site / "content" / "second.md",
        "---\n",
        "---\nclaims:\n  - id: c\n    claim: A claim.\n    claimant: Someone\n"
        "    date: 2023-03-12\n    verdict: Wrong\n    page: second\n    color: nobody\n",
    )
    edit(site / "content" / "second.md", "\n---\n", "\n---\n## The claim {: #claim-c }\n\n")
    outcome = run_captured(capsys, "build", "--site", str(site))
    assert outcome.code == 1
    assert any('color "nobody" is not a claimant' in e["message"] for e in outcome.errors)
