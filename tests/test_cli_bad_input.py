"""Bad input to the command: status 2, one short line on stderr naming the problem, nothing
written, and refused before any training (a ``run`` here would train on tiny data with one
epoch, so a refusal that came too late shows as a slow test or a wrong status)."""

import os
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from tests.helpers import genrebench, write_csv

COLUMNS = ["--text-col", "synopsis", "--labels-col", "genres"]
#: Training settings that make a run short if a refusal is missed.
QUICK = ["--splits", "2", "--seeds", "2", "--learning-rates", "0.03", "--epochs", "1"]


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("inputs")
    good = write_csv(folder / "good.csv", n=60)
    (folder / "a_file").write_text("not a folder\n")
    write_csv(folder / "semicolons.csv", n=60, sep=";")
    write_csv(folder / "dots.csv", n=60, sep=".")
    write_csv(folder / "plus.csv", n=60, sep="+")
    lines = good.read_text().splitlines()

    def variant(name, row, replacement):
        changed = list(lines)
        changed[row] = replacement
        (folder / name).write_text("\n".join(changed) + "\n", encoding="utf-8")

    variant("empty_text.csv", 3, 'doc2,,"Drama"')
    variant("duplicate.csv", 5, lines[5].replace("doc4,", "doc1,", 1))
    variant("json_open.csv", 2, 'doc1,some words,"[""Drama"", ""Comedy"""')
    variant("json_null.csv", 2, 'doc1,some words,"[""Drama"", null]"')
    variant("json_nested.csv", 2, 'doc1,some words,"[""Drama"", [""Comedy""]]"')
    variant("json_broken.csv", 2, 'doc1,some words,"[""Drama"" ""Comedy""]"')
    (folder / "latin1.csv").write_bytes(
        good.read_bytes().replace(b"noise1 ", "café ".encode("latin-1"), 1)
    )
    (folder / "empty.csv").write_text("")
    (folder / "header_only.csv").write_text("id,synopsis,genres\n")
    (folder / "one_label.csv").write_text(
        "id,synopsis,genres\n" + "".join(f"d{i},words {i},Drama\n" for i in range(10))
    )
    (folder / "wide.csv").write_text(
        ",".join(f"column{i}" for i in range(300)) + "\n" + ",".join("x" * 300) + "\n"
    )
    (folder / "a_folder").mkdir()
    variant("blank_text.csv", 3, 'doc2,"   ",Drama')
    variant("extra_field.csv", 4, lines[4] + ",surplus")
    (folder / "utf16.csv").write_bytes(good.read_text().encode("utf-16"))
    (folder / "nul.csv").write_bytes(good.read_bytes().replace(b"noise1 ", b"noi\x00se ", 1))
    (folder / "garbage.csv").write_bytes(bytes(range(256)) * 20)
    (folder / "tiny.csv").write_text(
        "id,synopsis,genres\n"
        + "".join(f"d{i},w{i} drama,{'Drama' if i % 2 else 'Comedy'}\n" for i in range(8))
    )
    # Valid input in unusual clothes: each must be read like good.csv.
    (folder / "bom.csv").write_bytes(b"\xef\xbb\xbf" + good.read_bytes())
    (folder / "crlf.csv").write_bytes(good.read_bytes().replace(b"\n", b"\r\n"))
    variant("quoted_newline.csv", 3, 'doc2,"first line\nsecond line",Drama')
    variant("label_on_one_row.csv", 3, 'doc2,some words,"Drama,Unique"')
    return folder


