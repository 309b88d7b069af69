"""`diff BASE`: what a change does to readers, on a small site in a git repository of its own, and
the corrections rule; and the pull-request workflows that run it."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
import yaml
from conftest import CHART_CACHE, PROJECT, edit, make_site, write

from factsite.cli import main
from factsite.diff_report import text_report

GIT = ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-c", "commit.gpgsign=false"]

TOTALS_CHART = """\
import altair as alt


def chart(facts):
    rows = [{"what": "total", "people": facts.value("total")}, {"what": "base", "people": facts.value("base")}]
    return alt.Chart(alt.Data(values=rows)).mark_bar().encode(x="what:N", y="people:Q").properties(
        title="Total and base", description="Two bars: the total and the base."
    )
"""


def git(folder: Path, *args: str) -> str:
    done = subprocess.run([*GIT, *args], cwd=folder, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


def commit(folder: Path, message: str) -> None:
    git(folder, "add", "-A")
    git(folder, "commit", "-q", "-m", message)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """The fixture site in the subfolder site/ of a git repository, committed once; returns the site."""
    top = tmp_path / "repo"
    site = make_site(top / "site")
    write(top, "README.md", "A repository with a site in a subfolder.\n")
    git(top, "init", "-q")
    commit(top, "The site")
    return site


def change_figure_and_charts(site: Path) -> None:
    """A figure shown on two pages changes value, a chart's data changes, a chart is added."""
    edit(site / "content/facts/main.yaml", "value: 159090", "value: 160000")
    edit(site / "content/data/rises.csv", "2023-03-12,1090", "2023-03-12,1100")
    write(site, "content/charts/totals.py", TOTALS_CHART)
    edit(site / "content/second.md", '{{ chart("shares") }}', '{{ chart("shares") }}\n\n{{ chart("totals") }}')


def diff(capsys, site: Path, base: str = "HEAD~1", *options: str, out: Path | None = None):
    """`diff BASE` on the site: (exit code, standard output, standard error)."""
    capsys.readouterr()
    out = out or site.parent.parent / "report"
    code = main(["diff", base, "--site", str(site), "--out", str(out), "--cache", str(CHART_CACHE), *options])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, captured.out, captured.err


def pasted_entries(stderr: str, reason: str) -> str:
    """The corrections log the error message asks for: its entries pasted, with a reason given."""
    entries = stderr.split("under corrections:", 1)[1].split("\n", 1)[1]
    assert "reason:  # why it changed" in entries
    return "corrections:\n" + entries.replace(
        "reason:  # why it changed: a typing error, a revised report, a new source...", f"reason: {reason}"
    )


# ---- the report ----------------------------------------------------------------------------------


def test_report_shows_the_changed_figure_where_readers_see_it_and_the_charts(repo, capsys):
    change_figure_and_charts(repo)
    commit(repo.parent, "A new total, a corrected rise and a chart")
    code, report, err = diff(capsys, repo, "HEAD~1", "--format", "markdown")
    assert code == 1
    folder = repo.parent.parent / "report"
    assert (folder / "report.md").read_text() == report

    # The changed figure: old and new as readers see them, with each page and sentence showing it.
    assert "- **Total claimed** (`total`)\n  - before → after: ~~159,090 people~~ **160,000 people**" in report
    assert (
        "**Home** (index.html): “The agency claims ~~159,090~~ **160,000** (~~159K~~ **160K**), and someone"
        " estimates 40,000–60,000 killed.”"
    ) in report
    assert "**Second page** (second.html): “Again ~~159,090~~ **160,000** and the base 3.05.”" in report
    assert "**Second page** (second.html): in the chart “Total and base”" in report
    assert "**correction needed**: published on BASE" in report
    # A figure calculated from it follows its correction rather than needing one of its own.
    assert "- `ratio`\n  - before → after: ~~52.2 times~~ **52.5 times**" in report
    assert "follows the correction of `total`, which it is calculated from" in report

    # The new chart and the changed chart, each with its drawings written beside the report.
    assert "### “Total and base” (`totals`): added" in report
    assert "| (none) | ![This change](charts/totals.new.svg) |" in report
    assert "### “Rises by day” (`rises`): changed" in report
    assert "- its data changed\n  - − date 2023-03-12, rise 1,090\n  - + date 2023-03-12, rise 1,100" in report
    assert "| ![BASE](charts/rises.old.svg) | ![This change](charts/rises.new.svg) |" in report
    assert "`shares`" not in report, "an unchanged chart is not reported"
    for name in ("rises.old.svg", "rises.new.svg", "totals.new.svg"):
        assert (folder / "charts" / name).read_text().startswith("<svg"), name
    assert not (folder / "charts" / "totals.old.svg").exists()
    assert (folder / "charts/rises.old.svg").read_text() != (folder / "charts/rises.new.svg").read_text()

    assert "- reads differently: **Home** (index.html)" in report
    assert "Compared `HEAD~1 (" in report and "default language (`en`)" in report and "translations: none" in report
    assert "error: 1 published figure changed without a correction" in err


