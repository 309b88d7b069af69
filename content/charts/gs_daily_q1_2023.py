"""Daily rises in the General Staff's count, reports of January to March 2023, with the three rises the article turns on."""
import altair as alt

MARKED = ("gs_rise_2023_02_07", "gs_rise_2023_02_11", "gs_rise_2023_03_12")


def chart(facts):
    marked = {facts[fact_id].as_of: facts[fact_id] for fact_id in MARKED}
    rows = [
        {
            "report_date": row["report_date"],
            "rise": row["rise"],
            "cumulative": row["cumulative"],
            "highlight": "Rises named in the reporting" if row["report_date"] in marked else "Other reports",
        }
        for row in facts.dataset("gs_personnel_reports")
        if "2023-01-01" <= row["report_date"] <= "2023-03-31"
    ]
    base = alt.Chart(alt.Data(values=rows))
    bars = base.mark_bar().encode(
        x=alt.X("report_date:T", title="Date of the morning report", axis=alt.Axis(format="%-d %b", tickCount=12)),
        y=alt.Y("rise:Q", title="Rise in claimed killed and wounded"),
        color=alt.Color(
            "highlight:N",
            title=None,
            scale=alt.Scale(domain=["Other reports", "Rises named in the reporting"], range=["#6e92bf", "#d9622b"]),
            legend=alt.Legend(orient="top", direction="vertical", labelLimit=300),
        ),
        tooltip=[
            alt.Tooltip("report_date:T", title="Report of", format="%-d %B %Y"),
            alt.Tooltip("rise:Q", title="Rise", format=","),
            alt.Tooltip("cumulative:Q", title="Cumulative", format=","),
        ],
    )
    labels = base.transform_filter(alt.datum.highlight == "Rises named in the reporting").mark_text(
        dy=-7, fontSize=12, fontWeight=600
    ).encode(x="report_date:T", y="rise:Q", text=alt.Text("rise:Q", format=","))
    february, record, march = (marked[f.as_of] for f in (facts[i] for i in MARKED))
    return (bars + labels).properties(
        width=620,
        height=300,
        title="Daily rise in Ukraine's claimed Russian losses, reports of January to March 2023",
        description=(
            "Bar chart of the daily rise in the General Staff's cumulative count of Russian killed and wounded, "
            "one bar per morning report from 1 January to 31 March 2023. Three bars are highlighted: the report "
            f"of 7 February ({february.value:,.0f}), the report of 11 February ({record.value:,.0f}, the highest "
            f"of the quarter) and the report of 12 March ({march.value:,.0f}). The 12 March rise is lower than the "
            "11 February one, so it was not a record."
        ),
    )
