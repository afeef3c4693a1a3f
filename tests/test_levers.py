"""The two levers: the decoder's change in F1 against the heads', measured the same way."""

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from genrebench.results.headlines import lever_answer
from genrebench.results.levers import (
    DECODER_STEPS,
    STEP_NAMES,
    consistent_gains,
    decoder_steps,
    larger_lever,
    lever_differences,
    lever_range,
    lever_table,
    steps_table,
)
from genrebench.results.statistics import format_interval
from genrebench.results.wording import LEVER_HEADLINES, LEVER_WORDS


def _study(decoder_gain: float, seed=0):
    """sigmoid_bce at one half scores 0.5, under its matched decoders 0.5 + decoder_gain
    (with a little split and seed noise)."""
    rng = np.random.default_rng(seed)
    rows = []
    for split in range(3):
        for train_seed in range(2):
            for metric, matched in (("f1_micro", "global_tuned"), ("f1_macro", "per_label_tuned")):
                noise = rng.normal(0, 0.002)
                rows.append(("sigmoid_bce", split, train_seed, metric, "threshold_0.5", 0.5))
                rows.append(
                    ("sigmoid_bce", split, train_seed, metric, matched, 0.5 + decoder_gain + noise)
                )
    columns = ["head", "split_seed", "train_seed", "metric", "decoder", "value"]
    return SimpleNamespace(metrics=pd.DataFrame(rows, columns=columns), test_to_train=0.25)


def _travel(head_gaps: dict) -> pd.DataFrame:
    rows = []
    for dataset, gaps in head_gaps.items():
        for metric in ("f1_micro", "f1_macro"):
            for versus, gap in gaps.items():
                rows.append((dataset, versus, metric, "matched", gap, gap - 0.01, gap + 0.01))
    columns = ["dataset", "versus", "metric", "decoder", "mean_difference", "low", "high"]
    return pd.DataFrame(rows, columns=columns)


def test_the_decoder_lever_is_the_paired_gain_and_the_head_lever_the_widest_gap():
    studies = {"a": _study(0.08), "b": _study(0.03, seed=1)}
    travel = _travel(
        {"a": {"softmax_cce": 0.004, "softmax_cce_norm": -0.012}, "b": {"softmax_cce": 0.002}}
    )
    levers = lever_differences(studies, travel, "sigmoid_bce")
    assert len(levers) == 2 * 2 * 2
    decoder = levers.query("dataset == 'a' and lever == 'decoder' and metric == 'f1_micro'")
    assert decoder["mean"].item() == pytest.approx(0.08, abs=0.003)
    assert decoder["low"].item() < decoder["mean"].item() < decoder["high"].item()
    head = levers.query("dataset == 'a' and lever == 'head' and metric == 'f1_micro'")
    assert head["versus"].item() == "softmax_cce_norm" and head["mean"].item() == -0.012
    assert larger_lever(levers) == "decoder"
    assert lever_range(levers, "decoder")[0] == pytest.approx(0.03, abs=0.003)
    assert lever_range(levers, "head") == pytest.approx((0.002, 0.012))
    table = lever_table(levers, "sigmoid_bce")
    compared = table.loc[("a", "micro-F1"), "heads compared"]
    assert compared == "sigmoid + BCE − softmax + CCE on normalised targets"  # display names


def test_the_larger_lever_says_mixed_when_the_datasets_disagree():
    studies = {"a": _study(0.08), "b": _study(0.001, seed=1)}
    travel = _travel({"a": {"softmax_cce": 0.004}, "b": {"softmax_cce": 0.03}})
    levers = lever_differences(studies, travel, "sigmoid_bce")
    assert larger_lever(levers) == "mixed"
    assert set(LEVER_WORDS) == {"decoder", "head", "mixed"}
    flipped = levers.assign(mean=np.where(levers["lever"] == "head", 0.5, 0.01))
    assert larger_lever(flipped) == "head"