def cases(folder: Path) -> dict:
    """name -> (arguments, text the one error line must contain)."""
    good = folder / "good.csv"
    run = ["run", "--data", good, *COLUMNS, *QUICK]
    check = ["check", "--data", good, *COLUMNS]
    return {
        # 1. --data ''
        "run: empty --data": (["run", "--data", "", *QUICK], "argument --data: must not be empty"),
        "check: empty --data": (["check", "--data", ""], "argument --data: must not be empty"),
        "check: blank --data": (["check", "--data", "  "], "argument --data: must not be empty"),
        # 2. --out '', --label-sep ''
        "run: empty --out": ([*run, "--out", ""], "argument --out: must not be empty"),
        "run: empty --cache": ([*run, "--cache", ""], "argument --cache: must not be empty"),
        "check: empty --label-sep": ([*check, "--label-sep", ""], "--label-sep: must not be"),
        "run: empty --label-sep": ([*run, "--label-sep", ""], "--label-sep: must not be"),
        # 3. unwritable --out, --cache a file
        "run: --out below a file": ([*run, "--out", folder / "a_file" / "out"], "--out"),
        "run: --out a file": ([*run, "--out", folder / "a_file"], "is not a folder"),
        "run: --cache a file": ([*run, "--cache", folder / "a_file"], "--cache"),
        "run: --cache below a file": ([*run, "--cache", folder / "a_file" / "c"], "--cache"),
        # 4. every option error is one line naming the option
        "run: no --data": (["run", *COLUMNS], "--data"),
        "check: no --data": (["check"], "--data"),
        "no command": ([], "COMMAND"),
        "unknown command": (["train"], "invalid choice"),
        "run: unknown option": ([*run, "--sedes", "3"], "--sedes"),
        "check: run's option": ([*check, "--seeds", "3"], "--seeds"),
        "run: --seeds not a number": ([*run, "--seeds", "two"], "--seeds"),
        "run: --seeds 0": ([*run, "--seeds", "0"], "--seeds"),
        "run: --splits 1": (
            [*run, "--splits", "1"],
            "argument --splits: must be at least 2, got 1",
        ),
        "run: --splits 0": ([*run, "--splits", "0"], "argument --splits: must be at least 2"),
        "run: --splits -3": ([*run, "--splits=-3"], "argument --splits: must be at least 2"),
        "run: --splits words": ([*run, "--splits", "five"], "argument --splits: not an integer"),
        "run: --splits 2.5": ([*run, "--splits", "2.5"], "argument --splits: not an integer"),
        "run: --splits empty": ([*run, "--splits", ""], "argument --splits"),
        "run: --splits missing value": ([*run, "--splits"], "--splits"),
        "check: --splits": ([*check, "--splits", "3"], "--splits"),
        "run: --seeds missing value": ([*run, "--seeds"], "--seeds"),
        "run: --epochs 0": ([*run, "--epochs", "0"], "--epochs"),
        "run: --epochs words": ([*run, "--epochs", "a,b"], "--epochs"),
        "run: --epochs empty": ([*run, "--epochs", ""], "--epochs"),
        "run: --batch-size 0": ([*run, "--batch-size", "0"], "--batch-size"),
        "run: --workers 0": ([*run, "--workers", "0"], "--workers"),
        "run: --backend other": ([*run, "--backend", "spark"], "--backend"),
        "run: --heads unknown": (
            [*run, "--heads", "sigmoid_bce,softmax"],
            "unknown head 'softmax'",
        ),
        "run: --heads one": ([*run, "--heads", "asl"], "at least two heads"),
        "run: --heads twice": ([*run, "--heads", "asl,zlpr,asl"], "named twice"),
        "run: --learning-rates 0": ([*run, "--learning-rates", "0"], "--learning-rates"),
        "run: --learning-rates empty": ([*run, "--learning-rates", ""], "--learning-rates"),
        "run: --learning-rates trailing comma": (
            [*run, "--learning-rates", "0.1,"],
            "--learning-rates",
        ),
        # 5. non-finite numbers
        "run: --learning-rates inf": ([*run, "--learning-rates", "inf"], "finite"),
        "run: --learning-rates nan": ([*run, "--learning-rates", "nan"], "--learning-rates"),
        "run: --learning-rates 0.1,inf": ([*run, "--learning-rates", "0.1,inf"], "finite"),
        "run: --learning-rates 1e400": ([*run, "--learning-rates", "1e400"], "finite"),
        "run: --learning-rates -inf": ([*run, "--learning-rates=-inf"], "--learning-rates"),
        "run: --seeds 2.5": ([*run, "--seeds", "2.5"], "--seeds"),
        "run: --epochs 2,-1": ([*run, "--epochs", "2,-1"], "--epochs"),
        "run: --batch-size -1": ([*run, "--batch-size=-1"], "--batch-size"),
        "run: --workers x": ([*run, "--workers", "x"], "--workers"),
        # the data: every problem names the file, and the row and column where there is one
        "check: missing file": (["check", "--data", folder / "nope.csv", *COLUMNS], "not found"),
        "check: a folder as --data": (
            ["check", "--data", folder / "a_folder", *COLUMNS],
            "a_folder",
        ),
        "run: missing file": (["run", "--data", folder / "nope.csv", *COLUMNS, *QUICK], "nope"),
        "check: missing text column": (
            ["check", "--data", good, "--text-col", "plot", "--labels-col", "genres"],
            "no column 'plot' (--text-col)",
        ),
        "check: missing labels column": (
            ["check", "--data", good, "--text-col", "synopsis", "--labels-col", "tags"],
            "no column 'tags' (--labels-col)",
        ),
        "check: missing id column": ([*check, "--id-col", "key"], "no column 'key' (--id-col)"),
        "check: missing column of a wide file": (
            ["check", "--data", folder / "wide.csv", *COLUMNS],
            "and 292 more",
        ),
        "check: no columns named": (["check", "--data", good], "--text-col and --labels-col"),
        "check: no labels column": (
            ["check", "--data", good, "--text-col", "synopsis"],
            "--labels-col",
        ),
        "check: columns with films": (["check", "--data", "films", "--id-col", "x"], "only apply"),
        "check: empty text": (
            ["check", "--data", folder / "empty_text.csv", *COLUMNS],
            "row 3, column 'synopsis'",
        ),
        "check: duplicate id": (
            ["check", "--data", folder / "duplicate.csv", *COLUMNS, "--id-col", "id"],
            "duplicate id 'doc1' (lines 3 and 6 of the file)",
        ),
        "check: not utf-8": (["check", "--data", folder / "latin1.csv", *COLUMNS], "utf-8"),
        "check: empty file": (["check", "--data", folder / "empty.csv", *COLUMNS], "empty.csv"),
        "check: header only": (
            ["check", "--data", folder / "header_only.csv", *COLUMNS],
            "no data rows",
        ),
        "check: one label": (
            ["check", "--data", folder / "one_label.csv", *COLUMNS],
            "at least two",
        ),
        "check: semicolons": (
            ["check", "--data", folder / "semicolons.csv", *COLUMNS],
            "pass --label-sep ';'",
        ),
        "check: dots": (["check", "--data", folder / "dots.csv", *COLUMNS], "--label-sep '.'"),
        "check: plus": (["check", "--data", folder / "plus.csv", *COLUMNS], "--label-sep '+'"),
        "run: dots": (["run", "--data", folder / "dots.csv", *COLUMNS, *QUICK], "--label-sep '.'"),
        "check: wrong --label-sep": ([*check, "--label-sep", ";"], "--label-sep ','"),
        "check: JSON list without ]": (
            ["check", "--data", folder / "json_open.csv", *COLUMNS],
            "row 2, column 'genres': labels cell starts a JSON list but has no closing ']'",
        ),
        "check: JSON null": (
            ["check", "--data", folder / "json_null.csv", *COLUMNS],
            "row 2, column 'genres'",
        ),
        "check: JSON nested": (
            ["check", "--data", folder / "json_nested.csv", *COLUMNS],
            "row 2, column 'genres'",
        ),
        "check: JSON broken": (
            ["check", "--data", folder / "json_broken.csv", *COLUMNS],
            "row 2, column 'genres'",
        ),
        "run: JSON null": (
            ["run", "--data", folder / "json_null.csv", *COLUMNS, *QUICK],
            "row 2, column 'genres'",
        ),
        "check: whitespace-only text": (
            ["check", "--data", folder / "blank_text.csv", *COLUMNS],
            "row 3, column 'synopsis': empty text",
        ),
        "check: extra field": (
            ["check", "--data", folder / "extra_field.csv", *COLUMNS],
            "line 5",
        ),
        "check: UTF-16": (["check", "--data", folder / "utf16.csv", *COLUMNS], "UTF-16"),
        "check: NUL byte": (["check", "--data", folder / "nul.csv", *COLUMNS], "NUL byte"),
        "check: binary garbage": (
            ["check", "--data", folder / "garbage.csv", *COLUMNS],
            "not valid utf-8",
        ),
        "run: too few rows to split": (
            ["run", "--data", folder / "tiny.csv", *COLUMNS, *QUICK],
            "too few to split",
        ),
        "run: scheduler and local": (
            [*run, "--backend", "local", "--scheduler", "tcp://x:1"],
            "--scheduler needs --backend dask",
        ),
    }


