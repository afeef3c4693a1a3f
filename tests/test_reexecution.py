"""Re-executing a chapter reproduces its outputs exactly: tables, glued numbers and figures.

The heads chapter is executed once more from scratch in a fresh kernel (sharing
the experiment cache the book build filled, as a reader's second run would). Every
output of every cell, and every figure file, must be the same, byte for byte, as
in the book's own build.
"""

import os
import shutil

import nbformat
import pytest

from tests.conftest import ROOT
from tests.helpers import execute, glue_values, outputs

pytestmark = pytest.mark.slow

CHAPTER = "04_heads_compared"


def executed_by_the_build(source, build_dir, chapter):
    """The chapter as the build executed it: from Jupyter Book's execution cache."""
    from jupyter_cache import get_cache

    cache = get_cache(str(build_dir / ".jupyter_cache"))
    notebook = nbformat.read(source / "notebooks" / f"{chapter}.ipynb", as_version=4)
    return cache.get_cache_bundle(cache.match_cache_notebook(notebook).pk).nb


def test_the_heads_chapter_reexecutes_to_identical_outputs(built_book, tmp_path, monkeypatch):
    source, html = built_book
    built = executed_by_the_build(source, html.parent, CHAPTER)
    monkeypatch.setenv("GENREBENCH_CACHE", str(ROOT / ".genrebench_cache"))
    folder = tmp_path / "again"
    for name in ("_toc.yml", "_config.yml", "notebooks", "benchmarks"):
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, folder / name)
        else:
            folder.mkdir(exist_ok=True)
            shutil.copy2(ROOT / name, folder / name)
    monkeypatch.setenv("GENREBENCH_FIGURES_DIR", str(folder / "figures"))
    again = execute(folder, CHAPTER)
    assert os.listdir(folder / "figures"), "the chapter wrote no figure files"
    first, second = outputs(built), outputs(again)
    assert len(first) == len(second) and len(first) > 5
    for a, b in zip(first, second, strict=True):
        assert a == b, f"cell {a[0]} changed between executions ({a[1]})"
    # The glued numbers the prose shows.
    stored, glued = glue_values(built), glue_values(again)
    assert len(glued) > 20 and set(glued) == set(stored)
    for name, value in stored.items():
        assert glued[name] == value, f"glued {name} changed between executions"
    # The figure files are identical too (reproducible PNG, SVG and PDF).
    for path in sorted((folder / "figures").iterdir()):
        assert path.read_bytes() == (source / "figures" / path.name).read_bytes(), path.name