def test_a_published_figure_changed_without_a_correction_fails_until_the_log_has_one(repo, capsys):
    change_figure_and_charts(repo)
    commit(repo.parent, "A new total")
    code, report, err = diff(capsys, repo, "HEAD~1", "--format", "markdown")
    assert code == 1
    assert ("error: 1 published figure changed without a correction since HEAD~1 (") in err
    assert "total (159,090 people → 160,000 people). Add an entry naming each to the corrections log:" in err
    assert "content/facts/corrections.yaml, under corrections:" in err
    assert '    change: "Total claimed now reads 160,000 people (was 159,090 people)."\n' in err
    assert "    fact: total\n" in err
    assert "ratio" not in err.split("under corrections:")[1], "a calculated figure follows the entry of its input"
    assert "## Corrections needed (1)" in report and "```yaml" in report and "    fact: total" in report

    # Pasted as it is, the entry has no reason yet: the build asks for one.
    write(repo, "content/facts/corrections.yaml", pasted_entries(err, "").replace("reason: \n", "reason:\n"))
    code, _, err_without_reason = diff(capsys, repo, "HEAD~1")
    assert code == 1 and 'correction is missing required field "reason"' in err_without_reason

    write(repo, "content/facts/corrections.yaml", pasted_entries(err, "The agency revised its report."))
    code, report, err = diff(capsys, repo, "HEAD~1", "--format", "markdown")
    assert code == 0, err
    assert "Every published figure that changed has its correction." in report
    assert "correction: " in report and "“Total claimed now reads 160,000 people (was 159,090 people).”" in report
    assert "## Corrections log: entries added (1)" in report and "reason: The agency revised its report." in report
    assert "error" not in err


def test_an_entry_already_in_the_log_on_base_does_not_count(repo, capsys):
    write(
        repo,
        "content/facts/corrections.yaml",
        """\
        corrections:
          - date: 2023-03-20
            change: The total now reads 159,090.
            reason: An earlier correction.
            fact: total
    """,
    )
    commit(repo.parent, "An older correction")
    edit(repo / "content/facts/main.yaml", "value: 159090", "value: 160000")
    code, _, err = diff(capsys, repo, "HEAD")
    assert code == 1 and "total (159,090 people → 160,000 people)" in err
    assert "corrections.yaml, under corrections:" in err


def test_wording_and_additions_need_no_correction(repo, capsys):
    edit(repo / "content/facts/main.yaml", "label: Total claimed", "label: Total claimed by the agency")
    edit(repo / "content/facts/main.yaml", "value: 3.05", "value: 3.05\n    note: Per 100,000 men.")
    write(
        repo,
        "content/facts/more.yaml",
        """\
        facts:
          - id: added_fact
            label: A new figure
            value: 1234
            unit: people
            counts: killed
            as_of: 2023-03-12
            claimant: Example Agency
            status: claim
            sources: agency_report
    """,
    )
    edit(repo / "content/second.md", "and the base", 'and a new {{ fact("added_fact") }} and the base')
    commit(repo.parent, "Wording and a new fact")
    code, report, err = diff(capsys, repo, "HEAD~1", "--format", "markdown")
    assert code == 0, err
    assert "## Facts reworded (no figure changed) (2)" in report
    assert "- `total`: label\n  - label: ~~Total claimed~~ **Total claimed by the agency**" in report
    assert "- `base`: note" in report
    assert "## Facts added (1)\n\n- **A new figure** (`added_fact`)\n  - reads: **1,234 people**" in report
    assert "“Again 159,090 and a new **1,234** and the base 3.05.”" in report
    assert "## Figures changed" not in report and "Corrections needed" not in report


