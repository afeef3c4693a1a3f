"""One place decides how a user's string is shown (issue 30): :mod:`genrebench.files`
(``visible``, ``quoted``, ``shown_path`` for a terminal line, ``markup`` for HTML and SVG).
The command's modules neither ``repr`` a value into a message nor escape HTML themselves."""

import re

import pytest

from genrebench.files import markup, quoted, shown_path, visible
from tests.conftest import ROOT

#: The modules whose messages, lines and pages show user strings.
SHOWING = [
    "cli.py",
    "checks.py",
    "options.py",
    "report.py",
    "data/csv_file.py",
    "data/dataset.py",
]
ELSEWHERE = re.compile(r"!r\}|\brepr\(|html\.escape\(|\bimport html\b")


@pytest.mark.parametrize("name", SHOWING)
def test_no_module_shows_a_user_string_its_own_way(name):
    text = (ROOT / "src" / "genrebench" / name).read_text(encoding="utf-8")
    found = [line.strip() for line in text.splitlines() if ELSEWHERE.search(line)]
    assert found == [], f"{name}: show user strings through genrebench.files: {found}"


HOSTILE = ["\x1b[31mred\r", "\u202eevil", "\ud800", "\x00", "\ufffe", "tab\there", "é" * 500]


@pytest.mark.parametrize("value", HOSTILE)
def test_what_the_helpers_give_is_printable_and_short(value):
    for shown in (visible(value), quoted(value), shown_path(value), markup(value)):
        assert all(char.isprintable() for char in shown), repr(shown)
        shown.encode("utf-8")  # no lone surrogate left to fail a write
    assert len(quoted(value)) <= 48 and len(shown_path(value)) <= 96


def test_the_helpers_leave_ordinary_text_as_it_is():
    assert visible("Café 日本 Rock & Roll") == "Café 日本 Rock & Roll"
    assert quoted("Drama") == "'Drama'"
    assert quoted("x" * 100).endswith("\u2026'")
    assert shown_path("/a/" + "b" * 200 + "/data.csv").endswith("/data.csv")
    assert markup('<b>&"') == "&lt;b&gt;&amp;&quot;"
