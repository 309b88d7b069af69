"""Tile map: every region as one equal square, placed roughly where it lies, coloured by named dead per
100,000 men aged 16 to 61.5 on 12 March 2023, as a multiple of Moscow's rate, with a step at the UK's "30 times".

The layout is a dataset of its own (region_tiles: iso_code, row, col; content/data/region_tiles.csv),
joined here to the regions' figures by iso_code. Colours come in steps of the site's
times_moscow ramp (site.yaml), ordered by lightness, so it reads for colour-blind readers and in grey; on a dark
page the ramp runs the other way, so the highest rates stand out in both schemes. Each tile is labelled
with its region's code in the ink of its step (ink_on_pale or ink_on_strong). The narrow layout labels
only the regions the text names, and Moscow, the baseline.
"""

from itertools import pairwise

import altair as alt

ANNEXED = "Crimea (annexed by Russia in 2014)"
MOSCOW = "Moscow (city)"
# Times Moscow's rate: the steps' lower bounds (30: the UK's claim), one colour of the ramp for each step.
STEPS = [10, 20, 30, 40]
THIRTY_TIMES = 30  # the description counts the regions at 30 times Moscow's rate or more
WIDE_TILE = 24  # pixels from tile to tile at which the gap between tiles widens from 2 to 3
STRONG_FROM = 3  # the steps from this one on take the ink for strong colours
# Regions the text names, marked at every width.
MARKED = ["Moscow (city)", "Tuva", "Buryatia"]


def steps(field, colours):
    """(Vega test, colour) for each step: the test is true on the rows whose field falls in the step."""
    bounds = [None, *STEPS, None]
    for (low, high), colour in zip(pairwise(bounds), colours, strict=True):
        parts = [f"datum.{field} >= {low}"] if low is not None else []
        parts += [f"datum.{field} < {high}"] if high is not None else []
        yield " && ".join(parts), colour


def step_colours(field, colours):
    """Conditions giving each step's colour but the last (the value otherwise), for marks that take a
    step's colour without a scale of their own (which would add a legend)."""
    return [{"test": test, "value": colour} for test, colour in list(steps(field, colours))[:-1]]