def test_a_percentage_that_changed_as_shown_owes_a_correction(repo, capsys):
    """0.352 shown as fact("x", "percent") reads 35.2%; at 0.354 it reads 35.4%, though the plain
    figure (0.35) reads as before: every form a page shows the figure in is compared."""
    write(
        repo,
        "content/facts/more.yaml",
        """\
        facts:
          - id: fraction
            label: Share counted
            value: 0.352
            unit: share
            counts: killed
            as_of: 2023-03-12
            claimant: Example Agency
            status: claim
            sources: agency_report
    """,
    )
    edit(repo / "content/second.md", "and the base", 'and a share of {{ fact("fraction", "percent") }} and the base')
    commit(repo.parent, "A share")
    edit(repo / "content/facts/more.yaml", "value: 0.352", "value: 0.354")
    code, report, err = diff(capsys, repo, "HEAD", "--format", "markdown")
    assert code == 1, report
    assert "- **Share counted** (`fraction`)\n  - before → after: ~~35.2%~~ **35.4%**" in report
    assert "“Again 159,090 and a share of ~~35.2%~~ **35.4%** and the base 3.05.”" in report
    assert "fraction (35.2% → 35.4%)" in err and "reads, as before" not in report


def test_the_sentence_quoted_is_the_one_readers_see_around_a_jinja_comment(repo, capsys):
    """A fact() inside a Jinja comment is no call: readers see the figure in the sentence after it."""
    edit(
        repo / "content/second.md",
        "Again",
        'Notes first.{# was: {{ fact("total") }} in March #} The count stands.\n\nAgain',
    )
    commit(repo.parent, "A comment")
    edit(repo / "content/facts/main.yaml", "value: 159090", "value: 160000")
    code, report, _ = diff(capsys, repo, "HEAD", "--format", "markdown")
    assert code == 1
    assert "**Second page** (second.html): “Again ~~159,090~~ **160,000** and the base 3.05.”" in report
    assert "The count stands" not in report


def test_working_tree_is_compared_and_left_as_it_was(repo, capsys):
    """BASE comes from git (never a checkout): uncommitted edits are what is compared, and stay."""
    edit(repo / "content/facts/main.yaml", "value: 159090", "value: 160000")
    status = git(repo.parent, "status", "--porcelain")
    worktrees = git(repo.parent, "worktree", "list")
    code, report, _ = diff(capsys, repo, "HEAD", "--format", "markdown")
    assert code == 1 and "~~159,090 people~~ **160,000 people**" in report
    assert git(repo.parent, "status", "--porcelain") == status
    assert git(repo.parent, "worktree", "list") == worktrees
    assert "value: 160000" in (repo / "content/facts/main.yaml").read_text()


def test_nothing_changed(repo, capsys):
    code, report, _ = diff(capsys, repo, "HEAD", "--format", "markdown")
    assert code == 0 and "Nothing a reader would see changed." in report


# ---- computed sentences, statements, data --------------------------------------------------------

REGIONS_CSV = """\
region,district,men,dead
Capital,Central,4000000,114
Hill Republic,Eastern,90000,200
Coal Oblast,Eastern,750000,217
River Krai,Eastern,400000,123
"""

REGION_FACTS = """\
facts:
  - id: capital_dead
    label: Named dead from the Capital
    data: lookup(regions, dead, region="Capital")
    unit: people
    counts: killed, named
    as_of: 2023-03-12
    claimant: volunteers
    status: count
  - id: capital_rate
    derived: lookup(regions, rate, region="Capital")
    decimals: 2
    unit: deaths per 100,000 men
    counts: killed, per 100,000 men
    as_of: 2023-03-12
    status: derived
  - id: lowest_eastern
    label: Eastern region with the lowest rate
    derived: at_min(regions, region, by=rate, district="Eastern")
    unit: region
    counts: region
    as_of: 2023-03-12
    status: derived
datasets:
  - id: regions
    title: Named dead by region
    sources: survey
    claimant: volunteers and the census
    csv: data/regions.csv
    computed:
      rate: dead / men * 100000
statements:
  - id: capital_lowest
    says: The Capital has the lowest rate of all regions
    check: at_min(regions, region, by=rate) == "Capital"
"""

REGIONS_PAGE = """\
---
title: Regions
description: Where the dead come from.
---
The Capital counted {{ fact("capital_dead") }} named dead.

The Capital had the *lowest* rate of all{{ check("capital_lowest") }}: {{ fact("capital_rate") }}. See [the method](index.html).

| Region | Lowest in the east |
| --- | --- |
| East | {{ fact("lowest_eastern") }} |
"""  # noqa: E501 - one line per paragraph, as an editor writes it


@pytest.fixture
def regions_repo(repo):
    write(repo, "content/data/regions.csv", REGIONS_CSV)
    write(repo, "content/facts/regions.yaml", REGION_FACTS)
    write(repo, "content/regions.md", REGIONS_PAGE)
    commit(repo.parent, "Regions")
    return repo


