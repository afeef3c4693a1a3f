"""Input checks shared by every metric: targets, predictions and scores."""

import numpy as np
from numpy.typing import ArrayLike


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
    # Tuning loops call this thousands of times: integers by their range, anything else
    # by equality (NaN, infinities and strings equal neither 0 nor 1).
    if y.dtype.kind in "iu":
        valid = y.min() >= 0 and y.max() <= 1
    else:
        with np.errstate(invalid="ignore"):
            valid = bool(((y == 0) | (y == 1)).all())
    if not valid:
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
