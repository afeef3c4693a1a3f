"""Calibration helpers: reliability, ECE, F1-against-threshold and the F1*/2 rule."""

import numpy as np
import pytest
from sklearn.metrics import f1_score

from genrebench.metrics import (
    expected_calibration_error,
    f1_against_threshold,
    held_out_optimal_thresholds,
    mean_score_gap,
    optimal_thresholds,
    reliability_bins,
    top_score_by_cardinality,
)


def _calibrated(n=20000, labels=6, seed=0):
    rng = np.random.default_rng(seed)
    scores = rng.beta(0.6, 3.0, size=(n, labels))
    targets = (rng.random((n, labels)) < scores).astype(np.uint8)
    return targets, scores


def test_perfectly_calibrated_scores_have_near_zero_ece():
    y, s = _calibrated()
    # 120k label-document pairs in 15 bins: sampling noise per bin is below 0.01.
    assert expected_calibration_error(y, s) < 0.01


def test_overconfident_scores_have_large_ece():
    y, s = _calibrated()
    assert expected_calibration_error(y, np.sqrt(s)) > 0.15


def test_reliability_bins_count_every_pair_once():
    y, s = _calibrated(n=1000)
    bins = reliability_bins(y, s, n_bins=10)
    assert bins["count"].sum() == y.size
    assert (
        (bins["mean_score"] >= bins["bin_low"]) & (bins["mean_score"] <= bins["bin_high"])
    ).all()


def test_f1_against_threshold_agrees_with_scikit_learn():
    y, s = _calibrated(n=500)
    curve = f1_against_threshold(y, s, [0.1, 0.3, 0.5]).set_index(["threshold", "mode"])["f1"]
    for threshold in (0.1, 0.3, 0.5):
        predicted = (s > threshold).astype(int)
        for mode in ("micro", "macro", "weighted", "samples"):
            expected = f1_score(y, predicted, average=mode, zero_division=0)
            assert curve[(threshold, mode)] == pytest.approx(expected)


def test_half_f1_rule_holds_for_calibrated_scores():
    y, s = _calibrated(n=200000, labels=3, seed=1)
    table = optimal_thresholds(y, s)
    # Lipton et al.: at the optimum of calibrated scores, threshold = F1*/2.
    np.testing.assert_allclose(table["threshold"], table["half_f1"], atol=0.02)


def test_bad_scores_are_refused():
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        reliability_bins(np.array([[1, 0]]), np.array([[1.2, 0.1]]))
    with pytest.raises(ValueError, match="shapes"):
        reliability_bins(np.array([[1, 0]]), np.array([[0.2, 0.1, 0.3]]))


def test_top_score_by_cardinality():
    table = top_score_by_cardinality(
        np.array([[1, 1, 0], [0, 0, 1]]), np.array([[0.4, 0.5, 0.1], [0.2, 0.1, 0.7]])
    )
    assert table["cardinality"].tolist() == [2, 1]
    assert table["top_score"].tolist() == [0.5, 0.7]


def test_softmax_ece_is_density_minus_one_over_l_when_every_bin_is_under_confident():
    rng = np.random.default_rng(3)
    n, labels = 4000, 8
    targets = (rng.random((n, labels)) < 0.3).astype(np.uint8)
    logits = rng.normal(scale=0.1, size=(n, labels))
    scores = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    bins = reliability_bins(targets, scores)
    assert (bins["frequency"] >= bins["mean_score"]).all()  # the premise: all under-confident
    gap = mean_score_gap(targets, scores)
    assert gap == pytest.approx(targets.mean() - 1 / labels)
    assert expected_calibration_error(targets, scores) == pytest.approx(gap)


def test_ece_is_never_below_the_mean_score_gap():
    y, s = _calibrated(n=2000)
    for scores in (s, np.sqrt(s), s**2):
        assert expected_calibration_error(y, scores) >= abs(mean_score_gap(y, scores)) - 1e-12


def test_held_out_thresholds_are_fitted_on_one_split_and_scored_on_the_other():
    y_fit, s_fit = _calibrated(n=3000, labels=4, seed=4)
    y_eval, s_eval = _calibrated(n=2000, labels=4, seed=5)
    table = held_out_optimal_thresholds(y_fit, s_fit, y_eval, s_eval)
    in_sample = optimal_thresholds(y_fit, s_fit)
    np.testing.assert_array_equal(table["threshold"], in_sample["threshold"])
    for label, threshold in enumerate(table["threshold"]):
        expected = f1_score(y_eval[:, label], s_eval[:, label] > threshold, zero_division=0)
        assert table.loc[label, "f1"] == pytest.approx(expected)
    np.testing.assert_allclose(table["half_f1"], table["f1"] / 2)
    assert (table["support"] == y_eval.sum(axis=0)).all()
    # Scored on the split it was fitted on, it is the in-sample optimum.
    same = held_out_optimal_thresholds(y_fit, s_fit, y_fit, s_fit)
    np.testing.assert_allclose(same["f1"], in_sample["f1"])
