"""Every number a multi-label report needs, as one flat dict."""

from collections.abc import Sequence

from numpy.typing import ArrayLike

from genrebench.metrics.checks import check_predictions, check_targets
from genrebench.metrics.f1 import _counts, _f1_averages, _precision_recall, _ratio
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
    counts = _counts(y, p)
    averages, _ = _f1_averages(counts, zero_division)
    out = {f"f1_{mode}": value for mode, value in averages.items()}
    out.update(_precision_recall(counts, zero_division))
    agree = y == p
    intersection = counts["doc_tp"]
    union = counts["doc_true"] + counts["doc_predicted"] - intersection
    out["binary_accuracy"] = float(agree.mean())
    out["hamming_loss"] = 1.0 - out["binary_accuracy"]
    out["subset_accuracy"] = float(agree.all(axis=1).mean())
    out["jaccard_samples"] = float(_ratio(intersection, union, zero_division).mean())
    if scores is not None:
        out.update(ranking_metrics(y, scores, ks))
    return out
