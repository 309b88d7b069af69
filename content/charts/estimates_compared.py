"""Estimates of Russian losses around March 2023, deaths kept apart from killed and wounded."""

import altair as alt

DEATHS, CASUALTIES = "deaths", "casualties"
# (fact id, group, how the source qualifies the figure); each estimate's label is in WORDS.
ESTIMATES = [
    ("named_dead_2023_03_10", DEATHS, "at_least"),
    ("named_dead_records_2023_04_12", DEATHS, "at_least"),
    ("ukdi_killed_2023_02", DEATHS, ""),
    ("csis_killed_2023_02", DEATHS, ""),
    ("excess_deaths_2023_05_range", DEATHS, ""),
    ("gs_total_2023_03_12", CASUALTIES, ""),
    ("ukdi_casualties_2023_02", CASUALTIES, ""),
    ("nyt_us_officials_2023_02", CASUALTIES, "nearly"),
    ("csis_casualties_2023_02", CASUALTIES, "up_to"),
]
COLORS = {DEATHS: "deaths", CASUALTIES: "casualties"}  # site.yaml colors: names

WORDS = {
    "en": {
        "groups": {DEATHS: "DEATHS ONLY", CASUALTIES: "KILLED AND WOUNDED"},
        "estimates": {
            "named_dead_2023_03_10": "Named dead, BBC Russian and Mediazona (10 Mar)",
            "named_dead_records_2023_04_12": "Named dead, Bessudnov's data (12 Apr)",
            "ukdi_killed_2023_02": "UK Defence Intelligence (17 Feb)",
            "csis_killed_2023_02": "CSIS (first year of the war)",
            "excess_deaths_2023_05_range": "Excess deaths, men under 50 (to 27 May)",
            "gs_total_2023_03_12": "Ukraine's General Staff (12 Mar)",
            "ukdi_casualties_2023_02": "UK Defence Intelligence (17 Feb)",
            "nyt_us_officials_2023_02": "US officials, via the New York Times (2 Feb)",
            "csis_casualties_2023_02": "CSIS, with the missing (first year)",
        },
        # How the description names an estimate, where it differs from the label.
        "in_text": {},
        "qualifiers": {"": "", "at_least": "at least ", "nearly": "nearly ", "up_to": "up to "},
        "estimate": "Estimate",
        "figure": "Figure",
        "who": "Who",
        "x": "People",
        # d3 writes "~s" with Latin SI prefixes (20k) in every language, so the Russian axis writes figures in
        # full, with fewer ticks to leave them room; None: Vega-Lite's default number of ticks.
        "x_format": "~s",
        "x_ticks": 6,
        # The data table's heading for the group of each estimate (no legend shows the colour's field).
        "group": "What it counts",
        "title": "Ukraine's {gs} counts the wounded too: every estimate of deaths is under half of it",
        "subtitle": (
            "Estimates of Russian military losses around March 2023, people; a bar spans a range, a triangle "
            "marks a floor or a ceiling"
        ),
        "item": "{estimate}, {shown}",
        "description": (
            "Each estimate is a bar from its low to its high figure, or a dot where it is a single figure, all on one "
            "scale. Deaths only: {deaths}. Killed and wounded: {casualties}. Ukraine's General Staff figure belongs "
            "with the casualty estimates, not with the deaths."
        ),
    },
    "ru": {
        "groups": {DEATHS: "ТОЛЬКО ПОГИБШИЕ", CASUALTIES: "УБИТЫЕ И РАНЕНЫЕ"},
        "estimates": {
            "named_dead_2023_03_10": (
                "Погибшие, известные по именам, по данным Русской службы Би-би-си и «Медиазоны» (10 марта)"
            ),
            "named_dead_records_2023_04_12": "Погибшие, известные по именам, по данным Бессуднова (12 апреля)",
            "ukdi_killed_2023_02": "Разведка Минобороны Великобритании (17 февраля)",
            "csis_killed_2023_02": "CSIS (первый год войны)",
            "excess_deaths_2023_05_range": "Избыточная смертность мужчин моложе 50 лет (к 27 мая)",
            "gs_total_2023_03_12": "Генштаб ВСУ (12 марта)",
            "ukdi_casualties_2023_02": "Разведка Минобороны Великобритании (17 февраля)",
            "nyt_us_officials_2023_02": "Официальные лица США, по сообщению The New York Times (2 февраля)",
            "csis_casualties_2023_02": "CSIS, включая пропавших без вести (первый год войны)",
        },
        # After a colon and a semicolon the description's items start in lower case, names excepted.
        "in_text": {
            "named_dead_2023_03_10": (
                "погибшие, известные по именам, по данным Русской службы Би-би-си и «Медиазоны» (10 марта)"
            ),
            "named_dead_records_2023_04_12": "погибшие, известные по именам, по данным Бессуднова (12 апреля)",
            "ukdi_killed_2023_02": "разведка Минобороны Великобритании (17 февраля)",
            "excess_deaths_2023_05_range": "избыточная смертность мужчин моложе 50 лет (к 27 мая)",
            "ukdi_casualties_2023_02": "разведка Минобороны Великобритании (17 февраля)",
            "nyt_us_officials_2023_02": "официальные лица США, по сообщению The New York Times (2 февраля)",
        },
        "qualifiers": {"": "", "at_least": "не менее ", "nearly": "почти ", "up_to": "до "},
        "estimate": "Оценка",
        "figure": "Цифра",
        "who": "Кто",
        "x": "Человек",
        "x_format": ",.0f",
        "x_ticks": 6,
        "group": "Что считает оценка",
        "title": "В {gs} Генштаба ВСУ входят и раненые: любая оценка числа погибших меньше половины этой цифры",
        "subtitle": (
            "Оценки военных потерь России примерно на март 2023 года, человек; полоса — диапазон, треугольник "
            "— нижняя или верхняя граница"
        ),
        "item": "{estimate} — {shown}",
        "description": (
            "Каждая оценка показана полосой от нижней до верхней границы или точкой, если это одна цифра; шкала у "
            "всех общая. Оценки только числа погибших: {deaths}. Оценки числа убитых и раненых: {casualties}. "
            "Цифра Генштаба ВСУ относится к оценкам числа убитых и раненых, а не к оценкам числа погибших."
        ),
    },
}


