"""Astrakhan: the UK's 75% beside the name-based estimate and the census shares it should be read against."""

import altair as alt

# (fact id, what kind of figure it is); each figure's label is in WORDS.
SHARES = [
    ("ukdi_astrakhan_share", "casualties"),
    ("astrakhan_nonslavic_share_of_dead", "dead"),
    ("astrakhan_nonslavic_men_8_32_2010", "census"),
    ("astrakhan_nonslavic_men_2010", "census"),
    ("astrakhan_kazakh_tatar_share_stated_2010", "census"),
    ("astrakhan_kazakh_tatar_share_2021", "census"),
]
COLORS = {"casualties": "casualties", "dead": "deaths", "census": "context"}  # site.yaml colors: names

WORDS = {
    "en": {
        "figures": {
            "ukdi_astrakhan_share": "UK: Kazakhs and Tatars among casualties",
            "astrakhan_nonslavic_share_of_dead": "Bessudnov: non-Slavic names, named dead",
            "astrakhan_nonslavic_men_8_32_2010": "2010 census: non-Slavic men aged 8–32",
            "astrakhan_nonslavic_men_2010": "2010 census: non-Slavic men, all ages",
            "astrakhan_kazakh_tatar_share_stated_2010": "2010 census: Kazakhs and Tatars*",
            "astrakhan_kazakh_tatar_share_2021": "2021 census: Kazakhs and Tatars, all residents",
        },
        "kinds": {
            "casualties": "Estimate about casualties",
            "dead": "Estimate about the dead",
            "census": "Census: the population",
        },
        "figure": "Figure",
        "share": "Share (%)",
        "who": "Who",
        "x": "Per cent",
        # None: Vega-Lite's default width for the legend's labels.
        "legend_limit": None,
        # The colour's field as the data table heads it (the legend shows no title).
        "kind": "Kind of figure",
        "title": "The UK's {claim}% is far above the region's named dead and its census",
        "subtitle": "Astrakhan region: shares of Kazakhs and Tatars, or of non-Slavic people, per cent",
        "description": (
            "Horizontal bars on a scale of 0 to 100 per cent. The UK's claim that {claim}% of Astrakhan's casualties "
            "are Kazakh or Tatar stands far above the name-based estimate of {estimate}% non-Slavic names among the "
            "region's named dead. The census bars show the population to compare with: {young_men}% of men aged "
            "8 to 32 in 2010 were non-Slavic, and Kazakhs and Tatars together made up about a fifth of all residents "
            "in 2021. The 2010 bar marked * counts only residents who stated an ethnicity."
        ),
    },
    "ru": {
        "figures": {
            "ukdi_astrakhan_share": "Великобритания: казахи и татары среди потерь",
            "astrakhan_nonslavic_share_of_dead": "Бессуднов: неславянские имена у погибших, известных по именам",
            "astrakhan_nonslavic_men_8_32_2010": "Перепись 2010 года: неславяне среди мужчин 8–32 лет",
            "astrakhan_nonslavic_men_2010": "Перепись 2010 года: неславяне среди мужчин всех возрастов",
            "astrakhan_kazakh_tatar_share_stated_2010": "Перепись 2010 года: казахи и татары*",
            "astrakhan_kazakh_tatar_share_2021": "Перепись 2021 года: казахи и татары среди всех жителей",
        },
        "kinds": {
            "casualties": "Оценка доли среди потерь",
            "dead": "Оценка доли среди погибших",
            "census": "Перепись: население",
        },
        "figure": "Показатель",
        "share": "Доля, %",
        "who": "Кто",
        "x": "Доля, %",
        "legend_limit": 300,
        "kind": "Вид данных",
        "title": "{claim}\u00a0% британской разведки намного выше доли среди погибших и по переписи",
        "subtitle": "Астраханская область: доля казахов и татар или неславянского населения, %",
        "description": (
            "Горизонтальные столбцы на шкале от 0 до 100\u00a0%. По утверждению британской разведки, на казахов и "
            "татар приходится {claim}\u00a0% потерь Астраханской области — намного больше, чем показывает оценка по "
            "именам: неславянские имена — у {estimate}\u00a0% погибших из области, известных по именам. Столбцы "
            "переписи показывают население, с которым эти доли нужно сравнивать: в 2010 году неславяне составляли "
            "{young_men}\u00a0% мужчин в возрасте от 8 до 32 лет, а казахи и татары вместе в 2021 году — около пятой "
            "части всех жителей. Столбец 2010 года, отмеченный *, учитывает только жителей, указавших национальность."
        ),
    },
}


def chart(facts):
    words = WORDS[facts.language.split("-")[0]]
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
