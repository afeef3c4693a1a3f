"""Heads: what each loss computes, checked against Keras and against the definitions."""

from dataclasses import replace

import numpy as np
import pytest

from genrebench.activations import sparsemax
from genrebench.heads import HEADS, Head, UnknownHeadError, get_head

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


def _random_batch(seed, n=12, labels=6):
    """Random logits and targets with the edge cases every loss must survive: a document
    with every label, one with a single label, and a label no document has."""
    rng = np.random.default_rng(seed)
    logits = rng.normal(scale=2.0, size=(n, labels))
    Y = (rng.random((n, labels)) < 0.35).astype(np.uint8)
    Y[0] = 1
    Y[1] = 0
    Y[1, 2] = 1
    Y[:, -1] = 0
    Y[Y.sum(axis=1) == 0, 0] = 1
    return Y, logits


def _tensorflow_value_and_gradient(head: Head, targets, logits):
    import tensorflow as tf

    z = tf.Variable(logits.astype(np.float32))
    with tf.GradientTape() as tape:
        value = head.keras_loss()(tf.constant(targets, tf.float32), z)
    return float(value), tape.gradient(value, z).numpy().astype(np.float64)


def _numerical_gradient(head: Head, Y, logits, step=1e-6):
    gradient = np.zeros_like(logits)
    for index in np.ndindex(logits.shape):
        up, down = logits.copy(), logits.copy()
        up[index] += step
        down[index] -= step
        gradient[index] = (head.loss(Y, up) - head.loss(Y, down)) / (2 * step)
    return gradient


@pytest.mark.parametrize("name", sorted(HEADS))
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_tensorflow_loss_and_gradient_match_the_numpy_reference(name, seed):
    """On random logits (with a document carrying every label and a label never positive in
    the batch) the training loss equals the NumPy definition, and its gradient equals the
    definition's numerical derivative."""
    head = get_head(name)
    Y, logits = _random_batch(seed)
    value, gradient = _tensorflow_value_and_gradient(head, head.transform_targets(Y), logits)
    assert value == pytest.approx(head.loss(Y, logits), rel=1e-5)
    assert np.isfinite(gradient).all()
    if name == "softmax_cce":
        return  # depends on op determinism: see the two tests below
    np.testing.assert_allclose(gradient, _numerical_gradient(head, Y, logits), atol=2e-6, rtol=2e-3)


