"""The worked example from the question that started the project, as data.

The asker's targets are two multi-hot rows over eight genres; the first film has
two genres, the second three. Keeping them here gives the book, the tests and
the metric cross-checks one shared copy.
"""

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

#: The asker's two target rows (eight labels, multi-hot).
THREAD_TARGETS = np.array(
    [
        [0, 0, 0, 0, 0, 1, 0, 1],
        [0, 1, 1, 0, 0, 0, 0, 1],
    ],
    dtype=np.uint8,
)

#: Label names for the eight positions; the thread does not name them.
THREAD_LABELS = tuple(f"g{index}" for index in range(THREAD_TARGETS.shape[1]))


def separating_logits(targets: ArrayLike, margin: float = 2.0) -> np.ndarray:
    """Logits that rank every true label above every other one: +margin for true, -margin else.

    This is the best a scorer can do at ranking, so whatever goes wrong after
    it (an activation, a threshold, a metric setting) is not the model's fault.
    """
    y = np.asarray(targets)
    if y.ndim != 2:
        raise ValueError(f"targets must be a 2-D multi-hot array, got shape {y.shape}")
    if not np.isin(y, (0, 1)).all():
        raise ValueError("targets must contain only 0 and 1")
    if margin <= 0:
        raise ValueError(f"margin must be positive, got {margin}")
    return np.where(y == 1, margin, -margin).astype(np.float64)


def ranked_scores(targets: ArrayLike, high: float = 0.9, low: float = 0.3) -> np.ndarray:
    """Distinct scores that rank every true label above every other one.

    True labels get scores stepping down from ``high`` (all above one half),
    the others scores stepping down from ``low`` (all below one half), so no two
    labels of a document tie. The thread's question "which F1?" is then about
    the metric alone: the scores are as good as scores can be.
    """
    y = np.asarray(targets)
    separating_logits(y)  # validates the targets
    if not 0.5 < high <= 1 or not 0 <= low < 0.5:
        raise ValueError("need 0.5 < high <= 1 and 0 <= low < 0.5")
    scores = np.empty(y.shape, dtype=np.float64)
    for row, truth in enumerate(y):
        true_labels, other_labels = np.flatnonzero(truth == 1), np.flatnonzero(truth == 0)
        scores[row, true_labels] = np.linspace(high, 0.5 + (high - 0.5) / 4, len(true_labels))
        scores[row, other_labels] = np.linspace(low, low / 4, len(other_labels))
    return scores


def threshold_recovery(
    targets: ArrayLike,
    scores: dict[str, ArrayLike],
    threshold: float = 0.5,
    row_names: list[str] | None = None,
) -> pd.DataFrame:
    """One row per head x document: top score, score sum, labels above ``threshold``, exact match.

    ``scores`` maps a head name to its (documents x labels) scores.
    """
    y = np.asarray(targets).astype(bool)
    row_names = row_names or [f"doc {index}" for index in range(len(y))]
    rows = []
    for head, head_scores in scores.items():
        head_scores = np.asarray(head_scores, dtype=np.float64)
        if head_scores.shape != y.shape:
            raise ValueError(
                f"scores for {head!r} have shape {head_scores.shape}, targets {y.shape}"
            )
        predicted = head_scores > threshold
        for name, truth, pred, row in zip(row_names, y, predicted, head_scores, strict=True):
            rows.append(
                {
                    "head": head,
                    "document": name,
                    "true labels": int(truth.sum()),
                    "top score": float(row.max()),
                    "score sum": float(row.sum()),
                    f"labels > {threshold:g}": int(pred.sum()),
                    "exact set": bool((pred == truth).all()),
                }
            )
    return pd.DataFrame(rows)
