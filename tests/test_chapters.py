"""Every chapter follows one skeleton: label, title, a key result or an overview, one imports
cell, Summary."""

import jupytext
import pytest

from tests.conftest import ROOT

#: The chapters (the figures page is back matter, generated; the first page is the answer
#: itself, one screen with no sections, tested in ``test_browser``).
CHAPTERS = sorted(
    path
    for path in (ROOT / "notebooks").glob("[0-9][0-9]_*.py")
    if path.stem not in ("10_figures", "00_the_answer")
)

#: Chapters without results of their own to open with.
OVERVIEW_ONLY = {"08_answers", "09_your_data"}


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda path: path.stem)
def test_a_chapter_opens_with_label_title_and_overview_and_closes_with_a_summary(path):
    cells = jupytext.read(path).cells
    first = cells[0]
    assert first.cell_type == "markdown", "the first cell is the chapter's heading"
    lines = first.source.splitlines()
    assert lines[0].startswith("(ch-") and lines[0].endswith(")="), "a ch- label first"
    assert lines[1].startswith("# "), "then the title"
    # A chapter that measures opens with its key result in glued numbers; the answers page
    # and the command's chapter open with an overview of what they hold.
    key_result = "```{admonition} Key result" in first.source and "{glue:text}" in first.source
    assert key_result or path.stem in OVERVIEW_ONLY, "a Key result box of glued numbers first"
    assert key_result or "## Overview" in first.source
    headings = [
        line for cell in cells if cell.cell_type == "markdown" for line in cell.source.splitlines()
    ]
    assert "## Summary" in headings, "a chapter ends with ## Summary"
    assert all(cell.source.strip() for cell in cells), "no empty cells"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda path: path.stem)
def test_a_chapter_imports_the_package_in_one_cell(path):
    code = [cell.source for cell in jupytext.read(path).cells if cell.cell_type == "code"]
    importing = [i for i, source in enumerate(code) if "from genrebench" in source]
    assert importing == importing[:1], "genrebench is imported in one cell"
