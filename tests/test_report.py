"""The report's answers follow the intervals: a lead, a tie and a reversal each read as such."""

import pandas as pd
import pytest

from genrebench.report import Analysis, answers, difference_table
from genrebench.study import DECODERS, F1_METRICS, format_interval

HEADS = ["sigmoid_bce", "softmax_cce", "softmax_cce_norm"]


def analysis(micro_gap: tuple[float, float, float], labels=("a", "<b>")) -> Analysis:
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
            for decoder in DECODERS
            for metric in F1_METRICS
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
    return Analysis(HEADS, summary, differences, f1_gaps, per_label, summary.iloc[:0], 3)


@pytest.mark.parametrize(
    ("gap", "expected"),
    [
        ((0.02, 0.01, 0.03), "Sigmoid. End the network"),
        ((0.0, -0.01, 0.01), "cannot be told apart"),
        ((-0.02, -0.03, -0.01), "beats <code>sigmoid_bce</code>"),
    ],
    ids=["sigmoid leads", "tie", "softmax leads"],
)
def test_the_heads_answer_is_worded_from_the_interval(gap, expected):
    said = answers(analysis(gap))["heads"]
    assert expected in said[0]
    word = {"sigmoid leads": "(ahead)", "tie": "(level)", "softmax leads": "(behind)"}
    key = "sigmoid leads" if gap[1] > 0 else "softmax leads" if gap[2] < 0 else "tie"
    assert all(word[key] in line for line in said[1:5])
    assert "Only 3 training seeds" in said[-1]


def test_the_f1_answer_names_the_gap_and_escapes_label_names():
    said = answers(analysis((0.02, 0.01, 0.03)))["f1"]
    assert said[0].startswith("Report micro-F1 and macro-F1")
    assert any("Micro-F1 is higher than macro-F1" in line for line in said)
    assert any("0.200 [0.100, 0.300]" in line for line in said)
    zero = [line for line in said if "F1 of zero" in line]
    assert zero == ["1 of 2 labels get an F1 of zero under this decoder: &lt;b&gt;."]


def test_difference_table_has_a_row_per_head_and_decoder_and_a_column_per_f1():
    table = difference_table(analysis((0.02, 0.01, 0.03)).differences)
    assert list(table.columns) == list(F1_METRICS)
    assert table.shape[0] == 2 * len(DECODERS)
    assert table.iloc[0, 0] == "0.020 [0.010, 0.030]"


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ((0.005, -0.0004, 0.011), "0.005 [0.000, 0.011]"),
        ((-0.0004, -0.0009, 0.0001), "0.000 [-0.001, 0.000]"),
        ((-0.0125, -0.02, -0.0051), "-0.013 [-0.020, -0.005]"),
    ],
)
def test_intervals_print_no_negative_zero(values, expected):
    """A bound that rounds to zero reads 0.000: "-0.000" looks like a sign that is not there."""
    assert format_interval(*values) == expected
