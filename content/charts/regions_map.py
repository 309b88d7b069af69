"""Tile map: every region as one equal square, placed roughly where it lies, coloured by named dead per
100,000 men aged 16 to 61.5 on 12 March 2023.

The layout is a dataset of its own (region_tiles: iso_code, row, col; content/data/region_tiles.csv),
joined here to the regions' figures by iso_code. Colours come in steps of a sequential yellow-orange-red
scheme (ColorBrewer's YlOrRd, ordered by lightness, so it reads for colour-blind readers and in grey),
each tile labelled with its region's code in black or white, whichever reads better on its fill.
"""
import altair as alt

ANNEXED = "Crimea (annexed by Russia in 2014)"
MOSCOW = "Moscow (city)"
# Named dead per 100,000 men: the steps' lower bounds, and a colour for each step (one more than bounds).
STEPS = [20, 40, 60, 80, 120]
COLOURS = ["#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#f03b20", "#bd0026"]
INKS = ("#000", "#fff")  # the tile labels' colours: whichever has more contrast with the fill
# The tiles' (and the legend's) outline: 3:1 or more on the page in both schemes, so the lightest tiles
# stand out on a light page and the darkest on a dark one.
OUTLINE = "#777"
TILE, GAP = 34, 3  # pixels from tile to tile at full width, and between tiles; narrow screens shrink both
LABELS_FROM = 21  # tiles narrower than this (in pixels) are drawn without their labels

WORDS = {
    "en": {
        "region": "Region",
        "code": "Code",
        "march": "Per 100,000 men, 12 March",
        "april": "Per 100,000 men, 12 April",
        "times": "Times Moscow's rate, 12 March",
        "dead": "Named dead by 12 March",
        "row": "Tile row (north to south)",
        "col": "Tile column (west to east)",
        "legend": ["Named dead per 100,000 men", "aged 16–61.5"],
        "annexed": "Annexed",
        "find": "Find your region",
        "shown": "{shown} of {total} regions shown",
        "title": "Named Russian dead per 100,000 men, by region, 12 March 2023",
        "description": (
            "Tile map of {regions} regions, one square each, placed roughly where the region lies: north at the top, "
            "west on the left. Darker tiles mean more named dead per 100,000 men aged 16 to 61.5, counting deaths "
            "confirmed by 12 March 2023. {bottom} is the lightest, at {bottom_rate}; the darkest, at "
            "{top_step} or more, are {top_regions}. Crimea and Sevastopol, Ukrainian territory annexed by Russia, "
            "are set apart in the bottom left corner."
        ),
        "and": " and ",
    },
    "ru": {
        "region": "Регион",
        "code": "Код",
        "march": "На 100 тыс. мужчин, 12 марта",
        "april": "На 100 тыс. мужчин, 12 апреля",
        "times": "Во сколько раз выше, чем в Москве, 12 марта",
        "dead": "Погибшие, известные по именам, к 12 марта",
        "row": "Ряд плитки (с севера на юг)",
        "col": "Столбец плитки (с запада на восток)",
        "legend": ["Погибшие, известные по именам,", "на 100 тыс. мужчин 16–61,5 лет"],
        "annexed": "Аннексированы",
        "find": "Найдите свой регион",
        "shown": "Показано регионов: {shown} из {total}",
        "title": [
            "Погибшие российские военные, известные по именам,",
            "на 100 тыс. мужчин, по регионам, 12 марта 2023 года",
        ],
        "description": (
            "Плиточная карта регионов (всего {regions}): по квадрату на регион, примерно там, где он находится, — "
            "север вверху, запад слева. Чем темнее плитка, тем больше погибших, известных по именам, на 100 тыс. "
            "мужчин в возрасте от 16 до 61,5 года (смерти, подтверждённые к 12 марта 2023 года). Светлее всех — {bottom} "
            "({bottom_rate}); темнее всех, {top_step} и более, — {top_regions}. Крым и Севастополь, "
            "украинская территория, аннексированная Россией, вынесены в левый нижний угол."
        ),
        "and": " и ",
    },
}


