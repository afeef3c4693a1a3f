"""Project files that must agree with each other: notebook pairs, pyproject and environment.yml."""

import json
import re
import tomllib

import jupytext
import pytest
import yaml

from tests.conftest import ROOT

NOTEBOOK_SOURCES = sorted((ROOT / "notebooks").glob("*.py"))


def _cells(path):
    return [(cell.cell_type, cell.source.strip()) for cell in jupytext.read(path).cells]


def test_there_are_notebooks():
    assert NOTEBOOK_SOURCES, "no notebooks/*.py found"


@pytest.mark.parametrize("source", NOTEBOOK_SOURCES, ids=lambda path: path.name)
def test_each_notebook_has_an_identical_ipynb_twin(source):
    twin = source.with_suffix(".ipynb")
    assert twin.exists(), f"{twin.name} is missing: run `make sync`"
    assert _cells(source) == _cells(twin), f"{source.name} and {twin.name} differ: run `make sync`"


@pytest.mark.parametrize("source", NOTEBOOK_SOURCES, ids=lambda path: path.name)
def test_committed_ipynb_carries_no_outputs(source):
    notebook = json.loads(source.with_suffix(".ipynb").read_text())
    for index, cell in enumerate(notebook["cells"]):
        if cell["cell_type"] == "code":
            assert cell.get("outputs", []) == [], f"cell {index} has outputs"
            assert cell.get("execution_count") is None, f"cell {index} has an execution count"


@pytest.mark.parametrize("source", NOTEBOOK_SOURCES, ids=lambda path: path.name)
def test_notebooks_import_the_package_without_path_tricks(source):
    text = source.read_text()
    assert "import genrebench" in text or "from genrebench" in text
    assert "sys.path" not in text
    assert not re.search(r"^\s*[%!]\s*pip", text, flags=re.MULTILINE)


@pytest.mark.parametrize("source", NOTEBOOK_SOURCES, ids=lambda path: path.name)
def test_notebooks_are_in_the_table_of_contents(source):
    toc = (ROOT / "_toc.yml").read_text()
    assert f"notebooks/{source.stem}" in toc


def test_environment_yml_installs_the_same_package_and_python():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = [dep for dep in environment["dependencies"] if isinstance(dep, str)]
    pip_sections = [dep["pip"] for dep in environment["dependencies"] if isinstance(dep, dict)]
    python = [dep for dep in conda if dep.startswith("python")]
    assert python == ["python=3.11"], "environment.yml must pin the Python the book is built with"
    assert project["requires-python"].startswith(">=3.11")
    # Every library comes from pyproject.toml through the pip section, so the two cannot drift.
    assert sorted(conda) == ["pip", "python=3.11"], f"conda-only packages drift: {conda}"
    assert pip_sections == [["-e .[dev]"]]
    assert "dev" in project["optional-dependencies"]


def test_ci_runs_the_two_readme_commands():
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    for command in ("make test", "make book"):
        assert command in readme and command in ci
    assert "set -euo pipefail" in ci


def test_citation_metadata_matches_the_package_version():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    assert citation["cff-version"] == "1.2.0"
    for key in ("message", "title", "authors", "version"):
        assert citation[key], key
    assert str(citation["version"]) == project["version"]
    bibtex = (ROOT / "book" / "how_to_cite.md").read_text()
    assert f"version = {{{project['version']}}}" in bibtex


def test_every_cited_key_is_in_the_bibliography():
    bib = (ROOT / "book" / "references.bib").read_text()
    keys = set(re.findall(r"@\w+\{([^,]+),", bib))
    sources = [p.read_text() for p in (ROOT / "notebooks").glob("*.py")]
    sources += [p.read_text() for p in (ROOT / "book").glob("*.md")]
    cited = {
        key.strip()
        for text in sources
        for group in re.findall(r"\{cite(?::\w+)?\}`([^`]+)`", text)
        for key in group.split(",")
    }
    assert cited, "no citations found"
    assert cited <= keys, f"cited but not in references.bib: {sorted(cited - keys)}"


def test_the_benchmark_record_the_book_reads_is_complete():
    import json

    record = json.loads((ROOT / "benchmarks" / "heads_vs_sklearn.json").read_text())
    for key in ("date", "machine", "repeats", "keras_seconds", "sklearn_seconds", "ratio"):
        assert key in record, key
    assert len(record["keras_seconds"]) == len(record["sklearn_seconds"]) == record["repeats"]
    assert 0 < record["peak_rss_mb"] < 2048  # the design's memory budget


def test_the_repository_button_shows_only_with_a_configured_address():
    """A button that points at somebody else's address is worse than none."""
    import yaml

    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    if config.get("html", {}).get("use_repository_button"):
        url = config.get("repository", {}).get("url", "")
        assert url.startswith("https://"), "use_repository_button needs repository.url"
