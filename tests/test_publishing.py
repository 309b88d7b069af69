"""Publishing: the GitHub workflows, templates for contributors, hygiene config, CNAME."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import PROJECT, run

WORKFLOWS = PROJECT / ".github" / "workflows"


def tool(name: str) -> str:
    """A command-line tool installed with the dev requirements; missing fails under CI=true."""
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if found:
        return found
    if os.environ.get("CI") == "true":
        pytest.fail(f"{name} is missing: install the dev requirements (make test does)")
    pytest.skip(f"{name} is not installed")


def workflow(name: str) -> dict:
    parsed = yaml.safe_load((WORKFLOWS / name).read_text())
    parsed["on"] = parsed.pop(True, parsed.get("on"))  # YAML 1.1 reads the key `on` as true
    return parsed


def steps(job: dict) -> list[dict]:
    return job["steps"]


def action(job: dict, name: str) -> dict:
    """The step that uses the official action `name` (any version); fails if there is none."""
    for step in steps(job):
        if step.get("uses", "").split("@")[0] == name:
            return step
    pytest.fail(f"no step uses {name}")


def commands(job: dict) -> str:
    return "\n".join(step.get("run", "") for step in steps(job))


def test_workflows_pass_actionlint():
    files = sorted(str(p) for p in WORKFLOWS.glob("*.yml"))
    assert len(files) == 2
    # shellcheck and pyflakes are left out so the result does not depend on what else is installed.
    result = subprocess.run(
        [tool("actionlint"), "-no-color", "-oneline", "-shellcheck=", "-pyflakes=", *files],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_catches_a_mistake(tmp_path):
    """The validator really reads the actions' inputs: a misspelt one fails."""
    broken = tmp_path / "broken.yml"
    broken.write_text((WORKFLOWS / "pages.yml").read_text().replace("path: _site", "pth: _site"))
    result = subprocess.run(
        [tool("actionlint"), "-no-color", "-oneline", "-shellcheck=", "-pyflakes=", str(broken)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1 and 'input "pth" is not defined' in result.stdout


def test_pages_workflow_builds_checks_and_deploys_with_the_official_actions():
    pages = workflow("pages.yml")
    assert pages["on"]["push"]["branches"] == ["main"]
    assert pages["permissions"]["pages"] == "write" and pages["permissions"]["id-token"] == "write"
    assert pages["concurrency"]["group"]
    build, deploy = pages["jobs"]["build"], pages["jobs"]["deploy"]
    python = action(build, "actions/setup-python")["with"]
    assert python["python-version-file"] == ".python-version"
    assert python["cache"] == "pip" and python["cache-dependency-path"] == "constraints.txt"
    action(build, "actions/checkout")
    action(build, "actions/configure-pages")
    assert action(build, "actions/upload-pages-artifact")["with"]["path"] == "_site"
    assert re.search(r"^make$", commands(build), re.M) and "build.py check" in commands(build)
    assert deploy["needs"] == "build" and deploy["environment"]["name"] == "github-pages"
    action(deploy, "actions/deploy-pages")
    order = [step.get("uses", step.get("run", "")).split("@")[0] for step in steps(build)]
    assert (
        order.index("make")
        < order.index(".venv/bin/python build.py check")
        < order.index("actions/upload-pages-artifact")
    )


def test_pull_request_workflow_tests_checks_and_uploads_the_site():
    pr = workflow("pr.yml")
    assert "pull_request" in pr["on"]
    job = pr["jobs"]["test"]
    assert action(job, "actions/setup-python")["with"]["cache-dependency-path"] == "constraints.txt"
    assert "make test" in commands(job) and "make check" in commands(job)
    assert "apt-get install" in commands(job) and "chromium" in commands(job)
    assert action(job, "actions/upload-artifact")["with"]["path"] == "_site"


def test_python_version_file_matches_the_python_the_project_runs_on():
    pinned = (PROJECT / ".python-version").read_text().strip()
    assert pinned == f"{sys.version_info.major}.{sys.version_info.minor}"


def test_issue_form_asks_for_page_figure_correct_value_and_source():
    form = yaml.safe_load((PROJECT / ".github" / "ISSUE_TEMPLATE" / "wrong-figure.yml").read_text())
    assert form["name"] == "Report a wrong figure" and form["description"]
    fields = {item["id"]: item for item in form["body"] if "id" in item}
    for needed in ("page", "figure", "correct-value", "source"):
        assert fields[needed]["validations"]["required"] is True, needed
        assert fields[needed]["type"] in ("input", "textarea")
    assert len(set(fields)) == len([item for item in form["body"] if "id" in item])


def test_pull_request_template_asks_for_a_source_for_every_changed_figure():
    template = (PROJECT / ".github" / "PULL_REQUEST_TEMPLATE.md").read_text()
    assert "Sources for every changed figure" in template
    assert "| Fact id | New value | Source |" in template
    assert "build.py check" in template


def test_yaml_content_and_workflows_pass_yamllint():
    targets = ["content", "site.yaml", ".github", "factsite/starter", ".pre-commit-config.yaml"]
    result = subprocess.run(
        [tool("yamllint"), "--strict", "-f", "parsable", *targets],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_pre_commit_runs_ruff_ruff_format_and_yamllint_on_content():
    config = yaml.safe_load((PROJECT / ".pre-commit-config.yaml").read_text())
    hooks = {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}
    assert {"ruff", "ruff-format", "yamllint"} <= set(hooks)
    for hook in hooks.values():
        assert all(re.fullmatch(r"[\w-]+==[\w.]+", dep) for dep in hook.get("additional_dependencies", [])), hook
    assert re.search(hooks["yamllint"]["files"], "content/facts/general_staff.yaml")
    assert (PROJECT / ".editorconfig").read_text().startswith("# Editor settings")


def test_cname_in_static_is_published_as_is(site):
    (site / "static" / "CNAME").write_bytes(b"facts.example.org\n")
    assert run("build", "--site", str(site), "--quiet") == 0
    assert (site / "_site" / "CNAME").read_bytes() == b"facts.example.org\n"
    assert run("check", "--site", str(site), "--quiet") == 0
