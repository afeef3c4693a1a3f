"""The referee: F1 in every mode and friends, checked against scikit-learn and by hand."""

import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from sklearn.metrics import f1_score, jaccard_score, precision_score, recall_score

from genrebench.data.thread import THREAD_TARGETS
from genrebench.metrics import (
    MetricInputError,
    bootstrap_ci,
    bootstrap_f1,
    f1_modes,
    multilabel_summary,
    paired_bootstrap_diff,
    precision_at_k,
    ranking_metrics,
    recall_at_k,
)

# scikit-learn reads a single column as binary, not multi-label: use two labels or more.
multi_hot = st.tuples(st.integers(1, 12), st.integers(2, 6)).flatmap(
    lambda shape: st.tuples(
        arrays(np.int8, shape, elements=st.integers(0, 1)),
        arrays(np.int8, shape, elements=st.integers(0, 1)),
    )
)


@settings(max_examples=150, deadline=None)
@given(multi_hot, st.sampled_from([0.0, 1.0]))
def test_every_mode_matches_scikit_learn(pair, zero_division):
    y, p = pair
    report = f1_modes(y, p, zero_division=zero_division)
    for mode in ("micro", "macro", "weighted", "samples"):
        expected = f1_score(y, p, average=mode, zero_division=zero_division)
        assert report[mode] == pytest.approx(expected), mode
    np.testing.assert_allclose(
        report[None], f1_score(y, p, average=None, zero_division=zero_division)
    )


@settings(max_examples=80, deadline=None)
@given(multi_hot)
def test_summary_matches_scikit_learn_precision_recall_and_jaccard(pair):
    y, p = pair
    summary = multilabel_summary(y, p)
    for mode in ("micro", "macro", "weighted", "samples"):
        assert summary[f"precision_{mode}"] == pytest.approx(
            precision_score(y, p, average=mode, zero_division=0)
        )
        assert summary[f"recall_{mode}"] == pytest.approx(
            recall_score(y, p, average=mode, zero_division=0)
        )
    assert summary["jaccard_samples"] == pytest.approx(
        jaccard_score(y, p, average="samples", zero_division=0)
    )
    assert summary["hamming_loss"] == pytest.approx(1 - summary["binary_accuracy"])


def test_the_thread_vectors_by_hand():
    # Predict only the first true genre of each film: 2 hits, 0 false alarms, 3 misses.
    predicted = np.zeros_like(THREAD_TARGETS)
    predicted[0, 5] = 1
    predicted[1, 1] = 1
    report = f1_modes(THREAD_TARGETS, predicted)
    assert report.micro == pytest.approx(2 * 2 / (2 * 2 + 0 + 3))
    assert report.per_label.loc["7", "f1"] == 0.0  # genre 7 is true twice, never predicted
    assert report.per_label.loc["0", "f1"] == 0.0  # no positives, no predictions: zero_division
    assert report.samples == pytest.approx(np.mean([2 / 3, 2 / 4]))


def test_accuracy_rewards_predicting_nothing_on_sparse_targets():
    nothing = np.zeros_like(THREAD_TARGETS)
    summary = multilabel_summary(THREAD_TARGETS, nothing)
    assert summary["binary_accuracy"] == pytest.approx(11 / 16)
    assert summary["f1_micro"] == 0.0


def test_precision_and_recall_at_k():
    y = np.array([[1, 0, 1, 0], [0, 1, 0, 0]])
    s = np.array([[0.9, 0.8, 0.1, 0.0], [0.2, 0.1, 0.3, 0.4]])
    assert precision_at_k(y, s, 1) == pytest.approx((1 + 0) / 2)
    assert recall_at_k(y, s, 2) == pytest.approx((1 / 2 + 0) / 2)
    ranking = ranking_metrics(y, s, ks=(1, 2))
    assert {"p@1", "r@2", "lrap", "roc_auc_micro", "pr_auc_macro"} <= set(ranking)
    cheap = ranking_metrics(y, s, ks=(1, 2), aucs=False)
    assert set(cheap) == {"p@1", "r@1", "p@2", "r@2", "lrap"}
    assert all(cheap[name] == ranking[name] for name in cheap)


@pytest.mark.parametrize(
    ("y", "p", "message"),
    [
        (np.zeros((0, 3)), np.zeros((0, 3)), "zero documents"),
        (np.array([[0, 2]]), np.array([[0, 1]]), "only 0 and 1"),
        (np.array([[0, -1]]), np.array([[0, 1]]), "only 0 and 1"),
        (np.array([[0, 1]], np.uint8), np.array([[0, 3]], np.uint8), "only 0 and 1"),
        (np.array([[0.0, np.nan]]), np.array([[0, 1]]), "only 0 and 1"),
        (np.array([[1.0, np.inf]]), np.array([[0, 1]]), "only 0 and 1"),
        (np.array([[0.5, 1.0]]), np.array([[0, 1]]), "only 0 and 1"),
        (np.array([["0", "1"]]), np.array([[0, 1]]), "only 0 and 1"),
        (np.array([0, 1]), np.array([0, 1]), "2-D"),
        (np.array([[0, 1]]), np.array([[0, 1, 1]]), "shape"),
    ],
)
def test_bad_decisions_are_rejected(y, p, message):
    with pytest.raises(MetricInputError, match=message):
        f1_modes(y, p)


def test_bad_scores_are_rejected():
    y = np.array([[0, 1]])
    with pytest.raises(MetricInputError, match="NaN"):
        precision_at_k(y, np.array([[np.nan, 0.1]]), 1)
    with pytest.raises(MetricInputError, match="shape"):
        precision_at_k(y, np.array([[0.1, 0.2, 0.3]]), 1)
    from genrebench.metrics import check_scores

    with pytest.raises(MetricInputError, match=r"\[0, 1\]"):
        check_scores(np.array([[1.5, 0.1]]), (1, 2), probabilities=True)


