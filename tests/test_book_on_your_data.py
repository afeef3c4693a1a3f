"""The films chapters rerun on a reader's CSV (``GENREBENCH_*``), and say what those data show.

Only what depends on the CSV is executed: the four chapters that read it, each in a fresh
kernel with ``GENREBENCH_DATA`` pointing at a small CSV the test writes (the rest of the
book does not change with the data, and the strict build of the whole book is tested once,
in ``test_book_build``). Then the ``genrebench`` command on the same CSV, which must reuse
the chapters' runs and agree with their numbers and their answer.
"""

import html
import re
import shutil
import subprocess

import pandas as pd
import pytest

from genrebench.data.sources import load_source
from genrebench.experiments import protocol
from genrebench.experiments.runs import prepare
from tests.conftest import ROOT
from tests.helpers import COMMAND, LABELS, execute, glue_values, write_csv

pytestmark = pytest.mark.slow

COLUMNS = {"text_col": "synopsis", "labels_col": "genres", "id_col": "id"}


#: The chapters whose results follow GENREBENCH_DATA.
CHAPTERS = ("03_f1_modes", "04_heads_compared", "06_decoding_calibration", "08_answers")


def glued(notebook) -> dict[str, str]:
    """Every value the notebook glued, as the text the page shows."""
    return {name: data["text/plain"].strip("'\"") for name, data in glue_values(notebook).items()}


@pytest.fixture(scope="module")
def chapters_on_csv(built_book, tmp_path_factory, monkeypatch_module):
    """The CSV-dependent chapters executed on a CSV; ``built_book`` first, so the sweeps that
    the answers chapter reads are cached."""
    data = write_csv(tmp_path_factory.mktemp("data") / "synopses.csv", n=700, seed=3)
    folder = tmp_path_factory.mktemp("chapters")
    for name in ("_toc.yml", "notebooks", "benchmarks"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, folder / name)
        else:
            shutil.copy2(source, folder / name)
    for name, value in {
        "GENREBENCH_DATA": str(data),
        "GENREBENCH_TEXT_COL": COLUMNS["text_col"],
        "GENREBENCH_LABELS_COL": COLUMNS["labels_col"],
        "GENREBENCH_ID_COL": COLUMNS["id_col"],
        "GENREBENCH_CACHE": str(ROOT / ".genrebench_cache"),
        "GENREBENCH_FIGURES_DIR": str(folder / "figures"),
    }.items():
        monkeypatch_module.setenv(name, value)
    executed = {name: execute(folder, name) for name in CHAPTERS}
    for name, notebook in executed.items():
        for cell in notebook.cells:
            for output in cell.get("outputs", []):
                assert output.get("name") != "stderr", f"{name} wrote to stderr: {output}"
    return data, executed


def test_the_heads_chapter_describes_the_csv_not_the_films(chapters_on_csv):
    data, executed = chapters_on_csv
    prepared = prepare(load_source(str(data), **COLUMNS), split_seed=protocol.SPLIT_SEED)
    sizes = prepared.info["documents"]
    values = glued(executed["04_heads_compared"])
    for split_name in ("train", "val", "test"):
        assert values[f"heads-n-{split_name}"] == str(sizes[split_name])
    assert values["heads-n-features"] == str(prepared.info["features"])
    assert values["heads-n-labels"] == str(len(LABELS))


def test_the_command_reuses_the_books_runs_and_agrees_with_its_answer(chapters_on_csv, tmp_path):
    """The chapters run one split (``protocol.SPLIT_SEED``) with ``protocol.SEEDS``; the
    command with ``--seeds`` of that many has that study as its split 0 and trains only its
    second split. Split 0's tables and the answer to "which F1?" (from split 0) agree with
    the chapters; the answer to "which head?" rests on both splits (differences.csv)."""
    from genrebench.report import text_html
    from genrebench.results.answers import split_heads_answer

    data, executed = chapters_on_csv
    out = tmp_path / "out"
    result = subprocess.run(
        [str(COMMAND), "run", "--data", str(data), "--text-col", COLUMNS["text_col"],
         "--labels-col", COLUMNS["labels_col"], "--id-col", COLUMNS["id_col"],
         "--splits", "2", "--seeds", str(len(protocol.SEEDS)),
         "--out", str(out), "--cache", str(ROOT / ".genrebench_cache")],
        capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    for stage in ("search", "seeds"):
        assert re.search(rf"split 0: {stage}: 0/0 runs trained", result.stderr), (
            f"the book's {stage} runs were retrained"
        )

    report = (out / "report.html").read_text()
    heads = glued(executed["04_heads_compared"])
    assert heads["heads-diff-softmax_cce-global_tuned-f1_micro"] in report  # split 0's table

    answers = glued(executed["08_answers"])
    headlines = re.findall(r'<p class="answer"><strong>(.*?)</strong> (.*?)</p>', report)
    assert html.unescape(headlines[1][0]) == answers["ans-f1-headline"]
    assert f"macro-F1 {answers['ans-f1-f1_macro']}" in report

    differences = pd.read_csv(out / "differences.csv")
    answer = split_heads_answer(differences, protocol.REFERENCE_HEAD, len(protocol.SEEDS))
    assert headlines[0] == (text_html(answer.headline), text_html(answer.why))