def _steps_metrics(splits: int) -> pd.DataFrame:
    """F1 of two heads under every decoder of the steps, with a little seed noise: sigmoid at
    one half 0.50, tuned 0.55, per label 0.56; softmax at one half 0.30, tuned 0.52, per label
    0.50, shares times a predicted count 0.54."""
    levels = {
        "sigmoid_bce": {"threshold_0.5": 0.50, "global_tuned": 0.55, "per_label_tuned": 0.56},
        "softmax_cce": {
            "threshold_0.5": 0.30,
            "global_tuned": 0.52,
            "per_label_tuned": 0.50,
            "count_scaled": 0.54,
        },
    }
    rng = np.random.default_rng(3)
    rows = []
    for head, decoders in levels.items():
        for split in range(splits):
            for seed in range(3):
                for metric in ("f1_micro", "f1_macro", "f1_samples"):
                    for decoder, value in decoders.items():
                        noise = rng.normal(0, 0.002)
                        rows.append((head, split, seed, metric, decoder, value + noise))
    columns = ["head", "split_seed", "train_seed", "metric", "decoder", "value"]
    return pd.DataFrame(rows, columns=columns)


@pytest.mark.parametrize("splits", [1, 4], ids=["one split, seed-only", "split-aware"])
def test_decoder_steps_give_the_level_at_one_half_then_each_gain_over_it(splits):
    metrics = _steps_metrics(splits)
    heads = ["sigmoid_bce", "softmax_cce"]
    steps = decoder_steps(metrics, heads, test_to_train=None if splits == 1 else 0.25)
    assert len(steps) == 2 * 2 * len(DECODER_STEPS)  # heads x (micro, macro) x steps
    assert set(steps["metric"]) == {"f1_micro", "f1_macro"}

    def value(head, step, metric="f1_micro"):
        return steps.query("head == @head and step == @step and metric == @metric").iloc[0]

    assert value("sigmoid_bce", "threshold_0.5")["mean"] == pytest.approx(0.50, abs=0.01)
    assert value("sigmoid_bce", "global_tuned")["mean"] == pytest.approx(0.05, abs=0.01)
    assert value("softmax_cce", "per_label_tuned", "f1_macro")["mean"] == pytest.approx(
        0.20, abs=0.01
    )
    # Each head's consistent decoder is its own: one tuned threshold for sigmoid, shares
    # times a predicted count for softmax.
    assert value("sigmoid_bce", "consistent")["decoder"] == "global_tuned"
    assert (
        value("sigmoid_bce", "consistent")["mean"] == value("sigmoid_bce", "global_tuned")["mean"]
    )
    assert value("softmax_cce", "consistent")["decoder"] == "count_scaled"
    assert value("softmax_cce", "consistent")["mean"] == pytest.approx(0.24, abs=0.01)
    for row in steps.itertuples():
        assert row.low <= row.mean <= row.high
    table = steps_table(steps)
    assert list(table.columns) == [STEP_NAMES[step] for step in DECODER_STEPS]
    cell = table.loc[("micro-F1", "softmax_cce"), STEP_NAMES["threshold_0.5"]]
    assert float(cell.split(" [")[0]) == pytest.approx(0.30, abs=0.01)


def _levers(decoder: float, head: float, width: float = 0.01) -> pd.DataFrame:
    rows = []
    for metric in ("f1_micro", "f1_macro"):
        rows.append(("mine.csv", metric, "decoder", "", decoder, decoder - width, decoder + width))
        rows.append(("mine.csv", metric, "head", "softmax_cce", head, head - width, head + width))
    return pd.DataFrame(
        rows, columns=["dataset", "metric", "lever", "versus", "mean", "low", "high"]
    )