def test_a_computed_sentence_and_a_statement_resting_on_changed_data(regions_repo, capsys):
    edit(regions_repo / "content/data/regions.csv", "River Krai,Eastern,400000,123", "River Krai,Eastern,400000,100")
    edit(
        regions_repo / "content/facts/regions.yaml",
        "says: The Capital has the lowest rate of all regions",
        "says: The Capital's rate is the lowest of all regions",
    )
    code, report, err = diff(capsys, regions_repo, "HEAD", "--format", "markdown")
    assert code == 1
    computed = report.split("## Computed sentences whose outcome changed (1)", 1)[1].split("\n## ", 1)[0]
    assert "- **Eastern region with the lowest rate** (`lowest_eastern`)" in computed
    assert "before → after: ~~Coal Oblast~~ **River Krai**" in computed
    assert "**Regions** (regions.html): “East \\| ~~Coal Oblast~~ **River Krai**”" in computed
    statements = report.split("## Checked statements (1)", 1)[1].split("\n## ", 1)[0]
    assert "- `capital_lowest`: now reads differently, the data it rests on changed" in statements
    assert (
        "says: ~~The Capital has the lowest rate of all regions~~ **The Capital's rate is the lowest of all regions**"
        in statements
    )
    assert "it reads, changed: `regions`" in statements
    assert "**Regions** (regions.html): “The Capital had the lowest rate of all: 2.85.”" in statements
    assert "## Datasets (1)\n\n- `regions` changed: Named dead by region\n    - − " in report
    assert "lowest_eastern (Coal Oblast → River Krai)" in err


def test_figures_calculated_from_a_corrected_cell_follow_its_entry(regions_repo, capsys):
    edit(regions_repo / "content/data/regions.csv", "Capital,Central,4000000,114", "Capital,Central,4000000,120")
    write(
        regions_repo,
        "content/facts/corrections.yaml",
        """\
        corrections:
          - date: 2023-04-01
            change: The Capital's named dead now read 120 (was 114).
            reason: Six more names were confirmed.
            fact: capital_dead
    """,
    )
    code, report, err = diff(capsys, regions_repo, "HEAD", "--format", "markdown")
    assert code == 0, err
    assert "~~114 people~~ **120 people**" in report
    assert "follows the correction of `capital_dead`" in report  # capital_rate, calculated from the same data


# ---- formats and usage -------------------------------------------------------------------------------


def test_text_for_a_terminal_reads_without_colour(repo, capsys, monkeypatch):
    change_figure_and_charts(repo)
    monkeypatch.setenv("NO_COLOR", "1")
    code, text, _ = diff(capsys, repo, "HEAD", "--format", "text")
    assert code == 1 and "\033[" not in text
    assert "before → after: 159,090 people → 160,000 people" in text
    assert "Home (index.html): “The agency claims 159,090 → 160,000 (159K → 160K)," in text
    assert re.search(r"images: BASE \S*charts/rises\.old\.svg  \|  this change \S*charts/rises\.new\.svg", text)
    code, default, _ = diff(capsys, repo, "HEAD")  # standard output is not a terminal here: Markdown
    assert default.startswith("# What this change does to readers: HEAD")


def test_colour_only_when_asked(repo, capsys):
    """text_report paints old figures red and new ones green on a terminal without NO_COLOR."""
    from factsite.diff import compare_with

    change_figure_and_charts(repo)
    comparison = compare_with("HEAD", repo, CHART_CACHE)
    assert "\033[31m159,090 people\033[0m → \033[32m160,000 people\033[0m" in text_report(
        comparison, "2023-04-01", colour=True
    )
    assert "\033[" not in text_report(comparison, "2023-04-01")


def test_unknown_base_is_a_usage_error(repo, capsys):
    code, out, err = diff(capsys, repo, "no-such-branch")
    assert code == 2 and out == ""
    assert 'error: unknown BASE "no-such-branch": not a commit, branch or tag of the repository' in err
    assert "fetch-depth: 0" in err


def test_outside_a_git_repository_is_a_usage_error(tmp_path, capsys):
    site = make_site(tmp_path / "plain" / "site")
    code, out, err = diff(capsys, site, "HEAD")
    assert code == 2 and out == ""
    assert "is not in a git repository: diff compares the site with a commit of its repository" in err


def test_base_without_the_site_is_a_usage_error(repo, capsys):
    git(repo.parent, "checkout", "-q", "--orphan", "other")
    git(repo.parent, "rm", "-r", "-q", "--cached", "site")
    git(repo.parent, "commit", "-q", "-m", "No site")
    code, _, err = diff(capsys, repo, "HEAD")
    assert code == 2 and 'BASE "HEAD" has no site in site/: it has no site.yaml there' in err


