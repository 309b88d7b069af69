"""Estimates of Russian losses around March 2023, deaths kept apart from killed and wounded."""
import altair as alt

DEATHS = "Deaths only"
CASUALTIES = "Killed and wounded"
# (fact id, panel, short label for the axis, how the source qualifies the figure)
ESTIMATES = [
    ("named_dead_2023_03_10", DEATHS, "Named by BBC Russian and Mediazona (10 Mar)", "at least "),
    ("named_dead_records_2023_04_12", DEATHS, "Named, Bessudnov's data (12 Apr)", "at least "),
    ("ukdi_killed_2023_02", DEATHS, "UK Defence Intelligence (17 Feb)", ""),
    ("csis_killed_2023_02", DEATHS, "CSIS (Feb)", ""),
    ("excess_deaths_2023_05_range", DEATHS, "Excess deaths, men under 50 (27 May)", ""),
    ("gs_total_2023_03_12", CASUALTIES, "Ukraine's General Staff (12 Mar)", ""),
    ("ukdi_casualties_2023_02", CASUALTIES, "UK Defence Intelligence (17 Feb)", ""),
    ("nyt_us_officials_2023_02", CASUALTIES, "US officials, via the NYT (2 Feb)", "nearly "),
    ("csis_casualties_2023_02", CASUALTIES, "CSIS, with the missing (Feb)", "up to "),
]


def row(facts, fact_id, panel, label, qualifier):
    fact = facts[fact_id]
    low = fact.low if fact.is_range else fact.value
    high = fact.high if fact.is_range else fact.value
    shown = qualifier + (f"{low:,.0f}" if low == high else f"{low:,.0f}–{high:,.0f}")
    return {"estimate": label, "panel": panel, "low": low, "high": high, "shown": shown, "who": fact.claimant, "kind": fact.status}


def panel(name, color, x_title):
    base = alt.Chart().transform_filter(alt.datum.panel == name).encode(
        y=alt.Y("estimate:N", title=None, sort=None, axis=alt.Axis(labelLimit=300)),
        tooltip=[
            alt.Tooltip("estimate:N", title="Estimate"),
            alt.Tooltip("shown:N", title="Figure"),
            alt.Tooltip("who:N", title="Who"),
            alt.Tooltip("kind:N", title="Kind"),
        ],
    )
    x = alt.X("low:Q", title=x_title, scale=alt.Scale(domain=[0, 260000]), axis=alt.Axis(format="~s"))
    bar = base.mark_rule(strokeWidth=9, strokeCap="round", color=color).encode(x=x, x2="high:Q")
    dot = base.mark_point(filled=True, size=70, color=color, opacity=1).encode(x="high:Q")
    text = base.mark_text(align="left", dx=9, fontSize=12, color="currentColor").encode(x="high:Q", text="shown:N")
    return (bar + dot + text).properties(width=250, height=alt.Step(30), title=name)


def listing(rows, name):
    return "; ".join(f"{r['estimate']}, {r['shown']}" for r in rows if r["panel"] == name)


def chart(facts):
    rows = [row(facts, *estimate) for estimate in ESTIMATES]
    deaths = panel(DEATHS, "#3b7dd8", "Russian military dead")
    casualties = panel(CASUALTIES, "#d9622b", "Russian military killed and wounded")
    return alt.vconcat(deaths, casualties, spacing=28, data=alt.Data(values=rows)).properties(
        title="Estimates of Russian military losses around March 2023: deaths and casualties are different counts",
        description=(
            "Two panels on the same scale, each estimate a bar from its low to its high figure (a dot where it is a "
            "single figure). Deaths only: " + listing(rows, DEATHS) + ". Killed and wounded: " + listing(rows, CASUALTIES)
            + ". Ukraine's General Staff figure belongs with the casualty estimates, not with the deaths."
        ),
    )
