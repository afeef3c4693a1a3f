"""Output heads: an activation, a loss, a target transform and a natural decoder.

Every head sits on the same backbone (:mod:`genrebench.models`), which emits one
logit per label. The heads differ only in how logits become scores, in what the
loss compares them with, and in the decision rule their own theory gives
(``natural``, applied without tuning). Menon et al. (2019) name the reductions:

``sigmoid_bce``
    sigmoid per label, binary cross-entropy against the multi-hot targets
    (one-versus-all, OVA). Natural rule: score above 0.5.
``sigmoid_bce_norm``
    sigmoid per label, binary cross-entropy against targets divided by the
    document's number of labels (OVA-N). Its scores estimate E[y_j/|y| | x], not
    the marginals, so 0.5 is high; the natural rule stays 0.5 all the same.
``softmax_cce``
    softmax over labels, categorical cross-entropy against the *raw* multi-hot
    targets: the sum of ``-log softmax`` over a document's true labels. This is
    what Keras computes when the thread's accepted answer is followed literally
    (pick-all-labels, PAL). Keras reports that loss, but with TensorFlow's default
    kernels it trains with another gradient: its categorical cross-entropy calls
    TensorFlow's fused softmax cross-entropy, which assumes target rows summing to
    one without checking, and back-propagates softmax − y (the gradient of
    −y·z + log Σ e^z) instead of the loss's own |y|·softmax − y, with or without
    ``from_logits``. With op determinism enabled, as this project trains
    (:func:`genrebench.seeding.seed_everything`), TensorFlow composes the loss from
    ordinary ops and the gradient is the loss's own: this head trains on PAL.
``softmax_cce_norm``
    softmax, categorical cross-entropy against targets divided by the document's
    number of labels, so each target row sums to one (PAL-N, as in Mahajan et
    al.'s hashtag pre-training).
``softmax_pick_one``
    softmax, categorical cross-entropy against *one* of the document's labels,
    drawn afresh every epoch (pick-one-label, POL). Its expected loss is PAL-N's.
``focal_bce``
    sigmoid, focal binary cross-entropy (Lin et al., 2017) with γ = 2 and no
    class weighting (α off): each entry's cross-entropy times (1 − p_t)^γ.
``asl``
    sigmoid, asymmetric loss (Ridnik et al., 2021): positives weighted by
    (1 − p)^γ+, negatives by p_m^γ− with the shifted probability
    p_m = max(p − m, 0); γ− = 4, γ+ = 0, m = 0.05. With (0, 0, 0) it is binary
    cross-entropy, with (γ, γ, 0) focal loss.
``zlpr``
    "multi-label categorical cross-entropy" on the logits (Su, 2020; Su et al.,
    2022): log(1 + Σ_neg e^{s_j}) + log(1 + Σ_pos e^{−s_i}), which pushes true
    labels above 0 and the others below. Natural rule: logit above 0 (the
    scores are the logits' sigmoid, so score above 0.5).
``sparsemax``
    sparsemax output (Martins & Astudillo, 2016) with its own loss against the
    normalised targets y/|y|. Natural rule: the labels with a non-zero score.

The softmax heads' natural rule is :class:`~genrebench.decode.RelativeThreshold`
(score at least half the document's top score): their scores share one unit of
mass, ideally about 1/k on each of a document's k labels, so no absolute
threshold fits every k.

Each loss is computed twice: in TensorFlow for training (:meth:`Head.keras_loss`),
and in NumPy for the loss curves and as the reference the tests hold the
TensorFlow version to (:meth:`Head.loss`). Both are means over documents; the
per-label losses (binary cross-entropy, focal, asymmetric) average over labels as
Keras does, the others sum over labels.
"""

from dataclasses import dataclass, field, replace

import numpy as np
from numpy.typing import ArrayLike

from genrebench.activations import sigmoid, softmax, sparsemax
from genrebench.decode import FixedThreshold, RelativeThreshold


class UnknownHeadError(ValueError):
    """A head name that is not in :data:`HEADS`."""


