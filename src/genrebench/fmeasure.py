"""Set-level decoders from probabilities, for samples-F1: the label set of highest expected
F1 for each document, from the distribution over label sets (the general F-measure maximiser)
or from the labels' marginals under independence (the expected-F1 top-k)."""

from functools import lru_cache

import numpy as np
from numpy.typing import ArrayLike

from genrebench.decode import DecodeInputError, _scores, top_k_decode

__all__ = ["expected_f1_top_k", "gfm_decode"]


@lru_cache(maxsize=64)
def _quadrature(n_nodes: int) -> tuple[np.ndarray, np.ndarray]:
    """Gauss-Legendre nodes and weights on [0, 1] (every node above zero)."""
    nodes, weights = np.polynomial.legendre.leggauss(n_nodes)
    return (nodes + 1) / 2, weights / 2


def expected_f1_top_k(P: ArrayLike, max_k: int | None = None) -> np.ndarray:
    """For each document, the label set of highest expected F1 when ``P`` holds the labels'
    marginal probabilities and the labels are independent (Jansche 2007; Ye et al. 2012).

    Under independence the best set of each size k is the k most probable labels, so only k
    is chosen, over k = 1 .. ``max_k`` (default: every label); at least one label is
    predicted (every document here has one). With A the true labels among the top k and B
    among the rest, E[F1] = E[2A / (k + A + B)] = 2 ∫₀¹ t^(k-1) E[A t^A] E[t^B] dt, and
    E[A t^A] E[t^B] = t G(t) S_k(t), with G(t) = Π_j (1 - p_j + p_j t) over every label and
    S_k(t) = Σ_{j ≤ k} p_j / (1 - p_j + p_j t). The integrand is a polynomial of degree at
    most 2L - 1 for L labels, so Gauss-Legendre quadrature on L nodes computes it exactly
    (to rounding): O(L²) per document for every k at once."""
    p = np.clip(_scores(P), 0.0, 1.0)
    n, L = p.shape
    K = min(L, max_k or L)
    order = np.argsort(-p, axis=1, kind="stable")
    q = np.take_along_axis(p, order, axis=1)
    t, w = _quadrature(L)
    factors = np.multiply.outer(q, t)  # (docs, labels, nodes): 1 - p_j + p_j t, built in place
    factors += (1 - q)[:, :, None]
    weighted_total = np.prod(factors, axis=1) * w  # G(t), times the quadrature weights
    # One k at a time, S_k(t) accumulated: no (docs, k, nodes) temporaries.
    value = np.empty((n, K))
    shares = np.zeros((n, L))
    for k in range(K):
        shares += q[:, k, None] / factors[:, k, :]  # S_k(t)
        # t^(k-1) times the t of t G S
        value[:, k] = 2 * (shares * t ** (k + 1) * weighted_total).sum(axis=1)
    best_k = 1 + np.argmax(value, axis=1)
    ranks = np.empty_like(order)
    np.put_along_axis(ranks, order, np.arange(L)[None, :].repeat(n, 0), axis=1)
    return (ranks < best_k[:, None]).astype(np.uint8)


def gfm_decode(by_size: ArrayLike) -> np.ndarray:
    """The label set of highest expected F1 for each document (the general F-measure
    maximiser of Dembczyński et al., 2011), from ``by_size[d, j, s-1] = P(y_j = 1, |y| = s)``
    of a distribution with no empty set.

    For each size k the best set is the k labels with the largest
    ``m_j(k) = Σ_s 2 P(y_j = 1, |y| = s) / (s + k)``, and its expected F1 is the sum of their
    ``m_j(k)``; the best k wins (an empty prediction scores zero: no set is empty).
    """
    delta = np.asarray(by_size, dtype=np.float64)
    if delta.ndim != 3 or delta.shape[1] != delta.shape[2]:
        raise DecodeInputError(f"by_size must have shape (docs, labels, labels), got {delta.shape}")
    n_docs, n_labels, _ = delta.shape
    s = np.arange(1, n_labels + 1)
    best_value = np.full(n_docs, -np.inf)
    best = np.zeros((n_docs, n_labels), dtype=np.uint8)
    for k in range(1, n_labels + 1):
        m = (delta * (2.0 / (s + k))[None, None, :]).sum(axis=2)  # (docs, labels)
        chosen = top_k_decode(m, k)
        value = (m * chosen).sum(axis=1)
        better = value > best_value
        best_value[better] = value[better]
        best[better] = chosen[better]
    return best
