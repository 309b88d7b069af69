"""Licences: factsite's code is MIT, the explainer's text and charts CC BY 4.0, and each source and
dataset keeps the terms its entry records, shown on the sources page and in facts.json."""

from __future__ import annotations

import json
import re
from pathlib import Path

from conftest import PROJECT, edit, run_captured


def test_the_code_is_mit_licensed_and_the_licence_ships():
    licence = (PROJECT / "LICENSE").read_text()
    assert licence.startswith("MIT License") and "Permission is hereby granted, free of charge" in licence
    pyproject = (PROJECT / "pyproject.toml").read_text()
    assert 'license = "MIT"' in pyproject and '"LICENSE"' in pyproject


def test_each_source_and_dataset_states_its_terms_in_facts_json(built_explainer: Path):
    document = json.loads((built_explainer / "facts.json").read_text())
    assert document["license"] == {"name": "CC BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"}
    sources = {s["id"]: s for s in document["sources"]}
    assert sources["wikipedia_federal_districts"]["license"] == "CC BY-SA 4.0"
    assert sources["ivaniuk_dataset"]["license"] == "MIT"
    assert sources["daily_mail_2023_03_13"]["license"] == "none"
    unrecorded = sorted(s for s, entry in sources.items() if not entry["license"])
    # Official publishers whose reuse terms this site has not yet been able to confirm.
    assert set(unrecorded) <= {
        "rosstat_census_2021_vol5",
        "gs_report_2023_03_12",
        "gs_report_2023_02_11",
        "gs_report_2023_02_07",
        "bessudnov_2023",
    }, unrecorded
    datasets = {d["id"]: d for d in document["datasets"]}
    assert datasets["gs_personnel_reports"]["license"] == "MIT"


def test_the_sources_page_and_footer_show_the_terms_in_each_language(built_explainer: Path):
    sources = (built_explainer / "sources.html").read_text().replace("\u00a0", " ")  # no-break spaces read as spaces
    assert '<a href="https://creativecommons.org/licenses/by-sa/4.0/">CC BY-SA 4.0</a>' in sources
    assert "No licence stated." in sources
    russian = (built_explainer / "ru" / "sources.html").read_text().replace("\u00a0", " ")
    assert "Лицензия не указана." in russian
    for page in ("index.html", "ru/index.html"):
        html = (built_explainer / page).read_text().replace("\u00a0", " ")
        footer = html[html.index('<footer class="site-footer">') :]
        assert '<a rel="license" href="https://creativecommons.org/licenses/by/4.0/">CC BY 4.0</a>' in footer


def test_a_dated_page_declares_the_sites_licence_in_its_structured_data(site, tmp_path, capsys):
    edit(
        site / "site.yaml",
        "language: en\n",
        "language: en\nlicense: CC BY 4.0\nlicense_url: https://creativecommons.org/licenses/by/4.0/\n",
    )
    edit(site / "content" / "index.md", "---\n", "---\ndate: 2025-01-02\n")
    assert run_captured(capsys, "build", "--site", str(site)).code == 0
    ld = re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', (site / "_site" / "index.html").read_text(), re.S
    )
    (article,) = [item for block in ld for item in json.loads(block)["@graph"] if item["@type"] == "Article"]
    assert article["license"] == "https://creativecommons.org/licenses/by/4.0/"


def test_a_licence_link_must_be_an_address(site, capsys):
    edit(site / "site.yaml", "language: en\n", "language: en\nlicense: CC BY 4.0\nlicense_url: creativecommons\n")
    outcome = run_captured(capsys, "build", "--site", str(site))
    assert outcome.code == 1
    (error,) = outcome.errors
    assert error["path"].endswith("site.yaml") and error["line"] == "6" and "license_url" in error["message"]


def test_facts_json_publishes_the_corrections_log(built_explainer: Path):
    """The method page says the log is published with the site's data: it is, newest first."""
    corrections = json.loads((built_explainer / "facts.json").read_text())["corrections"]
    assert corrections and all(set(c) == {"date", "change", "reason", "fact"} for c in corrections)
    assert [c["date"] for c in corrections] == sorted((c["date"] for c in corrections), reverse=True)
