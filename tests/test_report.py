"""The answers follow the intervals (a lead, a tie and a reversal each read as such), and the
report renders them escaped."""

import dataclasses
import re
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from genrebench.metrics import f1_modes
from genrebench.report import RunTables, difference_table, render_html
from genrebench.report_html import f1_html, heads_html, text_html
from genrebench.results.answers import f1_answer
from genrebench.results.headlines import split_heads_answer
from genrebench.results.heads import BaselineF1, HeadsAnalysis
from genrebench.results.statistics import format_interval
from genrebench.results.tables import DECODERS, F1_METRICS

HEADS = ["sigmoid_bce", "softmax_cce", "softmax_cce_norm"]


def analysis(micro_gap: tuple[float, float, float], labels=("a", "<b>")) -> HeadsAnalysis:
    """Sigmoid minus each softmax head is ``micro_gap`` (mean, low, high) under every decoder."""
    summary = pd.DataFrame(
        [
            (head, decoder, metric, 0.5, 0.45, 0.55, 3)
            for head in HEADS
            for decoder in (*DECODERS, "scores")
            for metric in (*F1_METRICS, "p@1")
        ],
        columns=["head", "decoder", "metric", "mean", "low", "high", "seeds"],
    )
    differences = pd.DataFrame(
        [
            (other, decoder, metric, *micro_gap, 2, 3)
            for other in HEADS[1:]
            for decoder in (*DECODERS, "scores")
            for metric in (*F1_METRICS, "p@1")
        ],
        columns=[
            "versus",
            "decoder",
            "metric",
            "mean_difference",
            "low",
            "high",
            "seeds_won",
            "seeds",
        ],
    )
    f1_gaps = pd.DataFrame(
        [("f1_macro", "sigmoid_bce", "global_tuned", 0.2, 0.1, 0.3, 3, 3)],
        columns=[
            "versus",
            "head",
            "decoder",
            "mean_difference",
            "low",
            "high",
            "seeds_won",
            "seeds",
        ],
    )
    per_label = pd.DataFrame(
        {"sigmoid_bce": [0.8, 0.0], "softmax_cce": [0.7, 0.1], "train_share": [0.6, 0.01]},
        index=pd.Index(list(labels), name="label"),
    )
    report = f1_modes([[1, 0], [0, 1]], [[1, 0], [0, 0]], label_names=list(labels))
    return HeadsAnalysis(
        heads=HEADS,
        reference="sigmoid_bce",
        summary=summary,
        differences=differences,
        f1_gaps=f1_gaps,
        per_label=per_label,
        per_label_matched=per_label,
        baseline=summary.iloc[:0],
        baseline_f1=BaselineF1(report=report, threshold=0.5, predicted=np.zeros((2, 2))),
        curves=pd.DataFrame(),
        n_seeds=3,
    )


def _summary() -> pd.DataFrame:
    """Split-aware summaries of sigmoid_bce: each average under its matched decoder, plus a
    macro-F1 row under one global threshold that the report must not quote."""
    rows = [
        ("sigmoid_bce", "global_tuned", "f1_micro", 0.55, 0.54, 0.56),
        ("sigmoid_bce", "per_label_tuned", "f1_macro", 0.41, 0.39, 0.43),
        ("sigmoid_bce", "per_label_tuned", "f1_weighted", 0.52, 0.50, 0.54),
        ("sigmoid_bce", "samples_tuned", "f1_samples", 0.56, 0.55, 0.57),
        ("sigmoid_bce", "global_tuned", "f1_macro", 0.999, 0.998, 0.9995),
    ]
    return pd.DataFrame(rows, columns=["head", "decoder", "metric", "mean", "low", "high"])


