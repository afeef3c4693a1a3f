"""Keras' F1Score against the referee, and the threshold=None trap from the thread.

Keras computes per-label precision and recall with a small epsilon in each
denominator (1e-7), so a label with no positives and no predictions scores 0 —
the referee's ``zero_division=0`` — and other values differ by at most a few
times that epsilon.
"""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import genrebench  # noqa: F401  (quiet TensorFlow)
from genrebench.data.thread import THREAD_TARGETS, ranked_scores, separating_logits
from genrebench.metrics import f1_modes

keras = pytest.importorskip("keras")

pytestmark = pytest.mark.slow


def keras_f1(y, scores, average, threshold):
    metric = keras.metrics.F1Score(average=average, threshold=threshold)
    metric.update_state(y.astype("float32"), scores.astype("float32"))
    return np.asarray(metric.result())


cases = st.tuples(st.integers(1, 10), st.integers(2, 6)).flatmap(
    lambda shape: st.tuples(
        arrays(np.int8, shape, elements=st.integers(0, 1)),
        arrays(np.float32, shape, elements=st.floats(0, 1, width=32)),
    )
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases, st.sampled_from([0.3, 0.5, 0.7]))
def test_keras_f1_equals_the_referee_on_thresholded_predictions(case, threshold):
    y, scores = case
    predicted = (scores > threshold).astype(np.uint8)
    report = f1_modes(y, predicted, zero_division=0)
    for average in ("micro", "macro", "weighted"):
        assert keras_f1(y, scores, average, threshold) == pytest.approx(
            report[average], abs=1e-6
        ), average
    np.testing.assert_allclose(keras_f1(y, scores, None, threshold), report[None], atol=1e-6)


def test_labels_without_positives_or_predictions_score_zero_in_keras_too():
    y = np.array([[1, 0, 0], [1, 0, 0]])
    scores = np.array([[0.9, 0.1, 0.1], [0.8, 0.2, 0.1]])
    per_label = keras_f1(y, scores, None, 0.5)
    assert per_label[1:] == pytest.approx([0.0, 0.0])
    assert keras_f1(y, scores, "macro", 0.5) == pytest.approx(1 / 3, abs=1e-6)


def test_threshold_none_keeps_only_each_rows_argmax():
    """The thread's call, ported: F1Score(average="micro") defaults to threshold=None."""
    scores = ranked_scores(THREAD_TARGETS)
    assert (scores[THREAD_TARGETS == 1] > 0.5).all() and (scores[THREAD_TARGETS == 0] < 0.5).all()
    trapped = keras_f1(THREAD_TARGETS, scores, "micro", None)
    fixed = keras_f1(THREAD_TARGETS, scores, "micro", 0.5)
    assert trapped == pytest.approx(4 / 7, abs=1e-6)
    assert fixed == pytest.approx(1.0, abs=1e-6)
    argmax_only = np.zeros_like(THREAD_TARGETS)
    argmax_only[np.arange(2), scores.argmax(axis=1)] = 1
    assert f1_modes(THREAD_TARGETS, argmax_only).micro == pytest.approx(trapped, abs=1e-6)


def test_threshold_none_keeps_every_label_tied_at_the_maximum():
    # Keras keeps y_pred >= the row maximum, so tied top scores all count as positive.
    scores = 1 / (1 + np.exp(-separating_logits(THREAD_TARGETS, margin=2.0)))
    assert keras_f1(THREAD_TARGETS, scores, "micro", None) == pytest.approx(1.0, abs=1e-6)
