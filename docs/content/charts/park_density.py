"""Trees per hectare in each surveyed park, from the parks dataset's computed column. The data table
shows the columns a reader needs, under headings in words, in this order."""

import altair as alt


def chart(facts):
    rows = sorted(facts.dataset("parks"), key=lambda row: row["trees_per_hectare"], reverse=True)
    densest, sparsest = rows[0], rows[-1]
    return (
        alt.Chart(alt.Data(values=rows))
        .mark_bar()
        .encode(
            x=alt.X("trees_per_hectare:Q", title="Trees per hectare"),
            y=alt.Y("park:N", title="Park", sort=None),
            color=alt.Color("district:N", title="District"),
        )
        .properties(
            width=480,
            title="Trees per hectare in Exampletown's surveyed parks",
            description=(
                f"Bar chart: {densest['park']} has the most trees per hectare,"
                f" {facts.number(densest['trees_per_hectare'])}, and {sparsest['park']} the fewest,"
                f" {facts.number(sparsest['trees_per_hectare'])}."
            ),
            usermeta={
                "table": {
                    "columns": [("park", "Park"), ("district", "District"), ("trees_per_hectare", "Trees per hectare")]
                }
            },
        )
    )
