"""Trees planted each year. The title and description are worked out from the rows drawn, so they
cannot disagree with the picture when the data is corrected; their words are in trees_by_year.yaml."""

import itertools

import altair as alt


def chart(facts):
    words = facts.words
    rows = facts.dataset("trees_by_year")
    first, last = rows[0], rows[-1]
    rising = all(earlier["trees"] < later["trees"] for earlier, later in itertools.pairwise(rows))
    return (
        alt.Chart(alt.Data(values=rows))
        .mark_bar()
        .encode(
            x=alt.X("year:O", title=words["year"]),
            y=alt.Y("trees:Q", title=words["trees_planted"]),
            tooltip=[
                alt.Tooltip("year:O", title=words["year"]),
                alt.Tooltip("trees:Q", title=words["trees"], format=","),
            ],
        )
        .properties(
            width=480,
            height=260,
            usermeta={"findable": {"label": words["find"], "shown": words["shown"]}},
            title=words["title"].format(first=first["year"], last=last["year"]),
            description=words["description"].format(
                trend=words["rising"] if rising else words["mixed"],
                first=first["year"],
                last=last["year"],
                first_trees=facts.number(first["trees"]),
                last_trees=facts.number(last["trees"]),
            ),
        )
    )