def chart(facts):
    words = facts.words
    ramp = facts.ramp("times_moscow")
    tiles = {tile["iso_code"]: tile for tile in facts.dataset("region_tiles")}
    short = {code: facts.label("region_tiles", "short", tile["short"]) for code, tile in tiles.items()}
    data = facts.dataset("regional_deaths")
    missing = [row["iso_code"] for row in data if row["iso_code"] not in tiles]
    if missing:
        raise KeyError(f"no tile for {', '.join(missing)}: give each a row and a column in data/region_tiles.csv")
    moscow = next(row for row in data if row["region"] == MOSCOW)
    annexed_codes = {row["iso_code"] for row in data if row["federal_district"] == ANNEXED}
    rows = [
        {
            "region": facts.label("regional_deaths", "region", row["region"]),
            "rate_12_march": round(row["rate_2023_03_12"], 1),
            "rate_12_april": round(row["rate_2023_04_12"], 1),
            "times_moscow": round(row["rate_2023_03_12"] / moscow["rate_2023_03_12"], 1),
            "named_dead": row["named_dead_by_2023_03_12"],
            "iso_code": row["iso_code"],
            "short": short[row["iso_code"]],
            "row": int(tiles[row["iso_code"]]["row"]),
            "col": int(tiles[row["iso_code"]]["col"]),
        }
        for row in data
    ]
    rows.sort(key=lambda r: r["region"].casefold())  # the table's first order: by name, in the chart's language
    columns, lines = max(r["col"] for r in rows) + 1, max(r["row"] for r in rows) + 1
    ranked = sorted(rows, key=lambda r: r["times_moscow"])
    top = [r["region"] for r in reversed(ranked) if r["times_moscow"] >= STEPS[-1]]
    at_30 = sum(r["times_moscow"] >= THIRTY_TIMES for r in rows)
    # The corner set apart for annexed territory: its label goes above the first of its tiles.
    annexed = min((r["row"], r["col"]) for r in rows if r["iso_code"] in annexed_codes)
    tile = (facts.width - 10) // columns  # pixels from tile to tile: the column's width shared out, less padding
    gap = 3 if tile >= WIDE_TILE else 2

    # Bands of `tile` pixels with a gap between tiles (half a gap at the edges), so tiles fall on whole pixels.
    def band(domain):
        return alt.Scale(domain=list(range(domain)), paddingInner=gap / tile, paddingOuter=gap / tile / 2)

    x = alt.X("col:O", title=words["col"], axis=None, scale=band(columns))
    y = alt.Y("row:O", title=words["row"], axis=None, scale=band(lines))
    tooltip = [
        alt.Tooltip("region:N", title=words["region"]),
        alt.Tooltip("times_moscow:Q", title=words["times"], format=".1f"),
        alt.Tooltip("rate_12_march:Q", title=words["march"], format=".1f"),
        alt.Tooltip("rate_12_april:Q", title=words["april"], format=".1f"),
        alt.Tooltip("named_dead:Q", title=words["dead"], format=","),
    ]
    # Each tile is described by its region's name (the description channel).
    scale = alt.Scale(type="threshold", domain=STEPS, range=ramp)
    outline = facts.color("outline")
    # Every layer is placed by x and y and has the tooltip, given once, on the layers together.
    squares = (
        alt.Chart()
        .mark_rect(stroke=outline)
        .encode(
            description=alt.Description("region:N", title=words["region"]),
            fill=alt.Fill(
                "times_moscow:Q",
                title=words["legend"],
                scale=scale,
                legend=alt.Legend(
                    orient="top",
                    direction="horizontal",
                    titleLimit=tile * columns,
                    labelFontSize=11,
                    titleFontSize=12,
                    gradientLength=min(tile * columns - 20, 300),
                ),
            ),
        )
    )
    strong = " || ".join(f"({test})" for test, _ in list(steps("times_moscow", ramp))[STRONG_FROM:])
    # Labels read against their tile (the ink of its step) with the tile's colour round the letters as a
    # thin outline. The wide layout labels every tile with its code; the narrow one only the regions the
    # text names, by name, beside their tile.
    ink = alt.condition(strong, alt.value(facts.color("ink_on_strong")), alt.value(facts.color("ink_on_pale")))
    layers = [squares]
    if not facts.narrow:
        # A name of two lines starts half a line higher, so both sit on the tile.
        for two_lines in (False, True):
            layers.append(
                alt.Chart()
                .transform_filter(("" if two_lines else "!") + "test(/ /, datum.short)")
                .mark_text(
                    fontSize=11,
                    fontWeight="bold",
                    strokeWidth=0.5,
                    lineBreak=" ",
                    lineHeight=12,
                    dy=-6 if two_lines else 0,
                )
                .encode(
                    text=alt.Text("short:N", title=words["code"]),
                    color=ink,
                    stroke=alt.StrokeValue(value=ramp[-1], condition=step_colours("times_moscow", ramp)),
                )
            )
    marks = alt.Chart().transform_filter(
        alt.FieldOneOfPredicate(
            field="region", oneOf=[facts.label("regional_deaths", "region", name) for name in MARKED]
        )
    )
    layers.append(marks.mark_rect(fill=None, stroke="currentColor", strokeWidth=2))
    if facts.narrow:  # each marked region named beside its tile, on a halo of the page's colour
        for halo in (True, False):
            layers.append(
                marks.mark_text(
                    align="left",
                    baseline="middle",
                    dx=tile / 2 + 1,
                    fontSize=11,
                    fontWeight="bold",
                    color="currentColor",
                    **({"stroke": facts.color("page"), "strokeWidth": 4, "strokeJoin": "round"} if halo else {}),
                ).encode(text="region:N")
            )
    layers.append(
        alt.Chart()
        .transform_filter((alt.datum.row == annexed[0]) & (alt.datum.col == annexed[1]))
        .mark_text(
            align="left",
            baseline="bottom",
            dx=-(tile - gap) / 2,
            dy=tile / 2 - gap,
            fontSize=11,
            color="currentColor",
            text=words["annexed"],
        )
        .encode(x=alt.datum(annexed[1], type="ordinal"), y=alt.datum(annexed[0] - 1, type="ordinal"))
    )
    return (
        alt.layer(*layers, data=alt.Data(values=rows))
        .encode(x=x, y=y, tooltip=tooltip)
        # The legend's steps outlined as the tiles are (Vega draws a threshold scale's legend as bands).
        .configure_legend(gradientStrokeColor=outline, gradientStrokeWidth=1)
        .properties(
            autosize="pad",  # tiles stay square: the plot is as wide as its tiles
            width=tile * columns,
            height=tile * lines,
            title={
                "text": words["title"].format(at_30=facts.number(at_30)),
                "subtitle": words["subtitle"].format(at_30=facts.number(at_30)),
            },
            description=words["description"].format(
                regions=facts.number(len(rows)),
                bottom=ranked[0]["region"],
                at_30=facts.number(at_30),
                top_step=facts.number(STEPS[-1]),
                top_regions=words["and"].join([", ".join(top[:-1]), top[-1]]) if len(top) > 1 else "".join(top),
            ),
            # The data table under the map: readers find their region in it, and sort it by any column.
            # The 12 April rates, the tiles' codes and places stay in the CSV download, not on the page.
            usermeta={
                "findable": {"label": words["find"], "shown": words["shown"]},
                "table": {
                    "columns": [
                        (field, words["headings"].get(key, words[key]))
                        for field, key in (
                            ("region", "region"),
                            ("times_moscow", "times"),
                            ("rate_12_march", "march"),
                            ("named_dead", "dead"),
                        )
                    ]
                },
            },
        )
    )
