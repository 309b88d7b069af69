"""Astrakhan: the UK's 75% beside the name-based estimate and the census shares it should be read against."""

import altair as alt

# (fact id, what kind of figure it is); each figure's label is in its words file.
SHARES = [
    ("ukdi_astrakhan_share", "casualties"),
    ("astrakhan_nonslavic_share_of_dead", "dead"),
    ("astrakhan_nonslavic_men_8_32_2010", "census"),
    ("astrakhan_nonslavic_men_2010", "census"),
    ("astrakhan_kazakh_tatar_share_stated_2010", "census"),
    ("astrakhan_kazakh_tatar_share_2021", "census"),
]
COLORS = {"casualties": "casualties", "dead": "deaths", "census": "context"}  # site.yaml colors: names


def chart(facts):
    words = facts.words
    kinds = words["kinds"]
    rows = [
        {
            "figure": words["figures"][fact_id],
            "share": round(facts[fact_id].value, 1),
            "kind": kinds[kind],
            "who": facts[fact_id].claimant,
        }
        for fact_id, kind in SHARES
    ]
    # Labels sit above their bars, so the chart can narrow to a phone's width.
    # On a phone a long label runs to two lines, in taller rows.
    for row in rows:
        row["label"] = "\n".join(facts.lines(row["figure"], facts.width - 16))
    most_lines = max(row["label"].count("\n") + 1 for row in rows)
    step = 28 + 14 * most_lines
    base = alt.Chart(alt.Data(values=rows)).encode(
        y=alt.Y("figure:N", title=None, sort=None, axis=None),
        tooltip=[
            alt.Tooltip("figure:N", title=words["figure"]),
            alt.Tooltip("share:Q", title=words["share"]),
            alt.Tooltip("who:N", title=words["who"]),
        ],
    )
    below = 3 - step / 2 + 14 * most_lines + 10  # the bar's place: right under its label
    bars = base.mark_bar(height=14, yOffset=below).encode(
        x=alt.X("share:Q", title=words["x"], scale=alt.Scale(domain=[0, 100]), axis=alt.Axis(tickCount=5)),
        color=alt.Color(
            "kind:N",
            title=words["kind"],
            scale=alt.Scale(
                domain=[kinds[kind] for kind in COLORS], range=[facts.color(name) for name in COLORS.values()]
            ),
            legend=alt.Legend(
                orient="top",
                direction="vertical",
                labelLimit=words["legend_limit"] or alt.Undefined,
                title=None,
            ),
        ),
    )
    values = base.mark_text(align="left", dx=4, yOffset=below, fontSize=12, color="currentColor").encode(
        x="share:Q", text=alt.Text("share:Q", format=".1f")
    )
    labels = base.mark_text(
        align="left", baseline="top", dy=3 - step / 2, fontSize=12, color="currentColor", lineBreak="\n"
    ).encode(x=alt.datum(0), text="label:N")
    claim, estimate, young_men = (facts[i].value for i, _ in SHARES[:3])
    return (bars + values + labels).properties(
        width=facts.width - 40 if facts.narrow else 560,  # room for the figures beside the bars
        height=alt.Step(step),
        title={"text": words["title"].format(claim=facts.number(claim)), "subtitle": words["subtitle"]},
        usermeta={
            "table": {
                "columns": [
                    ("figure", words["figure"]),
                    ("share", words["share"]),
                    ("kind", words["kind"]),
                    ("who", words["who"]),
                ]
            }
        },
        description=words["description"].format(
            claim=facts.number(claim), estimate=facts.number(estimate, 1), young_men=facts.number(young_men, 1)
        ),
    )