def test_keras_categorical_cross_entropy_gradient_on_multi_hot_targets_depends_on_determinism():
    """Keras reports PAL's loss, -Σ_j y_j log softmax_j, whose gradient is |y|·softmax − y.
    With TensorFlow's default kernels it back-propagates softmax − y (the fused op assumes
    rows summing to one), also with a softmax activation and from_logits=False; with op
    determinism on (as this project trains) the gradient is the loss's own. Documented in
    :mod:`genrebench.heads`; this test notices if a release changes either."""
    import keras
    import tensorflow as tf
    from tensorflow.python.framework import config

    from genrebench.losses import keras_cce_gradients

    Y, logits = _random_batch(7)
    k = Y.sum(axis=1, keepdims=True)
    s = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    head = get_head("softmax_cce")
    n = len(Y)
    np.testing.assert_allclose(_numerical_gradient(head, Y, logits), (k * s - Y) / n, atol=1e-6)
    was_on = config.is_op_determinism_enabled()
    gradients = keras_cce_gradients(Y, logits)
    assert config.is_op_determinism_enabled() == was_on  # the setting is restored
    np.testing.assert_allclose(gradients["default kernels"], s - Y, rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(gradients["op determinism"], k * s - Y, rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(gradients["loss gradient"], k * s - Y, rtol=1e-4, atol=1e-6)
    # The thread's set-up (softmax activation, from_logits=False), with default kernels.
    try:
        config.disable_op_determinism()
        z = tf.Variable(logits.astype(np.float32))
        with tf.GradientTape() as tape:
            value = keras.losses.CategoricalCrossentropy(reduction="sum")(
                Y, keras.layers.Activation("softmax")(z)
            )
        np.testing.assert_allclose(tape.gradient(value, z).numpy(), s - Y, rtol=1e-4, atol=1e-6)
    finally:
        (config.enable_op_determinism if was_on else config.disable_op_determinism)()
    # Rows with one label (targets summing to one) get the loss's gradient either way.
    single = k[:, 0] == 1
    np.testing.assert_allclose(
        gradients["default kernels"][single], (k * s - Y)[single], rtol=1e-4, atol=1e-6
    )


def test_the_training_loss_of_softmax_cce_follows_the_reported_loss_under_determinism():
    """This project trains with op determinism on: the softmax_cce head's TensorFlow
    gradient is the gradient of PAL's loss, like every other head's."""
    import tensorflow as tf
    from tensorflow.python.framework import config

    was_on = config.is_op_determinism_enabled()
    try:
        tf.config.experimental.enable_op_determinism()
        Y, logits = _random_batch(9)
        head = get_head("softmax_cce")
        _, gradient = _tensorflow_value_and_gradient(head, head.transform_targets(Y), logits)
        np.testing.assert_allclose(
            gradient, _numerical_gradient(head, Y, logits), atol=2e-6, rtol=2e-3
        )
    finally:
        if not was_on:
            config.disable_op_determinism()


def test_closed_form_gradients_of_zlpr_and_sparsemax():
    """ZLPR: e^{s_j}/(1 + Σ_neg e^s) on negatives, −e^{−s_i}/(1 + Σ_pos e^{−s}) on positives;
    sparsemax loss: sparsemax(z) − q (Martins & Astudillo's Proposition 3)."""
    Y, logits = _random_batch(3)
    n = len(Y)
    positive = Y.astype(bool)
    exp_neg = np.where(~positive, np.exp(logits), 0.0)
    exp_pos = np.where(positive, np.exp(-logits), 0.0)
    zlpr = (
        exp_neg / (1 + exp_neg.sum(axis=1, keepdims=True))
        - exp_pos / (1 + exp_pos.sum(axis=1, keepdims=True))
    ) / n
    _, gradient = _tensorflow_value_and_gradient(get_head("zlpr"), Y, logits)
    np.testing.assert_allclose(gradient, zlpr, rtol=1e-4, atol=1e-7)
    head = get_head("sparsemax")
    q = head.transform_targets(Y)
    _, gradient = _tensorflow_value_and_gradient(head, q, logits)
    np.testing.assert_allclose(gradient, (sparsemax(logits, axis=1) - q) / n, rtol=1e-4, atol=1e-7)


def test_asymmetric_loss_reduces_to_cross_entropy_and_to_focal_loss():
    """ASL with (γ+, γ−, m) = (0, 0, 0) is binary cross-entropy and with (γ, γ, 0) focal
    loss, in NumPy and in TensorFlow."""
    Y, logits = _random_batch(4)
    asl = get_head("asl")
    as_bce = replace(asl, parameters={"gamma_pos": 0.0, "gamma_neg": 0.0, "margin": 0.0})
    as_focal = replace(asl, parameters={"gamma_pos": 2.0, "gamma_neg": 2.0, "margin": 0.0})
    for mine, theirs in ((as_bce, get_head("sigmoid_bce")), (as_focal, get_head("focal_bce"))):
        assert mine.loss(Y, logits) == pytest.approx(theirs.loss(Y, logits), rel=1e-6)
        value, gradient = _tensorflow_value_and_gradient(mine, Y, logits)
        reference, reference_gradient = _tensorflow_value_and_gradient(theirs, Y, logits)
        assert value == pytest.approx(reference, rel=1e-5)
        np.testing.assert_allclose(gradient, reference_gradient, rtol=1e-4, atol=1e-7)
    # The default margin really discards easy negatives: their loss and gradient are zero.
    easy = np.full((1, 6), -4.0)  # sigmoid(-4) = 0.018 < margin 0.05
    none = np.zeros((1, 6), np.uint8)
    assert asl.loss(none, easy) == 0.0


def test_losses_stay_finite_on_saturated_logits():
    """Logits of ±40 (probabilities rounding to exactly 0 or 1 in float32) give finite
    losses and gradients for every head."""
    Y, _ = _random_batch(5)
    logits = np.where(np.random.default_rng(5).random(Y.shape) < 0.5, -40.0, 40.0)
    for head in HEADS.values():
        value, gradient = _tensorflow_value_and_gradient(head, head.transform_targets(Y), logits)
        assert np.isfinite(value) and np.isfinite(gradient).all(), head.name


def test_sparsemax_is_a_projection_onto_the_simplex_in_numpy_and_tensorflow():
    from genrebench.losses import sparsemax as tensorflow_sparsemax

    _, logits = _random_batch(6)
    p = sparsemax(logits, axis=1)
    np.testing.assert_allclose(p.sum(axis=1), 1.0)
    assert (p == 0).any() and (p >= 0).all()
    # No point of the simplex is closer to the logits (checked against random points).
    rng = np.random.default_rng(6)
    others = rng.dirichlet(np.ones(logits.shape[1]), size=(200, len(logits)))
    assert (((others - logits) ** 2).sum(-1) >= ((p - logits) ** 2).sum(-1) - 1e-12).all()
    np.testing.assert_allclose(
        p, tensorflow_sparsemax(logits.astype(np.float32)).numpy(), atol=1e-6
    )
    # Worked example: (1, 0.5, -1) -> tau = 0.25, p = (0.75, 0.25, 0).
    np.testing.assert_allclose(sparsemax([[1.0, 0.5, -1.0]]), [[0.75, 0.25, 0.0]])


def test_pick_one_draws_one_true_label_per_document_each_epoch_from_its_own_stream():
    rng = np.random.default_rng(0)
    Y = (rng.random((400, 5)) < 0.4).astype(np.uint8)
    Y[0] = 0  # a document without labels gets no target
    head = get_head("softmax_pick_one")
    epochs = [head.epoch_targets(Y, seed=3, epoch=e) for e in range(1, 201)]
    for targets in epochs[:3]:
        assert ((targets == 1) <= (Y == 1)).all()  # only true labels are drawn
        np.testing.assert_array_equal(targets.sum(axis=1), Y.any(axis=1))
    np.testing.assert_array_equal(epochs[0], head.epoch_targets(Y, seed=3, epoch=1))
    assert not np.array_equal(epochs[0], epochs[1])
    assert not np.array_equal(epochs[0], head.epoch_targets(Y, seed=4, epoch=1))
    # Over many epochs each true label is drawn 1/|y| of the time: PAL-N's targets.
    np.testing.assert_allclose(np.mean(epochs, axis=0), head.transform_targets(Y), atol=0.12)
    assert abs(np.mean(epochs, axis=0) - head.transform_targets(Y)).mean() < 0.02


def test_every_head_declares_its_natural_decoder():
    """The untuned rule each head's theory gives: 0.5 on sigmoid probabilities (logit 0 for
    ZLPR), the non-zero support for sparsemax, half the top score for the softmax heads."""
    logits = np.array([[3.0, 2.6, -1.0, 0.2], [-2.0, -1.0, -3.0, -0.5]])
    decoded = {
        name: head.natural.fit(None, None).apply(head.scores(logits)).tolist()
        for name, head in HEADS.items()
    }
    assert {head.natural.name for head in HEADS.values()} == {"natural"}
    assert decoded["zlpr"] == (logits > 0).astype(int).tolist()
    assert decoded["sigmoid_bce"] == decoded["zlpr"]
    assert decoded["sparsemax"] == (sparsemax(logits, axis=1) > 0).astype(int).tolist()
    softmax_rule = [[1, 1, 0, 0], [0, 1, 0, 1]]  # within log 2 of the row's top logit
    for name in ("softmax_cce", "softmax_cce_norm", "softmax_pick_one"):
        assert decoded[name] == softmax_rule, name
    assert all(head.natural_rule for head in HEADS.values())


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
    expected = np.clip(targets, 1e-4, None)
    if head.activation != "sigmoid":  # scores on the simplex: each label's share
        expected = expected / expected.sum()
    np.testing.assert_allclose(constant_scores, expected, rtol=1e-4, atol=1e-4)
