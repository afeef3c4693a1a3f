"""The command and the book render the same results: run on the films after the session's
book build, the command trains only what the book has not and writes the same files."""

import html
import re

import pandas as pd
import pytest

from tests.conftest import ROOT
from tests.helpers import genrebench


@pytest.mark.slow
def test_the_films_run_reuses_the_books_runs_and_renders_the_same_results(built_book, tmp_path):
    """Same protocol, same keys: after the book is built, the command trains for the films
    only what the book has not trained, and renders the same result objects as the book.

    With ``--seeds 5`` (the heads chapter's seeds) the command's split 0 is the heads
    chapter's study: every figure drawn from one study is the same file, byte for byte, and
    the report's answer to "which F1?" (from split 0) is the answers page's. Split 1's search
    and its seeds 0-2 are the travel chapter's runs; only its seeds 3 and 4 train. The forest
    plot shows this one dataset, so it has a file name of its own and is not compared with
    the book's three-dataset figure."""
    from genrebench.experiments import protocol
    from genrebench.report import FOREST_FILE, LEVERS_FILE, REPORT_FIGURES

    source, html_dir = built_book
    out = tmp_path / "films"
    env_cache = ROOT / ".genrebench_cache"
    seeds = str(len(protocol.SEEDS))
    result = genrebench(
        "run", "--data", "films", "--splits", "2", "--seeds", seeds, "--out", out,
        "--cache", env_cache, timeout=900,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    trained = re.findall(r"(split \d: \w+): (\d+)/(\d+) runs trained", result.stderr)
    assert {stage for stage, _, _ in trained} >= {"split 0: search", "split 1: seeds"}
    for stage, _, total in trained:
        assert stage == "split 1: seeds" or total == "0", (stage, result.stderr)
    summary = pd.read_csv(out / "summary.csv")
    assert set(summary["head"]) >= {"sigmoid_bce", "softmax_cce", "softmax_cce_norm"}

    written = sorted(path.name for path in (out / "figures").iterdir())
    forest = [name for name in written if name.startswith(FOREST_FILE + ".")]
    levers = [name for name in written if name.startswith(LEVERS_FILE + ".")]
    assert len(forest) == len(levers) == 3
    compared = [name for name in written if name not in forest + levers]
    assert len(compared) == 3 * len(REPORT_FIGURES)
    for name in compared:
        book_file = source / "figures" / name
        assert book_file.is_file(), f"the book has no {name}"
        assert (out / "figures" / name).read_bytes() == book_file.read_bytes(), name

    report = (out / "report.html").read_text()
    answers = re.findall(r'<p class="answer"><strong>(.*?)</strong> (.*?)</p>', report)
    # The levers' answer, the heads' answer, then which F1: the last is the book's too.
    sentence = html.unescape(re.sub(r"<[^>]+>", "", f"{answers[2][0]} {answers[2][1]}"))
    page = (html_dir / "notebooks" / "08_answers.html").read_text()
    text = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))
    assert sentence in text, sentence
    macro = re.search(r"macro-F1 (-?\d\.\d{3} \[-?\d\.\d{3}, -?\d\.\d{3}\])", report)[1]
    assert macro in text, macro
