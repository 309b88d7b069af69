"""Charts that cannot be silently wrong: every field a chart reads is in its data, a chart draws
marks, and a CSV column of numbers with a stray text cell is refused at its file and line."""

from __future__ import annotations

import json

import pytest
from conftest import run_captured, write

from factsite.charts import walk

GOOD_END = '.properties(title="T", description="D")'


def chart_errors(capsys, site, source: str) -> list:
    """Replace the fixture's rises chart with `source`; the build must fail on that file alone."""
    write(site, "content/charts/rises.py", source)
    outcome = run_captured(capsys, "build", "--site", str(site))
    assert outcome.code == 1, outcome.stderr
    errors = outcome.errors
    assert errors and all(e["path"].endswith("content/charts/rises.py") for e in errors), outcome.stderr
    assert not (site / "_site").exists()
    return errors


def builds(capsys, site, source: str | None = None) -> None:
    if source is not None:
        write(site, "content/charts/rises.py", source)
    outcome = run_captured(capsys, "build", "--site", str(site))
    assert outcome.code == 0, outcome.stderr


# ---- fields the data does not have -------------------------------------------------------


def test_misspelt_encoding_field_is_refused_with_did_you_mean(site, capsys):
    [error] = chart_errors(
        capsys,
        site,
        f"""\
        import altair as alt


        def chart(facts):
            rows = facts.dataset("rises")
            return alt.Chart(alt.Data(values=rows)).mark_bar().encode(
                x=alt.X("date:N"),
                y=alt.Y("rises:Q", title="Rise"),
            ){GOOD_END}
        """,
    )
    assert error["line"] == "8"
    assert error["message"] == 'chart uses field "rises", which its data does not have (did you mean "rise"?)'


def test_misspelt_tooltip_field(site, capsys):
    [error] = chart_errors(
        capsys,
        site,
        f"""\
        import altair as alt


        def chart(facts):
            rows = facts.dataset("rises")
            return alt.Chart(alt.Data(values=rows)).mark_bar().encode(
                x="date:N",
                y="rise:Q",
                tooltip=[alt.Tooltip("date:N"), alt.Tooltip("rsie:Q", title="Rise")],
            ){GOOD_END}
        """,
    )
    assert error["line"] == "9"
    assert error["message"] == 'chart uses field "rsie", which its data does not have (did you mean "rise"?)'


def test_misspelt_sort_field(site, capsys):
    [error] = chart_errors(
        capsys,
        site,
        f"""\
        import altair as alt


        def chart(facts):
            rows = alt.Data(values=facts.dataset("rises"))
            order = alt.EncodingSortField(field="rse", op="sum", order="descending")
            return alt.Chart(rows).mark_bar().encode(x=alt.X("date:N", sort=order), y="rise:Q"){GOOD_END}
        """,
    )
    assert error["line"] == "6"
    assert error["message"] == 'chart uses field "rse", which its data does not have (did you mean "rise"?)'


@pytest.mark.parametrize(
    "transform, line, field",
    [
        ('.transform_filter(\n        alt.FieldOneOfPredicate(field="dates", oneOf=["2023-03-10"]))', "8", "dates"),
        ('.transform_filter(\n        "datum.rize > 950")', "8", "rize"),
        (".transform_filter(\n        alt.datum.rize > 950)", "8", "rize"),
        ('.transform_calculate(\n        double="2 * datum.rize")', "8", "rize"),
    ],
)
def test_filter_or_calculate_on_a_field_the_data_does_not_have(site, capsys, transform, line, field):
    [error] = chart_errors(
        capsys,
        site,
        f"""\
import altair as alt


def chart(facts):
    rows = facts.dataset("rises")
    return alt.Chart(alt.Data(values=rows)).mark_bar().encode(
        x="date:N", y="rise:Q"){transform}{GOOD_END}
""",
    )
    assert error["line"] == line
    assert error["message"].startswith(f'chart uses field "{field}", which its data does not have (did you mean ')


