"""Set-level decoders from probabilities, for samples-F1: the label set of highest expected
F1 for each document, from the distribution over label sets (the general F-measure maximiser)
or from the labels' marginals under independence (the expected-F1 top-k)."""

import numpy as np
from numpy.typing import ArrayLike

from genrebench.decode import DecodeInputError, _scores, top_k_decode

__all__ = ["expected_f1_top_k", "gfm_decode"]


def expected_f1_top_k(P: ArrayLike, max_k: int | None = None) -> np.ndarray:
    """For each document, the label set of highest expected F1 when ``P`` holds the labels'
    marginal probabilities and the labels are independent (Jansche 2007; Ye et al. 2012).

    Under independence the best set of each size k is the k most probable labels, so only k
    is chosen: E[F1] of the top k is E[2A / (k + A + B)], A the number of true labels among
    the top k and B among the rest, two independent Poisson-binomial counts whose laws come
    from one dynamic programme over the sorted marginals; exact over k = 1 .. ``max_k``
    (default: every label), O(labels^2 max_k) per document. At least one label is predicted
    (every document here has one)."""
    p = np.clip(_scores(P), 0.0, 1.0)
    n, L = p.shape
    order = np.argsort(-p, axis=1, kind="stable")
    q = np.take_along_axis(p, order, axis=1)

    def add(law, probability):  # the law of a count, one more Bernoulli added
        new = law * (1 - probability)
        new[:, 1:] += law[:, :-1] * probability
        return new

    rest = [np.zeros((n, L + 1)) for _ in range(L + 1)]  # rest[k]: law of B for the top k
    rest[L][:, 0] = 1.0
    for j in range(L - 1, -1, -1):
        rest[j] = add(rest[j + 1], q[:, j : j + 1])
    top = np.zeros((n, L + 1))
    top[:, 0] = 1.0
    counts = np.arange(L + 1, dtype=np.float64)
    best, best_k = np.full(n, -np.inf), np.ones(n, dtype=np.int64)
    for k in range(1, min(L, max_k or L) + 1):
        top = add(top, q[:, k - 1 : k])
        f1 = 2 * counts[:, None] / (k + counts[:, None] + counts[None, :])  # (A, B)
        value = ((top @ f1) * rest[k]).sum(axis=1)
        better = value > best + 1e-15
        best[better], best_k[better] = value[better], k
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
