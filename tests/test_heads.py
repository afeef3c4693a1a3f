"""Heads: what each loss computes, checked against Keras and against the definitions."""

import numpy as np
import pytest

from genrebench.heads import HEADS, UnknownHeadError, get_head

Y = np.array([[1, 0, 1, 0], [0, 1, 0, 0], [1, 1, 1, 0]], dtype=np.uint8)
LOGITS = np.array([[2.0, -1.0, 0.5, -3.0], [0.1, 1.5, -0.2, 0.0], [-0.5, 0.3, 2.2, -1.0]])


def test_normalised_targets_sum_to_one_and_empty_rows_stay_empty():
    head = get_head("softmax_cce_norm")
    targets = head.transform_targets(np.vstack([Y, np.zeros((1, 4), dtype=np.uint8)]))
    np.testing.assert_allclose(targets[:3].sum(axis=1), 1.0)
    assert not targets[3].any()
    np.testing.assert_array_equal(get_head("softmax_cce").transform_targets(Y), Y)


def test_softmax_cce_on_multi_hot_is_the_sum_of_minus_log_softmax_over_true_labels():
    # The "pick-all-labels" reading of CCE: Keras does not renormalise multi-hot targets.
    log_softmax = LOGITS - np.log(np.exp(LOGITS).sum(axis=1, keepdims=True))
    expected = np.mean([-(log_softmax[i][Y[i] == 1]).sum() for i in range(len(Y))])
    assert get_head("softmax_cce").loss(Y, LOGITS) == pytest.approx(expected)


@pytest.mark.parametrize("name", sorted(HEADS))
def test_numpy_loss_matches_the_keras_loss_on_logits(name):
    head = get_head(name)
    keras_value = float(head.keras_loss()(head.transform_targets(Y), LOGITS.astype("float32")))
    assert head.loss(Y, LOGITS) == pytest.approx(keras_value, rel=1e-5)


def test_scores_use_the_heads_activation():
    assert np.allclose(get_head("softmax_cce").scores(LOGITS).sum(axis=1), 1.0)
    sigmoid_scores = get_head("sigmoid_bce").scores(LOGITS)
    assert (sigmoid_scores > 0.5).sum(axis=1).tolist() == [2, 2, 2]


def test_unknown_head_lists_the_valid_ones():
    with pytest.raises(UnknownHeadError, match="sigmoid_bce"):
        get_head("softmax")


@pytest.mark.parametrize("name", sorted(HEADS))
def test_initial_bias_is_the_best_constant_prediction(name):
    head = get_head(name)
    bias = head.initial_bias(Y)
    constant_scores = head.scores(np.tile(bias, (len(Y), 1)))[0]
    targets = head.transform_targets(Y).mean(axis=0)
    expected = targets if head.activation == "sigmoid" else targets / targets.sum()
    np.testing.assert_allclose(
        constant_scores,
        np.clip(expected, 1e-4, None)
        / (1 if head.activation == "sigmoid" else np.clip(expected, 1e-4, None).sum()),
        rtol=1e-4,
        atol=1e-4,
    )
