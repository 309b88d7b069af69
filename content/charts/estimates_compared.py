"""Estimates of Russian losses around March 2023, deaths kept apart from killed and wounded."""

import altair as alt

DEATHS, CASUALTIES = "deaths", "casualties"
# (fact id, group, how the source qualifies the figure); each estimate's label is in its words file.
ESTIMATES = [
    ("named_dead_2023_03_10", DEATHS, "at_least"),
    ("named_dead_records_2023_04_12", DEATHS, "at_least"),
    ("ukdi_killed_2023_02", DEATHS, ""),
    ("csis_killed_2023_02", DEATHS, ""),
    ("excess_deaths_2023_05_range", DEATHS, ""),
    ("gs_total_2023_03_12", CASUALTIES, ""),
    ("ukdi_casualties_2023_02", CASUALTIES, ""),
    ("nyt_us_officials_2023_02", CASUALTIES, "nearly"),
    ("csis_casualties_2023_02", CASUALTIES, "up_to"),
]
COLORS = {DEATHS: "deaths", CASUALTIES: "casualties"}  # site.yaml colors: names


def row(facts, words, fact_id, group, qualifier):
    fact = facts[fact_id]
    low, high = (fact.low, fact.high) if fact.is_range else (fact.value, fact.value)
    figure = facts.number(low) if low == high else f"{facts.number(low)}–{facts.number(high)}"
    shown = (words["qualifiers"][qualifier] if qualifier else "") + figure
    return {
        "key": fact_id,
        "estimate": words["estimates"][fact_id],
        "group": words["groups"][group],
        "low": low,
        "high": high,
        "shown": shown,
        "who": fact.claimant,
        # A floor points right (there may be more), a ceiling left; a figure given as it is is a dot.
        "bound": {"at_least": "triangle-right", "nearly": "triangle-left", "up_to": "triangle-left"}.get(
            qualifier, "circle"
        ),
    }


def listing(words, rows, group):
    return "; ".join(
        words["item"].format(estimate=words["in_text"].get(r["key"], r["estimate"]), shown=r["shown"])
        for r in rows
        if r["group"] == group
    )


def chart(facts):
    words = facts.words
    deaths, casualties = words["groups"][DEATHS], words["groups"][CASUALTIES]
    rows = [row(facts, words, *estimate) for estimate in ESTIMATES]
    # The title's finding, checked on the figures: the highest estimate of deaths under half the General Staff's.
    if max(r["high"] for r in rows if r["group"] == deaths) * 2 >= facts.value("gs_total_2023_03_12"):
        raise ValueError("an estimate of deaths reaches half the General Staff's figure: the title no longer holds")
    # Each group starts with a heading row; every row's label sits above its bar, so the chart
    # can narrow to a phone's width without squeezing a column of axis labels.
    order = [deaths] + [r["key"] for r in rows if r["group"] == deaths]
    order += [casualties] + [r["key"] for r in rows if r["group"] == casualties]
    headings = [{"key": group, "estimate": group, "group": group, "heading": True} for group in (deaths, casualties)]
    y = alt.Y("key:N", sort=order, axis=None)
    color = alt.Color(
        "group:N",
        title=words["group"],
        scale=alt.Scale(
            domain=[words["groups"][g] for g in COLORS], range=[facts.color(name) for name in COLORS.values()]
        ),
        legend=None,
    )
    tooltip = [
        alt.Tooltip("estimate:N", title=words["estimate"]),
        alt.Tooltip("shown:N", title=words["figure"]),
        alt.Tooltip("who:N", title=words["who"]),
    ]
    # Each row's label sits above its bar; on a phone the figure joins it (no room beside the bar) and
    # long labels run to more lines, in taller rows.
    for each in rows:
        text = f"{each['estimate']}: {each['shown']}" if facts.narrow else each["estimate"]
        each["label"] = "\n".join(facts.lines(text, facts.width - 24))
    for heading in headings:
        heading["label"] = heading["estimate"]
    most_lines = max(each["label"].count("\n") + 1 for each in rows)
    step = 26 + 14 * most_lines
    figures = alt.Chart().transform_filter("!datum.heading").encode(y=y, tooltip=tooltip)
    ticks = min(words["x_ticks"], 3 if "," in words["x_format"] else 4) if facts.narrow else words["x_ticks"]
    # Zero is "0" in any format: "~s" gives the SI prefix of the ticks' step to every tick, "0k" too.
    axis = alt.Axis(
        format=words["x_format"], grid=True, tickCount=ticks, labelExpr="datum.value === 0 ? '0' : datum.label"
    )
    x = alt.X("low:Q", title=words["x"], scale=alt.Scale(domain=[0, 300000]), axis=axis)
    below = 3 - step / 2 + 14 * most_lines + 9  # the bar's place: right under its label
    bar = (
        figures.transform_filter("datum.low != datum.high")
        .mark_rule(strokeWidth=9, strokeCap="round", yOffset=below)
        .encode(x=x, x2="high:Q", color=color)
    )
    dot = figures.mark_point(filled=True, size=80, opacity=1, yOffset=below).encode(
        x="high:Q", color=color, shape=alt.Shape("bound:N", scale=None, legend=None)
    )
    value = figures.mark_text(align="left", dx=9, yOffset=below, fontSize=12, color="currentColor").encode(
        x="high:Q", text="shown:N"
    )
    label = figures.mark_text(
        align="left", baseline="top", dy=3 - step / 2, fontSize=12, color="currentColor", lineBreak="\n"
    ).encode(x=alt.datum(0), text="label:N")
    heading = (
        alt.Chart()
        .transform_filter("datum.heading")
        .mark_text(align="left", baseline="bottom", dy=6, fontSize=12, fontWeight="bold", color="currentColor")
        .encode(y=y, x=alt.datum(0), text="estimate:N")
    )
    layers = [bar, dot, label, heading] if facts.narrow else [bar, dot, value, label, heading]
    return alt.layer(*layers, data=alt.Data(values=rows + headings)).properties(
        width=facts.width - 20 if facts.narrow else 600,
        height=alt.Step(step),
        title={
            "text": words["title"].format(gs=facts.number(facts.value("gs_total_2023_03_12"))),
            "subtitle": words["subtitle"],
        },
        # The table under the chart: what a reader reads on it; the heading rows are drawing aids, and the
        # low and high figures and fact ids stay in the CSV download.
        usermeta={
            "table": {
                "columns": [
                    ("group", words["group"]),
                    ("estimate", words["estimate"]),
                    ("shown", words["figure"]),
                    ("who", words["who"]),
                ],
                "skip": "heading",
            }
        },
        description=words["description"].format(
            deaths=listing(words, rows, deaths), casualties=listing(words, rows, casualties)
        ),
    )
