"""The four verdicts (ahead, behind, equivalent within a margin, undecided), the minimum
detectable difference and the random-effects pooling over datasets."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from genrebench.experiments import protocol
from genrebench.results.statistics import (
    VERDICTS,
    against_margin,
    minimum_detectable_difference,
    random_effects,
    split_differences,
    verdicts,
)


def _rows(*cases):
    """(mean, p_holm, low90, high90) per row."""
    return pd.DataFrame(cases, columns=["mean_difference", "p_holm", "low90", "high90"])


def test_each_of_the_four_states_and_only_those():
    table = _rows(
        (0.03, 0.001, 0.02, 0.04),  # significant, positive
        (-0.03, 0.001, -0.04, -0.02),  # significant, negative
        (0.002, 0.6, -0.004, 0.008),  # inside ±0.01
        (0.002, 0.6, -0.02, 0.024),  # neither
        (0.004, 0.02, 0.001, 0.007),  # significant and inside: the difference is reported
        (0.0, 0.9, -0.01, 0.01),  # on the margin: equivalent (the bound is inclusive)
    )
    found = verdicts(table, margin=0.01, alpha=0.05)
    assert list(found) == ["ahead", "behind", "equivalent", "undecided", "ahead", "equivalent"]
    assert set(found) <= set(VERDICTS)


def test_the_margin_decides_equivalence_and_nothing_else():
    table = _rows((0.002, 0.6, -0.008, 0.012), (0.03, 0.001, 0.02, 0.04))
    half, margin, double = (
        verdicts(table, m) for m in (protocol.MARGIN_SENSITIVITY[0], 0.01, 0.02)
    )
    assert list(half) == ["undecided", "ahead"]
    assert list(margin) == ["undecided", "ahead"]
    assert list(double) == ["equivalent", "ahead"]
    assert protocol.EQUIVALENCE_MARGIN == 0.01
    assert protocol.MARGIN_SENSITIVITY == (0.005, 0.02)


def test_split_differences_carry_the_90_percent_interval_and_the_standard_error():
    rng = np.random.default_rng(0)
    rows = [
        ("a" if arm == 0 else "b", split, seed, 0.6 + 0.01 * arm + rng.normal(0, 0.005))
        for arm in (0, 1)
        for split in range(5)
        for seed in range(3)
    ]
    table = pd.DataFrame(rows, columns=["head", "split_seed", "train_seed", "value"])
    table["decoder"], table["metric"] = "global_tuned", "f1_micro"
    found = split_differences(table, "a", ["b"], test_to_train=0.25).iloc[0]
    assert found["low"] < found["low90"] < found["mean_difference"] < found["high90"]
    assert found["high90"] < found["high"]
    t95 = stats.t.ppf(0.975, 4)
    assert found["high"] - found["mean_difference"] == pytest.approx(t95 * found["se"])


def test_the_minimum_detectable_difference_has_the_power_it_claims():
    se, df = 0.004, 4
    mde = minimum_detectable_difference(se, df, alpha=0.05, power=0.8)
    assert mde == pytest.approx((stats.t.ppf(0.975, 4) + stats.t.ppf(0.8, 4)) * se)
    # The exact power of the two-sided t-test at that true difference (non-central t).
    critical = stats.t.ppf(0.975, df)
    power = stats.nct.sf(critical, df, mde / se) + stats.nct.cdf(-critical, df, mde / se)
    assert 0.75 < power < 0.85
    assert minimum_detectable_difference(2 * se, df) == pytest.approx(2 * mde)


def test_pooling_identical_estimates_has_no_heterogeneity():
    pooled = random_effects([0.01, 0.01, 0.01], [0.004, 0.005, 0.006])
    assert pooled["tau2"] == 0 and pooled["i2"] == 0 and pooled["k"] == 3
    assert pooled["mean"] == pytest.approx(0.01) and pooled["fixed_mean"] == pytest.approx(0.01)


def test_pooling_follows_dersimonian_laird_and_hartung_knapp_by_hand():
    """Spread datasets (residual variance above one): the Hartung-Knapp interval as is."""
    y, se = np.array([0.02, -0.01, 0.005]), np.array([0.004, 0.005, 0.003])
    w = 1 / se**2
    fixed = (w * y).sum() / w.sum()
    q = (w * (y - fixed) ** 2).sum()
    tau2 = (q - 2) / (w.sum() - (w**2).sum() / w.sum())
    w_star = 1 / (se**2 + tau2)
    mean = (w_star * y).sum() / w_star.sum()
    hk = np.sqrt((w_star * (y - mean) ** 2).sum() / (2 * w_star.sum()))
    pooled = random_effects(y, se)
    assert pooled["tau2"] == pytest.approx(tau2) and pooled["i2"] == pytest.approx((q - 2) / q)
    assert pooled["mean"] == pytest.approx(mean)
    assert pooled["high"] - pooled["mean"] == pytest.approx(stats.t.ppf(0.975, 2) * hk)
    assert pooled["fixed_mean"] == pytest.approx(fixed)
    # Heterogeneous datasets: the random-effects interval is wider than the fixed-effect one.
    assert pooled["high"] - pooled["low"] > pooled["fixed_high"] - pooled["fixed_low"]
    assert pooled["low"] < pooled["low90"] < pooled["high90"] < pooled["high"]


def test_close_datasets_keep_at_least_the_variance_their_errors_give():
    """Datasets closer together than their errors imply (residual variance below one): the
    modified Hartung-Knapp interval uses the weights' own variance on the t, so it is never
    narrower than the fixed-effect interval; unmodified, it would be several times narrower
    and call a difference the data cannot see."""
    y, se = np.array([0.004, 0.0041, 0.0039]), np.array([0.003, 0.0025, 0.0035])
    w = 1 / se**2
    pooled = random_effects(y, se)
    assert pooled["tau2"] == 0
    half = stats.t.ppf(0.975, 2) * np.sqrt(1 / w.sum())
    assert pooled["high"] - pooled["mean"] == pytest.approx(half)
    assert pooled["high"] - pooled["low"] > pooled["fixed_high"] - pooled["fixed_low"]
    assert pooled["low"] < 0 < pooled["mean"]  # 0.004 with errors of 0.003 is not detected


def test_pooling_needs_two_datasets():
    with pytest.raises(ValueError, match="at least two"):
        random_effects([0.01], [0.002])


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [
        (0.001, 0.007, "inside"),  # ahead, and too small to act on
        (-0.009, 0.009, "inside"),
        (0.004, 0.018, "partly outside"),
        (-0.03, 0.0, "partly outside"),
        (0.01, 0.03, "outside"),  # the margin itself is not inside
        (-0.05, -0.02, "outside"),
        (-0.02, 0.02, "partly outside"),  # wider than the margin on both sides
    ],
)
def test_an_interval_is_placed_inside_partly_outside_or_outside_the_margin(low, high, expected):
    assert against_margin(low, high, 0.01) == expected
