"""Named dead per 100,000 men by federal district, deaths confirmed by 12 March and by 12 April 2023."""
import altair as alt

SHORT_NAMES = {"Crimea (annexed by Russia in 2014)": "Crimea, annexed"}
DATES = {"2023_03_12": "12 March 2023", "2023_04_12": "12 April 2023"}


def chart(facts):
    districts = facts.dataset("district_deaths")
    rows = [
        {
            "district": SHORT_NAMES.get(district["federal_district"], district["federal_district"]),
            "confirmed_by": label,
            "rate": round(district[f"rate_{date}"], 1),
            "named_dead": district[f"named_dead_by_{date}"],
            "men": district["men_16_61"],
        }
        for district in districts
        for date, label in DATES.items()
    ]
    first, last = DATES
    by_rate = sorted(districts, key=lambda d: d[f"rate_{first}"])
    lowest, highest = by_rate[0]["federal_district"], by_rate[-1]["federal_district"]
    rose = sum(d[f"rate_{last}"] > d[f"rate_{first}"] for d in districts)
    risen = "every district's rate rose" if rose == len(districts) else f"{rose} of the {len(districts)} rates rose"
    order = [r["district"] for r in sorted(rows, key=lambda r: -r["rate"]) if r["confirmed_by"] == DATES["2023_03_12"]]
    base = alt.Chart(alt.Data(values=rows)).encode(
        y=alt.Y("district:N", title=None, sort=order, axis=alt.Axis(labelLimit=260)),
        yOffset=alt.YOffset("confirmed_by:N", sort=list(DATES.values())),
        tooltip=[
            alt.Tooltip("district:N", title="Federal district"),
            alt.Tooltip("confirmed_by:N", title="Deaths confirmed by"),
            alt.Tooltip("rate:Q", title="Per 100,000 men", format=".1f"),
            alt.Tooltip("named_dead:Q", title="Named dead", format=","),
            alt.Tooltip("men:Q", title="Men aged 16-61.5", format=","),
        ],
    )
    bars = base.mark_bar().encode(
        x=alt.X("rate:Q", title="Named dead per 100,000 men aged 16-61.5"),
        color=alt.Color(
            "confirmed_by:N",
            title="Deaths confirmed by",
            scale=alt.Scale(domain=list(DATES.values()), range=["#6e92bf", "#d9622b"]),
            legend=alt.Legend(orient="top", direction="vertical"),
        ),
    )
    labels = base.mark_text(align="left", dx=3, fontSize=11, color="currentColor").encode(
        x="rate:Q", text=alt.Text("rate:Q", format=".1f")
    )
    return (bars + labels).properties(
        width=380,
        height=alt.Step(13),
        title="Named dead per 100,000 men, by federal district",
        description=(
            "Paired horizontal bars for each of Russia's federal districts, and for annexed Crimea and Sevastopol, "
            "showing named dead per 100,000 men aged 16 to 61.5: the lighter bar counts deaths confirmed by 12 March "
            "2023, the darker one deaths confirmed by 12 April 2023. Rates are calculated here from the regional counts "
            f"and the 2021 census. On 12 March the {highest} district is highest and the {lowest} district lowest; "
            f"{risen} within the month as more deaths were confirmed."
        ),
    )
