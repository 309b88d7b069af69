"""Daily rises in the General Staff's count, reports of January to March 2023: the two rises the Daily Mail
compared and the largest rise of the quarter, which it left out."""

import altair as alt

CITED = ("gs_rise_2023_02_07", "gs_rise_2023_03_12")  # the "previous record" and the "record" of the article


def chart(facts):
    words = facts.words
    cited = {facts[fact_id].as_of: facts[fact_id] for fact_id in CITED}
    quarter = [
        row for row in facts.dataset("gs_personnel_reports") if "2023-01-01" <= row["report_date"] <= "2023-03-31"
    ]
    largest = max((row for row in quarter if row["rise"] is not None), key=lambda row: row["rise"])
    cited_label, largest_label, other_label = words["cited"], words["largest"], words["other"]
    if facts.narrow:  # no room for figures over the bars: the key carries them
        cited_label = words["cited_values"].format(
            cited=cited_label, values=words["and"].join(facts.number(fact.value) for fact in cited.values())
        )
        largest_label = words["largest_value"].format(largest=largest_label, value=facts.number(largest["rise"]))

    def highlight(row):
        if row["report_date"] == largest["report_date"]:
            return largest_label
        return cited_label if row["report_date"] in cited else other_label

    def day(iso):
        return words["day"].format(day=int(iso[8:10]), month=words["months"][int(iso[5:7]) - 1])

    rows = [
        {
            "report_date": row["report_date"],
            "rise": row["rise"],
            "cumulative": row["cumulative"],
            "highlight": highlight(row),
        }
        for row in quarter
    ]
    base = alt.Chart(alt.Data(values=rows))
    bars = base.mark_bar().encode(
        x=alt.X(
            "report_date:T", title=words["x"], axis=alt.Axis(format="%-d %b", tickCount="month" if facts.narrow else 12)
        ),
        y=alt.Y("rise:Q", title=None if facts.narrow else words["y"]),  # the subtitle gives the measure
        color=alt.Color(
            "highlight:N",
            title=words["highlight"],
            scale=alt.Scale(
                domain=[other_label, cited_label, largest_label],
                range=[facts.color("context"), facts.color("daily_mail"), facts.color("this_site")],
            ),
            legend=alt.Legend(orient="top", direction="vertical", labelLimit=300, title=None),
        ),
        tooltip=[
            alt.Tooltip("report_date:T", title=words["report_of"], format="%-d %B %Y"),
            alt.Tooltip("rise:Q", title=words["rise"], format=","),
            alt.Tooltip("cumulative:Q", title=words["cumulative"], format=","),
        ],
    )
    labels = (
        base.transform_filter(alt.datum.highlight != other_label)
        .mark_text(dy=-7, fontSize=12, fontWeight=600)
        .encode(x="report_date:T", y="rise:Q", text=alt.Text("rise:Q", format=","))
    )
    february, march = (facts[i] for i in CITED)
    verdict = "lower" if march.value < largest["rise"] else "same" if march.value == largest["rise"] else "higher"
    return alt.layer(bars, *([] if facts.narrow else [labels])).properties(
        width=620,
        height=300,
        title={"text": words["titles"][verdict], "subtitle": words["subtitle"]},
        description=words["description"].format(
            february_day=day(february.as_of),
            february=facts.number(february.value),
            march_day=day(march.as_of),
            march=facts.number(march.value),
            largest_day=day(largest["report_date"]),
            largest=facts.number(largest["rise"]),
            verdict=words["verdicts"][verdict],
        ),
    )
