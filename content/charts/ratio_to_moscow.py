"""Eastern regions' rates as a multiple of Moscow's, on both dates, beside the "30+" and "30-40" claims."""

import altair as alt

FIFTEEN_TIMES = 15  # the description counts the regions under 15 times Moscow's rate

EAST = ("Siberian", "Far Eastern")
MOSCOW = "Moscow (city)"


def figure(facts, value):
    """A claimed multiple as the language writes it, with a decimal only where it has one."""
    return facts.number(value, 0 if float(value).is_integer() else 1)


def chart(facts):
    words = facts.words
    data = facts.dataset("regional_deaths")
    moscow = next(row for row in data if row["region"] == MOSCOW)
    uk, mail = facts["ukdi_ratio_claim"], facts["dm_ratio_claim"]
    times, low, high = (figure(facts, value) for value in (uk.value, mail.low, mail.high))
    rows = [
        {
            "region": facts.label("regional_deaths", "region", row["region"]),
            "federal_district": facts.label("regional_deaths", "federal_district", row["federal_district"]),
            "ratio_12_march": round(row["rate_2023_03_12"] / moscow["rate_2023_03_12"], 1),
            "ratio_12_april": round(row["rate_2023_04_12"] / moscow["rate_2023_04_12"], 1),
        }
        for row in data
        if row["federal_district"] in EAST
    ]
    at_least, under = words["at_least"].format(times=times), words["under"].format(times=times)
    for row in rows:
        row["above_30"] = at_least if row["ratio_12_march"] >= uk.value else under
    above = sum(r["above_30"] == at_least for r in rows)
    under_15 = sum(r["ratio_12_march"] < FIFTEEN_TIMES for r in rows)
    rows.sort(key=lambda r: -r["ratio_12_march"])
    # On a phone each region's name sits above its bar, so the bars keep the column's whole width.
    axis = (
        None if facts.narrow else alt.Axis(labelLimit=words["label_limit"]) if words["label_limit"] else alt.Undefined
    )
    y = alt.Y("region:N", title=None, sort=[r["region"] for r in rows], axis=axis)
    step, below = (30, 7) if facts.narrow else (18, 0)
    tooltip = [
        alt.Tooltip("region:N", title=words["region"]),
        alt.Tooltip("federal_district:N", title=words["federal_district"]),
        alt.Tooltip("ratio_12_march:Q", title=words["march"], format=".1f"),
        alt.Tooltip("ratio_12_april:Q", title=words["april"], format=".1f"),
    ]
    base = alt.Chart().encode(y=y, tooltip=tooltip)
    # Reference lines drawn once: from a single row, with constant positions.
    once = alt.Chart().transform_filter(alt.datum.region == rows[0]["region"])
    band = once.mark_rect(
        fill=facts.color("daily_mail"), fillOpacity=0.15, stroke=facts.color("daily_mail"), strokeWidth=1
    ).encode(x=alt.datum(mail.low), x2=alt.datum(mail.high))
    # On a phone the band's label goes to the foot of the plot, where the bars are short, so that it
    # stays inside the narrower plot and away from the rule's.
    band_label = once.mark_text(
        align="left",
        baseline="bottom",
        dx=3,
        dy=-2,
        y=alt.expr("height") if facts.narrow else 0,
        fontSize=11,
        color="currentColor",
        text=words["mail"].format(low=low, high=high),
    ).encode(x=alt.datum(mail.high))
    rule = once.mark_rule(color="currentColor", strokeDash=[5, 3]).encode(x=alt.datum(uk.value))
    rule_label = once.mark_text(
        align="right",
        baseline="bottom",
        dx=-3,
        dy=-2,
        y=0,
        fontSize=11,
        color="currentColor",
        text=words["uk"].format(times=times),
    ).encode(x=alt.datum(uk.value))
    names = base.mark_text(align="left", baseline="bottom", dy=below - 5, fontSize=12, color="currentColor").encode(
        x=alt.datum(0), text="region:N"
    )
    bars = base.mark_bar(height=10 if facts.narrow else alt.Undefined, yOffset=below).encode(
        x=alt.X(
            "ratio_12_march:Q",
            title=facts.lines(words["x"], facts.width / 2) if facts.narrow else words["x"],
            axis=alt.Axis(tickCount=4 if facts.narrow else 10),
        ),
        color=alt.Color(
            "above_30:N",
            title=facts.date("2023-03-12"),
            scale=alt.Scale(domain=[at_least, under], range=[facts.ramp("times_moscow")[3], facts.color("context")]),
            legend=alt.Legend(orient="top", direction="vertical"),
        ),
    )
    ticks = base.mark_tick(color="currentColor", thickness=2, size=14, yOffset=below).encode(x="ratio_12_april:Q")
    layers = [band, bars, ticks, rule, band_label, rule_label] + ([names] if facts.narrow else [])
    return alt.layer(*layers, data=alt.Data(values=rows)).properties(
        # Wide: the column less the regions' names (as long as the language's longest name may be).
        width=facts.width - 20 if facts.narrow else facts.width - 50 - (words["label_limit"] or 160),
        height=alt.Step(step),
        title={
            "text": words["title"].format(above=facts.number(above), regions=facts.number(len(rows)), times=times),
            "subtitle": words["subtitle"],
        },
        # The table under the chart: each region first, its band (the legend's colours) last.
        usermeta={
            "table": {
                "columns": [
                    ("region", words["region"]),
                    ("ratio_12_march", words["march"]),
                    ("ratio_12_april", words["april"]),
                    ("above_30", words["band"].format(date=facts.date("2023-03-12"))),
                ]
            }
        },
        description=words["description"].format(
            regions=facts.number(len(rows)),
            times=times,
            low=low,
            high=high,
            above=facts.number(above),
            under_15=facts.number(under_15),
        ),
    )
