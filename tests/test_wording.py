"""Words chosen from numbers read as a person would write them (genrebench.results.wording)."""

import itertools

import pandas as pd
import pytest

from genrebench.results.answers import sweep_lesson
from genrebench.results.wording import (
    halves_clause,
    largest_printed_gap,
    share_word,
    shares_phrase,
    values_phrase,
)


def test_values_that_print_alike_are_not_set_against_each_other():
    same = values_phrase({"softmax": "0.021", "sigmoid": "0.021"})
    assert same == "0.021 for both softmax and sigmoid"
    assert "0.021 for softmax and 0.021 for sigmoid" not in same
    assert values_phrase({"a": "0.1", "b": "0.1", "c": "0.1"}) == "0.1 for each of a, b and c"
    assert values_phrase({"softmax": "0.022", "sigmoid": "0.024"}) == (
        "0.022 for softmax and 0.024 for sigmoid"
    )


def test_shares_of_one_and_zero_are_all_and_none():
    assert share_word(1.0) == "all"
    assert share_word(0.0) == "none"
    assert share_word(0.953) == "95%"
    assert shares_phrase({"`softmax_cce`": 1.0, "`sigmoid_bce`": 1.0}, "genres") == (
        "all of the genres of both `softmax_cce` and `sigmoid_bce`"
    )
    phrase = shares_phrase({"`softmax_cce`": 1.0, "`sigmoid_bce`": 0.95}, "genres")
    assert phrase == "all of `softmax_cce`'s genres and 95% of `sigmoid_bce`'s"
    assert "100%" not in phrase


@pytest.mark.parametrize(("rare", "common"), list(itertools.product((0.021, -0.012), repeat=2)))
def test_the_halves_clause_never_says_it_leads_it(rare, common):
    clause = halves_clause(rare, common, "`sigmoid_bce`", "`softmax_cce`")
    assert "it leads it" not in clause and "it trails it" not in clause
    assert clause.startswith("`sigmoid_bce` ")
    assert f"{common:+.3f}" in clause and f"{rare:+.3f}" in clause


def test_halves_clause_words():
    assert halves_clause(0.021, 0.016, "a", "b") == (
        "a leads b (mean F1 difference +0.021), and over the commoner half too (+0.016)"
    )
    assert halves_clause(0.021, -0.010, "a", "b") == (
        "a leads b (mean F1 difference +0.021), but trails it over the commoner half (-0.010)"
    )
    assert halves_clause(0.0001, 0.02, "a", "b").startswith("a neither leads nor trails b")


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
    assert answer.words["one_label"] == "0.790 for softmax and 0.806 for sigmoid"
    assert answer.words["most_labels_scores"] == "0.660 for both softmax and sigmoid"


def test_count_of_reads_as_a_person_writes_counts():
    from genrebench.results.wording import count_of

    assert count_of(3, 8, "comparisons") == "3 of the 8 comparisons"
    assert count_of(8, 8, "comparisons") == "all 8 comparisons"
    assert count_of(0, 8, "comparisons") == "none of the 8 comparisons"
    assert count_of(0, 1, "splits") == "0 of the 1 splits"


def test_grid_growth_reads_as_written():
    from genrebench.results.wording import grid_growth_phrase

    grid = {"learning_rates": (0.003, 0.01), "snapshot_epochs": (1, 2, 10), "extensions": 0}
    assert grid_growth_phrase(grid) == (
        "it did not grow: learning rates 0.003, 0.01 and read-outs up to epoch 10"
    )
    assert grid_growth_phrase({**grid, "extensions": 1}).startswith("it grew once, to ")
    assert grid_growth_phrase({**grid, "extensions": 3}).startswith("it grew 3 times, to ")


def test_a_number_that_would_print_as_zero_gets_the_decimals_it_needs():
    from genrebench.results.statistics import number

    assert number(0.0123) == "0.012"
    assert number(-0.0003, signed=True) == "-0.0003"
    assert number(0.00004) == "0.00004"
    assert number(0.0) == "0.000" and number(0.0, signed=True) == "+0.000"
    assert number(-1e-9, signed=True) == "+0.000"  # beyond three more decimals: zero
