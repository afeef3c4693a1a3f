"""Decoders: scores -> label sets.

A decoder is fitted on *validation* scores and targets (or not fitted at all),
then applied to any scores; it never retrains the model. Every decoder is a
small frozen dataclass with ``fit(Y_val, S_val) -> fitted decoder`` and one
``apply(S, Y_true=None) -> Y_pred`` (uint8) signature; callers always pass the
targets of the documents being decoded, and only a decoder whose ``needs_truth``
is true reads them. :data:`DECODERS` is the registry of the standard set the
book and the command compare. The oracle decoder is given the true label counts
a reference, not a usable method (nor a bound: a tuned decoder can beat it): its name
always says "oracle".
"""

from dataclasses import dataclass, replace
from typing import ClassVar

import numpy as np
from numpy.typing import ArrayLike

from genrebench.metrics import best_f1_threshold, best_f1_thresholds, ranked_hits, top_k_f1_each


class DecodeInputError(ValueError):
    """Scores or targets a decoder cannot use."""


def _scores(S: ArrayLike) -> np.ndarray:
    s = np.asarray(S, dtype=np.float64)
    if s.ndim != 2 or s.shape[0] == 0 or s.shape[1] == 0:
        raise DecodeInputError(f"scores must be a non-empty 2-D array, got shape {s.shape}")
    if not np.isfinite(s).all():
        raise DecodeInputError("scores contain NaN or infinite values")
    return s


def _targets(Y: ArrayLike, S: np.ndarray) -> np.ndarray:
    y = np.asarray(Y)
    if y.shape != S.shape:
        raise DecodeInputError(f"targets have shape {y.shape} but scores {S.shape}")
    if not np.isin(y, (0, 1)).all():
        raise DecodeInputError("targets must be 0/1")
    return y.astype(bool)


def threshold_decode(S: ArrayLike, threshold: ArrayLike = 0.5) -> np.ndarray:
    """Labels whose score is strictly above ``threshold`` (a scalar or one per label)."""
    s = _scores(S)
    return (s > np.asarray(threshold, dtype=np.float64)).astype(np.uint8)


def top_k_decode(S: ArrayLike, k: ArrayLike) -> np.ndarray:
    """The ``k`` highest-scoring labels of each document (``k`` a scalar or one per document).

    Ties are broken by label order, so the result is deterministic.
    """
    s = _scores(S)
    k = np.broadcast_to(np.asarray(k, dtype=np.int64), (s.shape[0],))
    if (k < 0).any():
        raise DecodeInputError("k must be non-negative")
    order = np.argsort(-s, axis=1, kind="stable")
    ranks = np.empty_like(order)
    np.put_along_axis(ranks, order, np.arange(s.shape[1])[None, :].repeat(s.shape[0], 0), axis=1)
    return (ranks < k[:, None]).astype(np.uint8)


@dataclass(frozen=True)
class FixedThreshold:
    """``threshold=0.5`` (or another fixed value), what most code does by default."""

    threshold: float = 0.5
    name: str = "threshold_0.5"
    needs_truth: ClassVar[bool] = False

    def fit(self, Y_val, S_val):
        return self

    def apply(self, S, Y_true=None):
        return threshold_decode(S, self.threshold)


@dataclass(frozen=True)
class RelativeThreshold:
    """Labels scoring at least ``fraction`` of the document's top score (never a zero score).

    A rule for scores that share one unit of mass across the labels (softmax): a
    document with k true labels ideally gives each about 1/k, so absolute thresholds
    suit no k, while a fraction of the row's maximum suits all of them.
    """

    fraction: float = 0.5
    name: str = "relative_0.5"
    needs_truth: ClassVar[bool] = False

    def fit(self, Y_val, S_val):
        return self

    def apply(self, S, Y_true=None):
        s = _scores(S)
        keep = (s >= self.fraction * s.max(axis=1, keepdims=True)) & (s > 0)
        return keep.astype(np.uint8)


