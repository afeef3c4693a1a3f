"""The figures page is generated from the chapters' own figure metadata."""

import pytest

from genrebench.book.figindex import figure_entries, figures_markdown
from tests.conftest import ROOT


def test_every_chapter_figure_is_listed_with_a_scheme_label():
    entries = figure_entries(ROOT / "notebooks")
    assert len(entries) >= 10
    for entry in entries:
        chapter_word = entry.label.split("-")[1]
        assert entry.label.startswith("fig-") and chapter_word.isalnum()
        assert entry.caption.strip().endswith(".")
    assert "fig-heads-f1-by-decoder" in {entry.label for entry in entries}


def test_markdown_uses_numref_and_links_every_file():
    entries = figure_entries(ROOT / "notebooks")[:1]
    text = figures_markdown(entries, "0.1.0")
    label = entries[0].label
    assert f"{{numref}}`{label}`" in text
    for fmt in ("png", "svg", "pdf"):
        assert f"{{download}}`{fmt} <../figures/{label}.{fmt}>`" in text
    assert "genrebench 0.1.0" in text


def test_duplicate_labels_are_refused(tmp_path):
    cell = {
        "cell_type": "code",
        "metadata": {"mystnb": {"figure": {"name": "fig-a-b", "caption": "c."}}},
    }
    notebook = '{"cells": [%s, %s]}' % ((__import__("json").dumps(cell),) * 2)
    (tmp_path / "x.ipynb").write_text(notebook)
    with pytest.raises(ValueError, match="fig-a-b"):
        figure_entries(tmp_path)