#: Target transforms: the multi-hot rows, rows divided by their label count, or one label
#: drawn per document and epoch (whose expectation is the divided rows).
TARGETS = ("multi_hot", "normalised", "pick_one")

#: Losses, with the activation each expects its logits to go through.
LOSSES = {
    "bce": "sigmoid",
    "focal": "sigmoid",
    "asl": "sigmoid",
    "zlpr": "sigmoid",
    "cce": "softmax",
    "sparsemax": "sparsemax",
}


@dataclass(frozen=True)
class Head:
    """One output head; ``name`` is its key in :data:`HEADS`."""

    name: str
    loss_name: str  # a key of LOSSES
    targets: str  # one of TARGETS
    description: str
    reduction: str  # Menon et al.'s (2019) name of the multi-label reduction, or the loss's
    colour: str  # the head's colour in every figure
    natural: object  # the decoder its theory gives, unfitted (see the module docstring)
    natural_rule: str  # that decoder in words
    parameters: dict = field(default_factory=dict)  # the loss's settings (γ, margin, ...)
    #: The decoder consistent for micro-F1 given what its scores estimate (a name in
    #: :data:`genrebench.decode.DECODERS`): one tuned threshold where the scores estimate the
    #: marginals; shares times a predicted label count for the softmax heads on multi-hot or
    #: normalised targets, whose shares estimate marginals over their sum (Menon et al. 2019).
    consistent: str = "global_tuned"
    display: str = ""  # its name in tables, figures and captions ("sigmoid + BCE")

    def __post_init__(self):
        if self.loss_name not in LOSSES:
            raise ValueError(f"{self.name}: unknown loss {self.loss_name!r}")
        if self.targets not in TARGETS:
            raise ValueError(f"{self.name}: unknown targets {self.targets!r}")
        object.__setattr__(self, "natural", replace(self.natural, name="natural"))

    def __hash__(self):
        return hash(self.name)

    @property
    def activation(self) -> str:
        """ "sigmoid", "softmax" or "sparsemax": how logits become scores."""
        return LOSSES[self.loss_name]

    @property
    def normalise_targets(self) -> bool:
        """Whether the loss sees target rows that sum to one (in expectation for ``pick_one``)."""
        return self.targets != "multi_hot"

    def transform_targets(self, Y: ArrayLike) -> np.ndarray:
        """The float32 targets the loss sees (their expectation for ``pick_one``); rows
        without labels stay all-zero."""
        y = np.asarray(Y, dtype=np.float32)
        if not self.normalise_targets:
            return y
        counts = y.sum(axis=1, keepdims=True)
        return np.divide(y, counts, out=np.zeros_like(y), where=counts > 0)

    def epoch_targets(self, Y: ArrayLike, seed: int, epoch: int) -> np.ndarray:
        """The targets of one training epoch: :meth:`transform_targets`, except that
        ``pick_one`` draws one true label per document (seeded by ``seed`` and ``epoch``,
        on a stream of its own, so other heads and the batch order are untouched)."""
        if self.targets != "pick_one":
            return self.transform_targets(Y)
        y = np.asarray(Y, dtype=bool)
        rng = np.random.default_rng([seed, epoch, 0x9E3779B9])
        # The chosen label is the first true label whose uniform key is the row's largest.
        keys = np.where(y, rng.random(y.shape), -1.0)
        picked = np.zeros(y.shape, dtype=np.float32)
        rows = np.flatnonzero(y.any(axis=1))
        picked[rows, keys[rows].argmax(axis=1)] = 1.0
        return picked

    def scores(self, logits: ArrayLike) -> np.ndarray:
        """Scores in [0, 1] from logits, with this head's activation."""
        if self.activation == "sigmoid":
            return sigmoid(logits)
        if self.activation == "softmax":
            return softmax(logits, axis=1)
        return sparsemax(logits, axis=1)

    def initial_bias(self, Y_train: ArrayLike, floor: float = 1e-4) -> np.ndarray:
        """Output biases whose scores are the training targets' mean.

        Sigmoid: the log-odds of each label's (transformed) frequency. Softmax: the
        log of each label's share of the target mass. Sparsemax: that share itself
        (sparsemax of a point on the simplex is the point). For cross-entropy these
        are the best constant predictions; starting every head from them removes a
        slow first phase in which the network only learns label frequencies, and
        treats every head alike.
        """
        targets = self.transform_targets(Y_train).astype(np.float64)
        mean = np.clip(targets.mean(axis=0), floor, 1 - floor)
        if self.activation == "sigmoid":
            return np.log(mean / (1 - mean)).astype(np.float32)
        if self.activation == "softmax":
            return np.log(mean / mean.sum()).astype(np.float32)
        return (mean / mean.sum()).astype(np.float32)

    def keras_loss(self):
        """The loss on logits as a callable ``(targets, logits) -> mean`` (imports Keras)."""
        import keras

        if self.loss_name == "bce":
            return keras.losses.BinaryCrossentropy(from_logits=True)
        if self.loss_name == "cce":
            return keras.losses.CategoricalCrossentropy(from_logits=True)
        if self.loss_name == "focal":
            return keras.losses.BinaryFocalCrossentropy(
                gamma=self.parameters["gamma"], from_logits=True
            )
        from genrebench import losses

        return getattr(losses, f"{self.loss_name}_loss")(**self.parameters)

    def loss(self, Y: ArrayLike, logits: ArrayLike) -> float:
        """Mean loss per document in NumPy, matching :meth:`keras_loss` (for curves and tests).

        For ``pick_one`` it is the expected loss over the draw (PAL-N's loss).
        """
        z = np.asarray(logits, dtype=np.float64)
        if not np.isfinite(z).all():  # a diverged run: its loss is not a number, quietly
            return float("nan")
        return float(self.loss_per_document(Y, z).mean())

    def loss_per_document(self, Y: ArrayLike, logits: ArrayLike) -> np.ndarray:
        """The NumPy loss of each document (float64)."""
        z = np.asarray(logits, dtype=np.float64)
        t = self.transform_targets(Y).astype(np.float64)
        return _NUMPY_LOSSES[self.loss_name](t, z, **self.parameters)