def test_a_field_made_by_a_transform_is_in_the_data(site, capsys):
    builds(
        capsys,
        site,
        f"""\
        import altair as alt


        def chart(facts):
            rows = facts.dataset("rises")
            return alt.Chart(alt.Data(values=rows)).mark_bar().encode(
                x="date:N", y="double:Q", tooltip=["rise:Q", "double:Q"]
            ).transform_calculate(double="datum.rise * 2").transform_filter("datum.double > 0"){GOOD_END}
        """,
    )


# ---- a chart that draws nothing ----------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        'alt.Data(values=facts.dataset("rises"))).transform_filter("datum.rise > 5000"',
        "alt.Data(values=[])",
    ],
)
def test_a_chart_that_draws_no_marks_is_refused(site, capsys, data):
    [error] = chart_errors(
        capsys,
        site,
        f"""\
        import altair as alt


        def chart(facts):
            return alt.Chart({data}).mark_bar().encode(x="date:N", y="rise:Q"){GOOD_END}
        """,
    )
    assert error["line"] == "4"
    assert error["message"] == "chart draws no marks: its data is empty or filtered away"


def test_a_layered_chart_with_one_empty_layer_is_fine(site, capsys):
    builds(
        capsys,
        site,
        f"""\
        import altair as alt


        def chart(facts):
            base = alt.Chart(alt.Data(values=facts.dataset("rises")))
            bars = base.mark_bar().encode(x="date:N", y="rise:Q")
            labels = base.transform_filter("datum.rise > 5000").mark_text(dy=-5)
            labels = labels.encode(x="date:N", y="rise:Q", text="rise:Q")
            return (bars + labels){GOOD_END}
        """,
    )


def test_a_chart_of_text_marks_only_draws_marks(site, capsys):
    builds(
        capsys,
        site,
        f"""\
        import altair as alt


        def chart(facts):
            rows = facts.dataset("rises")
            return alt.Chart(alt.Data(values=rows)).mark_text().encode(x="date:N", y="rise:Q", text="rise:Q"){GOOD_END}
        """,
    )


# ---- typed CSV columns ---------------------------------------------------------------------

CSV_HEAD = "# Daily rises, and the population they are set against.\n# Second line of notes.\ndate,rise,population\n"


def csv_errors(capsys, site, body: str) -> list:
    (site / "content/data/rises.csv").write_text(CSV_HEAD + body)
    outcome = run_captured(capsys, "build", "--site", str(site))
    assert outcome.code == 1, outcome.stderr
    errors = outcome.errors
    assert errors and all(e["path"].endswith("content/data/rises.csv") for e in errors), outcome.stderr
    return errors


def test_a_number_with_thousands_separators_in_a_column_of_numbers_is_refused_at_its_line(site, capsys):
    [error] = csv_errors(
        capsys, site, '2023-03-10,900,55100000\n2023-03-11,1010,"55,100,000"\n2023-03-12,1090,55200000\n'
    )
    assert error["line"] == "5"
    assert error["message"] == (
        'column "population" holds numbers, but this cell is "55,100,000": write numbers without thousands'
        " separators (55100000), or declare the column as text in the dataset's columns:"
    )


def test_other_text_in_a_column_of_numbers_is_refused_with_the_missing_value_hint(site, capsys):
    [error] = csv_errors(capsys, site, "2023-03-10,900,55100000\n2023-03-11,1010,55150000\n2023-03-12,1090,n/a\n")
    assert error["line"] == "6"
    assert error["message"] == (
        'column "population" holds numbers, but this cell is "n/a": leave it empty for a missing value,'
        " or declare the column as text in the dataset's columns:"
    )


def declare(site, columns: str) -> None:
    facts = site / "content/facts/main.yaml"
    text = facts.read_text()
    assert text.count("csv: data/rises.csv\n") == 1
    facts.write_text(text.replace("csv: data/rises.csv\n", f"csv: data/rises.csv\n    columns: {columns}\n"))


