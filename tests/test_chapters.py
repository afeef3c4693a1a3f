"""Every chapter follows one skeleton: label, title, a key result or an overview, one imports
cell, Summary."""

import ast

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


#: The most lines of code a cell holds, imports aside: a reader takes a cell in at a glance.
CELL_LINES = 25
#: The characters a line of code shows in the text column at 1280 px (notebooks/ruff.toml).
COLUMN = 76
#: Tags that keep a cell's code off the page (its output, if any, still shows).
HIDDEN = {"remove-cell", "remove-input", "hide-input", "hide-cell"}


def _statements(source: str) -> ast.Module:
    return ast.parse("\n".join(line for line in source.splitlines() if not line.startswith("%")))


def _code_lines(source: str) -> int:
    """Lines a cell spends on code: not blank, not comments, not its imports."""
    tree = _statements(source)
    imports = {
        line
        for node in tree.body
        if isinstance(node, ast.Import | ast.ImportFrom)
        for line in range(node.lineno, node.end_lineno + 1)
    }
    return sum(
        1
        for number, line in enumerate(source.splitlines(), start=1)
        if line.strip() and not line.strip().startswith("#") and number not in imports
    )


def _is_glue(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Call)
        and getattr(node.value.func, "id", None) in {"glue", "glue_all"}
    )


NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.py"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.stem)
def test_a_code_cell_is_short(path):
    long = [
        (index, _code_lines(cell.source))
        for index, cell in enumerate(jupytext.read(path).cells)
        if cell.cell_type == "code" and _code_lines(cell.source) > CELL_LINES
    ]
    assert not long, f"cells over {CELL_LINES} lines of code (cell index, lines): {long}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.stem)
def test_a_shown_code_cell_ends_in_what_it_shows_and_glues_nothing(path):
    """A cell whose code is on the page fits the text column, computes what it shows and ends
    in it (a table, a number, a figure, a print, or a definition to copy); the numbers the
    prose quotes are glued in hidden cells. The cell that imports the package sets up and may
    show nothing."""
    for index, cell in enumerate(jupytext.read(path).cells):
        if cell.cell_type != "code" or HIDDEN & set(cell.metadata.get("tags", [])):
            continue
        setup = "from genrebench" in cell.source
        body = _statements(cell.source).body
        wide = [line for line in cell.source.splitlines() if len(line) > COLUMN]
        assert not wide, f"cell {index} is wider than the text column: {wide}"
        assert not any(_is_glue(node) for node in ast.walk(_statements(cell.source))), (
            f"cell {index} shows glue() plumbing"
        )
        last = body[-1]
        # A definition shows itself: the recipe or wrapper the reader copies.
        shows = setup or isinstance(last, ast.Expr | ast.FunctionDef | ast.ClassDef)
        assert shows, f"cell {index} ends in a {type(last).__name__}, not in what it shows"
