"""Whole-war context: average and largest daily rise per month in the General Staff's count."""

import altair as alt

A_THOUSAND = 1000  # the prose counts the months whose average fell "below a thousand"


def monthly(rows):
    months = {}
    for row in rows:
        if row["rise"] is not None:
            months.setdefault(row["report_date"][:7], []).append(row["rise"])
    return [
        {
            "month": f"{month}-01",
            "average": round(sum(rises) / len(rises)),
            "largest": max(rises),
            "reports": len(rises),
        }
        for month, rises in sorted(months.items())
    ]


def month_names(facts, words, months):
    return ", ".join(facts.date(m[:7]) for m in months) or words["none"]


def chart(facts):
    words = facts.words
    # Each row names its bar's and its triangle's entry in the key.
    rows = [
        {**row, "bars": words["average"], "points": words["largest"]}
        for row in monthly(facts.dataset("gs_personnel_reports"))
    ]
    article = facts["gs_rise_2023_03_12"]
    over_1000_q1 = facts["gs_reports_over_1000_q1_2023"].value
    reports_q1 = sum(r["reports"] for r in rows if "2023-01" <= r["month"] <= "2023-03-31")
    # "Since mid-2024": the months from May 2024, and those of them whose average fell below a thousand.
    recent = [r for r in rows if r["month"] >= "2024-05-01"]
    below = [r["month"] for r in recent if r["average"] < A_THOUSAND]
    base = alt.Chart(alt.Data(values=rows)).encode(
        x=alt.X(
            "month:T",
            title=words["x"],
            axis=alt.Axis(
                format="%Y" if facts.narrow else "%b %Y", tickCount="year" if facts.narrow else 10, labelAngle=0
            ),
        ),
    )
    tooltip = [
        alt.Tooltip("month:T", title=words["month"], format=words["month_format"]),
        alt.Tooltip("average:Q", title=words["average"], format=","),
        alt.Tooltip("largest:Q", title=words["largest"], format=","),
        alt.Tooltip("reports:Q", title=words["reports"]),
    ]
    # The key: bars for the month's average, triangles for its largest rise.
    key = alt.Scale(
        domain=[words["average"], words["largest"]],
        range=[facts.color("context"), facts.color("ukraine_general_staff")],
    )
    legend = alt.Legend(
        orient="top",
        direction="horizontal" if not facts.narrow else "vertical",
        title=None,
        labelLimit=facts.width - 60,
    )
    average = base.mark_bar().encode(
        y=alt.Y("average:Q", title=words["y"]), tooltip=tooltip, color=alt.Color("bars:N", scale=key, legend=legend)
    )
    largest = base.mark_point(filled=True, size=30, opacity=1).encode(
        y="largest:Q",
        tooltip=tooltip,
        color=alt.Color("points:N", scale=key, legend=legend),
        shape=alt.value("triangle-up"),
    )
    # The article's month, drawn once from its row of the data.
    year, month = (int(part) for part in article.as_of.split("-")[:2])
    marker = base.transform_filter(
        alt.FieldEqualPredicate(field="month", equal=alt.DateTime(year=year, month=month, date=1))
    )
    rule = marker.mark_rule(strokeDash=[4, 3], color="currentColor")
    label = marker.mark_text(
        align="left",
        dx=4,
        fontSize=12,
        color="currentColor",
        lineBreak="\n",
        text="\n".join(
            facts.lines(
                words["marker"].format(date=facts.date(article.as_of), value=facts.number(article.value)),
                facts.width * 0.6,
            )
            if facts.narrow
            else [words["marker"].format(date=facts.date(article.as_of), value=facts.number(article.value))]
        ),
    ).encode(y=alt.datum(3000))
    return (average + largest + rule + label).properties(
        width=620,
        height=300,
        title={
            "text": words["title"].format(
                not_below=facts.number(len(recent) - len(below)), recent=facts.number(len(recent))
            ),
            "subtitle": words["subtitle"].format(
                first=facts.date(rows[0]["month"][:7]), last=facts.date(rows[-1]["month"][:7])
            ),
        },
        usermeta={
            "table": {
                "columns": [
                    ("month", words["month"]),
                    ("average", words["average"]),
                    ("largest", words["largest"]),
                    ("reports", words["reports"]),
                ]
            }
        },
        description=words["description"].format(
            date=facts.date(article.as_of),
            over_1000=facts.number(over_1000_q1),
            reports_q1=facts.number(reports_q1),
            recent=facts.number(len(recent)),
            not_below=facts.number(len(recent) - len(below)),
            below=month_names(facts, words, below),
        ),
    )
