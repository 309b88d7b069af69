"""schema.org JSON-LD (ClaimReview per checked claim, Dataset per chart) and the corrections log."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

from conftest import run

from factsite.load import load_site
from factsite.validate import validate_site

CLAIMS = """claims:
  - id: record
    claim: "A record number fell in one day </script><b>"
    claimant: Example Newspaper
    date: 2023-03-13
    appearance: https://example.org/paper
    verdict: Not a record
    page: second
  - id: doctor
    claim: Someone said something
    claimant: Dr Example
    claimant_type: Person
    date: 2023-03-12
    verdict: Unproven
    page: index
"""
CORRECTIONS = """corrections:
  - date: 2023-04-01
    change: The total now counts killed and wounded.
    reason: The agency explained its count.
    fact: total
  - date: 2023-05-02
    change: Reworded the second page.
    reason: Clearer wording.
"""


def add_claims(
    site: Path, claims: str = CLAIMS, headings: str = "## Record {: #claim-record }\n\n## Doctor {: #claim-doctor }\n"
) -> None:
    index = site / "content" / "index.md"
    text = index.read_text()
    front_end = text.index("---", 3)
    index.write_text(text[:front_end] + claims + text[front_end:] + "\n" + headings)


def add_method_page(site: Path, corrections: str = CORRECTIONS) -> None:
    (site / "content" / "facts" / "corrections.yaml").write_text(corrections)
    (site / "content" / "method.md").write_text(
        "---\ntitle: Method\ndescription: How the fixture checks.\ntemplate: method.html\n---\nHow we check.\n"
    )


def json_ld(html: str) -> dict:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(blocks) == 1, blocks
    return json.loads(blocks[0])


def build(site: Path) -> Path:
    assert run("build", "--site", str(site), "--quiet") == 0
    return site / "_site"


def of_type(document: dict, kind: str) -> list[dict]:
    return [node for node in document["@graph"] if node["@type"] == kind]


def test_claim_review_for_each_claim(site, capsys):
    add_claims(site)
    html = (build(site) / "index.html").read_text()
    reviews = of_type(json_ld(html), "ClaimReview")
    assert [r["url"] for r in reviews] == [
        "https://example.org/explainer/#claim-record",
        "https://example.org/explainer/#claim-doctor",
    ]
    record, doctor = reviews
    assert record["claimReviewed"] == "A record number fell in one day </script><b>"
    assert record["itemReviewed"] == {
        "@type": "Claim",
        "author": {"@type": "Organization", "name": "Example Newspaper"},
        "datePublished": "2023-03-13",
        "appearance": {"@type": "CreativeWork", "url": "https://example.org/paper"},
    }
    assert record["reviewRating"] == {"@type": "Rating", "alternateName": "Not a record"}
    assert record["author"] == {
        "@type": "Organization",
        "name": "Fixture explainer",
        "url": "https://example.org/explainer/",
    }
    assert record["mainEntityOfPage"] == "https://example.org/explainer/second.html"
    assert doctor["itemReviewed"]["author"] == {"@type": "Person", "name": "Dr Example"}
    assert "appearance" not in doctor["itemReviewed"]


def test_json_ld_cannot_close_its_script_element(site):
    add_claims(site)
    html = (build(site) / "index.html").read_text()
    script = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert "<" not in script
    assert "\\u003c/script>\\u003cb>" in script


def test_dataset_for_each_chart_with_its_csv(site):
    out = build(site)
    document = json_ld((out / "index.html").read_text())
    (dataset,) = of_type(document, "Dataset")
    assert dataset["name"] == "Rises by day"
    assert dataset["description"] == "Three bars rising from 900 to 1,090."
    assert dataset["url"] == "https://example.org/explainer/#chart-rises"
    assert dataset["isBasedOn"] == ["https://example.org/report"]
    (download,) = dataset["distribution"]
    assert download == {
        "@type": "DataDownload",
        "encodingFormat": "text/csv",
        "contentUrl": "https://example.org/explainer/charts/rises.csv",
    }
    rows = list(csv.reader(io.StringIO((out / "charts" / "rises.csv").read_text())))
    assert len(rows) > 1
    assert of_type(json_ld((out / "second.html").read_text()), "Dataset")[0]["name"]


def test_page_without_claims_or_charts_has_no_json_ld(site):
    add_method_page(site)
    html = (build(site) / "method.html").read_text()
    assert "application/ld+json" not in html


def test_bad_claim_fields_name_file_and_line(site, capsys):
    add_claims(
        site, CLAIMS.replace("    verdict: Not a record\n", "").replace("claimant_type: Person", "claimant_type: Persn")
    )
    assert run("build", "--site", str(site), "--quiet") == 1
    err = capsys.readouterr().err
    assert re.search(r'content/index\.md:5: error: claim is missing required field "verdict"', err), err
    assert re.search(
        r'content/index\.md:\d+: error: "claimant_type": must be one of Organization, Person \(did you mean '
        r'"Person"\?\)',
        err,
    ), err
    assert "Traceback" not in err


def test_claim_naming_unknown_page(site, capsys):
    add_claims(site, CLAIMS.replace("page: second", "page: secnod"))
    assert run("build", "--site", str(site), "--quiet") == 1
    err = capsys.readouterr().err
    assert re.search(
        r'content/index\.md:5: error: claim "record": no page "secnod" \(did you mean "second"\?\)', err
    ), err


def test_claim_without_its_anchor_on_the_page(site, capsys):
    add_claims(site, headings="## Record {: #claim-record }\n")
    assert run("build", "--site", str(site), "--quiet") == 1
    err = capsys.readouterr().err
    assert re.search(
        r'content/index\.md:12: error: claim "doctor": the page has no element with id="claim-doctor"', err
    ), err


def test_corrections_on_the_site_model_newest_first(site):
    add_method_page(site)
    corrections = validate_site(load_site(site)).corrections
    assert [(c.date, c.fact, c.where.line) for c in corrections] == [("2023-05-02", "", 6), ("2023-04-01", "total", 2)]
    assert corrections[1].change == "The total now counts killed and wounded."
    assert corrections[1].reason == "The agency explained its count."
    assert corrections[0].where.path.endswith("content/facts/corrections.yaml")


def test_corrections_log_rendered_on_method_page(site):
    add_method_page(site)
    html = (build(site) / "method.html").read_text()
    log = html[html.index('id="corrections-log"') :]
    assert log.index("2023-05-02") < log.index("2023-04-01")
    assert "Reworded the second page." in log
    assert '<a href="sources.html#fact-total">total</a>' in log


def test_empty_corrections_log_says_so(site):
    add_method_page(site, "corrections: []\n")
    html = (build(site) / "method.html").read_text()
    assert "No corrections so far" in html.replace("\xa0", " ")  # the typography binds short words


def test_correction_naming_unknown_fact(site, capsys):
    add_method_page(
        site, CORRECTIONS.replace("fact: total", "fact: totl").replace("    reason: Clearer wording.\n", "")
    )
    assert run("build", "--site", str(site), "--quiet") == 1
    err = capsys.readouterr().err
    assert re.search(r'corrections\.yaml:5: error: "fact": unknown fact "totl" \(did you mean "total"\?\)', err), err
    assert re.search(r'corrections\.yaml:6: error: correction is missing required field "reason"', err), err


def test_unknown_section_suggests_corrections(site, capsys):
    (site / "content" / "facts" / "corrections.yaml").write_text("correction:\n  - date: 2023-01-01\n")
    assert run("build", "--site", str(site), "--quiet") == 1
    err = capsys.readouterr().err
    assert re.search(
        r'corrections\.yaml:\d+: error: "correction": unknown section \(did you mean "corrections"\?\)', err
    ), err
