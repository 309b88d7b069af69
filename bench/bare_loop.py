"""The baseline: the least a Python generator must do, in one process, with no checks and no cache.

    python bench/bare_loop.py SITE OUT [--plain]

For each SITE/content/*.md: split off the YAML front matter, convert the Markdown (one converter,
reset between pages, with the same extensions as ours, or none with --plain), render one compiled
Jinja2 page template with an eight-page navigation, and write the file.
"""

from __future__ import annotations

import sys
from pathlib import Path

import jinja2
import markdown
import yaml

TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>{{ title }} · Benchmark</title>
<meta name="description" content="{{ description }}"><link rel="stylesheet" href="css/site.css"></head>
<body>
<header>
<nav><ul>{% for item in nav %}<li><a href="{{ item.href }}">{{ item.title }}</a></li>{% endfor %}</ul></nav></header>
<main><article><h1>{{ title }}</h1>{{ content }}</article></main></body></html>
"""


def main(site: Path, out: Path, extensions: list[str]) -> None:
    template = jinja2.Environment(autoescape=True).from_string(TEMPLATE)
    converter = markdown.Markdown(extensions=extensions, output_format="html")
    sources = sorted((site / "content").glob("*.md"))
    out.mkdir(parents=True, exist_ok=True)
    pages = []
    for path in sources:
        _, front, body = path.read_text().split("---\n", 2)
        pages.append((path.stem, yaml.safe_load(front), body))
    nav = [{"title": meta["title"], "href": f"{name}.html"} for name, meta, _ in pages[:8]]
    for name, meta, body in pages:
        html = converter.reset().convert(body)
        page = template.render(
            title=meta["title"], description=meta["description"], nav=nav, content=jinja2.utils.markupsafe.Markup(html)
        )
        (out / f"{name}.html").write_text(page)


if __name__ == "__main__":
    main(
        Path(sys.argv[1]),
        Path(sys.argv[2]),
        [] if "--plain" in sys.argv[3:] else ["extra", "toc", "sane_lists", "smarty"],
    )
