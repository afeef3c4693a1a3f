"""The films chapters rerun on a reader's CSV (``GENREBENCH_*``), and say what those data show.

One strict build of the whole book with ``GENREBENCH_DATA`` pointing at a small CSV the test
writes; then the ``genrebench`` command on the same CSV, which must reuse the book's runs and
agree with its numbers and its answer.
"""

import html
import re
import subprocess

import pandas as pd
import pytest

from genrebench import protocol
from genrebench.analysis import head_answer
from genrebench.experiment import prepare
from genrebench.sources import load_source
from genrebench.study import format_interval
from tests.conftest import ROOT, build_book, copy_book
from tests.test_cli import COMMAND, LABELS, write_csv

pytestmark = pytest.mark.slow

COLUMNS = {"text_col": "synopsis", "labels_col": "genres", "id_col": "id"}
#: The answers page's headline for each outcome of :func:`genrebench.analysis.head_answer`.
HEADLINES = {
    "sigmoid": "Sigmoid with binary cross-entropy.",
    "tie": "Sigmoid with binary cross-entropy, by default rather than by margin.",
    "softmax": "On these data,",
}


def _text(page) -> str:
    """The page's visible text, tags dropped and white space collapsed."""
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", page.read_text(), flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", body))).strip()


def _glued(page) -> list[str]:
    """The values glued into the page's prose, in reading order."""
    spans = re.findall(r'<span class="pasted-text">(.*?)</span>', page.read_text(), flags=re.S)
    return [html.unescape(re.sub(r"<[^>]+>", "", span)).strip() for span in spans]


@pytest.fixture(scope="module")
def book_on_csv(tmp_path_factory):
    data = write_csv(tmp_path_factory.mktemp("data") / "synopses.csv", n=700, seed=3)
    source = copy_book(tmp_path_factory.mktemp("book-source"))
    output = tmp_path_factory.mktemp("book-output")
    env = {
        "GENREBENCH_DATA": str(data),
        "GENREBENCH_TEXT_COL": COLUMNS["text_col"],
        "GENREBENCH_LABELS_COL": COLUMNS["labels_col"],
        "GENREBENCH_ID_COL": COLUMNS["id_col"],
    }
    result = build_book(source, output, env=env)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    return data, output / "_build" / "html" / "notebooks"


def test_the_heads_chapter_describes_the_csv_not_the_films(book_on_csv):
    data, pages = book_on_csv
    prepared = prepare(load_source(str(data), **COLUMNS), split_seed=protocol.SPLIT_SEED)
    sizes = prepared.info["documents"]
    expected = (
        f"That is {sizes['train']} training, {sizes['val']} validation and {sizes['test']} test "
        f"films, with {prepared.info['features']} sparse features and {len(LABELS)} genres."
    )
    assert expected in _text(pages / "04_heads_compared.html")


def test_the_command_reuses_the_books_runs_and_agrees_with_its_answer(book_on_csv, tmp_path):
    data, pages = book_on_csv
    out = tmp_path / "out"
    result = subprocess.run(
        [str(COMMAND), "run", "--data", str(data), "--text-col", COLUMNS["text_col"],
         "--labels-col", COLUMNS["labels_col"], "--id-col", COLUMNS["id_col"],
         "--out", str(out), "--cache", str(ROOT / ".genrebench_cache")],
        capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    assert re.search(r"seeds: 0/0 runs trained", result.stderr), "the book's runs were retrained"

    differences = pd.read_csv(out / "differences.csv").set_index(["versus", "decoder", "metric"])
    gap = differences.loc[("softmax_cce", "global_tuned", "f1_micro")]
    heads = _text(pages / "04_heads_compared.html")
    assert format_interval(gap["mean_difference"], gap["low"], gap["high"]) in heads

    answer, _ = head_answer(
        {
            other: (row["low"], row["high"])
            for other in ("softmax_cce", "softmax_cce_norm")
            for row in [differences.loc[(other, "global_tuned", "f1_micro")]]
        }
    )
    headline = _glued(pages / "07_answers.html")[0]  # the first value glued into the prose
    assert headline.startswith(HEADLINES[answer]), headline
    assert not any(headline.startswith(line) for key, line in HEADLINES.items() if key != answer)