def row(facts, words, fact_id, group, qualifier):
    fact = facts[fact_id]
    low, high = (fact.low, fact.high) if fact.is_range else (fact.value, fact.value)
    figure = facts.number(low) if low == high else f"{facts.number(low)}–{facts.number(high)}"
    shown = words["qualifiers"][qualifier] + figure
    return {
        "key": fact_id,
        "estimate": words["estimates"][fact_id],
        "group": words["groups"][group],
        "low": low,
        "high": high,
        "shown": shown,
        "who": fact.claimant,
        # A floor points right (there may be more), a ceiling left; a figure given as it is is a dot.
        "bound": {"at_least": "triangle-right", "nearly": "triangle-left", "up_to": "triangle-left"}.get(
            qualifier, "circle"
        ),
    }


def listing(words, rows, group):
    return "; ".join(
        words["item"].format(estimate=words["in_text"].get(r["key"], r["estimate"]), shown=r["shown"])
        for r in rows
        if r["group"] == group
    )


def chart(facts):
    words = WORDS[facts.language.split("-")[0]]
    deaths, casualties = words["groups"][DEATHS], words["groups"][CASUALTIES]
    rows = [row(facts, words, *estimate) for estimate in ESTIMATES]
    # The title's finding, checked on the figures: the highest estimate of deaths under half the General Staff's.
    if max(r["high"] for r in rows if r["group"] == deaths) * 2 >= facts.value("gs_total_2023_03_12"):
        raise ValueError("an estimate of deaths reaches half the General Staff's figure: the title no longer holds")
    # Each group starts with a heading row; every row's label sits above its bar, so the chart
    # can narrow to a phone's width without squeezing a column of axis labels.
    order = [deaths] + [r["key"] for r in rows if r["group"] == deaths]
    order += [casualties] + [r["key"] for r in rows if r["group"] == casualties]
    headings = [{"key": group, "estimate": group, "group": group, "heading": True} for group in (deaths, casualties)]
    y = alt.Y("key:N", sort=order, axis=None)
    color = alt.Color(
        "group:N",
        title=words["group"],
        scale=alt.Scale(
            domain=[words["groups"][g] for g in COLORS], range=[facts.color(name) for name in COLORS.values()]
        ),
        legend=None,
    )
    tooltip = [
        alt.Tooltip("estimate:N", title=words["estimate"]),
        alt.Tooltip("shown:N", title=words["figure"]),
        alt.Tooltip("who:N", title=words["who"]),
    ]
    # Each row's label sits above its bar; on a phone the figure joins it (no room beside the bar) and
    # long labels run to more lines, in taller rows.
    for each in rows:
        text = f"{each['estimate']}: {each['shown']}" if facts.narrow else each["estimate"]
        each["label"] = "\n".join(facts.lines(text, facts.width - 24))
    for heading in headings:
        heading["label"] = heading["estimate"]
    most_lines = max(each["label"].count("\n") + 1 for each in rows)
    step = 26 + 14 * most_lines
    figures = alt.Chart().transform_filter("!datum.heading").encode(y=y, tooltip=tooltip)
    ticks = min(words["x_ticks"], 3 if "," in words["x_format"] else 4) if facts.narrow else words["x_ticks"]
    axis = alt.Axis(format=words["x_format"], grid=True, tickCount=ticks)
    x = alt.X("low:Q", title=words["x"], scale=alt.Scale(domain=[0, 300000]), axis=axis)
    below = 3 - step / 2 + 14 * most_lines + 9  # the bar's place: right under its label
    bar = (
        figures.transform_filter("datum.low != datum.high")
        .mark_rule(strokeWidth=9, strokeCap="round", yOffset=below)
        .encode(x=x, x2="high:Q", color=color)
    )
    dot = figures.mark_point(filled=True, size=80, opacity=1, yOffset=below).encode(
        x="high:Q", color=color, shape=alt.Shape("bound:N", scale=None, legend=None)
    )
    value = figures.mark_text(align="left", dx=9, yOffset=below, fontSize=12, color="currentColor").encode(
        x="high:Q", text="shown:N"
    )
    label = figures.mark_text(
        align="left", baseline="top", dy=3 - step / 2, fontSize=12, color="currentColor", lineBreak="\n"
    ).encode(x=alt.datum(0), text="label:N")
    heading = (
        alt.Chart()
        .transform_filter("datum.heading")
        .mark_text(align="left", baseline="bottom", dy=6, fontSize=12, fontWeight="bold", color="currentColor")
        .encode(y=y, x=alt.datum(0), text="estimate:N")
    )
    layers = [bar, dot, label, heading] if facts.narrow else [bar, dot, value, label, heading]
    return alt.layer(*layers, data=alt.Data(values=rows + headings)).properties(
        width=facts.width - 20 if facts.narrow else 600,
        height=alt.Step(step),
        title={
            "text": words["title"].format(gs=facts.number(facts.value("gs_total_2023_03_12"))),
            "subtitle": words["subtitle"],
        },
        # The table under the chart: what a reader reads on it; the heading rows are drawing aids, and the
        # low and high figures and fact ids stay in the CSV download.
        usermeta={
            "table": {
                "columns": [
                    ("group", words["group"]),
                    ("estimate", words["estimate"]),
                    ("shown", words["figure"]),
                    ("who", words["who"]),
                ],
                "skip": "heading",
            }
        },
        description=words["description"].format(
            deaths=listing(words, rows, deaths), casualties=listing(words, rows, casualties)
        ),
    )