@dataclass(frozen=True)
class GlobalThreshold:
    """One threshold for all labels, chosen to maximise micro-F1 on validation."""

    threshold: float | None = None
    name: str = "global_tuned"
    needs_truth: ClassVar[bool] = False

    def fit(self, Y_val, S_val):
        s = _scores(S_val)
        threshold, _ = best_f1_threshold(_targets(Y_val, s), s)
        return replace(self, threshold=threshold)

    def apply(self, S, Y_true=None):
        if self.threshold is None:
            raise DecodeInputError(f"{self.name} must be fitted on validation scores first")
        return threshold_decode(S, self.threshold)


@dataclass(frozen=True)
class PerLabelThreshold:
    """One threshold per label, each maximising that label's F1 on validation.

    Labels with fewer than ``min_positives`` validation positives fall back to
    the global tuned threshold: a threshold tuned on one or two examples is noise.
    """

    thresholds: tuple[float, ...] | None = None
    min_positives: int = 5
    name: str = "per_label_tuned"
    needs_truth: ClassVar[bool] = False

    def fit(self, Y_val, S_val):
        s = _scores(S_val)
        y = _targets(Y_val, s)
        global_threshold, _ = best_f1_threshold(y, s)
        own, _ = best_f1_thresholds(y, s)
        thresholds = np.where(y.sum(axis=0) < self.min_positives, global_threshold, own)
        return replace(self, thresholds=tuple(float(t) for t in thresholds))

    def apply(self, S, Y_true=None):
        if self.thresholds is None:
            raise DecodeInputError(f"{self.name} must be fitted on validation scores first")
        s = _scores(S)
        if len(self.thresholds) != s.shape[1]:
            raise DecodeInputError(
                f"fitted for {len(self.thresholds)} labels, scores have {s.shape[1]}"
            )
        return threshold_decode(s, np.asarray(self.thresholds))


@dataclass(frozen=True)
class TopK:
    """The ``k`` best-scoring labels of every document."""

    k: int = 1
    name: str = "top1"
    needs_truth: ClassVar[bool] = False

    def fit(self, Y_val, S_val):
        return self

    def apply(self, S, Y_true=None):
        return top_k_decode(S, self.k)


