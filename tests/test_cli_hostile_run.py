"""Whole runs on hostile names (issue 30): a data file and an --out whose names hold ESC, CR and
an undecodable byte, labels with markup, quotes, a bidirectional override and two Unicode forms.
The run finishes; every line it prints is free of control characters; every SVG it writes
parses as XML and its report as balanced HTML, with the user's strings escaped."""

import csv
import os
import subprocess
import unicodedata
import xml.etree.ElementTree as ElementTree
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.helpers import COMMAND

COLUMNS = ["--text-col", "synopsis", "--labels-col", "genres", "--id-col", "id"]
QUICK = ["--splits", "2", "--seeds", "2", "--learning-rates", "0.03", "--epochs", "1"]
#: Labels a report must escape, and one in both Unicode forms.
HOSTILE_LABELS = ("<b>&\"x'", "\u202eRTL", unicodedata.normalize("NFD", "Café"), "Cost $x^$")
VOID = {"meta", "img", "br", "hr", "link", "input", "col"}


def hostile_csv(path: Path, n: int = 80) -> Path:
    labels = (*HOSTILE_LABELS, unicodedata.normalize("NFC", "Café"))
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "synopsis", "genres"])
        for row in range(n):
            chosen = [labels[row % 5], labels[(row // 5) % 5]]
            words = " ".join(f"word{(row * 7 + k) % 23} topic{row % 5}" for k in range(6))
            writer.writerow([f"doc{row}", words, ",".join(dict.fromkeys(chosen))])
    return path


class Balanced(HTMLParser):
    """Every element opened is closed, in order (void elements excepted)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.open, self.problems = [], []

    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            self.open.append(tag)

    def handle_endtag(self, tag):
        if not self.open or self.open.pop() != tag:
            self.problems.append(tag)


def printable_lines(text: str) -> bool:
    return all(char.isprintable() for line in text.splitlines() for char in line)


def run(*args, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(COMMAND), *map(str, args)], capture_output=True, cwd=cwd, timeout=300
    )


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    data = hostile_csv(folder / os.fsdecode(b"data \xff\x1b[1m\r.csv"))
    out = folder / os.fsdecode(b"out\x1b[2J\xff")
    result = run("run", "--data", data, *COLUMNS, *QUICK, "--out", out, cwd=folder)
    return result, out


def test_a_run_on_hostile_names_finishes_and_prints_only_printable_lines(hostile_run):
    result, out = hostile_run
    stdout = result.stdout.decode("utf-8")
    stderr = result.stderr.decode("utf-8")
    assert result.returncode == 0, stderr[-3000:]
    assert printable_lines(stdout), stdout
    assert printable_lines(stderr), stderr
    assert "\\x1b[2J\\udcff/report.html" in stdout  # the results lines show the path escaped
    assert "data \\udcff\\x1b[1m\\r.csv" in stderr  # and so does the progress line
    assert (out / "report.html").is_file()


def test_every_svg_of_a_hostile_run_parses_as_xml(hostile_run):
    _, out = hostile_run
    svgs = sorted((out / "figures").glob("*.svg"))
    assert len(svgs) >= 7
    for svg in svgs:
        ElementTree.parse(svg)  # raises on a control character or broken markup


def test_the_report_of_a_hostile_run_is_balanced_html_with_strings_escaped(hostile_run):
    _, out = hostile_run
    page = (out / "report.html").read_bytes().decode("utf-8")  # strict: no lone surrogate
    assert all(char.isprintable() or char in "\n" for char in page)
    parser = Balanced()
    parser.feed(page)
    parser.close()
    assert parser.problems == [] and parser.open == []
    assert "&lt;b&gt;&amp;" in page and "<b>&" not in page
    assert "\\u202eRTL" in page  # a bidirectional override is shown, not obeyed
    per_label = (out / "per_label.csv").read_text(encoding="utf-8")
    assert unicodedata.normalize("NFD", "Café") not in per_label  # one label, in NFC


def test_a_quiet_run_prints_nothing(tmp_path):
    data = hostile_csv(tmp_path / "data.csv")
    result = run("run", "--data", data, *COLUMNS, *QUICK, "--out", "o", "--quiet", cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    assert (result.stdout, result.stderr) == (b"", b"")
    assert (tmp_path / "o" / "report.html").is_file()
