"""Hostile input to the command (issue 30): each defect the probe found, refused with one
line and status 2 before any work, or read correctly; a run whose output is closed never
exits 0. Most cases call :func:`genrebench.cli.main` in this process, with training replaced
by a failure, so that a refusal that comes too late fails fast instead of training."""

import csv
import json
import logging
import os
import subprocess
import sys
import unicodedata
import warnings
from pathlib import Path

import pytest

from tests.helpers import COMMAND, write_csv

COLUMNS = ["--text-col", "synopsis", "--labels-col", "genres", "--id-col", "id"]
QUICK = ["--splits", "2", "--seeds", "2", "--learning-rates", "0.03", "--epochs", "1"]
LABELS = ("Drama", "Comedy", "Horror")


class Trained(AssertionError):
    """Raised where the study would start training."""


@pytest.fixture
def no_training(monkeypatch):
    """Training replaced by a failure: a case that reaches it was not refused in time."""

    def refuse(*args, **kwargs):
        raise Trained("reached training")

    monkeypatch.setattr("genrebench.experiments.splits.run_split_study", refuse)


def call(args, cwd: Path, monkeypatch, capsys) -> subprocess.CompletedProcess:
    from genrebench.cli import main

    monkeypatch.chdir(cwd)
    try:
        status = main([str(arg) for arg in args])
    except SystemExit as stop:
        status = stop.code
    captured = capsys.readouterr()
    return subprocess.CompletedProcess(args, status, captured.out, captured.err)


def assert_one_line(result, *expected: str) -> str:
    assert result.returncode == 2, (result.stdout, result.stderr)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    line = lines[0]
    assert len(line) <= 300, (len(line), line)
    assert all(char.isprintable() for char in line), repr(line)
    for text in expected:
        assert text in line, line
    return line


def rows_csv(path: Path, rows, header=("id", "synopsis", "genres")) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def plain_rows(n=60, label=lambda i: LABELS[i % 3], text=lambda i: f"words{i % 5} story plot"):
    return [(f"d{i}", text(i), label(i)) for i in range(n)]


@pytest.fixture
def work(tmp_path) -> Path:
    folder = tmp_path / "work"
    folder.mkdir()
    return folder


def inputs(tmp_path) -> Path:
    folder = tmp_path / "inputs"
    folder.mkdir(exist_ok=True)
    return folder


# 1. a closed output never ends a run with status 0


def test_a_run_whose_stderr_is_closed_does_not_exit_0(tmp_path, work):
    """`genrebench run ... 2>&1 | head -1`: the progress line meets a closed pipe; the run
    did not finish, so its status is not 0 (141, as a shell reports a command a closed pipe
    stopped), and --out holds no result (only the cache of what finished, as after Ctrl-C)."""
    data = write_csv(inputs(tmp_path) / "good.csv", n=60)
    read, write = os.pipe()
    os.close(read)  # the reader is gone before the first line
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    result = subprocess.run(
        [str(COMMAND), "run", "--data", data, *COLUMNS, *QUICK, "--out", work / "out"],
        stdout=write,
        stderr=write,
        cwd=work,
        env=env,
        timeout=300,
    )
    os.close(write)
    assert result.returncode == 141
    assert sorted(path.name for path in (work / "out").iterdir()) == ["cache"]


# 2. tracebacks that become one line


@pytest.mark.parametrize(
    "case, text",
    [
        ("no word of two letters", lambda i: "a b c !"),
        ("every word unique", lambda i: f"unique{i}x only{i}y"),
    ],
)
def test_texts_that_leave_no_vocabulary_are_refused(
    case, text, tmp_path, work, monkeypatch, capsys, no_training
):
    data = rows_csv(inputs(tmp_path) / "texts.csv", plain_rows(text=text))
    result = call(["run", "--data", data, *COLUMNS, *QUICK], work, monkeypatch, capsys)
    assert_one_line(result, "texts.csv", "'synopsis'", "no word")
    assert list(work.iterdir()) == []


def test_a_refusal_while_preparing_leaves_an_existing_cache_as_it_was(
    tmp_path, work, monkeypatch, capsys, no_training
):
    """The features of split 0 are cached before split 1 is refused: they are removed again,
    and what the cache held before stays."""
    cache = work / "cache"
    (cache / "prepared").mkdir(parents=True)
    (cache / "prepared" / "kept").write_text("an earlier entry")
    (cache / "kept").write_text("an earlier run")
    import genrebench.experiments.cache as cache_module
    from genrebench.data import DataError

    real = cache_module.prepare_cached

    def second_split_fails(dataset, split_seed, **options):
        if split_seed == 1:
            raise DataError("split 1 leaves the test part without documents")
        return real(dataset, split_seed=split_seed, **options)

    monkeypatch.setattr(cache_module, "prepare_cached", second_split_fails)
    data = write_csv(inputs(tmp_path) / "good.csv", n=60)
    args = ["run", "--data", data, *COLUMNS, *QUICK, "--out", "o", "--cache", cache]
    assert_one_line(call(args, work, monkeypatch, capsys), "split 1 leaves")
    assert sorted(str(path.relative_to(cache)) for path in cache.rglob("*")) == [
        "kept",
        "prepared",
        "prepared/kept",
    ]


