"""Trees planted each year. The title and description are worked out from the rows drawn, so they
cannot disagree with the picture when the data is corrected."""

from itertools import pairwise

import altair as alt


def chart(facts):
    rows = facts.dataset("trees_by_year")
    first, last = rows[0], rows[-1]
    rising = all(earlier["trees"] < later["trees"] for earlier, later in pairwise(rows))
    trend = "rises every year" if rising else "goes up and down"
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
            usermeta={"findable": {"label": "Find a year", "shown": "{shown} of {total} years shown"}},
            title=f"Trees planted by Exampletown Council each year, {first['year']} to {last['year']}",
            description=(
                f"Bar chart: the number of trees planted {trend}, from {first['trees']:,} in {first['year']}"
                f" to {last['trees']:,} in {last['year']}."
            ),
        )
    )
