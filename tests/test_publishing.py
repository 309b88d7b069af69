"""Publishing: the GitHub workflows, templates for contributors, hygiene config, CNAME, --base-url."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from conftest import PROJECT, run, run_captured
from packaging.specifiers import SpecifierSet

WORKFLOWS = PROJECT / ".github" / "workflows"
STARTER_WORKFLOWS = PROJECT / "factsite" / "starter" / ".github" / "workflows"
PAGES_ADDRESS = '"${{ steps.pages.outputs.base_url }}/"'


def tool(name: str) -> str:
    """A command-line tool installed with the dev requirements; missing fails under CI=true."""
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if found:
        return found
    if os.environ.get("CI") == "true":
        pytest.fail(f"{name} is missing: install the dev requirements (make test does)")
    pytest.skip(f"{name} is not installed")


def actionlint(*files: Path) -> subprocess.CompletedProcess:
    """actionlint on workflow files; shellcheck and pyflakes are left out so the result does not
    depend on what else is installed."""
    return subprocess.run(
        [tool("actionlint"), "-no-color", "-oneline", "-shellcheck=", "-pyflakes=", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def workflow(name: str, folder: Path = WORKFLOWS) -> dict:
    parsed = yaml.safe_load((folder / name).read_text())
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


@pytest.mark.parametrize("folder", [WORKFLOWS, STARTER_WORKFLOWS], ids=["this repository", "starter"])
def test_workflows_pass_actionlint(folder):
    files = sorted(folder.glob("*.yml"))
    assert [f.name for f in files] == ["pages.yml", "pr.yml"]
    result = actionlint(*files)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_catches_a_mistake(tmp_path):
    """The validator really reads the actions' inputs and the steps' outputs: a misspelt one fails."""
    broken = tmp_path / "broken.yml"
    broken.write_text((WORKFLOWS / "pages.yml").read_text().replace("path: _site", "pth: _site"))
    result = actionlint(broken)
    assert result.returncode == 1 and 'input "pth" is not defined' in result.stdout
    broken.write_text((WORKFLOWS / "pages.yml").read_text().replace("outputs.base_url", "outputs.base_ur", 1))
    result = actionlint(broken)
    assert result.returncode == 1 and '"base_ur"' in result.stdout


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
    assert action(build, "actions/configure-pages")["id"] == "pages"
    assert action(build, "actions/upload-pages-artifact")["with"]["path"] == "_site"
    # The address configure-pages reports goes to the build and the check (Makefile: BASE_URL).
    make, check = f"make BASE_URL={PAGES_ADDRESS}", f".venv/bin/python build.py check --base-url {PAGES_ADDRESS}"
    assert deploy["needs"] == "build" and deploy["environment"]["name"] == "github-pages"
    action(deploy, "actions/deploy-pages")
    order = [step.get("uses", step.get("run", "")).split("@")[0] for step in steps(build)]
    assert (
        order.index("actions/configure-pages")
        < order.index(make)
        < order.index(check)
        < order.index("actions/upload-pages-artifact")
    )


def test_starter_pages_workflow_installs_factsite_and_passes_the_pages_address():
    pages = workflow("pages.yml", STARTER_WORKFLOWS)
    assert pages["permissions"]["pages"] == "write" and pages["permissions"]["id-token"] == "write"
    build, deploy = pages["jobs"]["build"], pages["jobs"]["deploy"]
    assert action(build, "actions/setup-python")["with"]["cache-dependency-path"] == "requirements.txt"
    assert action(build, "actions/configure-pages")["id"] == "pages"
    order = [step.get("uses", step.get("run", "")).split("@")[0] for step in steps(build)]
    assert (
        order.index("python -m pip install -r requirements.txt")
        < order.index("actions/configure-pages")
        < order.index(f"factsite build --base-url {PAGES_ADDRESS}")
        < order.index(f"factsite check --base-url {PAGES_ADDRESS}")
        < order.index("actions/upload-pages-artifact")
    )
    assert deploy["needs"] == "build" and deploy["environment"]["name"] == "github-pages"
    action(deploy, "actions/deploy-pages")
    pr = workflow("pr.yml", STARTER_WORKFLOWS)
    assert "pull_request" in pr["on"]
    job = pr["jobs"]["check"]
    run_steps = [step["run"] for step in steps(job) if "run" in step]
    engine = next(step["run"] for step in steps(job) if step.get("id") == "engine")  # the cache's key, once installed
    assert run_steps == ["python -m pip install -r requirements.txt", engine, "factsite check", "factsite build"]
    assert action(job, "actions/upload-artifact")["with"]["path"] == "_site"


def test_make_passes_base_url_to_build_and_check():
    for target in ("build", "check"):
        dry = subprocess.run(
            ["make", "-n", target, "BASE_URL=https://o.github.io/r/"],
            cwd=PROJECT,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert f"build.py {target} --base-url 'https://o.github.io/r/'" in dry.stdout, dry.stdout + dry.stderr
        dry = subprocess.run(
            ["make", "-n", target], cwd=PROJECT, capture_output=True, text=True, timeout=60, check=False
        )
        assert re.search(rf"build\.py {target}\s*$", dry.stdout, re.M), dry.stdout + dry.stderr


def test_pull_request_workflow_tests_checks_and_uploads_the_site():
    pr = workflow("pr.yml")
    assert "pull_request" in pr["on"]
    job = pr["jobs"]["test"]
    python = action(job, "actions/setup-python")["with"]
    assert python["cache-dependency-path"] == "constraints.txt"
    # Each Python version the package declares, each in its own job; the site uploaded once.
    assert job["strategy"]["matrix"]["python"] == declared_pythons()
    assert python["python-version"] == "${{ matrix.python }}" and job["strategy"]["fail-fast"] is False
    upload = action(job, "actions/upload-artifact")
    assert upload["if"] == f"matrix.python == '{(PROJECT / '.python-version').read_text().strip()}'"
    assert "make test" in commands(job) and "make check" in commands(job)
    assert "apt-get install" in commands(job) and "chromium" in commands(job)
    assert action(job, "actions/upload-artifact")["with"]["path"] == "_site"


def declared_pythons() -> list[str]:
    """The Python versions pyproject.toml's classifiers name, such as ["3.11", "3.12", "3.13"]."""
    project = tomllib.loads((PROJECT / "pyproject.toml").read_text())["project"]
    prefix = "Programming Language :: Python :: "
    return [c[len(prefix) :] for c in project["classifiers"] if re.fullmatch(re.escape(prefix) + r"3\.\d+", c)]


