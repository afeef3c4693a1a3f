"""F1 in every mode, with precision and recall aggregated the same way.

Every F1 "mode" treats each label as its own binary problem and differs only in
how the per-label counts are aggregated (see :mod:`genrebench.metrics`).
"""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from genrebench.metrics.checks import MetricInputError, check_predictions, check_targets

MODES = ("micro", "macro", "weighted", "samples")


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


def _counts(y: np.ndarray, p: np.ndarray) -> dict[str, np.ndarray]:
    """The counts every F1 mode, precision and recall read, from checked bool arrays: per label
    true positives, false positives, false negatives; per document true positives, true and
    predicted labels."""
    hits = y & p
    tp, true_per_label, predicted_per_label = hits.sum(axis=0), y.sum(axis=0), p.sum(axis=0)
    return {
        "tp": tp,
        "fp": predicted_per_label - tp,
        "fn": true_per_label - tp,
        "doc_tp": hits.sum(axis=1),
        "doc_true": y.sum(axis=1),
        "doc_predicted": p.sum(axis=1),
    }


def _f1_averages(counts: dict, zero_division: float) -> tuple[dict[str, float], np.ndarray]:
    """F1 in every mode from :func:`_counts`, and the per-label F1."""
    tp, fp, fn = counts["tp"], counts["fp"], counts["fn"]
    support = tp + fn
    per_label_f1 = _ratio(2 * tp, 2 * tp + fp + fn, zero_division)
    doc_f1 = _ratio(
        2 * counts["doc_tp"], counts["doc_true"] + counts["doc_predicted"], zero_division
    )
    total = support.sum()
    averages = {
        "micro": float(_ratio(2 * tp.sum(), 2 * tp.sum() + fp.sum() + fn.sum(), zero_division)),
        "macro": float(per_label_f1.mean()),
        # No true positives anywhere: no weights, so scikit-learn falls back to the plain mean.
        "weighted": float(per_label_f1 @ support / total) if total else float(per_label_f1.mean()),
        "samples": float(doc_f1.mean()),
    }
    return averages, per_label_f1


def f1_averages(Y_true: ArrayLike, Y_pred: ArrayLike, zero_division: float = 0.0) -> dict:
    """F1 in every mode (``micro``, ``macro``, ``weighted``, ``samples``), the numbers of
    :func:`f1_modes` without its per-label table: for loops that score many decisions."""
    y = check_targets(Y_true)
    p = check_predictions(Y_pred, y.shape)
    return _f1_averages(_counts(y, p), zero_division)[0]


def f1_modes(
    Y_true: ArrayLike,
    Y_pred: ArrayLike,
    label_names: Sequence[str] | None = None,
    zero_division: float = 0.0,
) -> F1Report:
    """F1 per label and averaged micro, macro, weighted and per document (samples)."""
    y = check_targets(Y_true)
    p = check_predictions(Y_pred, y.shape)
    names = list(label_names) if label_names is not None else [str(j) for j in range(y.shape[1])]
    if len(names) != y.shape[1]:
        raise MetricInputError(f"{len(names)} label names for {y.shape[1]} labels")
    counts = _counts(y, p)
    averages, per_label_f1 = _f1_averages(counts, zero_division)
    tp, fp, fn = counts["tp"], counts["fp"], counts["fn"]
    per_label = pd.DataFrame(
        {
            "f1": per_label_f1,
            "precision": _ratio(tp, tp + fp, zero_division),
            "recall": _ratio(tp, tp + fn, zero_division),
            "support": tp + fn,
            "predicted": tp + fp,
        },
        index=pd.Index(names, name="label"),
    )
    return F1Report(**averages, per_label=per_label, zero_division=zero_division)


def precision_recall_modes(
    Y_true: ArrayLike, Y_pred: ArrayLike, zero_division: float = 0.0
) -> dict[str, float]:
    """Precision and recall aggregated like F1: ``precision_micro`` ... ``recall_samples``."""
    y = check_targets(Y_true)
    p = check_predictions(Y_pred, y.shape)
    return _precision_recall(_counts(y, p), zero_division)


def _precision_recall(counts: dict, zero_division: float) -> dict[str, float]:
    tp, fp, fn = counts["tp"], counts["fp"], counts["fn"]
    support = tp + fn
    precision = _ratio(tp, tp + fp, zero_division)
    recall = _ratio(tp, tp + fn, zero_division)
    doc_tp = counts["doc_tp"]
    out = {
        "precision_micro": float(_ratio(tp.sum(), tp.sum() + fp.sum(), zero_division)),
        "recall_micro": float(_ratio(tp.sum(), tp.sum() + fn.sum(), zero_division)),
        "precision_macro": float(precision.mean()),
        "recall_macro": float(recall.mean()),
        "precision_samples": float(_ratio(doc_tp, counts["doc_predicted"], zero_division).mean()),
        "recall_samples": float(_ratio(doc_tp, counts["doc_true"], zero_division).mean()),
    }
    total = support.sum()
    out["precision_weighted"] = (
        float(precision @ support / total) if total else float(precision.mean())
    )
    out["recall_weighted"] = float(recall @ support / total) if total else float(recall.mean())
    return out


def micro_f1(Y_true: ArrayLike, Y_pred: ArrayLike) -> float:
    """Micro-F1 alone (``zero_division=0``), without the per-label table: for tuning loops."""
    y = check_targets(Y_true)
    p = check_predictions(Y_pred, y.shape)
    true_positives = np.logical_and(y, p).sum()
    return float(_ratio(2 * true_positives, y.sum() + p.sum(), 0.0))


