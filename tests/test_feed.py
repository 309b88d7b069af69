"""feed.xml: the corrections log as Atom, linked from every page, the same bytes on every build."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from conftest import run

ATOM = "{http://www.w3.org/2005/Atom}"
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
CORRECTIONS = """
corrections:
  - date: 2023-03-20
    change: The total now reads 159,090 (was 159,000).
    reason: It was copied from a rounded summary & not from the report.
    fact: total
  - date: 2023-04-02
    change: The second page no longer calls the rise a record.
    reason: The series has a larger rise earlier.
"""


def build_with_corrections(site, text: str = CORRECTIONS):
    facts = site / "content" / "facts" / "main.yaml"
    facts.write_text(facts.read_text() + text)
    assert run("build", "--site", str(site), "--quiet") == 0
    return site / "_site"


def test_feed_lists_corrections_newest_first_with_ids_dates_and_absolute_links(site):
    out = build_with_corrections(site)
    feed = ET.fromstring((out / "feed.xml").read_bytes())
    assert feed.tag == f"{ATOM}feed"
    assert feed.findtext(f"{ATOM}id") == "https://example.org/explainer/"
    assert feed.findtext(f"{ATOM}title") == "Corrections: Fixture explainer"
    assert feed.findtext(f"{ATOM}updated") == "2023-04-02T00:00:00Z"
    assert feed.find(f"{ATOM}author/{ATOM}name").text
    self_link = feed.find(f"{ATOM}link[@rel='self']")
    assert self_link.get("href") == "https://example.org/explainer/feed.xml"
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}updated") for e in entries] == ["2023-04-02T00:00:00Z", "2023-03-20T00:00:00Z"]
    newest, oldest = entries
    assert oldest.findtext(f"{ATOM}id") == "tag:example.org,2023-03-20:/explainer/corrections/1"
    assert newest.findtext(f"{ATOM}id") == "tag:example.org,2023-04-02:/explainer/corrections/2"
    assert oldest.findtext(f"{ATOM}title") == "The total now reads 159,090 (was 159,000)."
    assert oldest.find(f"{ATOM}link").get("href") == "https://example.org/explainer/sources.html#fact-total"
    assert newest.find(f"{ATOM}link").get("href") == "https://example.org/explainer/"
    summary = oldest.findtext(f"{ATOM}summary")
    assert "Why: It was copied from a rounded summary & not from the report." in summary
    assert "Figure: Total claimed (total)." in summary
    for entry in entries:
        for element in ("id", "title", "updated", "published", "summary"):
            assert entry.findtext(f"{ATOM}{element}"), element
        assert RFC3339.match(entry.findtext(f"{ATOM}updated"))


def test_feed_ids_of_older_corrections_stay_when_a_new_one_is_added(site):
    first = ET.fromstring((build_with_corrections(site) / "feed.xml").read_bytes())
    later = CORRECTIONS.split("corrections:\n")[1]
    facts = site / "content" / "facts" / "main.yaml"
    facts.write_text(facts.read_text().replace(later, later + "  - date: 2023-05-01\n    change: A.\n    reason: B.\n"))
    assert run("build", "--site", str(site), "--quiet") == 0
    second = ET.fromstring((site / "_site" / "feed.xml").read_bytes())
    ids = [e.findtext(f"{ATOM}id") for e in second.findall(f"{ATOM}entry")]
    assert ids[1:] == [e.findtext(f"{ATOM}id") for e in first.findall(f"{ATOM}entry")]


def test_feed_is_the_same_bytes_on_every_build(site):
    out = build_with_corrections(site)
    before = (out / "feed.xml").read_bytes()
    assert run("build", "--site", str(site), "--quiet") == 0
    assert (out / "feed.xml").read_bytes() == before


def test_empty_log_still_makes_a_valid_feed(built_fixture):
    feed = ET.fromstring((built_fixture / "feed.xml").read_bytes())
    assert feed.findall(f"{ATOM}entry") == []
    assert feed.findtext(f"{ATOM}updated") == "2023-03-12T00:00:00Z"  # the newest source's date, not the clock


def test_every_page_links_the_feed(built_fixture):
    for page in ("index.html", "second.html", "sources.html", "404.html"):
        html = (built_fixture / page).read_text()
        assert re.search(r'<link rel="alternate" type="application/atom\+xml" href="(/explainer/)?feed\.xml"', html), (
            page
        )


def test_correction_of_an_unknown_fact_is_refused(site, capsys):
    facts = site / "content" / "facts" / "main.yaml"
    facts.write_text(
        facts.read_text() + "corrections:\n  - date: 2023-03-20\n    change: A.\n    reason: B.\n    fact: totl\n"
    )
    assert run("build", "--site", str(site)) == 1
    assert 'main.yaml:68: error: "fact": unknown fact "totl" (did you mean "total"?)' in capsys.readouterr().err


def test_correction_needs_a_reason(site, capsys):
    facts = site / "content" / "facts" / "main.yaml"
    facts.write_text(facts.read_text() + "corrections:\n  - date: 2023-03-20\n    change: A.\n")
    assert run("build", "--site", str(site)) == 1
    assert 'error: correction is missing required field "reason"' in capsys.readouterr().err