def test_a_declared_number_column_gets_the_thousands_hint(site, capsys):
    declare(site, "{population: number}")
    [error] = csv_errors(
        capsys, site, "2023-03-10,900,55100000\n2023-03-11,1010,55 100 000\n2023-03-12,1090,55200000\n"
    )
    assert error["line"] == "5"
    assert error["message"] == (
        'column "population" is declared number, but this cell is "55 100 000": write numbers without'
        " thousands separators (55100000)"
    )


def test_a_cell_charts_cannot_draw_after_a_refused_row_is_reported_on_its_own_line(site, capsys):
    """The rows left out for a bad cell do not shift the lines of the rows after them."""
    declare(site, "{population: number}")
    errors = csv_errors(
        capsys, site, "2023-03-10,900,55100000\n2023-03-11,1010,55 100 000\n2023-03\x0112,1090,55200000\n"
    )
    assert [(error["line"], "U+0001" in error["message"]) for error in errors] == [("5", False), ("6", True)]


def test_a_declared_text_column_may_hold_anything(site, capsys):
    declare(site, "{population: text}")
    (site / "content/data/rises.csv").write_text(
        CSV_HEAD + '2023-03-10,900,55100000\n2023-03-11,1010,"55,100,000"\n2023-03-12,1090,n/a\n'
    )
    builds(capsys, site)
    # The column is text throughout, even in the cell that reads as a number.
    spec = json.loads((site / "_site/charts/rises.vl.json").read_text())
    [values] = [node["values"] for node in walk(spec) if isinstance(node.get("values"), list)] or list(
        spec["datasets"].values()
    )
    assert [row["population"] for row in values] == ["55100000", "55,100,000", "n/a"]


def test_an_empty_cell_in_a_column_of_numbers_is_a_missing_value(site, capsys):
    (site / "content/data/rises.csv").write_text(
        CSV_HEAD + "2023-03-10,900,55100000\n2023-03-11,1010,\n2023-03-12,1090,55200000\n"
    )
    builds(capsys, site)


# ---- the data table under a chart: its columns and headings ----------------------------------


TABLE_CHART = """\
    import altair as alt


    def chart(facts):
        rows = [dict(row, kind="day", heading=False) for row in facts.dataset("rises")]
        rows.append({{"date": "", "rise": None, "kind": "Days", "heading": True}})
        return alt.Chart(alt.Data(values=rows)).mark_bar().encode(
            x=alt.X("date:N", title="Report date"), y=alt.Y("rise:Q", title="Rise"), color="kind:N"
        ).properties(title="Rises by day", description="Three bars.", width=300,
                     usermeta={{"table": {table}}})
    """


def page_table(site) -> tuple[list[str], list[list[str]]]:
    """The headings and rows of the chart's data table on the built page."""
    import re

    html = (site / "_site" / "index.html").read_text()
    table = re.search(r'<figure class="chart" data-chart="rises".*?<table.*?</table>', html, re.S).group(0)
    headings = [
        heading.replace("\xa0", " ") for heading in re.findall(r'<th scope="col">(.*?)</th>', table)
    ]  # spaces as typed
    rows = [re.findall(r"<td[^>]*>(.*?)</td>", row) for row in re.findall(r"<tr>(<td.*?)</tr>", table)]
    return headings, rows