@pytest.mark.parametrize(
    ("gap", "word"),
    [
        ((0.02, 0.01, 0.03), "higher"),
        ((0.0, -0.01, 0.01), "not told apart"),
        ((-0.02, -0.03, -0.01), "lower"),
    ],
)
def test_the_f1_answer_gives_the_gap_its_verdict_and_the_report_escapes_label_names(gap, word):
    """Micro minus macro gets the word its interval supports, the labels scored zero are
    listed by name, and the report escapes those names."""
    table = analysis(gap)
    table = replace(
        table, f1_gaps=table.f1_gaps.assign(mean_difference=gap[0], low=gap[1], high=gap[2])
    )
    answer = f1_answer(table)
    assert answer.headline.startswith("Report micro-F1 and macro-F1")
    assert answer.words["micro_vs_macro"] == word
    assert answer.numbers["micro_minus_macro"] == format_interval(*gap)
    assert answer.numbers["f1_macro"] == "0.500 [0.450, 0.550]"
    assert (answer.numbers["zero_labels"], answer.numbers["labels"]) == ("1", "2")
    assert answer.words["zero_labels"] == "<b>"
    page = "".join(f1_html(table, _summary(), splits=4))
    assert f"(micro-F1 {word})" in page
    # The averages come from every split, each under its matched decoder (one tuned threshold
    # per label for macro-F1, not the one global threshold of split 0's evidence).
    assert "macro-F1 0.410 [0.390, 0.430]" in page and "mean over 4 data splits" in page
    assert "0.999" not in page
    assert "Labels with an F1 of zero under this decoder (1 of 2): &lt;b&gt;." in page
    assert "<b>" not in page.replace("<b>Report", "")
    assert text_html("pass `threshold=` <now>") == "pass <code>threshold=</code> &lt;now&gt;"


def test_no_label_scored_zero_means_no_such_line():
    table = analysis((0.02, 0.01, 0.03))
    table = replace(table, per_label=table.per_label.assign(sigmoid_bce=[0.8, 0.3]))
    answer = f1_answer(table)
    assert answer.numbers["zero_labels"] == "0" and answer.words["zero_labels"] == ""
    assert "F1 of zero" not in "".join(f1_html(table, _summary(), splits=4))


def test_difference_table_has_a_row_per_head_and_decoder_and_a_column_per_f1():
    table = difference_table(analysis((0.02, 0.01, 0.03)).differences, "sigmoid_bce")
    assert list(table.columns) == list(F1_METRICS)
    assert table.shape[0] == 2 * len(DECODERS)
    assert table.index.names[0] == "sigmoid_bce minus"
    assert table.iloc[0, 0] == "0.020 [0.010, 0.030]"


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ((0.005, -0.0004, 0.011), "0.005 [-0.0004, 0.011]"),
        ((0.005, 0.0004, 0.009), "0.005 [0.0004, 0.009]"),
        ((-0.0004, -0.0009, 0.0001), "0.000 [-0.001, 0.0001]"),
        ((0.01, 0.0, 0.02), "0.010 [0.000, 0.020]"),
        ((-0.0125, -0.02, -0.0051), "-0.013 [-0.020, -0.005]"),
    ],
)
def test_intervals_show_the_side_of_zero_and_no_negative_zero(values, expected):
    """A bound that would print as 0.000 gets a fourth decimal: "[0.000, 0.009]" hid whether
    the interval excludes zero, which the words beside it say. "-0.000" never prints."""
    assert format_interval(*values) == expected


def across_splits(micro_gap, dataset="mine.csv", splits=5) -> pd.DataFrame:
    """Differences across splits as :func:`~genrebench.results.travel.travel_differences`
    gives them: ``micro_gap`` (mean, low, high) for every head, decoder and average."""
    mean, low, high = micro_gap
    rows = [
        (dataset, other, decoder, metric, mean, low, high, 0.5, 3, splits)
        for other in HEADS[1:]
        for decoder in ("matched", "natural", "threshold_0.5", "global_tuned", "consistent")
        for metric in F1_METRICS
    ]
    columns = ["dataset", "versus", "decoder", "metric", "mean_difference", "low", "high", "p"]
    table = pd.DataFrame(rows, columns=[*columns, "splits_won", "splits"])
    table["primary"] = (
        (table["versus"] == "softmax_cce")
        & (table["metric"] == "f1_micro")
        & (table["decoder"] == "matched")
    )
    table["p_holm"] = 0.5
    inside = (table["low"] > -0.01) & (table["high"] < 0.01)
    table["verdict"] = np.where(
        table["low"] > 0,
        "ahead",
        np.where(table["high"] < 0, "behind", np.where(inside, "equivalent", "undecided")),
    )
    table["margin"], table["mde"] = 0.01, 0.012
    return table