def test_python_version_file_names_a_python_the_package_supports():
    """.python-version picks the Python this repository's Pages build uses; any supported one runs the tests."""
    pinned = (PROJECT / ".python-version").read_text().strip()
    project = tomllib.loads((PROJECT / "pyproject.toml").read_text())["project"]
    supported = SpecifierSet(project["requires-python"])
    assert re.fullmatch(r"3\.\d+", pinned) and f"{pinned}.0" in supported
    assert pinned in declared_pythons()
    assert all(f"{version}.0" in supported for version in declared_pythons())


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
        check=False,
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
    (site / "static").mkdir(exist_ok=True)
    (site / "static" / "CNAME").write_bytes(b"facts.example.org\n")
    assert run("build", "--site", str(site), "--quiet") == 0
    assert (site / "_site" / "CNAME").read_bytes() == b"facts.example.org\n"
    assert run("check", "--site", str(site), "--quiet") == 0


# ---- --base-url: the address the site is published at, instead of site.yaml's url -----------------

ABSOLUTE = re.compile(r"https?://(?:example\.org/explainer|pages\.example/fork)[^\s\"'<>]*")


def addresses(out: Path) -> set[str]:
    """Every address of this site or of its fork written anywhere in the output."""
    found = set()
    for path in out.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".xml", ".txt", ".json"):
            found.update(ABSOLUTE.findall(path.read_text(encoding="utf-8")))
    return found


def test_base_url_replaces_site_yaml_url_everywhere(site):
    assert run("build", "--site", str(site), "--quiet") == 0
    before = addresses(site / "_site")
    assert "https://example.org/explainer/" in before
    assert run("build", "--site", str(site), "--quiet", "--base-url", "https://pages.example/fork") == 0
    out = site / "_site"
    after = addresses(out)
    assert after and all(address.startswith("https://pages.example/fork/") for address in after), after
    assert {a.replace("https://example.org/explainer/", "https://pages.example/fork/") for a in before} == after
    index = (out / "index.html").read_text()
    assert '<link rel="canonical" href="https://pages.example/fork/">' in index
    assert 'property="og:url" content="https://pages.example/fork/"' in index
    assert "https://pages.example/fork/charts/rises.png" in index  # the share image
    assert "<loc>https://pages.example/fork/</loc>" in (out / "sitemap.xml").read_text()
    assert "https://pages.example/fork/" in (out / "feed.xml").read_text()
    assert "Sitemap: https://pages.example/fork/sitemap.xml" in (out / "robots.txt").read_text()
    assert run("check", "--site", str(site), "--quiet", "--base-url", "https://pages.example/fork/") == 0
    assert run("build", "--site", str(site), "--quiet") == 0  # and back: nothing of the fork stays
    assert addresses(site / "_site") == before


@pytest.mark.parametrize("command", ["build", "check"])
@pytest.mark.parametrize(
    "bad",
    [
        "example.org/explainer/",
        "ftp://example.org/",
        "/",
        "",
        "https://",
        "https://a b/",
        "https://example.org/?page=1",
        'https://example.org/"x',
    ],
)
def test_base_url_must_be_an_http_address(site, capsys, command, bad):
    with pytest.raises(SystemExit) as stopped:
        run(command, "--site", str(site), "--base-url", bad)
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert f"usage: build.py {command}" in err
    assert (
        f"build.py {command}: error: argument --base-url: must be the http:// or https:// address the site is"
        f" published at, such as https://example.github.io/explainer/, not {bad!r}"
    ) in err
    assert not (site / "_site").exists()


def test_base_url_is_not_an_option_of_serve_or_new(capsys):
    for command in (["serve"], ["new", "x"]):
        with pytest.raises(SystemExit) as stopped:
            run(*command, "--base-url", "https://pages.example/fork/")
        assert stopped.value.code == 2
    assert "unrecognized arguments: --base-url" in capsys.readouterr().err


def test_base_url_gets_its_closing_slash(site, capsys):
    outcome = run_captured(capsys, "build", "--site", str(site), "--base-url", "http://pages.example/fork")
    assert outcome.code == 0
    assert "<loc>http://pages.example/fork/</loc>" in (site / "_site" / "sitemap.xml").read_text()