def test_table_shows_the_columns_the_chart_names_and_skips_drawing_rows(site, capsys):
    table = '{"columns": [("rise", "Daily rise"), ("date", "Day of the report")], "skip": "heading"}'
    builds(capsys, site, TABLE_CHART.format(table=table))
    headings, rows = page_table(site)
    assert headings == ["Daily rise", "Day of the report"]
    assert rows == [["900", "2023-03-10"], ["1,010", "2023-03-11"], ["1,090", "2023-03-12"]]
    # The same from the chart cache, which keeps a spec's keys sorted: the order is the list's.
    builds(capsys, site)
    assert page_table(site) == (headings, rows)
    # The download keeps every column under the data's own names, without the drawing rows.
    assert (site / "_site" / "charts" / "rises.csv").read_text().splitlines() == [
        "kind,date,rise,heading",
        "day,2023-03-10,900,False",
        "day,2023-03-11,1010,False",
        "day,2023-03-12,1090,False",
        "",
        "# Source: Example Agency",
        "# Example Agency: Daily report; https://example.org/report",
    ]


def test_without_table_settings_every_column_is_shown_under_its_title(site, capsys):
    builds(capsys, site)
    headings, rows = page_table(site)
    assert headings == ["Report date", "Rise"] and len(rows) == 3


def test_table_naming_a_column_the_data_lacks_is_refused(site, capsys):
    [error] = chart_errors(capsys, site, TABLE_CHART.format(table='{"columns": [("date", "Day"), ("rises", "Rise")]}'))
    assert error["message"] == (
        'usermeta "table" names the column "rises", which the chart\'s data does not have (did you mean "rise"?)'
    )
    assert error["line"] == "10"


@pytest.mark.parametrize(
    "table",
    [
        '{"columns": ["date", "rise"]}',
        '{"columns": {"date": "Day"}}',
        '{"columns": [("date", "")]}',
        '{"column": [("date", "Day")]}',
        '{"columns": [("date", "Day")], "skip": 1}',
    ],
)
def test_table_settings_of_the_wrong_shape_are_refused(site, capsys, table):
    [error] = chart_errors(capsys, site, TABLE_CHART.format(table=table))
    assert error["message"].startswith('usermeta "table" must be {"columns": [("field", "Heading"), ...]}')


def test_the_explainers_tables_are_headed_by_words_not_field_names(built_explainer):
    """A reader should never meet a column headed "key" or "rate_12_march": every chart's table heading
    is a title the chart gave (the CSV downloads keep the data's names)."""
    import csv
    import re

    for page in sorted(built_explainer.rglob("*.html")):
        html = page.read_text()
        for chart_id, figure in re.findall(r'<figure class="chart" data-chart="([^"]+)"(.*?)</figure>', html, re.S):
            prefix = "ru/" if page.relative_to(built_explainer).parts[0] == "ru" else ""
            with open(built_explainer / f"{prefix}charts/{chart_id}.csv", newline="") as file:
                fields = set(next(csv.reader(file)))
            headings = re.findall(r'<th scope="col"[^>]*>(.*?)</th>', figure)
            assert headings, f"{page.name}: chart {chart_id} shows no data table"
            assert not fields & set(headings), (
                f"{page}: chart {chart_id} heads columns with field names: {fields & set(headings)}"
            )


def test_a_tables_numbers_keep_their_columns_decimals():
    """48.0 among 47.3 and 50.15 is written 48.00, not 48: a reader compares a column's figures."""
    from factsite.charts import chart_tables
    from factsite.render_html import format_cell

    spec = {
        "data": {"values": [{"rate": 48.0, "count": 3}, {"rate": 47.3, "count": 12}, {"rate": 50.15, "count": 7}]},
        "mark": "bar",
        "encoding": {"x": {"field": "rate", "type": "quantitative", "title": "Rate"}},
    }
    [table] = chart_tables(spec, "T")
    assert table.headers == ("Rate", "count") and table.places == (2, 0)
    written = [
        [format_cell(cell, "en", places) for cell, places in zip(row, table.places, strict=True)] for row in table.cells
    ]
    assert written == [["48.00", "3"], ["47.30", "12"], ["50.15", "7"]]
    assert format_cell(48.0, "ru", 1) == "48,0" and format_cell(1234.5, "en") == "1,234.5"
    assert format_cell(0.00001, "en") == "0.00001", "a number Python writes as 1e-05"
