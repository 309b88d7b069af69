"""Eastern regions' rates as a multiple of Moscow's, on both dates, beside the "30+" and "30-40" claims."""
import altair as alt

EAST = ("Siberian", "Far Eastern")
MOSCOW = "Moscow (city)"


def rate(row, date):
    return row[f"named_dead_by_{date}"] / row["men_16_61"] * 100000


def chart(facts):
    data = facts.dataset("regional_deaths")
    moscow = next(row for row in data if row["region"] == MOSCOW)
    uk, mail = facts["ukdi_ratio_claim"], facts["dm_ratio_claim"]
    rows = [
        {
            "region": row["region"],
            "federal_district": row["federal_district"],
            "ratio_12_march": round(rate(row, "2023_03_12") / rate(moscow, "2023_03_12"), 1),
            "ratio_12_april": round(rate(row, "2023_04_12") / rate(moscow, "2023_04_12"), 1),
        }
        for row in data
        if row["federal_district"] in EAST
    ]
    for row in rows:
        row["above_30"] = "30 times or more" if row["ratio_12_march"] >= uk.value else "under 30 times"
    above = sum(r["above_30"] == "30 times or more" for r in rows)
    rows.sort(key=lambda r: -r["ratio_12_march"])
    y = alt.Y("region:N", title=None, sort=[r["region"] for r in rows])
    tooltip = [
        alt.Tooltip("region:N", title="Region"),
        alt.Tooltip("federal_district:N", title="Federal district"),
        alt.Tooltip("ratio_12_march:Q", title="Times Moscow, 12 March", format=".1f"),
        alt.Tooltip("ratio_12_april:Q", title="Times Moscow, 12 April", format=".1f"),
    ]
    base = alt.Chart().encode(y=y, tooltip=tooltip)
    # Reference lines drawn once: from a single row, with constant positions.
    once = alt.Chart().transform_filter(alt.datum.region == rows[0]["region"])
    band = once.mark_rect(fill="#d9622b", fillOpacity=0.15, stroke="#d9622b", strokeWidth=1).encode(x=alt.datum(mail.low), x2=alt.datum(mail.high))
    band_label = once.mark_text(
        align="left", baseline="bottom", dx=3, dy=-2, y=0, fontSize=11, color="currentColor", text="Daily Mail: 30-40"
    ).encode(x=alt.datum(mail.high))
    rule = once.mark_rule(color="currentColor", strokeDash=[5, 3]).encode(x=alt.datum(uk.value))
    rule_label = once.mark_text(
        align="right", baseline="bottom", dx=-3, dy=-2, y=0, fontSize=11, color="currentColor", text="UK: 30+"
    ).encode(x=alt.datum(uk.value))
    bars = base.mark_bar().encode(
        x=alt.X("ratio_12_march:Q", title="Multiple of Moscow's rate"),
        color=alt.Color(
            "above_30:N",
            title="12 March 2023",
            scale=alt.Scale(domain=["30 times or more", "under 30 times"], range=["#d9622b", "#6e92bf"]),
            legend=alt.Legend(orient="top", direction="vertical"),
        ),
    )
    ticks = base.mark_tick(color="currentColor", thickness=2, size=14).encode(x="ratio_12_april:Q")
    return alt.layer(band, bars, ticks, rule, band_label, rule_label, data=alt.Data(values=rows)).properties(
        width=460,
        height=alt.Step(18),
        title="Siberian and Far Eastern regions: how many times Moscow's death rate",
        description=(
            f"Horizontal bars for the {len(rows)} regions of the Siberian and Far Eastern federal districts, each "
            "showing its named dead per 100,000 men aged 16 to 61.5 as a multiple of Moscow's rate, for deaths "
            "confirmed by 12 March 2023; a thin tick shows the same ratio on 12 April 2023. A dashed line marks the "
            "UK's '30+' and a shaded band the Daily Mail's '30-40'. "
            f"{above} of the {len(rows)} regions reach 30 times on 12 March; the rest fall below it, several under "
            "15 times."
        ),
    )
