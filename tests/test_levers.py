"""The two levers: the decoder's change in F1 against the heads', measured the same way."""

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from genrebench.results.levers import (
    LEVER_WORDS,
    larger_lever,
    lever_differences,
    lever_range,
    lever_table,
)


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
    assert table.loc[("a", "micro-F1")].iloc[1].endswith("(sigmoid_bce − softmax_cce_norm)")


def test_the_larger_lever_says_mixed_when_the_datasets_disagree():
    studies = {"a": _study(0.08), "b": _study(0.001, seed=1)}
    travel = _travel({"a": {"softmax_cce": 0.004}, "b": {"softmax_cce": 0.03}})
    levers = lever_differences(studies, travel, "sigmoid_bce")
    assert larger_lever(levers) == "mixed"
    assert set(LEVER_WORDS) == {"decoder", "head", "mixed"}
    flipped = levers.assign(mean=np.where(levers["lever"] == "head", 0.5, 0.01))
    assert larger_lever(flipped) == "head"