def test_labels_too_many_for_the_documents_are_refused_before_training(
    tmp_path, work, monkeypatch, capsys, no_training
):
    """500 labels, each on three of 300 documents: a split's validation part comes out empty."""
    rows = [
        (f"d{i}", f"word{i % 7} shared text", ",".join(f"L{(i * 5 + k) % 500}" for k in range(5)))
        for i in range(300)
    ]
    data = rows_csv(inputs(tmp_path) / "many.csv", rows)
    result = call(["run", "--data", data, *COLUMNS, *QUICK], work, monkeypatch, capsys)
    assert_one_line(result, "many.csv", "without documents", "500 labels")
    assert list(work.iterdir()) == []
    result = call(["check", "--data", data, *COLUMNS], work, monkeypatch, capsys)
    assert_one_line(result, "many.csv", "without documents", "500 labels")


@pytest.mark.parametrize(
    "cell, expected",
    [
        (json.dumps(["Drama", "\ud800"]), "surrogate"),
        ("[" * 100_000 + "]" * 100_000, "nested too deep"),
        (json.dumps(["Dr\u0000ama", "Comedy"]), "control character"),
        ("Drama,Co\x1bmedy", "control character"),
        ("Drama,Co\ufffemedy", "\\ufffe"),
    ],
    ids=["lone surrogate", "deep JSON", "NUL in a JSON label", "ESC in a label", "U+FFFE"],
)
def test_a_hostile_labels_cell_is_one_line(cell, expected, tmp_path, work, monkeypatch, capsys):
    rows = plain_rows()
    rows[6] = ("d6", "some words", cell)
    data = rows_csv(inputs(tmp_path) / "labels.csv", rows)
    result = call(["check", "--data", data, *COLUMNS], work, monkeypatch, capsys)
    assert_one_line(result, "row 7, column 'genres'", expected)


@pytest.mark.parametrize("option", ["--data", "--out", "--cache"])
def test_a_name_longer_than_the_system_allows_is_one_line(
    option, tmp_path, work, monkeypatch, capsys, no_training
):
    data = write_csv(inputs(tmp_path) / "good.csv", n=60)
    args = {"--data": data, "--out": "out", "--cache": "cache", option: "n" * 300}
    flat = ["run", *(item for pair in args.items() for item in pair), *COLUMNS, *QUICK]
    expected = "cannot be read" if option == "--data" else option
    assert_one_line(call(flat, work, monkeypatch, capsys), expected, "File name too long")
    assert list(work.iterdir()) == []


# 3. an --out that cannot be created is refused before any work


@pytest.mark.parametrize("out", ["/", "/proc/genrebench-x", "/sys/genrebench-x"])
def test_an_out_that_cannot_be_created_is_refused_first(
    out, tmp_path, work, monkeypatch, capsys, no_training
):
    data = write_csv(inputs(tmp_path) / "good.csv", n=60)
    args = ["run", "--data", data, *COLUMNS, *QUICK, "--out", out, "--cache", work / "c"]
    assert_one_line(call(args, work, monkeypatch, capsys), f"--out {out}")
    assert list(work.iterdir()) == []


def test_an_out_whose_staging_folder_cannot_be_named_is_refused_first(
    tmp_path, work, monkeypatch, capsys, no_training
):
    """A 250-character --out can be made, but the staging folder beside it, named after it,
    is longer than a file name may be: refused before any work, not after training."""
    data = write_csv(inputs(tmp_path) / "good.csv", n=60)
    args = ["run", "--data", data, *COLUMNS, *QUICK, "--out", "o" * 250, "--cache", "c"]
    assert_one_line(call(args, work, monkeypatch, capsys), "no folder can be made beside it")
    assert list(work.iterdir()) == []


def test_the_probe_leaves_nothing_beside_out(tmp_path, work, monkeypatch, capsys, no_training):
    """A writable --out (inside folders still to be made) is tried by making and removing it
    and its staging folder: nothing stays behind."""
    data = write_csv(inputs(tmp_path) / "good.csv", n=60)
    with pytest.raises(Trained):
        call(["run", "--data", data, *COLUMNS, *QUICK, "--out", "a/b/o", "--cache", "c"], work,
             monkeypatch, capsys)  # fmt: skip
    assert sorted(path.name for path in work.iterdir()) == ["c"]  # the features' cache only


