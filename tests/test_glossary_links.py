"""Every page links a glossary term to the glossary the first time its prose uses it, so a
reader who opens any page first finds each word of the book's vocabulary explained."""

import re

import jupytext
import pytest

from tests.conftest import ROOT

GLOSSARY = ROOT / "book" / "glossary.md"
PAGES = [
    *sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.py")),
    ROOT / "book" / "intro.md",
]
#: First uses in the word's everyday sense, not the verdict's (page stem, term).
EVERYDAY = {("02_genre_data", "behind"), ("09_your_data", "behind")}


def glossary_terms() -> list[str]:
    """The terms of the glossary directive: its lines that start in the first column."""
    text = GLOSSARY.read_text(encoding="utf-8")
    body = text.split("```{glossary}", 1)[1].split("\n```", 1)[0]
    return [line.strip() for line in body.splitlines() if line and not line[0].isspace()]


def prose(path) -> str:
    """A page's prose: markdown outside code blocks, headings, labels and directive options,
    with every role but ``{term}`` and every code span blanked out."""
    if path.suffix == ".py":
        cells = jupytext.read(path).cells
        text = "\n".join(cell.source for cell in cells if cell.cell_type == "markdown")
    else:
        text = path.read_text(encoding="utf-8")
    text = re.sub(r"```\{(?:code-block|literalinclude|raw)\}.*?```", " ", text, flags=re.S)
    lines = [
        line
        for line in text.splitlines()
        if not line.startswith(("#", "(", ":", "```", "|"))  # headings, labels, options
    ]
    text = "\n".join(lines)
    text = re.sub(r"\{(?!term\})[\w:-]+\}`[^`]*`", " ", text)  # {ref}`…`, {glue:text}`…`
    return re.sub(r"(?<!\})`[^`]*`", " ", text)  # code spans


def first_use_is_linked(text: str, term: str) -> bool | None:
    """Whether ``term``'s first use in ``text`` is a ``{term}`` link (None: never used)."""
    pattern = re.compile(
        r"\{term\}`([^`]*)`|(?<![\w-])" + re.escape(term) + r"(?![\w-])", re.IGNORECASE
    )
    for match in pattern.finditer(text):
        if match.group(1) is None:
            return False
        if term.lower() in match.group(1).lower():
            return True
    return None


@pytest.mark.parametrize("path", PAGES, ids=lambda path: path.stem)
def test_each_glossary_term_is_linked_where_a_page_first_uses_it(path):
    text = prose(path)
    unlinked = [
        term
        for term in glossary_terms()
        if first_use_is_linked(text, term) is False and (path.stem, term) not in EVERYDAY
    ]
    assert not unlinked, f"{path.name}: first use not linked to the glossary: {unlinked}"


def test_the_check_finds_an_unlinked_first_use_and_spares_a_linked_one():
    assert glossary_terms()[:2] == ["head", "decoder"]
    assert first_use_is_linked("a {term}`decoder` then a decoder", "decoder") is True
    assert first_use_is_linked("a decoder then a {term}`decoder`", "decoder") is False
    assert first_use_is_linked("the {term}`margin <margin δ>` δ", "margin δ") is True
    assert first_use_is_linked("no such word", "decoder") is None
    # A role's target, a code span, a heading or a label is not prose.
    text = prose_of("# A decoder\n(sec-decoder)=\n{ref}`matched decoder <sec-x>`, `decoder`.")
    assert first_use_is_linked(text, "decoder") is None


def prose_of(text: str) -> str:
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "page.md"
        page.write_text(text, encoding="utf-8")
        return prose(page)
