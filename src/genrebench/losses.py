"""The losses Keras does not ship, in TensorFlow, on logits: asymmetric loss, ZLPR and the
sparsemax loss (:mod:`genrebench.heads` names them; its NumPy versions are the reference
the tests hold these to).

Each factory returns ``loss(targets, logits) -> scalar``, the mean over documents, like
a Keras loss object called on a batch.
"""


def _power(base, exponent: float):
    """``base ** exponent``, exactly one (with a zero gradient) when the exponent is zero:
    TensorFlow's gradient of x^0 at x = 0 is 0 · ∞ = NaN."""
    import tensorflow as tf

    return tf.ones_like(base) if exponent == 0 else tf.pow(base, exponent)


def asl_loss(gamma_pos: float, gamma_neg: float, margin: float):
    """Asymmetric loss (Ridnik et al., 2021), averaged over labels as binary cross-entropy."""
    import tensorflow as tf

    def loss(targets, logits):
        p = tf.sigmoid(logits)
        if margin:
            shifted = tf.maximum(p - margin, 0.0)
            log_negative = tf.math.log(tf.minimum(1.0 - p + margin, 1.0))
        else:
            shifted = p
            log_negative = tf.math.log_sigmoid(-logits)
        positive = -_power(1.0 - p, gamma_pos) * tf.math.log_sigmoid(logits)
        negative = -_power(shifted, gamma_neg) * log_negative
        per_entry = targets * positive + (1.0 - targets) * negative
        return tf.reduce_mean(tf.reduce_mean(per_entry, axis=1))

    return loss


def _log_one_plus_sum_exp(values, keep):
    """log(1 + Σ_{keep} e^{values}) per row: a zero column joins the masked row's logsumexp."""
    import tensorflow as tf

    masked = tf.where(keep, values, tf.fill(tf.shape(values), float("-inf")))
    zero = tf.zeros_like(values[:, :1])
    return tf.reduce_logsumexp(tf.concat([zero, masked], axis=1), axis=1)


def zlpr_loss():
    """ZLPR (Su et al., 2022): log(1 + Σ_neg e^{s}) + log(1 + Σ_pos e^{-s}) per document."""
    import tensorflow as tf

    def loss(targets, logits):
        positive = targets > 0
        per_document = _log_one_plus_sum_exp(logits, ~positive) + _log_one_plus_sum_exp(
            -logits, positive
        )
        return tf.reduce_mean(per_document)

    return loss


def sparsemax(logits):
    """Sparsemax over the last axis (Martins & Astudillo, 2016, Algorithm 1).

    Not ``keras.activations.sparsemax``: up to at least Keras 3.15 it sums every cumulative
    sum in the support to form the threshold instead of taking the last one, so its rows do
    not sum to one whenever two or more labels are in the support (keras-team/keras#23425).
    """
    import tensorflow as tf

    ordered = tf.sort(logits, direction="DESCENDING", axis=-1)
    cumulative = tf.cumsum(ordered, axis=-1)
    rank = tf.range(1, tf.shape(logits)[-1] + 1, dtype=logits.dtype)
    support = 1.0 + rank * ordered > cumulative
    size = tf.reduce_sum(tf.cast(support, logits.dtype), axis=-1, keepdims=True)
    tau = (tf.reduce_sum(tf.where(support, ordered, 0.0), axis=-1, keepdims=True) - 1.0) / size
    return tf.maximum(logits - tau, 0.0)


def sparsemax_loss():
    """The sparsemax loss (Martins & Astudillo, 2016) against target rows that sum to one.

    Its value is eq. 19 of the paper; its gradient with respect to the logits is
    sparsemax(z) − q (their Proposition 3), written out rather than left to automatic
    differentiation through the sort.
    """
    import tensorflow as tf

    def loss(targets, logits):
        p = sparsemax(logits)
        support = tf.cast(p > 0, logits.dtype)
        size = tf.reduce_sum(support, axis=1)
        tau = (tf.reduce_sum(logits * support, axis=1) - 1.0) / size
        inside = tf.reduce_sum(support * (tf.square(logits) - tf.square(tau)[:, None]), axis=1)
        value = (
            -tf.reduce_sum(targets * logits, axis=1)
            + inside / 2.0
            + tf.reduce_sum(tf.square(targets), axis=1) / 2.0
        )
        gradient = tf.stop_gradient(p - targets)
        # Value from eq. 19, gradient p − q: the second term is zero but carries the gradient.
        surrogate = tf.stop_gradient(value) + tf.reduce_sum(
            gradient * (logits - tf.stop_gradient(logits)), axis=1
        )
        return tf.reduce_mean(surrogate)

    return loss


def keras_cce_gradients(targets, logits) -> dict:
    """What Keras's categorical cross-entropy back-propagates for each document, with
    TensorFlow's default kernels and with op determinism enabled, beside the gradient of the
    loss it reports, |y|·softmax − y (with respect to the logits, for the summed loss).

    Default kernels use TensorFlow's fused softmax cross-entropy, which assumes target rows
    summing to one and returns softmax − y; with op determinism enabled (as
    :func:`genrebench.seeding.seed_everything` does) TensorFlow composes the loss from
    ordinary ops, whose gradient is the loss's own. The determinism setting is restored.
    """
    import keras
    import numpy as np
    import tensorflow as tf
    from tensorflow.python.framework import config  # the switch has no public "off"

    y = np.asarray(targets, dtype=np.float32)
    loss = keras.losses.CategoricalCrossentropy(from_logits=True, reduction="sum")

    def gradient():
        z = tf.Variable(np.asarray(logits, dtype=np.float32))
        with tf.GradientTape() as tape:
            total = loss(y, z)
        return tape.gradient(total, z).numpy()

    was_on = config.is_op_determinism_enabled()
    try:
        config.disable_op_determinism()
        default = gradient()
        config.enable_op_determinism()
        deterministic = gradient()
    finally:
        (config.enable_op_determinism if was_on else config.disable_op_determinism)()
    s = tf.nn.softmax(np.asarray(logits, dtype=np.float32)).numpy()
    return {
        "default kernels": default,
        "op determinism": deterministic,
        "loss gradient": y.sum(axis=1, keepdims=True) * s - y,
    }
