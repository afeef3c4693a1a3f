"""Reference (NumPy) versions of the output activations under study.

The Keras heads compute the same functions inside the graph; these copies let
framework-free code (metrics, decoding, the book's worked examples) reason about
scores without importing TensorFlow.
"""

import numpy as np
from numpy.typing import ArrayLike


def sigmoid(logits: ArrayLike) -> np.ndarray:
    """Element-wise logistic function, stable for large positive and negative logits."""
    z = np.asarray(logits, dtype=np.float64)
    out = np.empty_like(z)
    positive = z >= 0
    out[positive] = 1.0 / (1.0 + np.exp(-z[positive]))
    exp_z = np.exp(z[~positive])
    out[~positive] = exp_z / (1.0 + exp_z)
    return out


def softmax(logits: ArrayLike, axis: int = -1) -> np.ndarray:
    """Softmax along ``axis`` (the labels); each slice sums to one."""
    z = np.asarray(logits, dtype=np.float64)
    shifted = z - np.max(z, axis=axis, keepdims=True)
    exp_z = np.exp(shifted)
    return exp_z / np.sum(exp_z, axis=axis, keepdims=True)


def sparsemax(logits: ArrayLike, axis: int = -1) -> np.ndarray:
    """Sparsemax along ``axis`` (Martins & Astudillo, 2016): the Euclidean projection of
    the logits onto the probability simplex. Each slice sums to one; low logits get exactly
    zero."""
    z = np.moveaxis(np.asarray(logits, dtype=np.float64), axis, -1)
    ordered = -np.sort(-z, axis=-1)
    k = np.arange(1, z.shape[-1] + 1)
    cumulative = np.cumsum(ordered, axis=-1)
    # The support holds the k largest logits for the largest k with 1 + k z_(k) > sum_{j<=k} z_(j).
    support = (1 + k * ordered > cumulative).sum(axis=-1, keepdims=True)
    tau = (np.take_along_axis(cumulative, support - 1, axis=-1) - 1) / support
    return np.moveaxis(np.maximum(z - tau, 0.0), -1, axis)