# 4. a cache the run would destroy


@pytest.mark.parametrize(
    "cache, text",
    [("out/figures", "inside --out's 'figures'"), ("out", "holds --out"), (".", "holds --out")],
)
def test_a_cache_the_results_would_replace_is_refused(
    cache, text, tmp_path, work, monkeypatch, capsys, no_training
):
    data = write_csv(inputs(tmp_path) / "good.csv", n=60)
    args = ["run", "--data", data, *COLUMNS, *QUICK, "--out", "out", "--cache", cache]
    assert_one_line(call(args, work, monkeypatch, capsys), f"--cache {cache}", text)
    assert list(work.iterdir()) == []


# 5. names reach the terminal escaped


@pytest.mark.parametrize("option", ["--data", "--out", "--cache"])
def test_control_characters_in_a_path_are_escaped_in_the_error_line(
    option, tmp_path, work, monkeypatch, capsys, no_training
):
    data = write_csv(inputs(tmp_path) / "good.csv", n=60)
    hostile = "/proc/x\x1b[31m\rred"
    args = {"--data": data, "--out": "out", "--cache": "cache", option: hostile}
    flat = ["run", *(item for pair in args.items() for item in pair), *COLUMNS, *QUICK]
    line = assert_one_line(call(flat, work, monkeypatch, capsys), "\\x1b[31m\\rred")
    assert "\x1b" not in line and "\r" not in line


# 7. every error line at most 300 characters


def test_long_values_are_cut_in_the_error_line(tmp_path, work, monkeypatch, capsys):
    folder = inputs(tmp_path)
    long = "x" * 200
    header = rows_csv(folder / "header.csv", plain_rows(), header=("id", "synopsis", long))
    cases = {
        "missing long column": (["--data", header, *COLUMNS], "no column"),
        "asked-for long column": (
            ["--data", header, "--text-col", "synopsis", "--labels-col", "y" * 200],
            "no column 'yyy",
        ),
    }
    joined = [("Long" * 40) + label for label in LABELS]
    rows = plain_rows(label=lambda i: joined[i % 3])
    rows[1] = ("d1", "some words", joined[0] + "+" + joined[1])
    cases["undeclared separator"] = (
        ["--data", rows_csv(folder / "sep.csv", rows), *COLUMNS],
        "pass --label-sep '+'",
    )
    rows = plain_rows()
    rows[4] = rows[2] = ("i" * 500, "some words", "Drama")
    cases["long duplicate id"] = (
        ["--data", rows_csv(folder / "ids.csv", rows), *COLUMNS],
        "duplicate id 'iii",
    )
    for name, (args, expected) in cases.items():
        line = assert_one_line(call(["check", *args], work, monkeypatch, capsys), expected)
        assert "\u2026" in line, name


# 8. --scheduler is the first check


def test_a_malformed_scheduler_is_refused_before_the_data_are_read(
    tmp_path, work, monkeypatch, capsys, no_training
):
    data = write_csv(inputs(tmp_path) / "good.csv", n=60)
    args = ["run", "--data", data, *COLUMNS, *QUICK, "--scheduler", "nowhere"]
    assert_one_line(call(args, work, monkeypatch, capsys), "--scheduler", "'nowhere'")
    assert list(work.iterdir()) == []


def test_an_unreachable_scheduler_is_refused_before_the_data_are_read(
    tmp_path, work, monkeypatch, capsys, no_training
):
    from genrebench.experiments.grid import DaskBackend

    def unreachable(address, **options):
        raise OSError(f"timed out trying to connect to {address}")

    monkeypatch.setattr(DaskBackend, "connect", unreachable)
    data = write_csv(inputs(tmp_path) / "good.csv", n=60)
    args = ["run", "--data", data, *COLUMNS, *QUICK, "--scheduler", "tcp://127.0.0.1:1"]
    assert_one_line(call(args, work, monkeypatch, capsys), "cannot reach the Dask scheduler")
    assert list(work.iterdir()) == []


# 9. duplicate header names


@pytest.mark.parametrize("text_col", ["synopsis", "synopsis.1"])
def test_a_column_named_twice_is_refused(text_col, tmp_path, work, monkeypatch, capsys):
    rows = [(i, text, text, labels) for i, text, labels in plain_rows()]
    data = rows_csv(inputs(tmp_path) / "twice.csv", rows, ("id", "synopsis", "synopsis", "genres"))
    args = ["check", "--data", data, "--text-col", text_col, "--labels-col", "genres"]
    assert_one_line(call(args, work, monkeypatch, capsys), "'synopsis' more than once")


# 10. a bare carriage return


