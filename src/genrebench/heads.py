"""Output heads: an activation, a loss and a target transform, and nothing else.

Every head sits on the same backbone (:mod:`genrebench.models`), which emits one
logit per label. The heads differ only in how logits become scores and in what
the loss compares them with:

``sigmoid_bce``
    sigmoid per label, binary cross-entropy against the multi-hot targets
    (one-versus-all, OVA, in Menon et al.'s terms).
``softmax_cce``
    softmax over labels, categorical cross-entropy against the *raw* multi-hot
    targets: the sum of ``-log softmax`` over a document's true labels. This is
    what Keras computes when the thread's accepted answer is followed literally
    (pick-all-labels, PAL).
``softmax_cce_norm``
    softmax over labels, categorical cross-entropy against targets divided by
    the document's number of labels, so each target row sums to one (PAL-N, as
    in Mahajan et al.'s hashtag pre-training).

Losses are computed from logits, which is numerically stable.
"""

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from genrebench.activations import sigmoid, softmax


class UnknownHeadError(ValueError):
    """A head name that is not in :data:`HEADS`."""


@dataclass(frozen=True)
class Head:
    """One output head; ``name`` is its key in :data:`HEADS`."""

    name: str
    activation: str  # "sigmoid" or "softmax"
    normalise_targets: bool
    description: str
    reduction: str  # Menon et al.'s (2019) name of the multi-label reduction
    colour: str  # the head's colour in every figure (Okabe & Ito palette)

    def transform_targets(self, Y: ArrayLike) -> np.ndarray:
        """The float32 targets the loss sees; rows without labels stay all-zero."""
        y = np.asarray(Y, dtype=np.float32)
        if not self.normalise_targets:
            return y
        counts = y.sum(axis=1, keepdims=True)
        return np.divide(y, counts, out=np.zeros_like(y), where=counts > 0)

    def scores(self, logits: ArrayLike) -> np.ndarray:
        """Scores in [0, 1] from logits, with this head's activation."""
        if self.activation == "sigmoid":
            return sigmoid(logits)
        return softmax(logits, axis=1)

    def initial_bias(self, Y_train: ArrayLike, floor: float = 1e-4) -> np.ndarray:
        """Output biases of the best constant predictor under this head's loss.

        Sigmoid: the log-odds of each label's training frequency. Softmax: the
        log of each label's share of the (transformed) target mass. Starting
        every head from its own best constant prediction removes a slow first
        phase in which the network only learns label frequencies, and treats
        every head alike.
        """
        targets = self.transform_targets(Y_train).astype(np.float64)
        mean = np.clip(targets.mean(axis=0), floor, 1 - floor)
        if self.activation == "sigmoid":
            return np.log(mean / (1 - mean)).astype(np.float32)
        return np.log(mean / mean.sum()).astype(np.float32)

    def keras_loss(self):
        """The Keras loss on logits (imports Keras)."""
        import keras

        if self.activation == "sigmoid":
            return keras.losses.BinaryCrossentropy(from_logits=True)
        return keras.losses.CategoricalCrossentropy(from_logits=True)

    def loss(self, Y: ArrayLike, logits: ArrayLike) -> float:
        """Mean loss per document in NumPy, matching :meth:`keras_loss` (for curves and tests)."""
        z = np.asarray(logits, dtype=np.float64)
        t = self.transform_targets(Y).astype(np.float64)
        if not np.isfinite(z).all():  # a diverged run: its loss is not a number, quietly
            return float("nan")
        if self.activation == "sigmoid":
            # log(1 + exp(-|z|)) form of the logistic loss, averaged over labels as Keras does.
            per_entry = np.maximum(z, 0) - z * t + np.log1p(np.exp(-np.abs(z)))
            return float(per_entry.mean(axis=1).mean())
        shifted = z - z.max(axis=1, keepdims=True)
        log_softmax = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        return float((-(t * log_softmax).sum(axis=1)).mean())


#: The registry: adding a head means adding it here (and, to compare it in the book, to
#: :data:`genrebench.experiments.protocol.HEADS`).
HEADS: dict[str, Head] = {
    head.name: head
    for head in (
        Head("sigmoid_bce", "sigmoid", False, "sigmoid + binary cross-entropy", "OVA", "#0072B2"),
        Head(
            "softmax_cce",
            "softmax",
            False,
            "softmax + categorical cross-entropy, raw targets",
            "PAL",
            "#D55E00",
        ),
        Head(
            "softmax_cce_norm",
            "softmax",
            True,
            "softmax + categorical cross-entropy, targets normalised to sum to one",
            "PAL-N",
            "#CC79A7",
        ),
    )
}


def get_head(name: str) -> Head:
    """Look a head up by name, with an error that lists the valid names."""
    try:
        return HEADS[name]
    except KeyError:
        raise UnknownHeadError(f"unknown head {name!r}; choose one of {sorted(HEADS)}") from None