#: Each verdict of the answer across splits with the words only it may print.
SPLIT_HEADLINES = {
    "sigmoid": "sigmoid_bce is ahead of softmax_cce and softmax_cce_norm under one threshold",
    "undecided": "no head is shown ahead under one threshold tuned on validation, and no "
    "equivalence within ±0.01 either",
    "softmax": "softmax_cce and softmax_cce_norm are ahead of sigmoid_bce under one threshold",
    "equivalent": "the heads are equivalent within ±0.01 micro-F1 under one threshold",
}


@pytest.mark.parametrize(
    ("gap", "verdict", "standing"),
    [
        ((0.02, 0.01, 0.03), "sigmoid", "ahead of both"),
        ((0.0, -0.01, 0.01), "undecided", "undecided against both"),
        ((-0.02, -0.03, -0.01), "softmax", "behind both"),
        ((0.001, -0.004, 0.006), "equivalent", "equivalent to both"),
    ],
    ids=["sigmoid ahead", "undecided", "softmax ahead", "equivalent"],
)
def test_the_answer_across_splits_is_worded_from_its_four_state_verdicts(gap, verdict, standing):
    """Each headline appears exactly when its verdict holds: built here for every verdict, each
    answer carries its own headline and none of the others' (a head is never recommended
    from the absence of a difference); the report words the standing from the verdicts."""
    tables = run_tables(gap)
    answer = split_heads_answer(tables.differences, "sigmoid_bce", seeds=3)
    assert answer.verdict == verdict
    for other, words in SPLIT_HEADLINES.items():
        assert (words in answer.headline) == (other == verdict), (other, answer.headline)
    assert answer.words["practice"] == answer.words["loss"] == standing
    assert answer.numbers["mde"] == "0.012"
    assert answer.numbers["difference_matched_f1_micro"] == format_interval(*gap)
    page = "".join(heads_html(tables))
    reference = text_html("sigmoid_bce")
    assert "safe" not in page
    assert (
        f"In micro-F1 under one threshold tuned on validation, {reference} is {standing}." in page
    )
    assert f"under the decoder consistent for its loss, it is {standing}." in page
    assert "detects a micro-F1 difference of 0.012 or more with 80% power" in page
    heads = text_html("sigmoid_bce, softmax_cce and softmax_cce_norm")
    assert (
        f"Measured on mine.csv for {heads}, with 95% intervals over 5 data splits, 3 training "
        "seeds per split and the test documents" in page
    )
    assert "Only" not in page


def test_one_head_ahead_is_named_alone_and_the_others_standing_is_given():
    """One softmax head ahead and the other equivalent: the headline names the one (singular
    verb), the standing names each."""
    table = across_splits((0.001, -0.004, 0.006))
    ahead = (table["versus"] == "softmax_cce_norm") & (table["metric"] == "f1_micro")
    table.loc[ahead, ["mean_difference", "low", "high", "verdict"]] = (
        -0.02,
        -0.03,
        -0.01,
        "behind",
    )
    answer = split_heads_answer(table, "sigmoid_bce", seeds=3)
    assert answer.verdict == "softmax"
    assert answer.headline.startswith("On these data, softmax_cce_norm is ahead of sigmoid_bce")
    assert answer.words["practice"] == "behind softmax_cce_norm; equivalent to softmax_cce"


def test_few_splits_are_flagged_and_one_dataset_is_required():
    tables = dataclasses.replace(
        run_tables(), splits=2, seeds=2, differences=across_splits((0.0, -0.1, 0.1), splits=2)
    )
    assert "<li>Only 2 data splits: intervals over so few splits are wide." in "".join(
        heads_html(tables)
    )
    two = pd.concat([across_splits((0, -1, 1)), across_splits((0, -1, 1), dataset="other")])
    with pytest.raises(ValueError, match="one dataset"):
        split_heads_answer(two, "sigmoid_bce", seeds=3)


