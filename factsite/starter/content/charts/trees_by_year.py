"""Trees planted each year: the dataset's years plus the 2024 fact, so 2024 is typed only once."""
import altair as alt


def chart(facts):
    rows = facts.dataset("trees_by_year") + [{"year": "2024", "trees": facts.value("trees_planted_2024")}]
    return (
        alt.Chart(alt.Data(values=rows))
        .mark_bar()
        .encode(
            x=alt.X("year:O", title="Year"),
            y=alt.Y("trees:Q", title="Trees planted"),
            tooltip=[alt.Tooltip("year:O", title="Year"), alt.Tooltip("trees:Q", title="Trees", format=",")],
        )
        .properties(
            width=480,
            height=260,
            title="Trees planted by Exampletown Council each year, 2020 to 2024",
            description="Bar chart: the number of trees planted rises every year, from about 6,000 in 2020 to about 12,400 in 2024.",
        )
    )
