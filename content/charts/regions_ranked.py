"""Every region's named dead per 100,000 men aged 16 to 61.5, as of 12 March 2023, ranked."""
import altair as alt

EAST = ("Siberian", "Far Eastern")
GROUPS = {"east": "#d9622b", "other": "#6e92bf", "capitals": "#2e9e6b"}  # group: colour, in the legend's order

WORDS = {
    "en": {
        "groups": {"east": "Siberian, Far Eastern", "other": "Other regions", "capitals": "Moscow, St Petersburg"},
        "region": "Region",
        "federal_district": "Federal district",
        "rate": "Per 100,000 men",
        "named_dead": "Named dead",
        "men": "Men aged 16-61.5",
        "x": "Named dead per 100,000 men aged 16-61.5",
        # None: Vega-Lite's default widths for the regions' names and the legend's labels.
        "label_limit": None,
        "legend_limit": None,
        # The colour's field as the data table heads it (the legend shows no title); None: as today, untitled.
        "group": None,
        "and": " and ",
        "title": "Named Russian dead per 100,000 men, every region, deaths confirmed by 12 March 2023",
        "description": (
            "Horizontal bars for all {regions} regions, ranked by named dead per 100,000 men aged 16 to 61.5, "
            "counting deaths confirmed by 12 March 2023 in the data collected by BBC News Russian and Mediazona "
            "volunteers. {top} is highest at {top_rate}; {bottom} is lowest at "
            "{bottom_rate}. Regions of the Siberian and Far Eastern federal districts are highlighted: "
            "{east_in_top_ten} of the ten highest are among them. The last two are {last_two}."
        ),
    },
    "ru": {
        "groups": {
            "east": "Сибирский и Дальневосточный округа",
            "other": "Остальные регионы",
            "capitals": "Москва и Санкт-Петербург",
        },
        "region": "Регион",
        "federal_district": "Федеральный округ",
        "rate": "На 100 тыс. мужчин",
        "named_dead": "Погибшие, известные по именам",
        "men": "Мужчины в возрасте от 16 до 61,5 года",
        "x": ["Погибшие, известные по именам,", "на 100 тыс. мужчин в возрасте от 16 до 61,5 года"],
        "label_limit": 240,
        "legend_limit": 300,
        "group": "Группа регионов",
        "and": " и ",
        "title": [
            "Погибшие российские военные, известные по именам, на 100 тыс. мужчин:",
            "все регионы, гибель подтверждена к 12 марта 2023 года",
        ],
        "description": (
            "Горизонтальные столбцы для всех регионов (всего {regions}), упорядоченных по числу погибших, известных "
            "по именам, на 100 тыс. мужчин в возрасте от 16 до 61,5 года. Учтены смерти, подтверждённые к 12 марта "
            "2023 года, в данных, которые собирают волонтёры, работающие с Русской службой Би-би-си и «Медиазоной». "
            "Самый высокий показатель — {top} ({top_rate}), самый низкий — {bottom} ({bottom_rate}). Регионы "
            "Сибирского и Дальневосточного федеральных округов выделены цветом: среди десяти регионов с самым высоким "
            "показателем таких — {east_in_top_ten}. Два последних — {last_two}."
        ),
    },
}


def group_of(row):
    if row["region"] in ("Moscow (city)", "St Petersburg"):
        return "capitals"
    return "east" if row["federal_district"] in EAST else "other"


def chart(facts):
    words = WORDS[facts.language.split("-")[0]]
    groups = words["groups"]
    rows = [
        {
            "region": facts.label("regional_deaths", "region", row["region"]),
            "federal_district": facts.label("regional_deaths", "federal_district", row["federal_district"]),
            "rate": round(row["rate_2023_03_12"], 1),
            "named_dead": row["named_dead_by_2023_03_12"],
            "men": row["men_16_61"],
            "group": groups[group_of(row)],
        }
        for row in facts.dataset("regional_deaths")
    ]
    rows.sort(key=lambda r: -r["rate"])
    top, bottom = rows[0], rows[-1]
    east_in_top_ten = sum(r["group"] == groups["east"] for r in rows[:10])
    last_two = words["and"].join(r["region"] for r in reversed(rows[-2:]))
    axis = alt.Axis(labelFontSize=11, labelLimit=words["label_limit"] or alt.Undefined)
    base = alt.Chart(alt.Data(values=rows)).encode(
        y=alt.Y("region:N", title=None, sort=[r["region"] for r in rows], axis=axis),
        tooltip=[
            alt.Tooltip("region:N", title=words["region"]),
            alt.Tooltip("federal_district:N", title=words["federal_district"]),
            alt.Tooltip("rate:Q", title=words["rate"], format=".1f"),
            alt.Tooltip("named_dead:Q", title=words["named_dead"], format=","),
            alt.Tooltip("men:Q", title=words["men"], format=","),
        ],
    )
    bars = base.mark_bar().encode(
        x=alt.X("rate:Q", title=words["x"], axis=alt.Axis(orient="top")),
        color=alt.Color(
            "group:N",
            title=words["group"],
            scale=alt.Scale(domain=[groups[group] for group in GROUPS], range=list(GROUPS.values())),
            legend=alt.Legend(
                orient="top",
                direction="vertical",
                labelLimit=words["legend_limit"] or alt.Undefined,
                title=None if words["group"] else alt.Undefined,
            ),
        ),
    )
    values = base.mark_text(align="left", dx=3, fontSize=10, color="currentColor").encode(
        x="rate:Q", text=alt.Text("rate:Q", format=".1f")
    )
    return (bars + values).properties(
        width=480,
        height=alt.Step(13),
        title=words["title"],
        description=words["description"].format(
            regions=facts.number(len(rows)),
            top=top["region"],
            top_rate=facts.number(top["rate"], 1),
            bottom=bottom["region"],
            bottom_rate=facts.number(bottom["rate"], 1),
            east_in_top_ten=facts.number(east_in_top_ten),
            last_two=last_two,
        ),
    )
