"""Eastern regions' rates as a multiple of Moscow's, on both dates, beside the "30+" and "30-40" claims."""
import altair as alt

EAST = ("Siberian", "Far Eastern")
MOSCOW = "Moscow (city)"


def chart(facts):
    data = facts.dataset("regional_deaths")
    moscow = next(row for row in data if row["region"] == MOSCOW)
    uk, mail = facts["ukdi_ratio_claim"], facts["dm_ratio_claim"]
    rows = [
        {
            "region": row["region"],
            "federal_district": row["federal_district"],
            "ratio_12_march": round(row["rate_2023_03_12"] / moscow["rate_2023_03_12"], 1),
            "ratio_12_april": round(row["rate_2023_04_12"] / moscow["rate_2023_04_12"], 1),
        }
        for row in data
        if row["federal_district"] in EAST
    ]
    at_least, under = f"{uk.value:g} times or more", f"under {uk.value:g} times"
    for row in rows:
        row["above_30"] = at_least if row["ratio_12_march"] >= uk.value else under
    above = sum(r["above_30"] == at_least for r in rows)
    under_15 = sum(r["ratio_12_march"] < 15 for r in rows)
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
        align="left", baseline="bottom", dx=3, dy=-2, y=0, fontSize=11, color="currentColor", text=f"Daily Mail: {mail.low:g}-{mail.high:g}"
    ).encode(x=alt.datum(mail.high))
    rule = once.mark_rule(color="currentColor", strokeDash=[5, 3]).encode(x=alt.datum(uk.value))
    rule_label = once.mark_text(
        align="right", baseline="bottom", dx=-3, dy=-2, y=0, fontSize=11, color="currentColor", text=f"UK: {uk.value:g}+"
    ).encode(x=alt.datum(uk.value))
    bars = base.mark_bar().encode(
        x=alt.X("ratio_12_march:Q", title="Multiple of Moscow's rate"),
        color=alt.Color(
            "above_30:N",
            title="12 March 2023",
            scale=alt.Scale(domain=[at_least, under], range=["#d9622b", "#6e92bf"]),
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
            f"{above} of the {len(rows)} regions reach {uk.value:g} times on 12 March; the rest fall below it, "
            f"{under_15} of them under 15 times."
        ),
    )