def luminance(colour):
    """Relative luminance (WCAG 2.1) of a #rrggbb or #rgb colour."""
    digits = colour[1:] if len(colour) == 7 else "".join(c * 2 for c in colour[1:])
    channels = [int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    red, green, blue = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(first, second):
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def ink(fill):
    """The label colour that reads best on a tile of this fill."""
    return max(INKS, key=lambda colour: contrast(colour, fill))


def steps(field):
    """(Vega test, colour) for each step: the test is true on the rows whose field falls in the step."""
    bounds = [None, *STEPS, None]
    for low, high, colour in zip(bounds, bounds[1:], COLOURS):
        parts = [f"datum.{field} >= {low}"] if low is not None else []
        parts += [f"datum.{field} < {high}"] if high is not None else []
        yield " && ".join(parts), colour


def light_ink_test(field):
    """A Vega expression true on the tiles whose label is drawn in the second (light) ink."""
    return " || ".join(f"({test})" for test, colour in steps(field) if ink(colour) == INKS[1]) or "false"


def step_colours(field):
    """Conditions giving each step's colour but the last (the value otherwise), for marks that take a
    step's colour without a scale of their own (which would add a legend)."""
    return [{"test": test, "value": colour} for test, colour in list(steps(field))[:-1]]


def chart(facts):
    words = WORDS[facts.language.split("-")[0]]
    tiles = {tile["iso_code"]: tile for tile in facts.dataset("region_tiles")}
    data = facts.dataset("regional_deaths")
    missing = [row["iso_code"] for row in data if row["iso_code"] not in tiles]
    if missing:
        raise KeyError(f"no tile for {', '.join(missing)}: give each a row and a column in data/region_tiles.csv")
    moscow = next(row for row in data if row["region"] == MOSCOW)
    annexed_codes = {row["iso_code"] for row in data if row["federal_district"] == ANNEXED}
    rows = [
        {
            "region": facts.label("regional_deaths", "region", row["region"]),
            "iso_code": row["iso_code"],
            "rate_12_march": round(row["rate_2023_03_12"], 1),
            "rate_12_april": round(row["rate_2023_04_12"], 1),
            "times_moscow": round(row["rate_2023_03_12"] / moscow["rate_2023_03_12"], 1),
            "named_dead": row["named_dead_by_2023_03_12"],
            "row": int(tiles[row["iso_code"]]["row"]),
            "col": int(tiles[row["iso_code"]]["col"]),
        }
        for row in data
    ]
    rows.sort(key=lambda r: r["region"].casefold())  # the table's first order: by name, in the chart's language
    columns, lines = max(r["col"] for r in rows) + 1, max(r["row"] for r in rows) + 1
    ranked = sorted(rows, key=lambda r: r["rate_12_march"])
    top = [r["region"] for r in reversed(ranked) if r["rate_12_march"] >= STEPS[-1]]
    # The corner set apart for annexed territory: its label goes above the first of its tiles.
    annexed = min((r["row"], r["col"]) for r in rows if r["iso_code"] in annexed_codes)

    # Bands of TILE pixels with a GAP between tiles (half a gap at the edges), so tiles fall on whole pixels.
    def band(domain):
        return alt.Scale(domain=list(range(domain)), paddingInner=GAP / TILE, paddingOuter=GAP / TILE / 2)

    x = alt.X("col:O", title=words["col"], axis=None, scale=band(columns))
    y = alt.Y("row:O", title=words["row"], axis=None, scale=band(lines))
    tooltip = [
        alt.Tooltip("region:N", title=words["region"]),
        alt.Tooltip("iso_code:N", title=words["code"]),
        alt.Tooltip("rate_12_march:Q", title=words["march"], format=".1f"),
        alt.Tooltip("rate_12_april:Q", title=words["april"], format=".1f"),
        alt.Tooltip("times_moscow:Q", title=words["times"], format=".1f"),
        alt.Tooltip("named_dead:Q", title=words["dead"], format=","),
    ]
    # Each tile is described by its region's name (the description channel, which also puts the
    # region first in the chart's data table, as the fields come in the encoding's alphabetical order).
    scale = alt.Scale(type="threshold", domain=STEPS, range=COLOURS)
    squares = alt.Chart().mark_rect(stroke=OUTLINE).encode(
        x=x,
        y=y,
        tooltip=tooltip,
        description=alt.Description("region:N", title=words["region"]),
        fill=alt.Fill(
            "rate_12_march:Q",
            title=words["legend"],
            scale=scale,
            legend=alt.Legend(orient="top", direction="horizontal", titleLimit=TILE * columns, labelFontSize=11),
        ),
    )
    # Labels give way when the tiles get too small for them (charts.js narrows the view on a narrow screen).
    shown = alt.ExprRef(f"bandwidth('x') < {LABELS_FROM} ? 0 : 1")
    # Each label is read against its tile (black or white ink, whichever has more contrast there) and
    # carries the tile's colour round its letters as a thin outline, so that it also stands out from the
    # page as the tile does, where chart text is measured against the page (test_accessibility.py); the
    # letters are bold, as the outline thins them back to a regular weight.
    labels = alt.Chart().mark_text(fontSize=10, fontWeight="bold", strokeWidth=0.5, opacity=shown).encode(
        x=x,
        y=y,
        tooltip=tooltip,
        text=alt.Text("iso_code:N", title=words["code"]),
        color=alt.condition(light_ink_test("rate_12_march"), alt.value(INKS[1]), alt.value(INKS[0])),
        stroke=alt.StrokeValue(value=COLOURS[-1], condition=step_colours("rate_12_march")),
    )
    note = (
        alt.Chart()
        .transform_filter((alt.datum.row == annexed[0]) & (alt.datum.col == annexed[1]))
        .mark_text(align="left", baseline="bottom", dx=-(TILE - GAP) / 2, dy=TILE / 2 - GAP, fontSize=11,
                   color="currentColor", text=words["annexed"], opacity=shown)
        .encode(x=alt.datum(annexed[1], type="ordinal"), y=alt.datum(annexed[0] - 1, type="ordinal"))
    )
    return (
        alt.layer(squares, labels, note, data=alt.Data(values=rows))
        # The legend's steps outlined as the tiles are (Vega draws a threshold scale's legend as bands).
        .configure_legend(gradientStrokeColor=OUTLINE, gradientStrokeWidth=1)
        # Tiles stay square as charts.js narrows the view: its height follows its width.
        .add_params(alt.param(name="height", expr=f"width * {lines} / {columns}"))
        .properties(
            width=TILE * columns,
            height=TILE * lines,
            title=words["title"],
            description=words["description"].format(
                regions=facts.number(len(rows)),
                bottom=ranked[0]["region"],
                bottom_rate=facts.number(ranked[0]["rate_12_march"], 1),
                top_step=facts.number(STEPS[-1]),
                top_regions=words["and"].join([", ".join(top[:-1]), top[-1]]) if len(top) > 1 else "".join(top),
            ),
            # The data table under the map: readers find their region in it, and sort it by any column.
            # Its columns: the tiles' places on the grid stay in the CSV download, not on the page.
            usermeta={
                "findable": {"label": words["find"], "shown": words["shown"]},
                "table": {"columns": [(field, words[key]) for field, key in (
                    ("region", "region"), ("rate_12_march", "march"), ("rate_12_april", "april"),
                    ("times_moscow", "times"), ("named_dead", "dead"), ("iso_code", "code"))]},
            },
        )
    )
