"""Named dead per 100,000 men by federal district, deaths confirmed by 12 March and by 12 April 2023."""

import altair as alt

DATES = {"2023_03_12": "2023-03-12", "2023_04_12": "2023-04-12"}  # column suffix: date

WORDS = {
    "en": {
        # How a district is named on the chart, where its name in the data is too long.
        "short_names": {"Crimea (annexed by Russia in 2014)": "Crimea, annexed"},
        # How a district is named in the description: "{name}" is its name.
        "district": "{name}",
        "text_names": {},
        "federal_district": "Federal district",
        "confirmed_by": "Deaths confirmed by",
        "rate": "Per 100,000 men",
        "named_dead": "Named dead",
        "men": "Men aged 16-61.5",
        # The data table's headings: two lines at most on a phone.
        "headings": ["District", "Confirmed by", "Per 100k men", "Named dead", "Men 16-61.5"],
        "x": "Named dead per 100,000 men aged 16-61.5",
        "title": "The {highest} district loses men at {ratio} times the {lowest} district's rate",
        "subtitle": (
            "Named dead per 100,000 men aged 16-61.5, by federal district: lighter bars 12 March 2023, darker 12 April"
        ),
        "every_rose": "every district's rate rose",
        "some_rose": "{rose} of the {districts} rates rose",
        "description": (
            "Paired horizontal bars for each of Russia's federal districts, and for annexed Crimea and Sevastopol, "
            "showing named dead per 100,000 men aged 16 to 61.5: the lighter bar counts deaths confirmed by 12 March "
            "2023, the darker one deaths confirmed by 12 April 2023. Rates are calculated here from the regional "
            "counts "
            "and the 2021 census. On 12 March the {highest} district is highest and the {lowest} district lowest; "
            "{risen} within the month as more deaths were confirmed."
        ),
    },
    "ru": {
        "short_names": {"Crimea (annexed by Russia in 2014)": "Крым (аннексирован)"},
        "district": "{name} федеральный округ",
        "text_names": {"Crimea (annexed by Russia in 2014)": "аннексированные Крым и Севастополь"},
        "federal_district": "Федеральный округ",
        "confirmed_by": "Гибель подтверждена к",
        "rate": "На 100 тыс. мужчин",
        "named_dead": "Погибшие, известные по именам",
        "men": "Мужчины в возрасте от 16 до 61,5 года",
        "headings": ["Округ", "Подтверждено к", "На 100 тыс. мужчин", "Погибшие", "Мужчины 16–61,5"],
        "x": ["Погибшие, известные по именам,", "на 100 тыс. мужчин в возрасте от 16 до 61,5 года"],
        "title": "Показатель округа «{highest}» в {ratio} раза выше, чем округа «{lowest}»",
        "subtitle": (
            "Погибшие, известные по именам, на 100 тыс. мужчин 16–61,5 лет, по федеральным округам: светлые "
            "столбцы — 12 марта 2023 года, тёмные — 12 апреля"
        ),
        "every_rose": "показатель вырос во всех округах",
        "some_rose": "показатель вырос не во всех округах: в {rose} из {districts}",
        "description": (
            "Парные горизонтальные столбцы для каждого федерального округа России, а также для аннексированных "
            "Крыма и Севастополя: число погибших, известных по именам, на 100 тыс. мужчин в возрасте от 16 до "
            "61,5 года. Светлый столбец учитывает смерти, подтверждённые к 12 марта 2023 года, тёмный — "
            "подтверждённые к 12 апреля 2023 года. Показатели рассчитаны этим сайтом по данным регионов и переписи "
            "2021 года. На 12 марта на первом месте — {highest}, на последнем — {lowest}. За месяц, "
            "по мере того как подтверждались новые смерти, {risen}."
        ),
    },
}


def chart(facts):
    words = WORDS[facts.language.split("-")[0]]
    districts = facts.dataset("district_deaths")
    dates = {column: facts.date(date) for column, date in DATES.items()}

    def shown(district):
        name = district["federal_district"]
        return words["short_names"].get(name) or facts.label("district_deaths", "federal_district", name)

    def in_text(district):
        name = district["federal_district"]
        return words["text_names"].get(name) or words["district"].format(
            name=facts.label("district_deaths", "federal_district", name)
        )

    rows = [
        {
            "district": shown(district),
            "confirmed_by": label,
            "rate": round(district[f"rate_{date}"], 1),
            "named_dead": district[f"named_dead_by_{date}"],
            "men": district["men_16_61"],
        }
        for district in districts
        for date, label in dates.items()
    ]
    first, last = DATES
    by_rate = sorted(districts, key=lambda d: d[f"rate_{first}"])
    lowest, highest = in_text(by_rate[0]), in_text(by_rate[-1])
    rose = sum(d[f"rate_{last}"] > d[f"rate_{first}"] for d in districts)
    risen = (
        words["every_rose"]
        if rose == len(districts)
        else words["some_rose"].format(rose=facts.number(rose), districts=facts.number(len(districts)))
    )
    order = [r["district"] for r in sorted(rows, key=lambda r: -r["rate"]) if r["confirmed_by"] == dates[first]]
    base = alt.Chart(alt.Data(values=rows)).encode(
        y=alt.Y("district:N", title=None, sort=order, axis=alt.Axis(labelLimit=260)),
        yOffset=alt.YOffset("confirmed_by:N", sort=list(dates.values())),
        tooltip=[
            alt.Tooltip("district:N", title=words["federal_district"]),
            alt.Tooltip("confirmed_by:N", title=words["confirmed_by"]),
            alt.Tooltip("rate:Q", title=words["rate"], format=".1f"),
            alt.Tooltip("named_dead:Q", title=words["named_dead"], format=","),
            alt.Tooltip("men:Q", title=words["men"], format=","),
        ],
    )
    bars = base.mark_bar().encode(
        x=alt.X(
            "rate:Q",
            title=facts.lines(" ".join(words["x"]) if isinstance(words["x"], list) else words["x"], facts.width / 2)
            if facts.narrow
            else words["x"],
            axis=alt.Axis(tickCount=4 if facts.narrow else 10),
        ),
        color=alt.Color(
            "confirmed_by:N",
            title=words["confirmed_by"],
            scale=alt.Scale(domain=list(dates.values()), range=[facts.color("earlier"), facts.color("later")]),
            legend=alt.Legend(orient="top", direction="vertical"),
        ),
    )
    labels = base.mark_text(align="left", dx=3, fontSize=11, color="currentColor").encode(
        x="rate:Q", text=alt.Text("rate:Q", format=".1f")
    )
    return (bars + labels).properties(
        width=facts.width - 170 if facts.narrow else 380,  # room for the districts' names and the figures
        height=alt.Step(13),
        usermeta={
            "table": {
                "columns": list(
                    zip(["district", "confirmed_by", "rate", "named_dead", "men"], words["headings"], strict=True)
                )
            }
        },
        title={
            "text": words["title"].format(
                highest=shown(by_rate[-1]),
                lowest=shown(by_rate[0]),
                ratio=facts.number(by_rate[-1][f"rate_{first}"] / by_rate[0][f"rate_{first}"], 1),
            ),
            "subtitle": words["subtitle"],
        },
        description=words["description"].format(highest=highest, lowest=lowest, risen=risen),
    )