# --- NumPy reference losses (float64; targets already transformed) ---------------------


def _log_sigmoid(z: np.ndarray) -> np.ndarray:
    return -(np.maximum(-z, 0) + np.log1p(np.exp(-np.abs(z))))


def _bce(t, z):
    per_entry = np.maximum(z, 0) - z * t + np.log1p(np.exp(-np.abs(z)))
    return per_entry.mean(axis=1)


def _cce(t, z):
    shifted = z - z.max(axis=1, keepdims=True)
    log_softmax = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return -(t * log_softmax).sum(axis=1)


def _focal(t, z, gamma):
    # Keras's definition: cross-entropy of the clipped probability, times (1 - p_t)^gamma.
    p = sigmoid(z)
    clipped = np.clip(p, 1e-7, 1 - 1e-7)
    bce = -(t * np.log(clipped) + (1 - t) * np.log(1 - clipped))
    p_t = t * p + (1 - t) * (1 - p)
    return ((1 - p_t) ** gamma * bce).mean(axis=1)


def _asl(t, z, gamma_pos, gamma_neg, margin):
    p = sigmoid(z)
    shifted = np.maximum(p - margin, 0.0)
    log_negative = np.log(np.minimum(1 - p + margin, 1.0)) if margin else _log_sigmoid(-z)
    positive = -((1 - p) ** gamma_pos) * _log_sigmoid(z)
    negative = -(shifted**gamma_neg) * log_negative
    return (t * positive + (1 - t) * negative).mean(axis=1)