def test_a_bare_carriage_return_names_the_line_an_editor_shows(tmp_path, work, monkeypatch, capsys):
    """Data row 19 is line 20 of the file (the header is line 1); its text holds a CR."""
    lines = [f"d{i},words{i % 5} story,{LABELS[i % 3]}" for i in range(60)]
    lines[18] = "d18,some\rwords,Drama"
    data = inputs(tmp_path) / "cr.csv"
    data.write_bytes(("id,synopsis,genres\n" + "\n".join(lines) + "\n").encode())
    result = call(["check", "--data", data, *COLUMNS], work, monkeypatch, capsys)
    assert_one_line(result, "cr.csv: line 20 ", "carriage return")


@pytest.mark.parametrize(
    "bad, expected",
    [
        ("d3,bad,Drama,extra", "line 6 has 4 fields where the header has 3"),
        ('d3,"open,Drama', "line 6 opens a quoted cell that never closes"),
    ],
    ids=["extra field", "unclosed quote"],
)
def test_a_broken_row_after_a_multi_line_cell_names_its_file_line(
    bad, expected, tmp_path, work, monkeypatch, capsys
):
    """pandas counts a quoted cell spanning lines as one line, and an unclosed quote by a row
    counted from 0; the message names the line an editor shows (here 6, after a blank line
    and a cell on two lines)."""
    data = inputs(tmp_path) / "broken.csv"
    data.write_text(f'id,synopsis,genres\nd1,"two\nlines",Drama\n\nd2,ok,Drama\n{bad}\n')
    result = call(["check", "--data", data, *COLUMNS], work, monkeypatch, capsys)
    assert_one_line(result, f"broken.csv: {expected}")


def test_a_row_message_names_the_data_row_and_its_file_line(tmp_path, work, monkeypatch, capsys):
    """Rows are data rows counted from 1 below the header; after a cell on two lines, data
    row 3 starts on line 5 of the file, and the message says both."""
    data = inputs(tmp_path) / "rows.csv"
    data.write_text('id,synopsis,genres\nd1,"two\nlines",Drama\nd2,ok,Drama\nd3,,Drama\n')
    result = call(["check", "--data", data, *COLUMNS], work, monkeypatch, capsys)
    assert_one_line(result, "row 3, column 'synopsis': empty text (line 5 of the file)")


def test_carriage_returns_inside_quotes_and_line_ends_are_read(tmp_path, work, monkeypatch, capsys):
    lines = [f"d{i},words{i % 5} story,{LABELS[i % 3]}" for i in range(60)]
    lines[18] = 'd18,"some\rwords",Drama'
    data = inputs(tmp_path) / "cr.csv"
    data.write_bytes(("id,synopsis,genres\r\n" + "\r\n".join(lines) + "\r\n").encode())
    result = call(["check", "--data", data, *COLUMNS], work, monkeypatch, capsys)
    assert result.returncode == 0, result.stderr
    assert "60 documents, 3 labels" in result.stdout


# observations: --quiet, and one label for NFC and NFD


def test_quiet_prints_nothing_but_the_error(tmp_path, work, monkeypatch, capsys):
    """Under --quiet neither the summary line nor a library's warning during the run is shown
    (a warning the command lets through would be recorded here)."""
    from genrebench.checks import UsageError

    def warn_then_stop(*args, **kwargs):
        warnings.warn("a library's warning", UserWarning, stacklevel=1)
        raise UsageError("stopped here")

    monkeypatch.setattr("genrebench.experiments.splits.run_split_study", warn_then_stop)
    data = write_csv(inputs(tmp_path) / "good.csv", n=60)
    args = ["run", "--data", data, *COLUMNS, *QUICK, "--out", "o", "--quiet"]
    with warnings.catch_warnings(record=True) as shown:
        warnings.simplefilter("always")
        try:
            result = call(args, work, monkeypatch, capsys)
        finally:
            logging.disable(logging.NOTSET)  # --quiet silenced logging for this process
    assert [str(warning.message) for warning in shown] == []
    assert result.stdout == ""
    assert result.stderr.splitlines() == ["genrebench run: error: stopped here"]


def test_nfc_and_nfd_forms_are_one_label(tmp_path, work, monkeypatch, capsys):
    nfc, nfd = unicodedata.normalize("NFC", "Café"), unicodedata.normalize("NFD", "Café")
    assert nfc != nfd
    data = rows_csv(
        inputs(tmp_path) / "cafe.csv", plain_rows(label=lambda i: ("Drama", nfc, nfd)[i % 3])
    )
    result = call(["check", "--data", data, *COLUMNS], work, monkeypatch, capsys)
    assert result.returncode == 0, result.stderr
    assert "60 documents, 2 labels" in result.stdout
    assert "NFC" in result.stdout
    assert f"{nfc}  " in result.stdout
