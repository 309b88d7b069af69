"""Whole-war context: average and largest daily rise per month in the General Staff's count."""
import datetime

import altair as alt


def monthly(rows):
    months = {}
    for row in rows:
        if row["rise"] is not None:
            months.setdefault(row["report_date"][:7], []).append(row["rise"])
    return [
        {"month": f"{month}-01", "average": round(sum(rises) / len(rises)), "largest": max(rises), "reports": len(rises)}
        for month, rises in sorted(months.items())
    ]


def month_names(months):
    return ", ".join(datetime.date.fromisoformat(m).strftime("%B %Y") for m in months) or "none"


def chart(facts):
    rows = monthly(facts.dataset("gs_personnel_reports"))
    article = facts["gs_rise_2023_03_12"]
    over_1000_q1 = facts["gs_reports_over_1000_q1_2023"].value
    reports_q1 = sum(r["reports"] for r in rows if "2023-01" <= r["month"] <= "2023-03-31")
    # "Since mid-2024": the months from May 2024, and those of them whose average fell below a thousand.
    recent = [r for r in rows if r["month"] >= "2024-05-01"]
    below = [r["month"] for r in recent if r["average"] < 1000]
    base = alt.Chart(alt.Data(values=rows)).encode(
        x=alt.X("month:T", title="Month of the General Staff's reports", axis=alt.Axis(format="%b %Y", tickCount=10, labelAngle=0)),
    )
    tooltip = [
        alt.Tooltip("month:T", title="Month", format="%B %Y"),
        alt.Tooltip("average:Q", title="Average daily rise", format=","),
        alt.Tooltip("largest:Q", title="Largest daily rise", format=","),
        alt.Tooltip("reports:Q", title="Reports"),
    ]
    average = base.mark_bar(color="#6e92bf").encode(y=alt.Y("average:Q", title="People a day (claimed killed and wounded)"), tooltip=tooltip)
    largest = base.mark_point(shape="triangle-up", filled=True, size=30, opacity=1, color="#d9622b").encode(y="largest:Q", tooltip=tooltip)
    # The article's month, drawn once from its row of the data.
    year, month = (int(part) for part in article.as_of.split("-")[:2])
    marker = base.transform_filter(alt.FieldEqualPredicate(field="month", equal=alt.DateTime(year=year, month=month, date=1)))
    rule = marker.mark_rule(strokeDash=[4, 3], color="currentColor")
    label = marker.mark_text(
        align="left", dx=4, fontSize=12, color="currentColor", text=f"Report of 12 March 2023: {article.value:,.0f}"
    ).encode(y=alt.datum(3000))
    return (average + largest + rule + label).properties(
        width=620,
        height=300,
        title="Average and largest daily rise in each month, all General Staff reports",
        description=(
            "Bars show the average daily rise in Ukraine's claimed count of Russian killed and wounded for each month "
            "of reports, from February 2022 to the latest month in the data; triangles show the month's largest single "
            f"rise. A dashed line marks the report of 12 March 2023. In January to March 2023, {over_1000_q1:.0f} of "
            f"{reports_q1} reports showed a rise of a thousand or more. Of the {len(recent)} months from May 2024, the "
            f"monthly average was above a thousand a day in {len(recent) - len(below)}; the exceptions: "
            f"{month_names(below)}. The first and last months hold only a few reports."
        ),
    )
