"""The package's layout rules (ARCHITECTURE.md): imports only point down, modules stay small,
and the referee (``genrebench.metrics``) is the only place F1, precision or recall is computed."""

import ast
import re
from pathlib import Path

import pytest

from tests.conftest import ROOT

PACKAGE = ROOT / "src" / "genrebench"

#: Layers from the bottom up; a module may import its own layer or those below it.
#: Names are module prefixes under ``genrebench`` (the longest match wins).
LAYERS = [
    ("", "quiet", "runtime", "seeding", "files", "activations"),
    ("metrics",),
    ("data",),
    ("heads", "losses", "features", "decode", "fmeasure", "tuning"),
    ("models",),
    ("plots",),
    ("experiments",),
    ("results",),
    ("report", "report_html", "audit", "pitfalls"),
    ("cli", "options", "checks", "__main__", "book"),
]
#: Inside a layer, the order of these subpackages' modules (a module may import earlier ones).
ORDER_WITHIN = {
    "experiments": [
        "protocol",
        "runs",
        "cache",
        "grid",
        "selection",
        "baselines",
        "study",
        "splits",
        "optimisers",
        "sweeps",
        "coverage",
    ],
    "results": [
        "statistics",
        "wording",
        "coverage",
        "tables",
        "heads",
        "family",
        "travel",
        "pooled",
        "levers",
        "family_splits",
        "scores",
        "answers",
        "headlines",
        "scope",
        "figures",
    ],
    "data": [
        "dataset",
        "features_file",
        "csv_file",
        "films",
        "packaged",
        "movielens",
        "yeast",
        "synthetic",
        "thread",
        "sources",
    ],
    "metrics": ["checks", "f1", "ranking", "summary", "calibration", "bootstrap"],
    "models": ["budget", "batches", "group", "training"],
}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imports(path: Path) -> set[str]:
    """``genrebench`` modules imported anywhere in the file (inside functions too)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
        else:
            continue
        for name in names:
            if name.startswith("genrebench."):
                found.add(name.removeprefix("genrebench."))
    known = modules()
    return {name for name in found if name in known}


def rank(name: str) -> tuple[int, int]:
    top = name.split(".")[0]
    for layer, members in enumerate(LAYERS):
        if top in members:
            inner = ORDER_WITHIN.get(top, [])
            sub = name.split(".")[1] if "." in name else None
            return layer, (inner.index(sub) if sub in inner else -1 if sub is None else 99)
    raise AssertionError(f"module genrebench.{name} is in no layer of tests/test_architecture.py")


@pytest.mark.parametrize("name", sorted(modules()))
def test_imports_only_point_down(name):
    """A module imports its own layer or lower ones: following the data never climbs back up.
    (A subpackage's ``__init__`` may gather its own modules.)"""
    here = rank(name)
    for target in imports(modules()[name]):
        if target.startswith(name + "."):
            continue  # a package's __init__ gathering its own modules
        there = rank(target)
        assert there <= here, f"genrebench.{name} imports genrebench.{target}, a higher layer"


@pytest.mark.parametrize("name", sorted(modules()))
def test_the_layer_table_names_every_module(name):
    """ARCHITECTURE.md's layer table is where a reader looks a module up: each is named there."""
    table = [
        line
        for line in (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8").splitlines()
        if line.startswith("| ")
    ]
    last = name.split(".")[-1]
    if name in ("", "__main__"):
        return  # the package itself and ``python -m genrebench``
    written = f"`{last}/`" if modules()[name].name == "__init__.py" else f"`{last}`"
    assert any(written in line for line in table), f"ARCHITECTURE.md does not name {name}"


@pytest.mark.parametrize("name", sorted(modules()))
def test_no_module_is_over_400_lines(name):
    lines = modules()[name].read_text(encoding="utf-8").count("\n")
    assert lines <= 400, f"genrebench.{name} has {lines} lines: split it by role"


#: What computing F1, precision or recall from counts looks like in this code base.
F1_PATTERNS = [
    re.compile(r"2\s*\*\s*(tp|true_positives|doc_tp)\b"),
    re.compile(r"\b(tp|true_positives)\s*/\s*\(?\s*(tp|true_positives)\s*\+"),
    re.compile(r"logical_and\(\s*\w+\s*,\s*\w+\s*\)\.sum\("),
]


@pytest.mark.parametrize("name", sorted(n for n in modules() if not n.startswith("metrics")))
def test_only_the_referee_computes_f1(name):
    """F1, precision and recall are computed in genrebench.metrics only; everything else calls
    it (decoders tuning a threshold, baselines choosing C, tables, the benchmark)."""
    text = modules()[name].read_text(encoding="utf-8")
    for pattern in F1_PATTERNS:
        assert not pattern.search(text), f"genrebench.{name} computes F1 itself: {pattern.pattern}"


def test_the_f1_patterns_would_catch_a_hand_written_f1():
    """The check above can fail: the referee's own source matches the patterns."""
    text = (PACKAGE / "metrics" / "f1.py").read_text(encoding="utf-8")
    assert sum(bool(pattern.search(text)) for pattern in F1_PATTERNS) >= 2


def test_the_benchmark_uses_the_referee():
    text = (ROOT / "benchmarks" / "bench_heads_vs_sklearn.py").read_text(encoding="utf-8")
    for pattern in F1_PATTERNS:
        assert not pattern.search(text), pattern.pattern


def test_every_registered_figure_caption_is_the_one_in_the_chapters():
    """One name, one caption: the chapters' figure cells carry the registry's caption."""
    from genrebench.book.figindex import figure_entries
    from genrebench.results.figures import FIGURES, caption

    entries = {entry.label: entry for entry in figure_entries(ROOT / "notebooks")}
    for name in FIGURES:
        assert name in entries, f"{name} is registered but no chapter shows it"
        assert entries[name].caption == caption(name), f"{name}: run `make sync`"


def test_a_figure_across_datasets_names_documents_and_labels_not_films():
    """The travel forest spans yeast genes and MovieLens films: its book caption says
    "documents" and "labels"; the command's one-dataset copy names its own data's nouns."""
    from genrebench.results.figures import caption

    book = caption("fig-travel-forest")
    assert "test documents" in book and "per label" in book
    assert "film" not in book and "genre" not in book
    assert "test genes" in caption("fig-travel-forest", ("gene", "class"))
    assert "films" in caption("fig-data-cardinality")  # a films-only figure keeps its words
