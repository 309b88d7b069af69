"""Write a synthetic explainer for benchmarks: N pages of about 500 words, F facts, C charts.

    python bench/make_site.py OUT --pages 10 --charts 8 --facts 300
"""
from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
WORDS = (
    "report figure count estimate source region claim share rate people official analyst data week month "
    "series change total reading method table chart record survey archive note update review evidence"
).split()

CHART = '''import altair as alt


def chart(facts):
    rows = [{{"label": f"item {{i}}", "value": facts.value(f"fact_{{i}}")}} for i in range({first}, {first} + 12)]
    return alt.Chart(alt.Data(values=rows)).mark_bar().encode(
        x=alt.X("label:N", title="Item"), y=alt.Y("value:Q", title="Value")
    ).properties(title="Synthetic chart {number}", description="Twelve bars of synthetic values.", width=600)
'''


def paragraph(rng: random.Random, facts: int) -> str:
    words = [rng.choice(WORDS) for _ in range(60)]
    words[10] = f'{{{{ fact("fact_{rng.randrange(facts)}") }}}}'
    words[40] = f'[{rng.choice(WORDS)}](index.html)'
    return " ".join(words).capitalize() + "."


def page(number: int, rng: random.Random, facts: int, charts: list[int]) -> str:
    parts = [f"---\ntitle: Page {number}\ndescription: Synthetic page {number}.\n---\n"]
    for section in range(3):
        parts.append(f"## Section {'ABC'[section]}\n")
        parts.extend(paragraph(rng, facts) + "\n" for _ in range(3))
        parts.append("- " + "\n- ".join(rng.choice(WORDS) for _ in range(4)) + "\n")
    parts.extend(f'{{{{ chart("chart_{c}") }}}}\n' for c in charts)
    return "\n".join(parts)


def make_site(out: Path, pages: int, charts: int, facts: int, seed: int = 1) -> Path:
    rng = random.Random(seed)
    if out.exists():
        shutil.rmtree(out)
    (out / "content" / "facts").mkdir(parents=True)
    (out / "content" / "charts").mkdir()
    shutil.copytree(PROJECT / "templates", out / "templates")
    shutil.copytree(PROJECT / "static", out / "static")
    names = ["index"] + [f"page_{n}" for n in range(1, pages)]
    (out / "site.yaml").write_text(
        "title: Benchmark\ndescription: Synthetic site.\nurl: https://example.org/bench/\nlanguage: en\n"
        f"nav: [{', '.join(names[:8])}, sources]\n"
    )
    fact_lines = ["sources:\n  - {id: src, publisher: P, title: T, url: 'https://example.org/', published: 2023-01-01}\nfacts:\n"]
    fact_lines += [
        f"  - {{id: fact_{i}, value: {rng.randrange(100, 200000)}, unit: people, counts: killed, as_of: 2023-03-12,"
        f" claimant: Someone, status: claim, sources: src}}\n"
        for i in range(facts)
    ]
    (out / "content" / "facts" / "facts.yaml").write_text("".join(fact_lines))
    for number in range(charts):
        (out / "content" / "charts" / f"chart_{number}.py").write_text(CHART.format(first=(number * 12) % (facts - 12), number=number))
    for number, name in enumerate(names):
        placed = [c for c in range(charts) if c % pages == number]
        (out / "content" / f"{name}.md").write_text(page(number, rng, facts, placed))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--pages", type=int, default=10)
    parser.add_argument("--charts", type=int, default=8)
    parser.add_argument("--facts", type=int, default=300)
    args = parser.parse_args()
    make_site(args.out, args.pages, args.charts, args.facts)


if __name__ == "__main__":
    main()
