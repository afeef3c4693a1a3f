"""Multi-label metrics, framework-free: the independent referee.

This module imports NumPy, pandas and scikit-learn only — never Keras,
TensorFlow or :mod:`genrebench.models` — so it can check what a framework's
metric reports (a test enforces this).

Every F1 "mode" treats each label as its own binary problem and differs only in
how the per-label counts are aggregated:

* ``None`` (per label): F1 of every label on its own;
* ``micro``: true positives, false positives and false negatives pooled over
  labels, then one F1;
* ``macro``: the unweighted mean of the per-label F1;
* ``weighted``: the per-label F1 weighted by support (true positives + false
  negatives);
* ``samples``: F1 of every document's predicted set against its true set,
  averaged over documents (scikit-learn only; Keras has no such mode).

``zero_division`` is the value of an F1 whose denominator is zero (a label, or
document, with no true and no predicted positives). It defaults to 0, which is
what Keras' ``F1Score`` effectively does (its small epsilon turns 0/0 into 0),
and is written out explicitly wherever this module calls scikit-learn.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from sklearn.metrics import (
    average_precision_score,
    label_ranking_average_precision_score,
    roc_auc_score,
)

MODES = ("micro", "macro", "weighted", "samples")


class MetricInputError(ValueError):
    """Targets, predictions or scores that a metric cannot be computed on."""


# --- Input checks ---------------------------------------------------------------------------


def check_targets(Y_true: ArrayLike, name: str = "Y_true") -> np.ndarray:
    """A non-empty 2-D 0/1 array, returned as bool."""
    y = np.asarray(Y_true)
    if y.ndim != 2:
        raise MetricInputError(f"{name} must be 2-D (documents x labels), got shape {y.shape}")
    if y.shape[0] == 0:
        raise MetricInputError(f"{name} has zero documents")
    if y.shape[1] == 0:
        raise MetricInputError(f"{name} has zero labels")
    if y.dtype == bool:
        return y
    if not np.isfinite(y.astype(np.float64)).all() or not np.isin(y, (0, 1)).all():
        raise MetricInputError(f"{name} must contain only 0 and 1 (multi-hot), found other values")
    return y.astype(bool)


def check_predictions(Y_pred: ArrayLike, shape: tuple, name: str = "Y_pred") -> np.ndarray:
    y = check_targets(Y_pred, name)
    if y.shape != shape:
        raise MetricInputError(f"{name} has shape {y.shape}, but Y_true has shape {shape}")
    return y


def check_scores(
    scores: ArrayLike, shape: tuple, probabilities: bool = False, name: str = "scores"
) -> np.ndarray:
    s = np.asarray(scores, dtype=np.float64)
    if s.shape != shape:
        raise MetricInputError(f"{name} has shape {s.shape}, but Y_true has shape {shape}")
    if not np.isfinite(s).all():
        raise MetricInputError(f"{name} contain NaN or infinite values")
    if probabilities and (s.min() < 0 or s.max() > 1):
        raise MetricInputError(
            f"{name} must be probabilities in [0, 1]; found values in [{s.min():g}, {s.max():g}]"
        )
    return s


# --- F1 in every mode ----------------------------------------------------------------------


def _ratio(numerator, denominator, zero_division: float):
    numerator = np.asarray(numerator, dtype=np.float64)
    denominator = np.asarray(denominator, dtype=np.float64)
    out = np.full(np.broadcast(numerator, denominator).shape, float(zero_division))
    np.divide(numerator, denominator, out=out, where=denominator > 0)
    return out


@dataclass(frozen=True)
class F1Report:
    """F1 in every mode, plus the per-label table (precision, recall, support, predicted)."""

    micro: float
    macro: float
    weighted: float
    samples: float
    per_label: pd.DataFrame
    zero_division: float = 0.0

    def __getitem__(self, mode):
        if mode is None:
            return self.per_label["f1"]
        if mode in MODES:
            return getattr(self, mode)
        raise KeyError(f"unknown F1 mode {mode!r}; use one of {MODES} or None")

    def as_dict(self) -> dict[str, float]:
        return {mode: getattr(self, mode) for mode in MODES}


def confusion_counts(Y_true: ArrayLike, Y_pred: ArrayLike) -> tuple[np.ndarray, ...]:
    """Per-label true positives, false positives and false negatives."""
    y = check_targets(Y_true)
    p = check_predictions(Y_pred, y.shape)
    tp = np.logical_and(y, p).sum(axis=0)
    fp = np.logical_and(~y, p).sum(axis=0)
    fn = np.logical_and(y, ~p).sum(axis=0)
    return tp, fp, fn


def f1_modes(
    Y_true: ArrayLike,
    Y_pred: ArrayLike,
    label_names: Sequence[str] | None = None,
    zero_division: float = 0.0,
) -> F1Report:
    """F1 per label and averaged micro, macro, weighted and per document (samples)."""
    y = check_targets(Y_true)
    p = check_predictions(Y_pred, y.shape)
    tp, fp, fn = confusion_counts(y, p)
    support = tp + fn
    per_label_f1 = _ratio(2 * tp, 2 * tp + fp + fn, zero_division)
    doc_tp = np.logical_and(y, p).sum(axis=1)
    doc_f1 = _ratio(2 * doc_tp, y.sum(axis=1) + p.sum(axis=1), zero_division)
    total = support.sum()
    names = list(label_names) if label_names is not None else [str(j) for j in range(y.shape[1])]
    if len(names) != y.shape[1]:
        raise MetricInputError(f"{len(names)} label names for {y.shape[1]} labels")
    per_label = pd.DataFrame(
        {
            "f1": per_label_f1,
            "precision": _ratio(tp, tp + fp, zero_division),
            "recall": _ratio(tp, tp + fn, zero_division),
            "support": support,
            "predicted": tp + fp,
        },
        index=pd.Index(names, name="label"),
    )
    return F1Report(
        micro=float(_ratio(2 * tp.sum(), 2 * tp.sum() + fp.sum() + fn.sum(), zero_division)),
        macro=float(per_label_f1.mean()),
        # No true positives anywhere: no weights, so scikit-learn falls back to the plain mean.
        weighted=float(per_label_f1 @ support / total) if total else float(per_label_f1.mean()),
        samples=float(doc_f1.mean()),
        per_label=per_label,
        zero_division=zero_division,
    )


def precision_recall_modes(
    Y_true: ArrayLike, Y_pred: ArrayLike, zero_division: float = 0.0
) -> dict[str, float]:
    """Precision and recall aggregated like F1: ``precision_micro`` ... ``recall_samples``."""
    y = check_targets(Y_true)
    p = check_predictions(Y_pred, y.shape)
    tp, fp, fn = confusion_counts(y, p)
    support = tp + fn
    precision = _ratio(tp, tp + fp, zero_division)
    recall = _ratio(tp, tp + fn, zero_division)
    doc_tp = np.logical_and(y, p).sum(axis=1)
    out = {
        "precision_micro": float(_ratio(tp.sum(), tp.sum() + fp.sum(), zero_division)),
        "recall_micro": float(_ratio(tp.sum(), tp.sum() + fn.sum(), zero_division)),
        "precision_macro": float(precision.mean()),
        "recall_macro": float(recall.mean()),
        "precision_samples": float(_ratio(doc_tp, p.sum(axis=1), zero_division).mean()),
        "recall_samples": float(_ratio(doc_tp, y.sum(axis=1), zero_division).mean()),
    }
    total = support.sum()
    out["precision_weighted"] = (
        float(precision @ support / total) if total else float(precision.mean())
    )
    out["recall_weighted"] = float(recall @ support / total) if total else float(recall.mean())
    return out


# --- Ranking metrics -----------------------------------------------------------------------


def _top_k_hits(y: np.ndarray, s: np.ndarray, k: int) -> np.ndarray:
    if not 1 <= k <= y.shape[1]:
        raise MetricInputError(f"k must be between 1 and the number of labels, got {k}")
    top = np.argsort(-s, axis=1, kind="stable")[:, :k]
    return np.take_along_axis(y, top, axis=1).sum(axis=1)


def precision_at_k(Y_true: ArrayLike, scores: ArrayLike, k: int) -> float:
    """Mean over documents of the share of the ``k`` top-scored labels that are true."""
    y = check_targets(Y_true)
    s = check_scores(scores, y.shape)
    return float((_top_k_hits(y, s, k) / k).mean())


def recall_at_k(Y_true: ArrayLike, scores: ArrayLike, k: int) -> float:
    """Mean over documents with at least one label of the share of true labels in the top ``k``."""
    y = check_targets(Y_true)
    s = check_scores(scores, y.shape)
    counts = y.sum(axis=1)
    keep = counts > 0
    if not keep.any():
        raise MetricInputError("recall@k needs at least one document with a true label")
    return float((_top_k_hits(y, s, k)[keep] / counts[keep]).mean())


def ranking_metrics(Y_true: ArrayLike, scores: ArrayLike, ks: Sequence[int] = (1, 3)) -> dict:
    """P@k, R@k, label-ranking average precision, and ROC-AUC / PR-AUC (macro and micro).

    Macro AUCs average over the labels that have both positive and negative
    documents (AUC is undefined otherwise); micro AUCs pool all pairs.
    """
    y = check_targets(Y_true)
    s = check_scores(scores, y.shape)
    out = {}
    for k in ks:
        if k <= y.shape[1]:
            out[f"p@{k}"] = precision_at_k(y, s, k)
            out[f"r@{k}"] = recall_at_k(y, s, k)
    out["lrap"] = float(label_ranking_average_precision_score(y, s))
    defined = (y.sum(axis=0) > 0) & (y.sum(axis=0) < y.shape[0])
    if defined.any():
        out["roc_auc_macro"] = float(roc_auc_score(y[:, defined], s[:, defined], average="macro"))
        out["pr_auc_macro"] = float(
            average_precision_score(y[:, defined], s[:, defined], average="macro")
        )
    if 0 < y.sum() < y.size:
        out["roc_auc_micro"] = float(roc_auc_score(y.ravel(), s.ravel()))
        out["pr_auc_micro"] = float(average_precision_score(y.ravel(), s.ravel()))
    return out


def multilabel_summary(
    Y_true: ArrayLike,
    Y_pred: ArrayLike,
    scores: ArrayLike | None = None,
    ks: Sequence[int] = (1, 3),
    zero_division: float = 0.0,
) -> dict[str, float]:
    """Every number a multi-label report needs, as one flat dict.

    Decision metrics (from ``Y_pred``): ``f1_<mode>``, ``precision_<mode>``,
    ``recall_<mode>``, ``binary_accuracy`` (label-wise), ``subset_accuracy``,
    ``hamming_loss``, ``jaccard_samples``. With ``scores``: the ranking metrics
    of :func:`ranking_metrics`.
    """
    y = check_targets(Y_true)
    p = check_predictions(Y_pred, y.shape)
    report = f1_modes(y, p, zero_division=zero_division)
    out = {f"f1_{mode}": value for mode, value in report.as_dict().items()}
    out.update(precision_recall_modes(y, p, zero_division))
    agree = y == p
    union = np.logical_or(y, p).sum(axis=1)
    intersection = np.logical_and(y, p).sum(axis=1)
    out["binary_accuracy"] = float(agree.mean())
    out["hamming_loss"] = 1.0 - out["binary_accuracy"]
    out["subset_accuracy"] = float(agree.all(axis=1).mean())
    out["jaccard_samples"] = float(_ratio(intersection, union, zero_division).mean())
    if scores is not None:
        out.update(ranking_metrics(y, scores, ks))
    return out


# --- Uncertainty ----------------------------------------------------------------------------


def _bootstrap_indices(n: int, n_boot: int, seed: int) -> np.ndarray:
    if n_boot < 1:
        raise MetricInputError("n_boot must be at least 1")
    return np.random.default_rng(seed).integers(0, n, size=(n_boot, n))


def _interval(values: np.ndarray, confidence: float) -> tuple[float, float]:
    if not 0 < confidence < 1:
        raise MetricInputError(f"confidence must lie in (0, 1), got {confidence}")
    tail = (1 - confidence) / 2 * 100
    low, high = np.percentile(values, [tail, 100 - tail])
    return float(low), float(high)


def bootstrap_ci(
    metric: Callable[..., float],
    Y_true: ArrayLike,
    *predictions: ArrayLike,
    n_boot: int = 1000,
    confidence: float = 0.95,
    seed: int = 0,
) -> tuple[float, float, float]:
    """Estimate and percentile bootstrap interval of ``metric(Y_true, *predictions)``.

    Documents are resampled with replacement, the same rows for the targets and
    every prediction array. Seeded: the same call gives the same interval.
    """
    y = np.asarray(Y_true)
    arrays = [np.asarray(p) for p in predictions]
    if len(y) == 0:
        raise MetricInputError("Y_true has zero documents")
    for array in arrays:
        if len(array) != len(y):
            raise MetricInputError(f"predictions have {len(array)} rows, Y_true {len(y)}")
    estimate = float(metric(y, *arrays))
    values = np.array(
        [
            metric(y[rows], *(array[rows] for array in arrays))
            for rows in _bootstrap_indices(len(y), n_boot, seed)
        ]
    )
    return (estimate, *_interval(values, confidence))


def paired_bootstrap_diff(
    metric: Callable[[np.ndarray, np.ndarray], float],
    Y_true: ArrayLike,
    pred_a: ArrayLike,
    pred_b: ArrayLike,
    n_boot: int = 1000,
    confidence: float = 0.95,
    seed: int = 0,
) -> tuple[float, float, float]:
    """``metric(a) - metric(b)`` on the same documents, with a paired bootstrap interval."""
    return bootstrap_ci(
        lambda y, a, b: metric(y, a) - metric(y, b),
        Y_true,
        pred_a,
        pred_b,
        n_boot=n_boot,
        confidence=confidence,
        seed=seed,
    )


def bootstrap_f1(
    Y_true: ArrayLike,
    Y_pred: ArrayLike,
    mode: str = "micro",
    n_boot: int = 1000,
    confidence: float = 0.95,
    seed: int = 0,
    zero_division: float = 0.0,
) -> tuple[float, float, float]:
    """Fast bootstrap interval of one F1 mode: resamples per-document counts, not documents.

    Equivalent to :func:`bootstrap_ci` with ``f1_modes(...)[mode]`` (same
    resamples for the same seed) but vectorised: a resample is a vector of
    document multiplicities, and the per-label counts are matrix products.
    """
    y = check_targets(Y_true)
    p = check_predictions(Y_pred, y.shape)
    if mode not in MODES:
        raise MetricInputError(f"unknown F1 mode {mode!r}; use one of {MODES}")
    estimate = f1_modes(y, p, zero_division=zero_division)[mode]
    rows = _bootstrap_indices(len(y), n_boot, seed)
    weights = np.zeros((n_boot, len(y)))
    np.add.at(weights, (np.arange(n_boot)[:, None], rows), 1.0)
    tp_doc = np.logical_and(y, p).astype(np.float64)
    fp_doc = np.logical_and(~y, p).astype(np.float64)
    fn_doc = np.logical_and(y, ~p).astype(np.float64)
    if mode == "samples":
        doc_f1 = _ratio(2 * tp_doc.sum(1), y.sum(1) + p.sum(1), zero_division)
        values = weights @ doc_f1 / len(y)
    else:
        tp, fp, fn = weights @ tp_doc, weights @ fp_doc, weights @ fn_doc
        if mode == "micro":
            tp, fp, fn = tp.sum(1), fp.sum(1), fn.sum(1)
            values = _ratio(2 * tp, 2 * tp + fp + fn, zero_division)
        else:
            per_label = _ratio(2 * tp, 2 * tp + fp + fn, zero_division)
            if mode == "macro":
                values = per_label.mean(axis=1)
            else:
                support = tp + fn
                total = support.sum(axis=1)
                weighted = _ratio((per_label * support).sum(axis=1), total, 0.0)
                values = np.where(total > 0, weighted, per_label.mean(axis=1))
    return (float(estimate), *_interval(values, confidence))