def _noisy(seed=0, n=600, labels=8):
    rng = np.random.default_rng(seed)
    y = (rng.random((n, labels)) < 0.2).astype(np.uint8)
    flip = rng.random((n, labels)) < 0.15
    return y, np.where(flip, 1 - y, y)


def test_bootstrap_is_seeded_covers_the_estimate_and_matches_the_fast_path():
    y, p = _noisy()
    slow = bootstrap_ci(lambda a, b: f1_modes(a, b).micro, y, p, n_boot=200, seed=3)
    assert slow == bootstrap_ci(lambda a, b: f1_modes(a, b).micro, y, p, n_boot=200, seed=3)
    assert slow[1] < slow[0] < slow[2]
    for mode in ("micro", "macro", "weighted", "samples"):
        fast = bootstrap_f1(y, p, mode=mode, n_boot=200, seed=3)
        reference = bootstrap_ci(lambda a, b, m=mode: f1_modes(a, b)[m], y, p, n_boot=200, seed=3)
        assert fast == pytest.approx(reference), mode


def test_paired_difference_of_a_system_with_itself_is_exactly_zero():
    y, p = _noisy()
    diff = paired_bootstrap_diff(lambda a, b: f1_modes(a, b).micro, y, p, p, n_boot=100)
    assert diff == (0.0, 0.0, 0.0)
    better = y.copy()
    gain, low, _high = paired_bootstrap_diff(
        lambda a, b: f1_modes(a, b).micro, y, better, p, n_boot=200
    )
    assert gain > 0 and low > 0


def test_the_referee_never_imports_a_framework():
    code = (
        "import sys, genrebench.metrics; "
        "print(any(m.split('.')[0] in ('tensorflow', 'keras', 'torch') for m in sys.modules), "
        "'genrebench.models' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


@pytest.mark.parametrize("seed", range(6))
def test_lrap_equals_scikit_learns_with_ties_and_trivial_documents(seed):
    """The vectorised LRAP gives scikit-learn's value: ties (scores rounded to one decimal),
    documents with no true label and with every label true (each scores 1)."""
    from sklearn.metrics import label_ranking_average_precision_score

    from genrebench.metrics import label_ranking_average_precision

    rng = np.random.default_rng(seed)
    y = (rng.random((300, 7)) < 0.3).astype(np.uint8)
    y[0] = 0
    y[1] = 1
    s = rng.random(y.shape).round(1)
    assert label_ranking_average_precision(y, s) == pytest.approx(
        label_ranking_average_precision_score(y, s), rel=1e-12, abs=1e-12
    )


@pytest.mark.parametrize("seed", range(5))
def test_top_k_f1_is_micro_and_samples_f1_of_the_top_k_decisions(seed):
    """The counting shortcut tuning loops use gives the very numbers of the referee's
    micro_f1 and samples_f1 on the decision matrix (rows without true labels included)."""
    from genrebench.metrics import micro_f1, ranked_hits, samples_f1, top_k_f1

    rng = np.random.default_rng(seed)
    y = (rng.random((60, 7)) < 0.3).astype(np.uint8)
    y[0] = 0
    scores = rng.random((60, 7))
    order = np.argsort(-scores, axis=1, kind="stable")
    k = rng.integers(1, 8, size=60)
    decisions = np.zeros_like(y)
    for row in range(60):
        decisions[row, order[row, : k[row]]] = 1
    hits = ranked_hits(y, order)
    assert top_k_f1(hits, k, "micro") == micro_f1(y, decisions)
    assert top_k_f1(hits, k, "samples") == samples_f1(y, decisions)
    with pytest.raises(MetricInputError, match="average"):
        top_k_f1(hits, k, "macro")


@pytest.mark.parametrize("seed", range(5))
def test_top_k_f1_each_scores_every_candidate_as_top_k_f1_does(seed):
    """The vectorised form the top-k-by-mass decoders tune with gives, for each row of
    candidate k's, exactly top_k_f1 of that row (micro and samples)."""
    from genrebench.metrics import ranked_hits, top_k_f1, top_k_f1_each

    rng = np.random.default_rng(seed)
    y = (rng.random((80, 6)) < 0.3).astype(np.uint8)
    y[:3] = 0
    hits = ranked_hits(y, np.argsort(-rng.random((80, 6)), axis=1, kind="stable"))
    ks = rng.integers(1, 7, size=(9, 80))
    for average in ("micro", "samples"):
        each = top_k_f1_each(hits, ks, average)
        assert each.tolist() == [top_k_f1(hits, k, average) for k in ks]
    with pytest.raises(MetricInputError, match="average"):
        top_k_f1_each(hits, ks, "weighted")


@pytest.mark.parametrize("seed", range(6))
def test_best_f1_thresholds_are_best_f1_threshold_label_by_label(seed):
    """The per-label thresholds of one vectorised call equal best_f1_threshold column by
    column, ties, a label without positives (infinite threshold, F1 0) and a label whose
    every score is the same included."""
    from genrebench.metrics import best_f1_threshold, best_f1_thresholds

    rng = np.random.default_rng(seed)
    y = (rng.random((70, 5)) < 0.3).astype(np.uint8)
    y[:, 1] = 0
    s = rng.random((70, 5)).round(1 + seed % 2)
    s[:, 2] = 0.25
    thresholds, f1 = best_f1_thresholds(y, s)
    for label in range(5):
        assert (thresholds[label], f1[label]) == best_f1_threshold(y[:, label], s[:, label])