def run_tables(gap=(0.02, 0.01, 0.03), labels=("a", "<b>Noir</b>")) -> RunTables:
    shown = analysis(gap, labels=labels)
    shown.baseline = shown.summary.query("head == 'sigmoid_bce'").assign(head="ovr_logreg")
    choices = pd.DataFrame(
        {"dataset": ["mine.csv"], "head": ["sigmoid_bce"], "settings chosen": ["0.01 @ 4: 5"]}
    ).set_index(["dataset", "head"])
    return RunTables(
        analysis=shown,
        baseline_C=1.0,
        splits=5,
        seeds=3,
        summary=shown.summary,
        baseline=shown.baseline,
        differences=across_splits(gap),
        choices=choices,
        choice_counts={
            "changed": 0,
            "pairs": 3,
            "grown": 0,
            "splits": 5,
            "edges": 0,
            "choices": 15,
        },
    )


def test_the_reports_first_answer_is_the_answer_across_splits():
    tables = run_tables((-0.02, -0.03, -0.01))
    page = render_html(tables, {"data": "mine.csv"}, {})
    answer = split_heads_answer(tables.differences, "sigmoid_bce", seeds=3)
    first = page.index('<p class="answer">')
    assert page[first:].startswith(
        f'<p class="answer"><strong>{text_html(answer.headline)}</strong> In micro-F1 under one '
        f"threshold tuned on validation, {text_html('sigmoid_bce')} is behind both."
    )
    assert "Primary comparison, named before the results: sigmoid + BCE minus softmax + CCE" in page
    assert "the evidence below comes from split 0, with intervals over its 3 training" in page


def test_the_report_escapes_label_names_from_the_data():
    """A label such as ``<b>Noir</b>`` reaches the page as text, never as markup."""
    page = render_html(run_tables(), {"data": "<odd>.csv"}, {})
    assert "<b>Noir</b>" not in page and "&lt;b&gt;Noir&lt;/b&gt;" in page
    assert "<odd>" not in page and "&lt;odd&gt;.csv" in page


@pytest.mark.parametrize(
    ("gap", "headline"),
    [
        ((0.02, 0.01, 0.03), "On these data, zlpr is ahead of"),
        ((0.0, -0.01, 0.01), "On these data, no head is shown ahead"),
    ],
    ids=["reference leads", "tie"],
)
def test_without_sigmoid_bce_the_answer_names_the_heads_compared(gap, headline):
    """``--heads`` may leave sigmoid_bce out: the headline then never recommends it."""
    answer = split_heads_answer(across_splits(gap), "zlpr", seeds=3)
    assert answer.headline.startswith(headline) and "Sigmoid" not in answer.headline


def test_the_report_opens_with_the_larger_lever_then_the_heads():
    """The first answer is the levers' (in numbers, with the steps table), the second the
    heads' across splits."""
    from genrebench.results.wording import LEVER_HEADLINES

    rows = []
    for metric in ("f1_micro", "f1_macro"):
        rows.append(("mine.csv", metric, "decoder", "", 0.08, 0.06, 0.10))
        rows.append(("mine.csv", metric, "head", "softmax_cce", 0.01, -0.01, 0.03))
    levers = pd.DataFrame(
        rows, columns=["dataset", "metric", "lever", "versus", "mean", "low", "high"]
    )
    steps = pd.DataFrame(
        [
            ("sigmoid_bce", "f1_micro", step, decoder, value, value - 0.01, value + 0.01)
            for step, decoder, value in (
                ("threshold_0.5", "threshold_0.5", 0.47),
                ("global_tuned", "global_tuned", 0.08),
                ("per_label_tuned", "per_label_tuned", 0.07),
                ("consistent", "global_tuned", 0.08),
            )
        ],
        columns=["head", "metric", "step", "decoder", "mean", "low", "high"],
    )
    tables = dataclasses.replace(run_tables(), levers=levers, steps=steps)
    page = render_html(tables, {"data": "mine.csv"}, {})
    headlines = re.findall(r'<p class="answer"><strong>(.*?)</strong>', page)
    heads = split_heads_answer(tables.differences, "sigmoid_bce", seeds=3)
    assert headlines[:2] == [text_html(LEVER_HEADLINES["decoder"]), text_html(heads.headline)]
    assert page.index("gain: a tuned threshold per label") < page.index(text_html(heads.headline))
    assert "0.470&nbsp;[0.460,&nbsp;0.480]" in page  # a table cell: the interval unbroken