def _logsumexp_with_zero(values: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """log(1 + Σ_{mask} e^{values}) per row, stable."""
    masked = np.where(mask, values, -np.inf)
    top = np.maximum(masked.max(axis=1), 0.0)
    return top + np.log(np.exp(-top) + np.exp(masked - top[:, None]).sum(axis=1))


def _zlpr(t, z):
    positive = t > 0
    return _logsumexp_with_zero(z, ~positive) + _logsumexp_with_zero(-z, positive)


def _sparsemax_loss(t, z):
    # Martins & Astudillo (2016), eq. 19: -q.z + (1/2) sum_{j in S(z)} (z_j^2 - tau^2) + |q|^2/2.
    p = sparsemax(z, axis=1)
    support = p > 0
    tau = ((z * support).sum(axis=1) - 1) / support.sum(axis=1)
    inside = np.where(support, z**2 - tau[:, None] ** 2, 0.0).sum(axis=1)
    return -(t * z).sum(axis=1) + inside / 2 + (t**2).sum(axis=1) / 2


_NUMPY_LOSSES = {
    "bce": _bce,
    "cce": _cce,
    "focal": _focal,
    "asl": _asl,
    "zlpr": _zlpr,
    "sparsemax": _sparsemax_loss,
}

_HALF_OF_TOP = RelativeThreshold(0.5)
_HALF = FixedThreshold(0.5)

#: The registry: adding a head means adding it here (and, to compare it in the book, to
#: :data:`genrebench.experiments.protocol.HEADS`). Colours: Okabe & Ito's, then Paul Tol's.
HEADS: dict[str, Head] = {
    head.name: head
    for head in (
        Head(
            "sigmoid_bce",
            "bce",
            "multi_hot",
            "sigmoid + binary cross-entropy",
            "OVA",
            "#0072B2",
            _HALF,
            "score above 0.5",
            display="sigmoid + BCE",
        ),
        Head(
            "softmax_cce",
            "cce",
            "multi_hot",
            "softmax + categorical cross-entropy, raw targets",
            "PAL",
            "#D55E00",
            _HALF_OF_TOP,
            "score at least half the document's top score",
            consistent="count_scaled",
            display="softmax + CCE",
        ),
        Head(
            "softmax_cce_norm",
            "cce",
            "normalised",
            "softmax + categorical cross-entropy, targets normalised to sum to one",
            "PAL-N",
            "#CC79A7",
            _HALF_OF_TOP,
            "score at least half the document's top score",
            consistent="count_scaled",
            display="softmax + CCE on normalised targets",
        ),
        Head(
            "sigmoid_bce_norm",
            "bce",
            "normalised",
            "sigmoid + binary cross-entropy, targets divided by the label count",
            "OVA-N",
            "#56B4E9",
            _HALF,
            "score above 0.5",
            display="sigmoid + BCE on normalised targets",
        ),
        Head(
            "softmax_pick_one",
            "cce",
            "pick_one",
            "softmax + categorical cross-entropy against one label drawn per epoch",
            "POL",
            "#E69F00",
            _HALF_OF_TOP,
            "score at least half the document's top score",
            display="softmax + CCE on one label per epoch",
        ),
        Head(
            "focal_bce",
            "focal",
            "multi_hot",
            "sigmoid + focal binary cross-entropy (γ = 2, no class weights)",
            "focal",
            "#009E73",
            _HALF,
            "score above 0.5",
            {"gamma": 2.0},
            display="sigmoid + focal loss",
        ),
        Head(
            "asl",
            "asl",
            "multi_hot",
            "sigmoid + asymmetric loss (γ− = 4, γ+ = 0, margin 0.05)",
            "ASL",
            "#882255",
            _HALF,
            "score above 0.5",
            {"gamma_pos": 0.0, "gamma_neg": 4.0, "margin": 0.05},
            display="sigmoid + asymmetric loss",
        ),
        Head(
            "zlpr",
            "zlpr",
            "multi_hot",
            "multi-label categorical cross-entropy on the logits (ZLPR)",
            "ZLPR",
            "#999933",
            _HALF,
            "logit above 0",
            display="ZLPR",
        ),
        Head(
            "sparsemax",
            "sparsemax",
            "normalised",
            "sparsemax + sparsemax loss, targets normalised to sum to one",
            "sparsemax",
            "#332288",
            FixedThreshold(0.0),
            "non-zero score",
            display="sparsemax",
        ),
    )
}


def get_head(name: str) -> Head:
    """Look a head up by name, with an error that lists the valid names."""
    try:
        return HEADS[name]
    except KeyError:
        raise UnknownHeadError(f"unknown head {name!r}; choose one of {sorted(HEADS)}") from None