CASES = list(cases(Path("/nowhere")))


def assert_refused(result, expected: str, work: Path) -> None:
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert len(lines[0]) <= 300, lines[0]
    assert ": error: " in lines[0], lines[0]
    assert expected in lines[0], lines[0]
    assert list(work.iterdir()) == [], "bad input left files behind"


def in_process(args, cwd: Path, monkeypatch, capsys) -> subprocess.CompletedProcess:
    """``genrebench ARGS`` through :func:`genrebench.cli.main` in this process: the same
    parser and checks as the console script (which ``test_cli`` drives as a subprocess),
    without starting an interpreter for each of the matrix's cases."""
    from genrebench.cli import main

    monkeypatch.chdir(cwd)
    try:
        status = main([str(arg) for arg in args])
    except SystemExit as stop:  # argparse's own exits (--help, usage errors)
        status = stop.code
    captured = capsys.readouterr()
    return subprocess.CompletedProcess(args, status, captured.out, captured.err)


@pytest.mark.parametrize("case", CASES)
def test_bad_input_is_one_line_exit_2_and_nothing_written(
    case, inputs, tmp_path, monkeypatch, capsys
):
    args, expected = cases(inputs)[case]
    result = in_process(args, tmp_path, monkeypatch, capsys)
    assert_refused(result, expected, tmp_path)


