"""Astrakhan: the UK's 75% beside the name-based estimate and the census shares it should be read against."""
import altair as alt

# (fact id, label, what kind of figure it is)
SHARES = [
    ("ukdi_astrakhan_share", "UK: Kazakhs and Tatars among casualties", "Estimate about casualties"),
    ("astrakhan_nonslavic_share_of_dead", "Bessudnov: non-Slavic names, named dead", "Estimate about the dead"),
    ("astrakhan_nonslavic_men_8_32_2010", "2010 census: non-Slavic men aged 8-32", "Census: the population"),
    ("astrakhan_nonslavic_men_2010", "2010 census: non-Slavic men, all ages", "Census: the population"),
    ("astrakhan_kazakh_tatar_share_stated_2010", "2010 census: Kazakhs and Tatars*", "Census: the population"),
    ("astrakhan_kazakh_tatar_share_2021", "2021 census: Kazakhs and Tatars, all residents", "Census: the population"),
]
KINDS = {"Estimate about casualties": "#d9622b", "Estimate about the dead": "#3b7dd8", "Census: the population": "#8a8f94"}


def chart(facts):
    rows = [
        {"figure": label, "share": round(facts[fact_id].value, 1), "kind": kind, "who": facts[fact_id].claimant}
        for fact_id, label, kind in SHARES
    ]
    # Labels sit above their bars, so the chart can narrow to a phone's width.
    base = alt.Chart(alt.Data(values=rows)).encode(
        y=alt.Y("figure:N", title=None, sort=None, axis=None),
        tooltip=[alt.Tooltip("figure:N", title="Figure"), alt.Tooltip("share:Q", title="Share (%)"), alt.Tooltip("who:N", title="Who")],
    )
    bars = base.mark_bar(height=14, yOffset=8).encode(
        x=alt.X("share:Q", title="Per cent", scale=alt.Scale(domain=[0, 100]), axis=alt.Axis(tickCount=5)),
        color=alt.Color(
            "kind:N",
            title=None,
            scale=alt.Scale(domain=list(KINDS), range=list(KINDS.values())),
            legend=alt.Legend(orient="top", direction="vertical"),
        ),
    )
    values = base.mark_text(align="left", dx=4, yOffset=8, fontSize=12, color="currentColor").encode(
        x="share:Q", text=alt.Text("share:Q", format=".1f")
    )
    labels = base.mark_text(align="left", baseline="bottom", dy=-1, fontSize=12, color="currentColor").encode(
        x=alt.datum(0), text="figure:N"
    )
    claim, estimate, young_men = (facts[i].value for i, _, _ in SHARES[:3])
    return (bars + values + labels).properties(
        width=560,
        height=alt.Step(42),
        title="Astrakhan region: who is among the dead, and who lives there",
        description=(
            f"Horizontal bars on a scale of 0 to 100 per cent. The UK's claim that {claim:.0f}% of Astrakhan's casualties "
            f"are Kazakh or Tatar stands far above the name-based estimate of {estimate:.1f}% non-Slavic names among the "
            f"region's named dead. The census bars show the population to compare with: {young_men:.1f}% of men aged "
            "8 to 32 in 2010 were non-Slavic, and Kazakhs and Tatars together made up about a fifth of all residents "
            "in 2021. The 2010 bar marked * counts only residents who stated an ethnicity."
        ),
    )
