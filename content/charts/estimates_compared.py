"""Estimates of Russian losses around March 2023, deaths kept apart from killed and wounded."""
import altair as alt

DEATHS = "DEATHS ONLY"
CASUALTIES = "KILLED AND WOUNDED"
# (fact id, group, label, how the source qualifies the figure)
ESTIMATES = [
    ("named_dead_2023_03_10", DEATHS, "Named dead, BBC Russian and Mediazona (10 Mar)", "at least "),
    ("named_dead_records_2023_04_12", DEATHS, "Named dead, Bessudnov's data (12 Apr)", "at least "),
    ("ukdi_killed_2023_02", DEATHS, "UK Defence Intelligence (17 Feb)", ""),
    ("csis_killed_2023_02", DEATHS, "CSIS (first year of the war)", ""),
    ("excess_deaths_2023_05_range", DEATHS, "Excess deaths, men under 50 (to 27 May)", ""),
    ("gs_total_2023_03_12", CASUALTIES, "Ukraine's General Staff (12 Mar)", ""),
    ("ukdi_casualties_2023_02", CASUALTIES, "UK Defence Intelligence (17 Feb)", ""),
    ("nyt_us_officials_2023_02", CASUALTIES, "US officials, via the New York Times (2 Feb)", "nearly "),
    ("csis_casualties_2023_02", CASUALTIES, "CSIS, with the missing (first year)", "up to "),
]
COLORS = {DEATHS: "#3b7dd8", CASUALTIES: "#d9622b"}


def row(facts, fact_id, group, label, qualifier):
    fact = facts[fact_id]
    low, high = (fact.low, fact.high) if fact.is_range else (fact.value, fact.value)
    shown = qualifier + (f"{low:,.0f}" if low == high else f"{low:,.0f}–{high:,.0f}")
    return {"key": fact_id, "estimate": label, "group": group, "low": low, "high": high, "shown": shown, "who": fact.claimant}


def listing(rows, group):
    return "; ".join(f"{r['estimate']}, {r['shown']}" for r in rows if r["group"] == group)


def chart(facts):
    rows = [row(facts, *estimate) for estimate in ESTIMATES]
    # Each group starts with a heading row; every row's label sits above its bar, so the chart
    # can narrow to a phone's width without squeezing a column of axis labels.
    order = [DEATHS] + [r["key"] for r in rows if r["group"] == DEATHS]
    order += [CASUALTIES] + [r["key"] for r in rows if r["group"] == CASUALTIES]
    headings = [{"key": group, "estimate": group, "group": group, "heading": True} for group in (DEATHS, CASUALTIES)]
    y = alt.Y("key:N", sort=order, axis=None)
    color = alt.Color("group:N", scale=alt.Scale(domain=list(COLORS), range=list(COLORS.values())), legend=None)
    tooltip = [alt.Tooltip("estimate:N", title="Estimate"), alt.Tooltip("shown:N", title="Figure"), alt.Tooltip("who:N", title="Who")]
    figures = alt.Chart().transform_filter("!datum.heading").encode(y=y, tooltip=tooltip)
    x = alt.X("low:Q", title="People", scale=alt.Scale(domain=[0, 300000]), axis=alt.Axis(format="~s", grid=True))
    bar = figures.mark_rule(strokeWidth=9, strokeCap="round", yOffset=7).encode(x=x, x2="high:Q", color=color)
    dot = figures.mark_point(filled=True, size=80, opacity=1, yOffset=7).encode(x="high:Q", color=color)
    value = figures.mark_text(align="left", dx=9, yOffset=7, fontSize=12, color="currentColor").encode(x="high:Q", text="shown:N")
    label = figures.mark_text(align="left", baseline="bottom", dy=-2, fontSize=12, color="currentColor").encode(
        x=alt.datum(0), text="estimate:N"
    )
    heading = alt.Chart().transform_filter("datum.heading").mark_text(
        align="left", baseline="bottom", dy=6, fontSize=12, fontWeight="bold", color="currentColor"
    ).encode(y=y, x=alt.datum(0), text="estimate:N")
    return alt.layer(bar, dot, value, label, heading, data=alt.Data(values=rows + headings)).properties(
        width=600,
        height=alt.Step(40),
        title="Estimates of Russian military losses around March 2023: deaths and casualties are different counts",
        description=(
            "Each estimate is a bar from its low to its high figure, or a dot where it is a single figure, all on one "
            "scale. Deaths only: " + listing(rows, DEATHS) + ". Killed and wounded: " + listing(rows, CASUALTIES)
            + ". Ukraine's General Staff figure belongs with the casualty estimates, not with the deaths."
        ),
    )
