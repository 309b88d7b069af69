"""Daily rises in the General Staff's count, reports of January to March 2023."""
import altair as alt

MARKED = {"2023-02-07", "2023-02-11", "2023-03-12"}


def chart(facts):
    rows = [
        {**row, "marked": row["report_date"] in MARKED}
        for row in facts.dataset("gs_personnel_reports")
        if "2023-01-01" <= row["report_date"] <= "2023-03-31"
    ]
    base = alt.Chart(alt.Data(values=rows))
    bars = base.mark_bar().encode(
        x=alt.X("report_date:T", title="Date of the General Staff's report", axis=alt.Axis(format="%d %b")),
        y=alt.Y("rise:Q", title="Rise in claimed killed and wounded"),
        color=alt.condition("datum.marked", alt.value("#d9622b"), alt.value("#3b7dd8")),
        tooltip=[
            alt.Tooltip("report_date:T", title="Report of", format="%d %B %Y"),
            alt.Tooltip("rise:Q", title="Rise", format=","),
            alt.Tooltip("cumulative:Q", title="Cumulative", format=","),
        ],
    )
    return bars.properties(
        width=640,
        height=300,
        title="Daily rise in Ukraine's claimed Russian losses, reports of January to March 2023",
        description=(
            "Bar chart of the daily rise in the General Staff's cumulative count, one bar per morning report from "
            "1 January to 31 March 2023. Most days fall between about 500 and 1,000. The three highlighted bars are "
            "the reports of 7 February (1,030), 11 February (1,140, the highest) and 12 March (1,090)."
        ),
    )
