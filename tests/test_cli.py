"""The ``genrebench`` command, driven as a user would: a subprocess on CSV files the tests write."""

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from tests.helpers import COMMAND, SMALL, data_args, genrebench, interruptible, write_csv


@pytest.fixture(scope="module")
def good_csv(tmp_path_factory) -> Path:
    return write_csv(tmp_path_factory.mktemp("data") / "mine.csv")


# --- Help and checking ---------------------------------------------------------------------------


@pytest.mark.parametrize("command", [[], ["run"], ["check"]])
def test_every_command_has_help(command):
    result = genrebench(*command, "--help")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: genrebench")
    if command == ["run"]:
        options = ("--data", "--splits", "--seeds", "--out", "--scheduler", "--backend")
        for option in (*options, "--workers"):
            assert option in result.stdout
        flat = " ".join(result.stdout.split())
        assert "a grid given with --learning-rates or --epochs is searched exactly as given" in flat
        assert "training seeds 0..S-1 per split and head" in flat


@pytest.mark.parametrize(
    ("options", "grown"),
    [
        ([], True),
        (["--learning-rates", "0.01,0.03"], False),
        (["--epochs", "2,4"], False),
        (["--learning-rates", "0.01", "--epochs", "3"], False),
    ],
    ids=["default grid", "learning rates given", "epochs given", "both given"],
)
def test_a_grid_the_user_gives_is_searched_as_given(options, grown):
    """The protocol's grid grows past its edges; a grid given explicitly never does."""
    from genrebench.experiments import protocol
    from genrebench.options import build_parser, search_grid

    args = build_parser().parse_args(["run", "--data", "films", *options])
    rates, epochs, extend = search_grid(args)
    assert extend == (protocol.MAX_GRID_EXTENSIONS if grown else 0)
    given = dict(zip(options[::2], options[1::2], strict=True))
    assert rates == tuple(
        map(float, given["--learning-rates"].split(","))
        if "--learning-rates" in given
        else protocol.SEARCH_LEARNING_RATES
    )
    assert epochs == tuple(
        map(int, given["--epochs"].split(",")) if "--epochs" in given else protocol.SNAPSHOT_EPOCHS
    )
    assert (args.splits, args.seeds) == (len(protocol.SPLITS), len(protocol.SPLIT_SEEDS))


