"""No number in the book's prose is typed by hand.

The check reads the sources a reader's prose comes from (the markdown cells of
``notebooks/*.py`` and the pages in ``book/*.md``) rather than the HTML: in the
sources, a glued number is visibly a ``{glue:...}`` role, so anything else that
is a digit was typed. Removed before looking: code (fenced and inline), roles
and their targets (glue, numref, ref, cite, eq), maths, label lines, URLs and
the names in ALLOWED, which contain digits but are not results.
"""

import re

import jupytext
import pytest

from tests.conftest import ROOT

#: Names and fixed conventions that contain digits but report nothing measured.
ALLOWED = [
    r"F1\*?/2",  # the "F1*/2" rule's name
    r"\bF_?1\b",  # the F1 score
    r"\bP@k\b|\bR@k\b",
    r"\blog2\b",
    r"\bCC0\b",
    r"\b95%",  # the confidence level chosen for every interval
    r"\bPython 3\.11\+?",
    r"\bKeras 3\b",
    r"\b(?:19|20)\d\d\b(?=[)\]])",  # a year closing a citation such as (Lipton et al., 2014)
]

STRIP = [
    r"```.*?```",  # fenced code and directives
    r"`[^`]*`",  # inline code and role targets
    r"\{[a-z:]+\}",  # role names left after the target is gone
    r"\$\$.*?\$\$",
    r"\$[^$]*\$",
    r"^\s*\([^)]*\)=\s*$",  # labels
    r"\(eq-[\w-]+\)",  # equation labels after display maths
    r"^\s*\d+\.\s",  # numbered-list markers
    r"https?://\S+",
    r"\[[^\]]*\]\([^)]*\)",  # links
    *ALLOWED,
]


def prose_sources():
    for path in sorted((ROOT / "notebooks").glob("*.py")):
        notebook = jupytext.read(path)
        for index, cell in enumerate(notebook.cells):
            if cell.cell_type == "markdown":
                yield f"{path.name}, markdown cell {index}", cell.source
    for path in sorted((ROOT / "book").glob("*.md")):
        yield path.name, path.read_text()


def typed_numbers(text: str) -> list[str]:
    for pattern in STRIP:
        text = re.sub(pattern, " ", text, flags=re.DOTALL | re.MULTILINE)
    return re.findall(r"[^\s]*\d[^\s]*", text)


@pytest.mark.parametrize(
    ("where", "text"), list(prose_sources()), ids=lambda value: str(value)[:40]
)
def test_prose_has_no_hand_typed_numbers(where, text):
    found = typed_numbers(text)
    assert not found, f"{where}: hand-typed numbers {found}; glue them from a cell"


def test_the_check_catches_a_typed_number_and_spares_glued_ones():
    assert typed_numbers("micro-F1 is 0.53 here") == ["0.53"]
    assert typed_numbers("micro-F1 is {glue:text}`heads-x:.3f` (95% interval)") == []
    assert typed_numbers("see {numref}`fig-a` and $x_1$") == []