def samples_f1(Y_true: ArrayLike, Y_pred: ArrayLike) -> float:
    """Samples-F1 alone (each document's F1, averaged; ``zero_division=0``): for tuning loops."""
    y = check_targets(Y_true)
    p = check_predictions(Y_pred, y.shape)
    doc_tp = np.logical_and(y, p).sum(axis=1)
    return float(_ratio(2 * doc_tp, y.sum(axis=1) + p.sum(axis=1), 0.0).mean())


def ranked_hits(Y_true: ArrayLike, order: np.ndarray) -> np.ndarray:
    """Per document, how many of its true labels lie among its first 1, 2, ... labels of
    ``order`` (each row's label indices, best first): what :func:`top_k_f1` reads."""
    y = check_targets(Y_true)
    return np.cumsum(np.take_along_axis(y, order, axis=1), axis=1, dtype=np.int64)


def top_k_f1(hits: np.ndarray, k: np.ndarray, average: str = "micro") -> float:
    """Micro- or samples-F1 of predicting each document's first ``k[row]`` labels, from
    :func:`ranked_hits` (``k >= 1``): the very number :func:`micro_f1` or :func:`samples_f1`
    gives for those decisions, without building them (for tuning loops over ``k``)."""
    return float(top_k_f1_each(hits, np.asarray(k)[None, :], average)[0])


def top_k_f1_each(hits: np.ndarray, ks: np.ndarray, average: str = "micro") -> np.ndarray:
    """:func:`top_k_f1` of every row of ``ks`` (candidates x documents) at once."""
    if average not in ("micro", "samples"):
        raise MetricInputError(f"average must be 'micro' or 'samples', got {average!r}")
    true_positives = np.take_along_axis(hits.T, ks - 1, axis=0)  # candidates x documents
    true_counts = hits[:, -1]
    if average == "micro":
        return _ratio(2 * true_positives.sum(axis=1), true_counts.sum() + ks.sum(axis=1), 0.0)
    return _ratio(2 * true_positives, true_counts[None, :] + ks, 0.0).mean(axis=1)


def best_f1_threshold(y: ArrayLike, s: ArrayLike) -> tuple[float, float]:
    """The threshold maximising F1 of one pooled binary problem, and that F1.

    Exact: sorts the scores once and evaluates every cut between distinct
    values. The threshold returned is the midpoint between the last kept and the
    first dropped score, so it transfers sensibly to unseen scores.
    """
    y = np.asarray(y, dtype=bool).ravel()
    s = np.asarray(s, dtype=np.float64).ravel()
    positives = int(y.sum())
    if positives == 0:
        return float("inf"), 0.0  # predicting nothing is optimal (F1 0 either way)
    order = np.argsort(-s, kind="stable")
    s_sorted, y_sorted = s[order], y[order]
    true_positives = np.cumsum(y_sorted)
    predicted = np.arange(1, len(s_sorted) + 1)
    f1 = 2 * true_positives / (predicted + positives)
    # Only cut where the next score differs: a threshold cannot split tied scores.
    valid = np.append(s_sorted[1:] < s_sorted[:-1], True)
    f1 = np.where(valid, f1, -1.0)
    best = int(np.argmax(f1))
    upper = s_sorted[best]
    lower = s_sorted[best + 1] if best + 1 < len(s_sorted) else upper - 1.0
    return float((upper + lower) / 2), float(f1[best])


def best_f1_thresholds(Y: ArrayLike, S: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """:func:`best_f1_threshold` of every column (label) of ``Y`` and ``S`` at once: the
    thresholds and their F1, the very numbers the function gives column by column."""
    y = np.asarray(Y, dtype=bool)
    s = np.asarray(S, dtype=np.float64)
    n = len(s)
    positives = y.sum(axis=0)
    order = np.argsort(-s, axis=0, kind="stable")
    s_sorted, y_sorted = np.take_along_axis(s, order, 0), np.take_along_axis(y, order, 0)
    true_positives = np.cumsum(y_sorted, axis=0)
    predicted = np.arange(1, n + 1)[:, None]
    with np.errstate(invalid="ignore", divide="ignore"):
        f1 = 2 * true_positives / (predicted + positives[None, :])
    valid = np.vstack([s_sorted[1:] < s_sorted[:-1], np.ones((1, s.shape[1]), dtype=bool)])
    f1 = np.where(valid, f1, -1.0)
    best = np.argmax(f1, axis=0)
    columns = np.arange(s.shape[1])
    upper = s_sorted[best, columns]
    below = np.minimum(best + 1, n - 1)
    lower = np.where(best + 1 < n, s_sorted[below, columns], upper - 1.0)
    thresholds = np.where(positives > 0, (upper + lower) / 2, np.inf)
    return thresholds, np.where(positives > 0, f1[best, columns], 0.0)


def f1_against_threshold(Y: ArrayLike, S: ArrayLike, thresholds: ArrayLike) -> pd.DataFrame:
    """Micro, macro, weighted and samples F1 (``zero_division=0``) of ``S > t`` for every t."""
    y = check_targets(Y)
    s = np.asarray(S, dtype=np.float64)
    rows = []
    for threshold in np.asarray(thresholds, dtype=np.float64):
        report = f1_modes(y, s > threshold)
        rows.append({"threshold": threshold, **report.as_dict()})
    return pd.DataFrame(rows).melt(id_vars="threshold", var_name="mode", value_name="f1")
