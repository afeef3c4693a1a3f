"""Every number a multi-label report needs, as one flat dict."""

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike

from genrebench.metrics.checks import check_predictions, check_targets
from genrebench.metrics.f1 import _ratio, f1_modes, precision_recall_modes
from genrebench.metrics.ranking import ranking_metrics


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
