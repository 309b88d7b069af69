"""Named dead per 100,000 men by federal district, deaths confirmed by 12 March and by 12 April 2023."""

import altair as alt

DATES = {"2023_03_12": "2023-03-12", "2023_04_12": "2023-04-12"}  # column suffix: date


def chart(facts):
    words = facts.words
    districts = facts.dataset("district_deaths")
    dates = {column: facts.date(date) for column, date in DATES.items()}

    def shown(district):
        name = district["federal_district"]
        return words["short_names"].get(name) or facts.label("district_deaths", "federal_district", name)

    def in_text(district):
        name = district["federal_district"]
        return words["text_names"].get(name) or words["district"].format(
            name=facts.label("district_deaths", "federal_district", name)
        )

    rows = [
        {
            "district": shown(district),
            "confirmed_by": label,
            "rate": round(district[f"rate_{date}"], 1),
            "named_dead": district[f"named_dead_by_{date}"],
            "men": district["men_16_61"],
        }
        for district in districts
        for date, label in dates.items()
    ]
    first, last = DATES
    by_rate = sorted(districts, key=lambda d: d[f"rate_{first}"])
    lowest, highest = in_text(by_rate[0]), in_text(by_rate[-1])
    rose = sum(d[f"rate_{last}"] > d[f"rate_{first}"] for d in districts)
    risen = (
        words["every_rose"]
        if rose == len(districts)
        else words["some_rose"].format(rose=facts.number(rose), districts=facts.number(len(districts)))
    )
    order = [r["district"] for r in sorted(rows, key=lambda r: -r["rate"]) if r["confirmed_by"] == dates[first]]
    base = alt.Chart(alt.Data(values=rows)).encode(
        y=alt.Y("district:N", title=None, sort=order, axis=alt.Axis(labelLimit=260)),
        yOffset=alt.YOffset("confirmed_by:N", sort=list(dates.values())),
        tooltip=[
            alt.Tooltip("district:N", title=words["federal_district"]),
            alt.Tooltip("confirmed_by:N", title=words["confirmed_by"]),
            alt.Tooltip("rate:Q", title=words["rate"], format=".1f"),
            alt.Tooltip("named_dead:Q", title=words["named_dead"], format=","),
            alt.Tooltip("men:Q", title=words["men"], format=","),
        ],
    )
    bars = base.mark_bar().encode(
        x=alt.X(
            "rate:Q",
            title=facts.lines(" ".join(words["x"]) if isinstance(words["x"], list) else words["x"], facts.width / 2)
            if facts.narrow
            else words["x"],
            axis=alt.Axis(tickCount=4 if facts.narrow else 10),
        ),
        color=alt.Color(
            "confirmed_by:N",
            title=words["confirmed_by"],
            scale=alt.Scale(domain=list(dates.values()), range=[facts.color("earlier"), facts.color("later")]),
            legend=alt.Legend(orient="top", direction="vertical"),
        ),
    )
    labels = base.mark_text(align="left", dx=3, fontSize=11, color="currentColor").encode(
        x="rate:Q", text=alt.Text("rate:Q", format=".1f")
    )
    return (bars + labels).properties(
        width=facts.width - 170 if facts.narrow else 380,  # room for the districts' names and the figures
        height=alt.Step(13),
        usermeta={
            "table": {
                "columns": list(
                    zip(["district", "confirmed_by", "rate", "named_dead", "men"], words["headings"], strict=True)
                )
            }
        },
        title={
            "text": words["title"].format(
                highest=shown(by_rate[-1]),
                lowest=shown(by_rate[0]),
                ratio=facts.number(by_rate[-1][f"rate_{first}"] / by_rate[0][f"rate_{first}"], 1),
            ),
            "subtitle": words["subtitle"],
        },
        description=words["description"].format(highest=highest, lowest=lowest, risen=risen),
    )