@pytest.mark.parametrize(
    "case", ["run: empty --data", "check: dots", "run: --seeds 0", "run: --splits 1"]
)
def test_the_console_script_refuses_the_same_way(case, inputs, tmp_path):
    """A few cases through the installed ``genrebench`` script, as a user runs it."""
    args, expected = cases(inputs)[case]
    assert_refused(genrebench(*args, cwd=tmp_path, timeout=120), expected, tmp_path)


def test_help_is_still_the_full_usage():
    result = genrebench("run", "--help")
    assert result.returncode == 0
    assert result.stdout.startswith("usage: genrebench run")
    assert len(result.stdout.splitlines()) > 20


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_out_is_refused_before_training(inputs, tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        work = tmp_path / "work"
        work.mkdir()
        result = genrebench(
            "run",
            "--data",
            inputs / "good.csv",
            *COLUMNS,
            *QUICK,
            "--out",
            locked / "out",
            cwd=work,
        )
        assert_refused(result, "--out", work)
    finally:
        locked.chmod(0o700)


#: Valid files that look unusual: file name -> documents ``check`` must report.
VALID = {
    "bom.csv": 60,
    "crlf.csv": 60,
    "quoted_newline.csv": 60,
    "label_on_one_row.csv": 60,
}


@pytest.mark.parametrize("name", sorted(VALID))
def test_valid_input_in_unusual_clothes_is_read(name, inputs, tmp_path, monkeypatch, capsys):
    args = ["check", "--data", inputs / name, *COLUMNS]
    result = in_process(args, tmp_path, monkeypatch, capsys)
    assert result.returncode == 0, result.stderr
    assert f"{VALID[name]} documents, 6 labels" in result.stdout
    assert list(tmp_path.iterdir()) == [], "check wrote something"


@pytest.mark.slow
def test_a_run_on_valid_unusual_input_writes_a_complete_result_set(inputs, tmp_path):
    """BOM, CRLF line ends and a quoted newline together, and heads other than the default
    ones (--heads): exit 0 and every output file, with the heads asked for; the report draws
    the loss family's forest plot for them (the book's figure, for this dataset alone)."""
    from genrebench.report import FAMILY_FILE

    raw = (inputs / "quoted_newline.csv").read_bytes().replace(b"\n", b"\r\n")
    data = tmp_path / "unusual.csv"
    data.write_bytes(b"\xef\xbb\xbf" + raw)
    out = tmp_path / "out"
    heads = ["zlpr", "sigmoid_bce"]
    result = genrebench(
        "run",
        "--data",
        data,
        *COLUMNS,
        *QUICK,
        "--heads",
        ",".join(heads),
        "--out",
        out,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    trained = set(pd.read_csv(out / "results.csv")["head"]) - {"ovr_logreg"}  # the baseline
    assert trained == set(heads)
    differences = pd.read_csv(out / "differences.csv")
    assert set(differences["versus"]) == set(heads) - {"sigmoid_bce"}  # the reference
    # zlpr's consistent decoder is micro-F1's matched one: that comparison is not made twice.
    assert set(differences["decoder"]) == {"matched", "natural", "threshold_0.5"}
    for name in ("results.csv", "summary.csv", "differences.csv", "per_label.csv", "search.csv"):
        assert (out / name).stat().st_size > 0, name
    report = (out / "report.html").read_text()
    assert report.endswith("</html>")
    assert len(list((out / "figures").iterdir())) >= 3 * 7
    assert (out / "figures" / f"{FAMILY_FILE}.png").is_file()
    assert f'<figure id="{FAMILY_FILE}">' in report