def test_base_that_does_not_build_names_its_files(repo, capsys):
    edit(repo / "content/facts/main.yaml", "value: 159090", "value: [159090")
    commit(repo.parent, "Broken")
    edit(repo / "content/facts/main.yaml", "value: [159090", "value: 159090")
    code, _, err = diff(capsys, repo, "HEAD")
    assert code == 1
    assert re.search(r"^HEAD:content/facts/main\.yaml:\d+(:\d+)?: error: ", err, re.M), err


def test_report_folder_is_not_put_over_other_files(repo, capsys, tmp_path):
    taken = tmp_path / "taken"
    write(taken, "notes.txt", "mine\n")
    code, _, err = diff(capsys, repo, "HEAD", out=taken)
    assert code == 2 and "holds files this build did not write (notes.txt)" in err
    assert (taken / "notes.txt").read_text() == "mine\n"


# ---- the pull-request workflows ------------------------------------------------------------------------

WORKFLOWS = {
    "this repository": (PROJECT / ".github/workflows/pr.yml", "python build.py diff"),
    "starter": (PROJECT / "factsite/starter/.github/workflows/pr.yml", "factsite diff"),
}


def figures_job(path: Path) -> dict:
    jobs = yaml.safe_load(path.read_text())["jobs"]
    found = [job for job in jobs.values() if any(" diff " in step.get("run", "") for step in job["steps"])]
    assert len(found) == 1, "diff runs once per pull request, in one job"
    assert "strategy" not in found[0], "not once per Python version"
    return found[0]


@pytest.mark.parametrize("name", WORKFLOWS)
def test_pull_request_workflow_reports_figures_and_enforces_corrections(name):
    path, command = WORKFLOWS[name]
    job = figures_job(path)
    checkout = next(step for step in job["steps"] if step.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0, "the base branch must be fetched to build it"
    step = next(step for step in job["steps"] if command in step.get("run", ""))
    assert step["env"]["BASE_REF"] == "${{ github.base_ref }}"
    assert f'{command} "origin/$BASE_REF" --format markdown' in step["run"]
    upload = next(step for step in job["steps"] if step.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload["with"]["path"] == "diff-report" and upload["if"] == "always()"


@pytest.mark.parametrize("name", WORKFLOWS)
@pytest.mark.parametrize("status", [0, 1])
def test_the_summary_is_written_before_the_job_fails(name, status, tmp_path):
    """The step as GitHub runs it (bash -e): the report reaches the summary, and diff's exit status
    is the step's, with a stand-in for the command."""
    path, command = WORKFLOWS[name]
    script = next(step["run"] for step in figures_job(path)["steps"] if command in step.get("run", ""))
    tools = tmp_path / "bin"
    tools.mkdir()
    stand_in = tools / command.split()[0]
    stand_in.write_text(f'#!/bin/sh\necho "# report for $*"\nexit {status}\n')
    stand_in.chmod(0o755)
    summary = tmp_path / "summary.md"
    env = {
        **os.environ,
        "PATH": f"{tools}{os.pathsep}{os.environ['PATH']}",
        "GITHUB_STEP_SUMMARY": str(summary),
        "RUNNER_TEMP": str(tmp_path),
        "BASE_REF": "main",
    }
    done = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == status, done.stderr
    assert "# report for " in summary.read_text() and "origin/main --format markdown" in summary.read_text()


def test_the_docs_show_real_output(repo, capsys, monkeypatch):
    """The documentation's example report is this module's small site, as diff prints it."""
    example = (PROJECT / "docs" / "content" / "corrections.md").read_text().split("## An example report", 1)[1]
    example = example.split("$ factsite diff HEAD~1\n", 1)[1].split("```", 1)[0]
    change_figure_and_charts(repo)
    commit(repo.parent, "A new total, a corrected rise and a chart")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.chdir(repo)  # paths in messages are relative to the working folder, as in the example
    code, text, _ = diff(capsys, repo, "HEAD~1", "--format", "text")
    assert code == 1

    def stable(report: str) -> list[str]:
        """The report's lines without what differs from run to run: commit ids, dates, folders."""
        report = re.sub(r"\(([0-9a-f]{7})\)", "(commit)", report)
        return [
            line
            for line in report.split("\n")
            if not line.lstrip().startswith(("images:", "- date:", "compared ", "error:", "..."))
        ]

    shown = stable(example)
    assert "* Total claimed (total)" in shown and "* “Total and base” (totals): added" in shown
    assert shown == stable(text)[: len(shown)]
