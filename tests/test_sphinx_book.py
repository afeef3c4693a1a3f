"""The footer stamp pins version, date and (in a checkout) the commit."""

import datetime

import genrebench
from genrebench.book.sphinx import build_stamp
from tests.conftest import ROOT


def test_stamp_in_a_checkout_names_version_date_and_commit():
    stamp = build_stamp(ROOT)
    assert f"genrebench {genrebench.__version__}" in stamp
    assert datetime.date.today().isoformat() in stamp
    assert "commit " in stamp


def test_stamp_outside_a_checkout_still_has_version_and_date(tmp_path):
    stamp = build_stamp(tmp_path)
    assert stamp.startswith(f"genrebench {genrebench.__version__} · built ")
    assert "commit" not in stamp


def test_a_glued_table_is_numbered_and_referenced_as_a_table(tmp_path):
    """MyST-NB wraps a glued table in a figure; under a ``tbl-`` name it reads "Table N", and
    figures keep their own sequence."""
    source, out = tmp_path / "source", tmp_path / "out"
    source.mkdir()
    import subprocess
    import sys

    (source / "conf.py").write_text(
        'extensions = ["myst_parser", "genrebench.book.sphinx"]\nnumfig = True\n'
        'html_theme = "sphinx_book_theme"\n'
    )
    (source / "a.png").write_bytes(b"")
    (source / "index.md").write_text(
        "# T\n\n```{figure} a.png\n:name: tbl-x\n\nA table.\n```\n\n"
        "See {numref}`tbl-x` and {numref}`fig-y`.\n\n"
        "```{figure} a.png\n:name: fig-y\n\nA figure.\n```\n"
    )
    command = [sys.executable, "-m", "sphinx", "-q", "-W", "-b", "html", str(source), str(out)]
    result = subprocess.run(command, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    page = (out / "index.html").read_text()
    assert page.count("Table 1") == 2 and page.count("Fig. 1") == 2, result.stderr