def test_check_summarises_a_csv_without_writing_anything(good_csv, tmp_path):
    result = genrebench("check", *data_args(good_csv), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("mine.csv: 400 documents, 6 labels")
    assert re.search(r"^\s+Drama\s+\d+\s+\d+\.\d+%$", result.stdout, flags=re.MULTILINE)
    assert list(tmp_path.iterdir()) == []


# --- Bad input: status 2, one line, nothing written ----------------------------------------------


def bad_inputs(folder: Path) -> dict:
    folder.mkdir(exist_ok=True)
    good = write_csv(folder / "good.csv", n=60)
    empty_text = folder / "empty_text.csv"
    lines = good.read_text().splitlines()
    lines[3] = 'doc2,,"Drama"'
    empty_text.write_text("\n".join(lines) + "\n")
    duplicate = folder / "duplicate.csv"
    lines = good.read_text().splitlines()
    lines[5] = lines[5].replace("doc4,", "doc1,", 1)
    duplicate.write_text("\n".join(lines) + "\n")
    semicolons = write_csv(folder / "semicolons.csv", n=60, sep=";")
    latin1 = folder / "latin1.csv"
    latin1.write_bytes(good.read_bytes().replace(b"noise1 ", "café ".encode("latin-1"), 1))
    common = ["--text-col", "synopsis", "--labels-col", "genres"]
    return {
        "missing file": (
            ["run", "--data", folder / "nope.csv", *common],
            "nope.csv: file not found",
        ),
        "missing column": (
            ["run", "--data", good, "--text-col", "plot", "--labels-col", "genres"],
            "no column 'plot' (--text-col)",
        ),
        "empty text": (["run", "--data", empty_text, *common], "row 3, column 'synopsis'"),
        "duplicate id": (
            ["run", "--data", duplicate, *common, "--id-col", "id"],
            "duplicate id 'doc1'",
        ),
        "not utf-8": (["check", "--data", latin1, *common], "is not valid utf-8"),
        "other separator": (
            ["check", "--data", semicolons, *common],
            "contains ';'; pass --label-sep ';'",
        ),
        "no columns named": (["run", "--data", good], "needs --text-col and --labels-col"),
        "columns with films": (
            ["run", "--data", "films", "--text-col", "x"],
            "only apply to a CSV",
        ),
        "one seed": (["run", "--data", good, *common, "--seeds", "1"], "must be at least 2"),
        "one split": (
            ["run", "--data", good, *common, "--splits", "1"],
            "argument --splits: must be at least 2, got 1",
        ),
        "bad learning rate": (
            ["run", "--data", good, *common, "--learning-rates", "0.1,-1"],
            "every value must be positive",
        ),
        "out is a file": (["run", "--data", good, *common, "--out", good], "is not a folder"),
        "scheduler and local": (
            ["run", "--data", good, *common, "--backend", "local", "--scheduler", "tcp://x:1"],
            "--scheduler needs --backend dask",
        ),
    }


BAD_CASES = [
    "missing file",
    "missing column",
    "empty text",
    "duplicate id",
    "not utf-8",
    "other separator",
    "no columns named",
    "columns with films",
    "one seed",
    "one split",
    "bad learning rate",
    "out is a file",
    "scheduler and local",
]


@pytest.mark.parametrize("case", BAD_CASES)
def test_bad_input_exits_2_with_one_clear_line_and_writes_nothing(case, tmp_path):
    cases = bad_inputs(tmp_path / "inputs")
    args, expected = cases[case]
    work = tmp_path / "work"
    work.mkdir()
    result = genrebench(*args, cwd=work)
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    error_lines = [line for line in lines if "error:" in line]
    assert len(error_lines) == 1, result.stderr
    assert expected in error_lines[0], result.stderr
    assert list(work.iterdir()) == [], "bad input left files behind"


# --- A run end to end ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def small_run(good_csv, tmp_path_factory):
    out = tmp_path_factory.mktemp("run") / "out"
    result = genrebench("run", *data_args(good_csv), *SMALL, "--out", out)
    assert result.returncode == 0, result.stderr[-3000:]
    return out, result


@pytest.mark.slow
def test_run_writes_tables_figures_and_a_report(small_run):
    out, result = small_run
    names = ("results", "summary", "differences", "choices", "per_label", "search", "report")
    for name in (*names, "run"):
        assert f"{name}: " in result.stdout
    results = pd.read_csv(out / "results.csv")
    assert set(results["head"]) == {"sigmoid_bce", "softmax_cce", "softmax_cce_norm", "ovr_logreg"}
    assert set(results.dropna(subset=["train_seed"])["train_seed"]) == {0, 1}
    assert set(results["split"]) == {"test"}
    summary = pd.read_csv(out / "summary.csv")
    row = summary.query(
        "head == 'sigmoid_bce' and decoder == 'global_tuned' and metric == 'f1_micro'"
    )
    assert len(row) == 1 and row["low"].iloc[0] <= row["mean"].iloc[0] <= row["high"].iloc[0]
    assert row["splits"].iloc[0] == 2 and row["seeds"].iloc[0] == 2
    per_label = pd.read_csv(out / "per_label.csv", index_col=0)
    assert list(per_label.index) == sorted(
        ["Comedy", "Drama", "Horror", "Noir", "Sci-Fi", "Western"]
    )
    figures = ("fig-heads-f1-by-decoder", "fig-heads-paired", "fig-f1-per-genre")
    for figure in (*figures, "fig-travel-forest-one-dataset"):
        for fmt in ("png", "svg", "pdf"):
            assert (out / "figures" / f"{figure}.{fmt}").stat().st_size > 1000
    info = json.loads((out / "run.json").read_text())
    assert info["training seeds per split"] == 2 and info["labels"] == 6
    assert info["data splits"] == 2 and info["split seeds"] == [0, 1]
    # Progress went to stderr, split by split, with an ETA; nothing from TensorFlow.
    assert "split 1: seeds: " in result.stderr and "ETA" in result.stderr
    assert "tensorflow" not in result.stderr.lower() and "Traceback" not in result.stderr


@pytest.mark.slow
def test_the_run_is_split_aware(small_run):
    """Every split's test and validation rows, the comparison across splits (one primary
    row, matched decoders, intervals over the two splits) and each split's choices."""
    out, _ = small_run
    results = pd.read_csv(out / "results.csv")
    assert set(results["split_seed"]) == {0, 1}
    for split, rows in results.dropna(subset=["train_seed"]).groupby("split_seed"):
        assert set(rows["train_seed"]) == {0, 1}, split
    assert set(results.query("head == 'ovr_logreg'")["split_seed"]) == {0, 1}
    search = pd.read_csv(out / "search.csv")
    assert set(search["split_seed"]) == {0, 1} and set(search["split"]) == {"val"}
    differences = pd.read_csv(out / "differences.csv")
    assert set(differences["dataset"]) == {"mine.csv"}
    assert set(differences["versus"]) == {"softmax_cce", "softmax_cce_norm"}
    assert {"matched", "consistent", "natural", "threshold_0.5"} == set(differences["decoder"])
    assert (differences["splits"] == 2).all()
    # Four verdicts and the margin they were judged at, with each row's detectable difference.
    assert set(differences["verdict"]) <= {"ahead", "behind", "equivalent", "undecided"}
    assert (differences["margin"] == 0.01).all() and (differences["mde"] > 0).all()
    assert (differences["low90"] >= differences["low"]).all()
    primary = differences[differences["primary"]]
    assert len(primary) == 1
    assert tuple(primary[["versus", "decoder", "metric"]].iloc[0]) == (
        "softmax_cce",
        "matched",
        "f1_micro",
    )
    choices = pd.read_csv(out / "choices.csv")
    assert list(choices["head"]) == ["sigmoid_bce", "softmax_cce", "softmax_cce_norm"]
    assert set(choices["splits on an edge"].str.endswith("of 2")) == {True}


@pytest.mark.slow
def test_a_grid_given_explicitly_is_not_grown(small_run):
    out, _ = small_run
    info = json.loads((out / "run.json").read_text())
    assert info["search grid"].startswith("as given")
    for split in ("split 0", "split 1"):
        grid = info["final grids"][split]
        assert grid == {"learning rates": [0.03], "epochs": [2, 4], "times grown": 0}
    search = pd.read_csv(out / "search.csv")
    assert set(search["learning_rate"]) == {0.03} and set(search["epoch"]) == {2, 4}


@pytest.mark.slow
def test_the_report_answers_both_questions_with_intervals_and_stands_alone(small_run):
    out, _ = small_run
    page = (out / "report.html").read_text()
    assert "<h2>Sigmoid or softmax?</h2>" in page and "<h2>Which F1 to report?</h2>" in page
    assert re.search(r"micro-F1 -?\d\.\d{3} \[-?\d\.\d{3},", page)
    # Names in words, except where the run's options are recorded as they were given.
    prose = page.replace("<td>sigmoid_bce, softmax_cce, softmax_cce_norm</td>", "")
    assert "global_tuned" not in prose and "sigmoid_bce" not in prose
    assert "95% interval over splits, seeds and test documents (corrected resampled t)" in page
    assert "<h2>Across splits</h2>" in page and "Primary comparison" in page
    # The margin and the detectable difference, from the same rows as differences.csv.
    primary = pd.read_csv(out / "differences.csv").query("primary").iloc[0]
    assert "inside the margin ±0.01 F1" in page
    assert f"detects with 80% power is {primary['mde']:.3f} micro-F1" in page
    assert " level " not in page
    # Self-contained: every figure inline, nothing fetched from anywhere.
    # The chapter's seven, the forest and the levers across splits.
    assert page.count('src="data:image/png;base64,') == 9
    assert not re.search(r"""(src|href)=["'](?!data:)""", page)
    assert "Only 2 data splits" in page  # the caveat for a small number of splits
    assert "fig-heads-paired (split 0):" in page


@pytest.mark.slow
def test_the_reports_headline_is_the_answer_across_splits(small_run):
    """The report's first answer is the answer built from differences.csv, the comparison
    across splits, not one split's seed intervals."""
    from genrebench.report_html import text_html
    from genrebench.results.headlines import split_heads_answer
    from genrebench.results.wording import LEVER_HEADLINES

    out, _ = small_run
    differences = pd.read_csv(out / "differences.csv")
    answer = split_heads_answer(differences, "sigmoid_bce", seeds=2)
    page = (out / "report.html").read_text()
    answers = re.findall(r'<p class="answer"><strong>(.*?)</strong> (.*?)</p>', page)
    # The levers come first (results.levers), then the head question.
    assert answers[0][0] in map(text_html, LEVER_HEADLINES.values())
    headline, why = answers[1]
    assert headline == text_html(answer.headline)
    assert why.startswith(
        f"In micro-F1 under one threshold tuned on validation, {text_html('sigmoid_bce')} is"
    )
    assert "Measured on mine.csv" in why and "2 data splits" in why
    assert "<li>Only 2 data splits: intervals over so few splits are wide." in page


@pytest.mark.slow
def test_ctrl_c_stops_cleanly_and_a_rerun_resumes_to_the_same_results(
    good_csv, small_run, tmp_path
):
    out = tmp_path / "out"
    args = [str(COMMAND), "run", *map(str, data_args(good_csv)), *SMALL, "--out", str(out)]
    process = subprocess.Popen(
        args,
        stderr=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        preexec_fn=interruptible,
    )
    stderr = []
    deadline = time.monotonic() + 300
    for line in process.stderr:
        stderr.append(line)
        if re.search(r"search: [1-9]/\d+ runs trained", line) or time.monotonic() > deadline:
            break
    process.send_signal(signal.SIGINT)
    _, rest = process.communicate(timeout=120)
    stderr_text = "".join(stderr) + rest
    assert process.returncode == 130, stderr_text
    assert "interrupted" in stderr_text and "run the same command again to resume" in stderr_text
    assert "Traceback" not in stderr_text
    assert not (out / "results.csv").exists(), "an interrupted run wrote results"
    finished = [p for p in (out / "cache").iterdir() if not p.name.startswith(".")]
    assert finished, "the run finished before the interrupt arrived"

    resumed = genrebench(*args[1:])
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    cached = re.findall(r"runs trained, (\d+) from the cache", resumed.stderr)
    assert int(cached[0]) > 0, "the rerun trained again what the interrupted run finished"
    clean_out, _ = small_run
    assert (out / "results.csv").read_text() == (clean_out / "results.csv").read_text()


@pytest.mark.slow
def test_a_local_dask_cluster_gives_the_same_results_as_one_process(good_csv, small_run, tmp_path):
    out = tmp_path / "out"
    result = genrebench(
        "run", *data_args(good_csv), *SMALL, "--out", out, "--backend", "dask", "--workers", "2"
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Dask scheduler tcp://127.0.0.1" in result.stderr
    clean_out, _ = small_run
    assert (out / "results.csv").read_text() == (clean_out / "results.csv").read_text()


@pytest.fixture(scope="module")
def scheduler():
    """A Dask scheduler with two one-thread worker processes, as a user would start one."""
    import logging

    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        host="127.0.0.1",
        dashboard_address=None,
        silence_logs=logging.ERROR,
    )
    yield cluster.scheduler_address
    cluster.close()


@pytest.mark.slow
def test_runs_go_to_a_running_scheduler_and_give_the_same_results(
    good_csv, small_run, scheduler, tmp_path
):
    out = tmp_path / "out"
    result = genrebench("run", *data_args(good_csv), *SMALL, "--out", out, "--scheduler", scheduler)
    assert result.returncode == 0, result.stderr[-3000:]
    assert f"Dask scheduler {scheduler} (2 workers)" in result.stderr
    clean_out, _ = small_run
    assert (out / "results.csv").read_text() == (clean_out / "results.csv").read_text()


def test_an_unreachable_scheduler_is_one_clear_line(good_csv, tmp_path):
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = genrebench(
        "run",
        *data_args(good_csv),
        "--out",
        tmp_path / "out",
        "--scheduler",
        f"tcp://127.0.0.1:{port}",
    )
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert f"cannot reach the Dask scheduler tcp://127.0.0.1:{port}" in result.stderr


def test_python_dash_m_runs_the_same_command():
    result = subprocess.run(
        [sys.executable, "-m", "genrebench", "--version"], capture_output=True, text=True
    )
    assert result.returncode == 0 and result.stdout.startswith("genrebench ")


@pytest.mark.slow
def test_ctrl_c_in_a_terminal_stops_a_local_cluster_without_tracebacks(good_csv, tmp_path):
    """A terminal sends SIGINT to the whole process group, worker processes included."""
    args = [*map(str, data_args(good_csv)), *SMALL, "--out", str(tmp_path / "out")]
    process = subprocess.Popen(
        [str(COMMAND), "run", *args, "--backend", "dask", "--workers", "2"],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
        start_new_session=True,  # its own process group, as in a terminal
        preexec_fn=interruptible,
    )
    seen = []
    for line in process.stderr:
        seen.append(line)
        if "runs trained" in line:
            break
    os.killpg(process.pid, signal.SIGINT)
    _, rest = process.communicate(timeout=120)
    stderr = "".join(seen) + rest
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr, stderr
    assert "interrupted" in stderr


def test_check_refuses_control_characters_in_label_names_and_shows_them_escaped(tmp_path):
    """A label carrying an ANSI escape is refused (issue 30: it would reach SVG and HTML
    raw), in one line that shows it escaped, never sent to the terminal raw."""
    data = tmp_path / "ansi.csv"
    rows = ["synopsis,genres"]
    rows += [f'doc {i} words,"Drama,\x1b[31mRed\x1b[0m"' for i in range(4)]
    rows += [f"doc {i} more,Comedy" for i in range(4)]
    data.write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = genrebench("check", "--data", data, "--text-col", "synopsis", "--labels-col", "genres")
    assert result.returncode == 2, result.stderr
    assert "\x1b" not in result.stderr and "\r" not in result.stderr
    assert "'\\x1b[31mRed\\x1b[0m' holds a control character" in result.stderr


@pytest.mark.slow
def test_a_diverging_learning_rate_is_reported_not_a_crash(tmp_path):
    """A learning rate that diverges is skipped by selection and named in the report (two
    heads on 150 documents: the behaviour does not need more)."""
    out = tmp_path / "out"
    data = write_csv(tmp_path / "small.csv", n=150)
    settings = ["--splits", "2", "--seeds", "2", "--learning-rates", "0.03,1e30", "--epochs", "1"]
    heads = ["--heads", "sigmoid_bce,softmax_cce"]
    result = genrebench("run", *data_args(data), *settings, *heads, "--out", out)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    assert "runs diverged" in result.stderr
    page = (out / "report.html").read_text()
    assert "diverged runs" in page and "learning rate 1e+30" in page


@pytest.mark.slow
def test_a_grid_where_every_rate_diverges_is_one_clear_line(good_csv, tmp_path):
    """With nothing left to select, the run stops with status 2 and one line naming the
    option to change, never a traceback."""
    alone = genrebench(
        "run",
        *data_args(good_csv),
        "--splits",
        "2",
        "--seeds",
        "2",
        "--learning-rates",
        "1e30",
        "--epochs",
        "1",
        "--out",
        tmp_path / "alone",
    )
    assert alone.returncode == 2, alone.stderr[-3000:]
    lines = [line for line in alone.stderr.splitlines() if "error:" in line]
    assert len(lines) == 1 and "diverged" in lines[0] and "--learning-rates" in lines[0]
    assert "Traceback" not in alone.stderr


@pytest.mark.slow
def test_a_label_with_dollar_signs_is_drawn_as_written(tmp_path):
    """Matplotlib's mathtext never sees user strings: 'Cost $x^$' used to crash after training."""
    data = write_csv(tmp_path / "dollars.csv", n=200)
    data.write_text(data.read_text().replace("Horror", "Cost $x^$"))
    out = tmp_path / "out"
    settings = ["--splits", "2", "--seeds", "2", "--learning-rates", "0.03", "--epochs", "2"]
    result = genrebench("run", *data_args(data), *settings, "--out", out)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Cost $x^$" in (out / "per_label.csv").read_text()
