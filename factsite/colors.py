"""The site's colour system: the colours of claimants, of kinds of figure and of chart roles, defined
once in site.yaml's `colors:` and used by chart modules (facts.color) and by the theme (css/colors.css).

site.yaml holds groups of named colours; a name is unique across groups. A colour is "#rrggbb" (the
same on light and dark pages), {light: "#rrggbb", dark: "#rrggbb"}, or a list of either (a ramp, in
order). Pictures are drawn with the light colours; on a dark page the theme's stylesheet repaints
every mark drawn in a light colour with its dark one (charts' SVG keeps its colours as attributes,
which a CSS attribute selector finds), so one SVG serves both schemes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .errors import ContentError
from .model import STATUSES
from .safe_yaml import line_of

HEX = re.compile(r"^#[0-9a-fA-F]{6}$")
COLORS_CSS = "css/colors.css"  # the stylesheet the build writes from them (stylesheet())
GROUP_KINDS = "kinds"  # the group whose names must be kinds of figure (the theme's underlines use them)


@dataclass(frozen=True)
class Colour:
    light: str  # "#rrggbb", lower case: on a light page, and in every picture and download
    dark: str  # on a dark page


def one_colour(value: Any) -> Colour | None:
    """A colour as site.yaml gives it, or None when it is not one."""
    if isinstance(value, str) and HEX.match(value):
        return Colour(value.lower(), value.lower())
    if (
        isinstance(value, dict)
        and set(value) == {"light", "dark"}
        and all(isinstance(value[key], str) and HEX.match(value[key]) for key in ("light", "dark"))
    ):
        return Colour(value["light"].lower(), value["dark"].lower())
    return None


SHAPE = (
    'must be a colour, "#rrggbb" (the same on light and dark pages) or {light: "#rrggbb", dark: "#rrggbb"},'
    " or a list of colours (a ramp, lowest first)"
)


def validate_colors(config: Any, path: str) -> tuple[dict[str, tuple[Colour, ...]], list[ContentError]]:
    """site.yaml's `colors:` as {name: (colour, ...)} (one colour, or a ramp's), with an error at the
    line of each problem."""
    groups = config.get("colors") if isinstance(config, dict) else None
    if groups is None:
        return {}, []
    if not isinstance(groups, dict):
        return {}, [
            ContentError(
                path,
                line_of(config, "colors"),
                '"colors": must be a mapping of groups'
                " (claimants:, kinds:, charts: ...), each a mapping of names to colours",
            )
        ]
    colours: dict[str, tuple[Colour, ...]] = {}
    found_in: dict[str, str] = {}
    lines: dict[str, int | None] = {}
    errors = []
    for group, names in groups.items():
        if not isinstance(names, dict):
            errors.append(
                ContentError(path, line_of(groups, group), f'"colors: {group}": must be a mapping of names to colours')
            )
            continue
        for name, value in names.items():
            where = line_of(names, name)
            if not isinstance(name, str) or not re.match(r"^[a-z][a-z0-9_]*$", name):
                errors.append(
                    ContentError(
                        path,
                        where,
                        f'"colors: {group}: {name}": a colour\'s name is written in lower case'
                        ' letters, digits and _ (it is used as facts.color("name") and --color-name)',
                    )
                )
                continue
            if group == GROUP_KINDS and name not in STATUSES:
                errors.append(
                    ContentError(
                        path, where, f'"colors: kinds: {name}": not a kind of figure: use {", ".join(STATUSES)}'
                    )
                )
                continue
            if name in found_in:
                errors.append(
                    ContentError(
                        path,
                        where,
                        f'"colors: {group}: {name}": the name is given in "{found_in[name]}"'
                        " already; a colour's name must be unique across groups",
                    )
                )
                continue
            listed = value if isinstance(value, list) else [value]
            parsed = [one_colour(item) for item in listed]
            if not listed or None in parsed:
                errors.append(ContentError(path, where, f'"colors: {group}: {name}": {SHAPE}'))
                continue
            found_in[name], lines[name] = group, where
            colours[name] = tuple(colour for colour in parsed if colour)
    errors.extend(repaint_conflicts(colours, path, lines))
    return colours, errors


def repaint_conflicts(
    colours: dict[str, tuple[Colour, ...]], path: str, lines: dict[str, int | None]
) -> list[ContentError]:
    """A light colour that stands for two dark ones: a dark page could not know which to show."""
    dark_of: dict[str, tuple[str, str]] = {}
    errors = []
    for name, ramp in colours.items():
        for colour in ramp:
            first = dark_of.setdefault(colour.light, (name, colour.dark))
            if first[1] != colour.dark:
                errors.append(
                    ContentError(
                        path,
                        lines.get(name),
                        f'"colors": {name} and {first[0]} share the light colour {colour.light}'
                        f" but not the dark one ({colour.dark}, {first[1]}): give them the same dark colour,"
                        " or another light one",
                    )
                )
    return errors


def stylesheet(colours: dict[str, tuple[Colour, ...]]) -> str:
    """css/colors.css: each colour as a custom property (--color-name; a ramp's as --color-name-1, ...)
    in each scheme, and, on a dark page, every chart mark drawn in a light colour repainted in its dark one."""

    def properties(scheme: str) -> str:
        return "".join(
            f"--color-{name.replace('_', '-')}{'' if len(ramp) == 1 else f'-{number}'}:{getattr(colour, scheme)};"
            for name, ramp in colours.items()
            for number, colour in enumerate(ramp, start=1)
        )

    repaint = sorted(
        {(colour.light, colour.dark) for ramp in colours.values() for colour in ramp if colour.light != colour.dark}
    )
    rules = "".join(
        f'.chart svg [fill="{light}"]{{fill:{dark}}}.chart svg [stroke="{light}"]{{stroke:{dark}}}'
        for light, dark in repaint
    )
    return (
        f"/* The site's colours (site.yaml, colors:), made by the build. */\n:root{{{properties('light')}}}\n"
        f"@media screen and (prefers-color-scheme:dark){{:root{{{properties('dark')}}}{rules}}}\n"
    )
