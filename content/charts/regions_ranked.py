"""Every region's named dead per 100,000 men aged 16 to 61.5, as of 12 March 2023, ranked."""
import altair as alt

EAST = ("Siberian", "Far Eastern")


def group_of(row):
    if row["region"] in ("Moscow (city)", "St Petersburg"):
        return "Moscow, St Petersburg"
    return "Siberian, Far Eastern" if row["federal_district"] in EAST else "Other regions"


def chart(facts):
    rows = [
        {
            "region": row["region"],
            "federal_district": row["federal_district"],
            "rate": round(row["rate_2023_03_12"], 1),
            "named_dead": row["named_dead_by_2023_03_12"],
            "men": row["men_16_61"],
            "group": group_of(row),
        }
        for row in facts.dataset("regional_deaths")
    ]
    rows.sort(key=lambda r: -r["rate"])
    top, bottom = rows[0], rows[-1]
    east_in_top_ten = sum(r["group"] == "Siberian, Far Eastern" for r in rows[:10])
    last_two = " and ".join(r["region"] for r in reversed(rows[-2:]))
    base = alt.Chart(alt.Data(values=rows)).encode(
        y=alt.Y("region:N", title=None, sort=[r["region"] for r in rows], axis=alt.Axis(labelFontSize=11)),
        tooltip=[
            alt.Tooltip("region:N", title="Region"),
            alt.Tooltip("federal_district:N", title="Federal district"),
            alt.Tooltip("rate:Q", title="Per 100,000 men", format=".1f"),
            alt.Tooltip("named_dead:Q", title="Named dead", format=","),
            alt.Tooltip("men:Q", title="Men aged 16-61.5", format=","),
        ],
    )
    bars = base.mark_bar().encode(
        x=alt.X("rate:Q", title="Named dead per 100,000 men aged 16-61.5", axis=alt.Axis(orient="top")),
        color=alt.Color(
            "group:N",
            title=None,
            scale=alt.Scale(
                domain=["Siberian, Far Eastern", "Other regions", "Moscow, St Petersburg"],
                range=["#d9622b", "#6e92bf", "#2e9e6b"],
            ),
            legend=alt.Legend(orient="top", direction="vertical"),
        ),
    )
    values = base.mark_text(align="left", dx=3, fontSize=10, color="currentColor").encode(
        x="rate:Q", text=alt.Text("rate:Q", format=".1f")
    )
    return (bars + values).properties(
        width=480,
        height=alt.Step(13),
        title="Named Russian dead per 100,000 men, every region, deaths confirmed by 12 March 2023",
        description=(
            f"Horizontal bars for all {len(rows)} regions, ranked by named dead per 100,000 men aged 16 to 61.5, "
            "counting deaths confirmed by 12 March 2023 in the data collected by BBC News Russian and Mediazona "
            f"volunteers. {top['region']} is highest at {top['rate']:.1f}; {bottom['region']} is lowest at "
            f"{bottom['rate']:.1f}. Regions of the Siberian and Far Eastern federal districts are highlighted: "
            f"{east_in_top_ten} of the ten highest are among them. The last two are {last_two}."
        ),
    )
