"""Intervals over test documents: percentile bootstrap, paired and vectorised for F1."""

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike

from genrebench.metrics.checks import MetricInputError, check_predictions, check_targets
from genrebench.metrics.f1 import MODES, _ratio, f1_modes


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
