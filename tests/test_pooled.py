"""The comparisons pooled over datasets, the verdicts at other margins and each dataset's
minimum detectable difference, on hand-made rows of the travel table."""

import numpy as np
import pandas as pd
import pytest

from genrebench.results.pooled import (
    detectable_differences,
    margin_sensitivity,
    pooled_differences,
    pooled_table,
)
from genrebench.results.statistics import random_effects


def _travel(primary_means=(0.002, 0.004, -0.001), se=0.002, other_mean=0.03):
    """Two comparisons on three datasets: the primary one (small, noisy) and a clear one."""
    rows = []
    for dataset, mean in zip(("yeast", "movielens", "films"), primary_means, strict=True):
        for versus, metric, value in (
            ("softmax_cce", "f1_micro", mean),
            ("softmax_cce_norm", "f1_macro", other_mean),
        ):
            rows.append(
                dict(
                    dataset=dataset,
                    versus=versus,
                    metric=metric,
                    decoder="matched",
                    mean_difference=value,
                    se=se,
                    low=value - 2.8 * se,
                    high=value + 2.8 * se,
                    low90=value - 2.1 * se,
                    high90=value + 2.1 * se,
                    p_holm=0.5 if versus == "softmax_cce" else 0.001,
                    splits=5,
                    mde=0.01,
                    primary=versus == "softmax_cce",
                    loss_primary=False,
                )
            )
    return pd.DataFrame(rows)


def test_each_comparison_is_pooled_over_the_datasets_with_its_own_verdict():
    travel = _travel()
    pooled = pooled_differences(travel)
    assert len(pooled) == 2 and pooled["primary"].sum() == 1
    primary = pooled[pooled["primary"]].iloc[0]
    expected = random_effects([0.002, 0.004, -0.001], [0.002] * 3)
    assert primary["mean_difference"] == pytest.approx(expected["mean"])
    assert primary["datasets"] == "yeast, movielens, films"
    # The primary row is adjusted on its own: its Holm p is its p.
    assert primary["p_holm"] == pytest.approx(primary["p"])
    clear = pooled[~pooled["primary"]].iloc[0]
    assert clear["verdict"] == "ahead"
    assert primary["verdict"] in ("equivalent", "undecided")


def test_a_tight_pooled_difference_near_zero_is_equivalent_and_a_wide_one_undecided():
    tight = pooled_differences(_travel(primary_means=(0.0005, -0.0005, 0.0), se=0.0005))
    assert tight.query("primary")["verdict"].item() == "equivalent"
    wide = pooled_differences(_travel(primary_means=(0.02, -0.02, 0.005), se=0.01))
    assert wide.query("primary")["verdict"].item() == "undecided"


def test_the_table_uses_words_and_the_sensitivity_counts_every_matched_row():
    from genrebench.results.statistics import number

    travel = _travel()
    table = pooled_table(pooled_differences(travel))
    assert table.index.names == ["difference", "F1", "decoder"]
    assert ("sigmoid_bce − softmax_cce", "micro-F1", "matched decoder") in table.index
    assert set(table["verdict"]) <= {"ahead", "behind", "equivalent", "undecided"}
    # The spread between datasets in F1 (tau, not its square), never in e-notation.
    pooled = pooled_differences(travel)
    assert list(table["τ"]) == [number(float(tau)) for tau in np.sqrt(pooled["tau2"])]
    assert not table.map(lambda cell: "e-" in str(cell) or "e+" in str(cell)).any().any()
    sensitivity = margin_sensitivity(travel)
    assert list(sensitivity.index) == ["±0.005", "±0.01", "±0.02"]
    assert (sensitivity.sum(axis=1) == len(travel)).all()
    assert (sensitivity["ahead"] == 3).all()  # a significant difference ignores the margin
    # A wider margin never turns an equivalent comparison undecided.
    assert sensitivity["equivalent"].is_monotonic_increasing


def test_each_dataset_reports_its_minimum_detectable_difference():
    detectable = detectable_differences(_travel())
    assert list(detectable["dataset"]) == ["yeast", "movielens", "films"]
    assert (detectable["mde"] == 0.01).all() and (detectable["splits"] == 5).all()


def test_the_pooled_interval_is_quoted_with_its_verdict():
    from genrebench.results.pooled import pooled_interval

    travel = _travel().assign(verdict="undecided")
    interval, verdict = pooled_interval(pooled_differences(travel), "matched")
    assert interval.count("[") == 1 and verdict in ("equivalent", "undecided")


def test_the_pooled_primary_interval_is_placed_against_the_protocols_margin():
    """The pooled primary row under each decoder, placed as its 90% interval (the one the
    equivalence test reads) says: "inside" exactly when the row is called equivalent, even
    where the 95% interval reaches past the margin."""
    from genrebench.results.pooled import pooled_interval90, pooled_margin
    from genrebench.results.statistics import against_margin

    pooled = pooled_differences(_travel())
    for decoder in ("matched", "consistent"):
        rows = pooled[pooled["primary"] & (pooled["decoder"] == decoder)]
        if rows.empty:
            continue
        row = rows.iloc[0]
        expected = against_margin(row["low90"], row["high90"], 0.01)
        assert pooled_margin(pooled, decoder) == expected
    straddling = pooled.assign(low=-0.002, high=0.011, low90=-0.001, high90=0.009)
    assert pooled_interval90(straddling, "matched") == "[-0.001, 0.009]"
    assert pooled_margin(straddling, "matched") == "inside"
    wide = pooled.assign(low=-0.05, high=0.05, low90=-0.04, high90=0.04)
    assert pooled_margin(wide, "matched") == "partly outside"
