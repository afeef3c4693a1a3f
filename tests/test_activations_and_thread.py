"""The NumPy activations and the thread's worked example behave as the book says."""

import numpy as np
import pytest

from genrebench.activations import sigmoid, softmax
from genrebench.data.thread import THREAD_TARGETS, separating_logits


def test_sigmoid_matches_definition_and_is_stable():
    z = np.array([-800.0, -3.0, 0.0, 3.0, 800.0])
    out = sigmoid(z)
    assert np.all(np.isfinite(out))
    np.testing.assert_allclose(out[1:4], 1 / (1 + np.exp(-z[1:4])))
    assert out[0] == 0.0 and out[-1] == 1.0


def test_softmax_rows_sum_to_one_and_are_shift_invariant():
    z = np.array([[1.0, 2.0, 3.0], [1000.0, 1000.0, 1000.0]])
    out = softmax(z, axis=1)
    np.testing.assert_allclose(out.sum(axis=1), 1.0)
    np.testing.assert_allclose(out[1], 1 / 3)
    np.testing.assert_allclose(softmax(z[0] + 50.0), out[0])


def test_thread_targets_are_the_askers_rows():
    assert THREAD_TARGETS.tolist() == [[0, 0, 0, 0, 0, 1, 0, 1], [0, 1, 1, 0, 0, 0, 0, 1]]


def test_separating_logits_rank_true_labels_first():
    logits = separating_logits(THREAD_TARGETS, margin=2.0)
    for row, truth in zip(logits, THREAD_TARGETS, strict=True):
        assert row[truth == 1].min() > row[truth == 0].max()


def test_softmax_cannot_put_two_labels_above_one_half_but_sigmoid_can():
    logits = separating_logits(THREAD_TARGETS, margin=2.0)
    sigmoid_sets = sigmoid(logits) > 0.5
    softmax_sets = softmax(logits, axis=1) > 0.5
    assert (sigmoid_sets == THREAD_TARGETS.astype(bool)).all()
    assert softmax_sets.sum(axis=1).max() <= 1
    assert not softmax_sets[1].any()  # three true genres: none above one half


@pytest.mark.parametrize(
    ("targets", "margin", "message"),
    [
        (np.array([0, 1]), 1.0, "2-D"),
        (np.array([[0, 2]]), 1.0, "only 0 and 1"),
        (np.array([[0, 1]]), 0.0, "positive"),
    ],
)
def test_separating_logits_rejects_bad_input(targets, margin, message):
    with pytest.raises(ValueError, match=message):
        separating_logits(targets, margin=margin)


def test_threshold_recovery_counts_exact_sets_per_head():
    from genrebench.data.thread import threshold_recovery

    logits = separating_logits(THREAD_TARGETS, margin=2.0)
    table = threshold_recovery(
        THREAD_TARGETS, {"sigmoid": sigmoid(logits), "softmax": softmax(logits, axis=1)}
    )
    exact = table.groupby("head")["exact set"].sum()
    assert exact.to_dict() == {"sigmoid": 2, "softmax": 0}
    np.testing.assert_allclose(table.query("head == 'softmax'")["score sum"], 1.0)
    with pytest.raises(ValueError, match="shape"):
        threshold_recovery(THREAD_TARGETS, {"bad": np.zeros((2, 3))})
