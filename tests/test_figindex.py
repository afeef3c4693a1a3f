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
    text = figures_markdown(entries)
    label = entries[0].label
    assert f"{{numref}}`{label}`" in text
    for fmt in ("png", "svg", "pdf"):
        assert f"{{download}}`{fmt} <../figures/{label}.{fmt}>`" in text
    assert f"| `{label}` |" in text


def test_each_chapter_gets_its_own_table_under_a_link_to_it():
    """The page is one short table per chapter, not one long one: every table is headed by
    a link to its chapter, and a chapter's figures are all in its table."""
    entries = figure_entries(ROOT / "notebooks")
    text = figures_markdown(entries)
    blocks = text.split("\n\n")
    chapters = list(dict.fromkeys(entry.chapter for entry in entries))
    assert [block.splitlines()[0] for block in blocks[::2]] == [
        f"**{{doc}}`{chapter}`**" for chapter in chapters
    ]
    for chapter, table in zip(chapters, blocks[1::2], strict=True):
        rows = table.splitlines()[2:]
        assert len(rows) == sum(entry.chapter == chapter for entry in entries) <= 10


def test_duplicate_labels_are_refused(tmp_path):
    cell = {
        "cell_type": "code",
        "metadata": {"mystnb": {"figure": {"name": "fig-a-b", "caption": "c."}}},
    }
    notebook = '{"cells": [%s, %s]}' % ((__import__("json").dumps(cell),) * 2)
    (tmp_path / "x.ipynb").write_text(notebook)
    with pytest.raises(ValueError, match="fig-a-b"):
        figure_entries(tmp_path)


def test_figures_are_listed_in_the_reading_order_sphinx_numbers_them_in(tmp_path):
    """The table of contents puts "02_b" before "01_a", so Sphinx numbers 02_b's figure
    first: the page lists it first, and a chapter the contents leave out comes last."""
    import json

    def notebook(name):
        figure = {"name": name, "caption": "c."}
        return json.dumps(
            {"cells": [{"cell_type": "code", "metadata": {"mystnb": {"figure": figure}}}]}
        )

    folder = tmp_path / "notebooks"
    folder.mkdir()
    for stem in ("01_a", "02_b", "03_c"):
        (folder / f"{stem}.ipynb").write_text(notebook(f"fig-{stem[3:]}-x"))
    (tmp_path / "_toc.yml").write_text(
        "root: notebooks/02_b\nparts:\n  - chapters:\n      - file: notebooks/01_a\n"
    )
    assert [entry.label for entry in figure_entries(folder)] == ["fig-b-x", "fig-a-x", "fig-c-x"]
    assert [entry.chapter for entry in figure_entries(folder)] == ["02_b", "01_a", "03_c"]


def test_the_figures_page_finds_the_contents_from_its_own_folder(tmp_path, monkeypatch):
    """The figures chapter runs in notebooks/ and passes ".": the contents one level up
    still set the order (before, "." had no parent and the page fell back to file names)."""
    test_figures_are_listed_in_the_reading_order_sphinx_numbers_them_in(tmp_path)
    monkeypatch.chdir(tmp_path / "notebooks")
    assert [entry.label for entry in figure_entries(".")] == ["fig-b-x", "fig-a-x", "fig-c-x"]
