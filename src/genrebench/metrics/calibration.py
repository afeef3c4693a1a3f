"""How scores relate to frequencies: reliability, calibration error, and F1 against threshold.

Label-wise view: every (document, label) pair is one probabilistic prediction
"this film has this genre with probability s". A head whose scores estimate
the marginals P(y_j = 1 | x) is calibrated in this sense; softmax scores,
which share one unit of mass per document, are not built to be.
"""

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from genrebench.metrics.f1 import best_f1_threshold, f1_modes


def _pairs(Y: ArrayLike, S: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    y = np.asarray(Y)
    s = np.asarray(S, dtype=np.float64)
    if y.shape != s.shape or y.ndim != 2:
        raise ValueError(f"targets {y.shape} and scores {s.shape} must be equal 2-D shapes")
    if not np.isfinite(s).all() or s.min() < 0 or s.max() > 1:
        raise ValueError("scores must be finite probabilities in [0, 1]")
    return y.astype(bool).ravel(), s.ravel()


def reliability_bins(Y: ArrayLike, S: ArrayLike, n_bins: int = 15) -> pd.DataFrame:
    """Equal-width bins of the label-wise scores: mean score, observed frequency, count."""
    y, s = _pairs(Y, S)
    edges = np.linspace(0.0, 1.0, n_bins + 1)
    index = np.clip(np.digitize(s, edges[1:-1], right=True), 0, n_bins - 1)
    count = np.bincount(index, minlength=n_bins)
    score_sum = np.bincount(index, weights=s, minlength=n_bins)
    positive = np.bincount(index, weights=y, minlength=n_bins)
    with np.errstate(invalid="ignore", divide="ignore"):
        table = pd.DataFrame(
            {
                "bin_low": edges[:-1],
                "bin_high": edges[1:],
                "mean_score": score_sum / count,
                "frequency": positive / count,
                "count": count,
            }
        )
    return table[table["count"] > 0].reset_index(drop=True)


def expected_calibration_error(Y: ArrayLike, S: ArrayLike, n_bins: int = 15) -> float:
    """Label-wise ECE: count-weighted mean |frequency - mean score| over equal-width bins."""
    bins = reliability_bins(Y, S, n_bins)
    weights = bins["count"] / bins["count"].sum()
    return float((weights * (bins["frequency"] - bins["mean_score"]).abs()).sum())


def mean_score_gap(Y: ArrayLike, S: ArrayLike) -> float:
    """Label density minus the mean score over every (document, label) pair.

    ECE is never below the absolute value of this gap, and equals it when every
    reliability bin errs on the same side. Scores that sum to one per document (softmax)
    have a mean of exactly ``1 / L``, whatever the model: if every bin is
    under-confident, their ECE is ``density - 1 / L``, a property of the data.
    """
    y, s = _pairs(Y, S)
    return float(y.mean() - s.mean())


def optimal_thresholds(Y: ArrayLike, S: ArrayLike, label_names=None) -> pd.DataFrame:
    """Per label: the F1-optimal threshold, the optimal F1, half of it, and the support.

    Lipton, Elkan and Narayanaswamy (2014) show that for calibrated scores the
    F1-optimal threshold equals half the optimal F1; comparing the two columns
    tests that rule on real scores.
    """
    y = np.asarray(Y).astype(bool)
    s = np.asarray(S, dtype=np.float64)
    names = list(label_names) if label_names is not None else list(range(y.shape[1]))
    rows = []
    for label, name in enumerate(names):
        threshold, f1 = best_f1_threshold(y[:, label], s[:, label])
        rows.append((name, threshold, f1, f1 / 2, int(y[:, label].sum())))
    return pd.DataFrame(rows, columns=["label", "threshold", "f1", "half_f1", "support"])


def held_out_optimal_thresholds(
    Y_fit: ArrayLike, S_fit: ArrayLike, Y_eval: ArrayLike, S_eval: ArrayLike, label_names=None
) -> pd.DataFrame:
    """Per label: the F1-optimal threshold on the fitting split, and the F1 it reaches on
    the evaluation split (a held-out F1*), half of that, and the evaluation support.

    The in-sample optimum is biased upwards (the threshold is chosen to maximise it);
    measured on documents the threshold never saw, F1* estimates the best F1 the scores
    allow, and the F1*/2 rule can be checked without that bias.
    """
    fitted = optimal_thresholds(Y_fit, S_fit, label_names)
    y = np.asarray(Y_eval).astype(bool)
    s = np.asarray(S_eval, dtype=np.float64)
    if s.shape != y.shape or y.ndim != 2 or y.shape[1] != len(fitted):
        raise ValueError(f"evaluation targets {y.shape} and scores {s.shape} must match the fit")
    predicted = s > fitted["threshold"].to_numpy()
    f1 = f1_modes(y, predicted).per_label["f1"].to_numpy()
    return pd.DataFrame(
        {
            "label": fitted["label"],
            "threshold": fitted["threshold"],
            "f1": f1,
            "half_f1": f1 / 2,
            "support": y.sum(axis=0).astype(int),
        }
    )


def top_score_by_cardinality(Y: ArrayLike, S: ArrayLike) -> pd.DataFrame:
    """Each document's highest score and its number of true labels (for distributions)."""
    y = np.asarray(Y)
    s = np.asarray(S, dtype=np.float64)
    return pd.DataFrame({"cardinality": y.sum(axis=1).astype(int), "top_score": s.max(axis=1)})
