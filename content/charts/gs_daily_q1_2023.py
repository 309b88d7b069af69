"""Daily rises in the General Staff's count, reports of January to March 2023: the two rises the Daily Mail
compared and the largest rise of the quarter, which it left out."""
import altair as alt

CITED = ("gs_rise_2023_02_07", "gs_rise_2023_03_12")  # the "previous record" and the "record" of the article
CITED_LABEL = "Rises the Daily Mail compared"
LARGEST_LABEL = "Largest rise of the quarter"
OTHER_LABEL = "Other reports"


def chart(facts):
    cited = {facts[fact_id].as_of: facts[fact_id] for fact_id in CITED}
    quarter = [row for row in facts.dataset("gs_personnel_reports") if "2023-01-01" <= row["report_date"] <= "2023-03-31"]
    largest = max((row for row in quarter if row["rise"] is not None), key=lambda row: row["rise"])

    def highlight(row):
        if row["report_date"] == largest["report_date"]:
            return LARGEST_LABEL
        return CITED_LABEL if row["report_date"] in cited else OTHER_LABEL

    rows = [
        {"report_date": row["report_date"], "rise": row["rise"], "cumulative": row["cumulative"], "highlight": highlight(row)}
        for row in quarter
    ]
    base = alt.Chart(alt.Data(values=rows))
    bars = base.mark_bar().encode(
        x=alt.X("report_date:T", title="Date of the morning report", axis=alt.Axis(format="%-d %b", tickCount=12)),
        y=alt.Y("rise:Q", title="Rise in claimed killed and wounded"),
        color=alt.Color(
            "highlight:N",
            title=None,
            scale=alt.Scale(domain=[OTHER_LABEL, CITED_LABEL, LARGEST_LABEL], range=["#6e92bf", "#d9622b", "#2e9e6b"]),
            legend=alt.Legend(orient="top", direction="vertical", labelLimit=300),
        ),
        tooltip=[
            alt.Tooltip("report_date:T", title="Report of", format="%-d %B %Y"),
            alt.Tooltip("rise:Q", title="Rise", format=","),
            alt.Tooltip("cumulative:Q", title="Cumulative", format=","),
        ],
    )
    labels = base.transform_filter(alt.datum.highlight != OTHER_LABEL).mark_text(
        dy=-7, fontSize=12, fontWeight=600
    ).encode(x="report_date:T", y="rise:Q", text=alt.Text("rise:Q", format=","))
    february, march = (facts[i] for i in CITED)
    day = f"{int(largest['report_date'][8:])} {['January', 'February', 'March'][int(largest['report_date'][5:7]) - 1]}"
    verdict = "lower than" if march.value < largest["rise"] else "the same as" if march.value == largest["rise"] else "higher than"
    return (bars + labels).properties(
        width=620,
        height=300,
        title="Daily rise in Ukraine's claimed Russian losses, reports of January to March 2023",
        description=(
            "Bar chart of the daily rise in the General Staff's cumulative count of Russian killed and wounded, "
            "one bar per morning report from 1 January to 31 March 2023. Highlighted: the two rises the Daily Mail "
            f"compared, in the reports of 7 February ({february.value:,.0f}) and 12 March ({march.value:,.0f}), and "
            f"the largest rise of the quarter, in the report of {day} ({largest['rise']:,.0f}). The 12 March rise is "
            f"{verdict} the largest."
        ),
    )
