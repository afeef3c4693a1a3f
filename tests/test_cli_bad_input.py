"""Bad input to the command: status 2, one short line on stderr naming the problem, nothing
written, and refused before any training (a ``run`` here would train on tiny data with one
epoch, so a refusal that came too late shows as a slow test or a wrong status)."""

import os
from pathlib import Path

import pytest

from tests.test_cli import genrebench, write_csv

COLUMNS = ["--text-col", "synopsis", "--labels-col", "genres"]
#: Training settings that make a run short if a refusal is missed.
QUICK = ["--seeds", "2", "--learning-rates", "0.03", "--epochs", "1"]


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("inputs")
    write_csv(folder / "good.csv", n=60)
    (folder / "a_file").write_text("not a folder\n")
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
        "run: --seeds missing value": ([*run, "--seeds"], "--seeds"),
        "run: --epochs 0": ([*run, "--epochs", "0"], "--epochs"),
        "run: --epochs words": ([*run, "--epochs", "a,b"], "--epochs"),
        "run: --epochs empty": ([*run, "--epochs", ""], "--epochs"),
        "run: --batch-size 0": ([*run, "--batch-size", "0"], "--batch-size"),
        "run: --workers 0": ([*run, "--workers", "0"], "--workers"),
        "run: --backend other": ([*run, "--backend", "spark"], "--backend"),
        "run: --learning-rates 0": ([*run, "--learning-rates", "0"], "--learning-rates"),
        "run: --learning-rates empty": ([*run, "--learning-rates", ""], "--learning-rates"),
        "run: --learning-rates trailing comma": (
            [*run, "--learning-rates", "0.1,"],
            "--learning-rates",
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


@pytest.mark.parametrize("case", CASES)
def test_bad_input_is_one_line_exit_2_and_nothing_written(case, inputs, tmp_path):
    args, expected = cases(inputs)[case]
    result = genrebench(*args, cwd=tmp_path, timeout=120)
    assert_refused(result, expected, tmp_path)


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
