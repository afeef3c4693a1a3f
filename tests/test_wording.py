"""The words code chooses (:mod:`genrebench.results.wording`) follow the numbers: every
branch where its condition holds and where it fails."""

import pandas as pd
import pytest

from genrebench.results.answers import largest_printed_gap, sweep_lesson
from genrebench.results.wording import (
    SWEEP_HEADLINES,
    head_headline,
    join_words,
    theory_word,
    with_verdict,
)


def test_join_words_lists_one_two_and_several():
    assert join_words(["a"]) == "a"
    assert join_words(["a", "b"]) == "a and b"
    assert join_words(["a", "b", "c"]) == "a, b and c"


def test_a_difference_is_quoted_with_its_verdict():
    row = {"mean_difference": 0.004, "low": 0.001, "high": 0.007, "verdict": "ahead"}
    assert with_verdict(row) == "0.004 [0.001, 0.007] (ahead)"
    # Equivalence rests on the 90% interval, which the quote then gives beside the 95% one.
    row = {**row, "mean_difference": 0.002, "low": -0.007, "high": 0.012, "verdict": "equivalent"}
    assert with_verdict({**row, "low90": -0.005, "high90": 0.0096}) == (
        "0.002 [-0.007, 0.012] (equivalent: 90% interval [-0.005, 0.010])"
    )


@pytest.mark.parametrize(
    ("winners", "verb"), [(["softmax_cce"], "is"), (["softmax_cce", "softmax_cce_norm"], "are")]
)
def test_the_head_headline_agrees_with_one_or_several_winners(winners, verb):
    headline = head_headline("softmax", "sigmoid_bce", ["softmax_cce", "softmax_cce_norm"], winners)
    assert headline.startswith(f"On these data, {join_words(winners)} {verb} ahead of sigmoid_bce")


@pytest.mark.parametrize(
    ("low", "high", "theory", "word"),
    [
        (0.01, 0.02, "positive", "as the theory predicts"),
        (-0.02, -0.01, "negative", "as the theory predicts"),
        (-0.02, -0.01, "positive", "against the theory"),
        (-0.01, 0.01, "negative", "too close to call"),
    ],
)
def test_the_theory_word_follows_the_interval_and_the_predicted_side(low, high, theory, word):
    assert theory_word(pd.Series({"low": low, "high": high, "theory": theory})) == word


def test_the_largest_gap_is_measured_between_the_printed_values():
    # 0.8056 and 0.7904 print as 0.806 and 0.790: 0.016 apart, although 0.0152 unrounded.
    gap = largest_printed_gap({1.0: 0.8056, 2.0: 0.60}, {1.0: 0.7904, 2.0: 0.60})
    assert f"{gap:.3f}" == "0.016"


def _sweep_table(values):
    """Tidy cardinality-sweep rows: values[(decoder, head, cardinality)] = micro-F1."""
    rows = [
        {
            "axis": "cardinality",
            "metric": "f1_micro",
            "decoder": decoder,
            "head": head,
            "mean_cardinality": cardinality,
            "train_seed": 0,
            "value": value,
        }
        for (decoder, head, cardinality), value in values.items()
    ]
    return pd.DataFrame(rows)


def test_sweep_lesson_never_says_within_less_than_a_gap_it_shows():
    values = {}
    for decoder in ("global_tuned", "threshold_0.5", "top1"):
        for cardinality in (1.0, 4.0):
            values[(decoder, "bayes", cardinality)] = 0.85
            values[(decoder, "softmax_cce", cardinality)] = 0.7904 if cardinality == 1 else 0.66
            values[(decoder, "sigmoid_bce", cardinality)] = 0.8056 if cardinality == 1 else 0.66
    answer = sweep_lesson(_sweep_table(values))
    shown = abs(
        float(answer.numbers["one_label_sigmoid"]) - float(answer.numbers["one_label_softmax"])
    )
    assert float(answer.numbers["largest_tuned_gap"]) >= round(shown, 3)
    assert answer.numbers["one_label_softmax"] == "0.790"
    assert answer.numbers["most_sigmoid"] == answer.numbers["most_softmax"] == "0.660"
    assert answer.headline == SWEEP_HEADLINES[answer.verdict]