@dataclass(frozen=True)
class TopKByMass:
    """Top-k with k read from the scores: the fewest labels whose share of the row's score
    mass reaches ``mass``, with ``mass`` tuned on validation for ``metric`` (micro-F1 by
    default; samples-F1 makes it a set-level decoder, one set per document).

    Scores are divided by their row sum first, so the rule means the same for
    softmax scores (which already sum to one) and sigmoid scores.
    """

    mass: float | None = None
    max_k: int | None = None
    metric: str = "f1_micro"
    name: str = "topk_mass"
    needs_truth: ClassVar[bool] = False

    #: The metrics a mass can be tuned for.
    TUNED_FOR: ClassVar[dict] = {"f1_micro": "micro", "f1_samples": "samples"}

    @staticmethod
    def _cumulative(S: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Each row's labels best first (ties by label order), their ranks (0 = top score)
        and the cumulative share of the row's score mass, best label first."""
        shares = S / np.maximum(S.sum(axis=1, keepdims=True), 1e-300)
        order = np.argsort(-S, axis=1, kind="stable")
        ranks = np.empty_like(order)
        np.put_along_axis(ranks, order, np.arange(S.shape[1])[None, :], axis=1)
        return order, ranks, np.cumsum(np.take_along_axis(shares, order, axis=1), axis=1)

    @staticmethod
    def _k_each(cumulative, masses: np.ndarray, max_k: int | None) -> np.ndarray:
        """Labels kept per row under each of the increasing ``masses`` (masses x rows): the
        fewest whose scores reach the mass, at most ``max_k``."""
        # A label is counted under mass m when its cumulative share is below m - 1e-12: from
        # the first mass above that share on. Counting each row's labels by that first mass
        # and accumulating over the masses gives every mass's count in one pass.
        first = np.searchsorted(masses - 1e-12, cumulative, side="right")  # rows x labels
        rows = np.repeat(np.arange(len(cumulative)), cumulative.shape[1])
        counted = np.zeros((len(cumulative), len(masses) + 1), dtype=np.int64)
        np.add.at(counted, (rows, first.ravel()), 1)
        k = 1 + np.cumsum(counted, axis=1)[:, : len(masses)].T
        return np.minimum(k, max_k if max_k else cumulative.shape[1])

    def fit(self, Y_val, S_val):
        if self.metric not in self.TUNED_FOR:
            raise DecodeInputError(
                f"{self.name} tunes for one of {list(self.TUNED_FOR)}, not {self.metric!r}"
            )
        s = _scores(S_val)
        y = _targets(Y_val, s)
        max_k = int(y.sum(axis=1).max())
        order, _, cumulative = self._cumulative(s)
        hits = ranked_hits(y, order)  # the labels are ranked once; each mass only cuts
        average = self.TUNED_FOR[self.metric]
        candidates = np.linspace(0.05, 0.99, 95)
        scores = top_k_f1_each(hits, self._k_each(cumulative, candidates, max_k), average)
        return replace(self, mass=float(candidates[int(np.argmax(scores))]), max_k=max_k)

    def apply(self, S, Y_true=None):
        if self.mass is None:
            raise DecodeInputError(f"{self.name} must be fitted on validation scores first")
        _, ranks, cumulative = self._cumulative(_scores(S))
        k = self._k_each(cumulative, np.array([self.mass]), self.max_k)[0]
        return (ranks < k[:, None]).astype(np.uint8)


@dataclass(frozen=True)
class ExpectedF1:
    """The expected-F1-maximising top-k of :func:`genrebench.fmeasure.expected_f1_top_k`:
    consistent for samples-F1 on scores that estimate each label's marginal probability
    (sigmoid heads), if the labels are independent given the document. Fitting only reads
    the most labels a validation document has, the largest k searched."""

    max_k: int | None = None
    name: str = "expected_f1"
    needs_truth: ClassVar[bool] = False

    def fit(self, Y_val, S_val):
        s = _scores(S_val)
        return replace(self, max_k=int(_targets(Y_val, s).sum(axis=1).max()))

    def apply(self, S, Y_true=None):
        from genrebench.fmeasure import expected_f1_top_k

        return expected_f1_top_k(S, self.max_k)


@dataclass(frozen=True)
class CountScaled:
    """Softmax shares turned into marginals: a softmax head trained on multi-hot targets
    (PAL) estimates each label's marginal divided by their sum, and that sum is the
    document's expected number of labels (Menon et al. 2019). So the shares times a predicted
    label count estimate the marginals, and one threshold on them, tuned for micro-F1 on
    validation, is the decoder consistent for such a head.

    The count is predicted from the document's shares sorted from largest (least squares
    on validation, with a small ridge), at least one label and at most all of them.
    """

    coefficients: tuple[float, ...] | None = None
    threshold: float | None = None
    ridge: float = 1e-3
    name: str = "count_scaled"
    needs_truth: ClassVar[bool] = False

    @staticmethod
    def _shares(S: np.ndarray) -> np.ndarray:
        return np.clip(S, 0, None) / np.maximum(
            np.clip(S, 0, None).sum(axis=1, keepdims=True), 1e-12
        )

    @classmethod
    def _design(cls, shares: np.ndarray) -> np.ndarray:
        ordered = -np.sort(-shares, axis=1)
        return np.hstack([np.ones((len(shares), 1)), ordered])

    def predicted_count(self, S: ArrayLike) -> np.ndarray:
        """Each document's predicted number of labels (after :meth:`fit`)."""
        if self.coefficients is None:
            raise DecodeInputError(f"{self.name} must be fitted on validation scores first")
        s = _scores(S)
        count = self._design(self._shares(s)) @ np.asarray(self.coefficients)
        return np.clip(count, 1.0, s.shape[1])

    def marginals(self, S: ArrayLike) -> np.ndarray:
        """The estimated marginals: shares times the predicted count, at most one."""
        s = _scores(S)
        return np.minimum(self._shares(s) * self.predicted_count(s)[:, None], 1.0)

    def fit(self, Y_val, S_val):
        s = _scores(S_val)
        y = _targets(Y_val, s)
        design = self._design(self._shares(s))
        # einsum, not BLAS: the same sums in the same order whatever BLAS's thread count.
        gram = np.einsum("ij,ik->jk", design, design) + self.ridge * len(s) * np.eye(
            design.shape[1]
        )
        coefficients = np.linalg.solve(gram, np.einsum("ij,i->j", design, y.sum(axis=1)))
        fitted = replace(self, coefficients=tuple(float(c) for c in coefficients))
        threshold, _ = best_f1_threshold(y, fitted.marginals(s))
        return replace(fitted, threshold=threshold)

    def apply(self, S, Y_true=None):
        if self.threshold is None:
            raise DecodeInputError(f"{self.name} must be fitted on validation scores first")
        return threshold_decode(self.marginals(S), self.threshold)


@dataclass(frozen=True)
class OracleTopK:
    """Top-k with each document's *true* number of labels: a reference, not a method."""

    name: str = "oracle_topk"
    needs_truth: ClassVar[bool] = True

    def fit(self, Y_val, S_val):
        return self

    def apply(self, S, Y_true=None):
        if Y_true is None:
            raise DecodeInputError("the oracle decoder needs the true targets (Y_true=...)")
        s = _scores(S)
        return top_k_decode(s, _targets(Y_true, s).sum(axis=1))


#: Every decoder the book and the command compare, unfitted, in the order tables list them
#: (the oracle last: a reference). Adding a decoder means adding it here.
DECODERS = {
    decoder.name: decoder
    for decoder in (
        FixedThreshold(),
        GlobalThreshold(),
        PerLabelThreshold(),
        TopK(k=1),
        TopKByMass(),
        TopKByMass(metric="f1_samples", name="samples_tuned"),
        CountScaled(),
        ExpectedF1(),
        OracleTopK(),
    )
}

#: Decoder names in table order.
DECODER_NAMES = tuple(DECODERS)

#: What tables and figures call each decoder; code and the CSV files keep the names above.
#: The last three stand for a decoder chosen per head or per average in the comparisons.
DECODER_DISPLAY = {
    "threshold_0.5": "one half",
    "global_tuned": "one tuned threshold",
    "per_label_tuned": "a tuned threshold per label",
    "top1": "top label",
    "topk_mass": "top k by score mass",
    "samples_tuned": "top k by mass, for samples-F1",
    "count_scaled": "shares × predicted count",
    "expected_f1": "expected-F1 top k",
    "oracle_topk": "true count (oracle)",
    "matched": "matched",
    "natural": "own rule",
    "consistent": "consistent",
}

#: Decoders a model may be selected with: everything fitted on validation, never an oracle.
SELECTABLE_DECODERS = tuple(name for name, d in DECODERS.items() if not d.needs_truth)


#: The decoder that suits each F1 average (its "matched" decoder), every one fitted on
#: validation: one shared threshold for micro-F1 (pooled counts); one threshold per label for
#: macro- and weighted F1 (averages of per-label F1); one set per document for samples-F1.
MATCHED_DECODERS = {
    "f1_micro": "global_tuned",
    "f1_macro": "per_label_tuned",
    "f1_weighted": "per_label_tuned",
    "f1_samples": "samples_tuned",
}


def make_decoders() -> tuple:
    """The standard decoders, unfitted, in the order the book reports them."""
    return tuple(DECODERS.values())


def get_decoder(name: str):
    """A decoder of :data:`DECODERS` by name, with an error that lists the valid names."""
    try:
        return DECODERS[name]
    except KeyError:
        raise DecodeInputError(
            f"unknown decoder {name!r}; choose one of {list(DECODERS)}"
        ) from None