@pytest.mark.parametrize(
    ("decoder", "head", "width", "larger"),
    [
        (0.08, 0.01, 0.01, "decoder"),
        (0.01, -0.05, 0.01, "head"),
        (0.08, 0.01, 0.1, "decoder unshown"),
        (0.01, -0.05, 0.1, "head unshown"),
    ],
    ids=["decoder larger", "head larger", "decoder larger, not shown", "head larger, not shown"],
)
def test_the_lever_answer_names_the_larger_lever_and_no_other(decoder, head, width, larger):
    """Each headline appears only when its condition holds: the larger lever by the means,
    said without qualification only when that lever's own intervals exclude zero; the other
    headlines are absent, and the numbers are the levers' own."""
    levers = _levers(decoder, head, width)
    answer = lever_answer(levers)
    assert answer.verdict == larger
    for other, headline in LEVER_HEADLINES.items():
        assert (headline == answer.headline) == (other == larger)
    assert answer.numbers["decoder_f1_micro_high"] == f"{abs(decoder):.3f}"
    assert answer.numbers["head_f1_macro_low"] == f"{abs(head):.3f}"
    table = lever_table(levers, "sigmoid_bce")  # the evidence, in the report and the book
    cell = format_interval(decoder, decoder - width, decoder + width)
    assert (
        table.loc[("mine.csv", "micro-F1"), "decoder: matched − one half (sigmoid + BCE)"] == cell
    )
    assert table.loc[("mine.csv", "macro-F1"), "heads compared"] == "sigmoid + BCE − softmax + CCE"


def test_the_lever_answer_says_mixed_when_the_averages_disagree():
    levers = _levers(0.08, 0.01)
    levers.loc[(levers["metric"] == "f1_macro") & (levers["lever"] == "head"), "mean"] = 0.2
    answer = lever_answer(levers)
    assert answer.verdict == "mixed" and answer.headline == LEVER_HEADLINES["mixed"]


def test_the_steps_table_can_carry_the_dataset_first():
    steps = pd.concat(
        [
            decoder_steps(_steps_metrics(4), ["sigmoid_bce"], 0.25).assign(dataset=name)
            for name in ("films", "yeast")
        ]
    )
    table = steps_table(steps, by_dataset=True)
    assert table.index.names == ["dataset", "F1", "head"]
    assert list(table.index) == [
        (name, average, "sigmoid_bce")
        for name in ("films", "yeast")
        for average in ("micro-F1", "macro-F1")
    ]


def test_an_f1_near_zero_keeps_its_interval_inside_zero_to_one_and_a_gain_does_not():
    """A head that predicts almost nothing at one half scores F1 near zero on every split:
    the page shows "0.000 [0.000, 0.001]", never a negative F1; a gain may be negative."""
    steps = pd.DataFrame(
        [
            ("f1_micro", "softmax_cce", "threshold_0.5", 0.0002, -0.0005, 0.001),
            ("f1_micro", "softmax_cce", "global_tuned", 0.5, -0.01, 1.2),
        ],
        columns=["metric", "head", "step", "mean", "low", "high"],
    )
    table = steps_table(steps)
    assert table.iloc[0, 0] == "0.000 [0.000, 0.001]"
    assert table.iloc[0, 1] == "0.500 [-0.010, 1.200]"


def test_the_consistent_gain_is_the_split_aware_change_from_one_tuned_threshold():
    """Softmax's consistent decoder (shares times a predicted count) against one tuned
    threshold, per dataset; a head whose consistent decoder is that threshold has no gain."""
    studies = {
        name: SimpleNamespace(metrics=_steps_metrics(4), test_to_train=0.25) for name in "ab"
    }
    gains = consistent_gains(studies, "softmax_cce")
    assert list(gains["dataset"]) == ["a", "b"]
    assert gains["mean"].to_numpy() == pytest.approx([0.02, 0.02], abs=0.002)
    assert (gains["low"] < gains["mean"]).all() and (gains["mean"] < gains["high"]).all()
    assert consistent_gains(studies, "sigmoid_bce").empty
