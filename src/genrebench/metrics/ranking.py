"""Ranking metrics of scores: precision and recall at k, LRAP, ROC-AUC and PR-AUC."""

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike
from sklearn.metrics import average_precision_score, roc_auc_score

from genrebench.metrics.checks import MetricInputError, check_scores, check_targets


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


def label_ranking_average_precision(Y_true: ArrayLike, scores: ArrayLike) -> float:
    """Label-ranking average precision, as scikit-learn's
    ``label_ranking_average_precision_score`` defines it (ties count against the label;
    a document with no true label, or with every label true, scores 1), computed for all
    documents at once rather than one at a time (about 20 times faster on the films)."""
    y = check_targets(Y_true).astype(bool)
    s = check_scores(scores, y.shape)
    n_labels = y.shape[1]
    per_document = np.empty(len(y))
    step = max(1, 2**24 // n_labels**2)  # documents at a time: bounded memory
    for start in range(0, len(y), step):
        yc, sc = y[start : start + step], s[start : start + step]
        # at_or_above[i, j, k]: label k scores at least as high as label j in document i.
        at_or_above = sc[:, None, :] >= sc[:, :, None]
        rank = at_or_above.sum(axis=2)
        true_rank = (at_or_above & yc[:, None, :]).sum(axis=2)
        counts = yc.sum(axis=1)
        per_label = np.where(yc, true_rank / rank, 0.0)
        trivial = (counts == 0) | (counts == n_labels)
        per_document[start : start + step] = np.where(
            trivial, 1.0, per_label.sum(axis=1) / np.maximum(counts, 1)
        )
    return float(per_document.mean())


def ranking_metrics(
    Y_true: ArrayLike, scores: ArrayLike, ks: Sequence[int] = (1, 3), aucs: bool = True
) -> dict:
    """P@k, R@k, label-ranking average precision, and (with ``aucs``) ROC-AUC / PR-AUC
    (macro and micro).

    Macro AUCs average over the labels that have both positive and negative
    documents (AUC is undefined otherwise); micro AUCs pool all pairs. They cost more
    than everything else here together: pass ``aucs=False`` to skip them.
    """
    y = check_targets(Y_true)
    s = check_scores(scores, y.shape)
    out = {}
    for k in ks:
        if k <= y.shape[1]:
            out[f"p@{k}"] = precision_at_k(y, s, k)
            out[f"r@{k}"] = recall_at_k(y, s, k)
    out["lrap"] = label_ranking_average_precision(y, s)
    if not aucs:
        return out
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
