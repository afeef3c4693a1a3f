"""A controlled generator of multi-label documents whose exact posteriors are known.

Generative story, for ``L <= 12`` labels:

1. A label set ``S`` (never empty) is drawn from an explicit prior over all
   ``2^L - 1`` non-empty subsets,
   ``P(S) ∝ exp(θ|S| + Σ_{j∈S} a_j + κ · #(complete label pairs in S))``:
   ``a_j`` falls linearly with the label index at a rate set by ``imbalance``
   (zero: balanced), pairs are labels (0, 1), (2, 3), … whose joint presence
   is rewarded by ``κ`` (``correlation``), and ``θ`` is solved so that the mean
   cardinality is exactly the one requested. ``mean_cardinality=1`` restricts
   the prior to single labels: the multi-class case.
2. Each of ``doc_length`` words is drawn independently: with probability
   ``background`` from background words, otherwise from the word distribution of
   one label of ``S`` chosen uniformly. Each label's distribution puts
   ``1 - vocab_overlap`` of its mass on its own words and the rest on the
   other labels' words.

Because every ingredient is explicit, the posterior ``P(S | document)`` is
computed exactly by enumerating the label sets. Its marginals
``P(y_j = 1 | document)`` are the Bayes-optimal scores for precision at k and
per-label decisions; ``E[y_j / |y| | document]`` those for recall at k
(Menon et al., 2019); and ``P(y_j = 1, |y| = s | document)`` gives the
F-measure-optimal set (samples-F1) exactly.
"""

from dataclasses import dataclass
from itertools import combinations

import numpy as np
import scipy.sparse as sp
from scipy.optimize import brentq
from scipy.special import logsumexp

from genrebench.data.dataset import Dataset

MAX_LABELS = 12


class SyntheticConfigError(ValueError):
    """Generator settings that cannot be met."""


@dataclass(frozen=True)
class SyntheticData:
    """The dataset, its exact posterior marginals, and the prior that generated it."""

    dataset: Dataset
    posterior: np.ndarray  # (n_docs, n_labels): P(y_j = 1 | document)
    label_sets: np.ndarray  # (n_sets, n_labels) 0/1: the enumerated support of the prior
    prior: np.ndarray  # (n_sets,) probabilities
    # (n_docs, n_labels): E[y_j / |y| | document], the Bayes scorer of recall at k
    posterior_normalised: np.ndarray | None = None
    # (n_docs, n_labels, n_labels): P(y_j = 1, |y| = s + 1 | document), what the F-measure
    # optimal decoder of samples-F1 needs (Dembczyński et al., 2011); no set is empty
    posterior_by_size: np.ndarray | None = None

    @property
    def prior_marginals(self) -> np.ndarray:
        return self.prior @ self.label_sets

    @property
    def prior_mean_cardinality(self) -> float:
        return float(self.prior @ self.label_sets.sum(axis=1))


def enumerate_label_sets(n_labels: int, max_cardinality: int | None = None) -> np.ndarray:
    """All non-empty subsets of ``n_labels`` labels (up to ``max_cardinality``) as 0/1 rows."""
    max_cardinality = max_cardinality or n_labels
    rows = []
    for size in range(1, max_cardinality + 1):
        for labels in combinations(range(n_labels), size):
            row = np.zeros(n_labels, dtype=np.uint8)
            row[list(labels)] = 1
            rows.append(row)
    return np.array(rows)


def label_set_prior(
    n_labels: int, mean_cardinality: float, imbalance: float, correlation: float
) -> tuple[np.ndarray, np.ndarray]:
    """The label sets and their prior probabilities (see the module docstring)."""
    if not 1 <= n_labels <= MAX_LABELS:
        raise SyntheticConfigError(f"n_labels must be between 1 and {MAX_LABELS}, got {n_labels}")
    if not 1 <= mean_cardinality < n_labels:
        raise SyntheticConfigError(
            f"mean_cardinality must be at least 1 and below n_labels={n_labels}, "
            f"got {mean_cardinality}"
        )
    if imbalance < 0 or not 0 <= correlation <= 1:
        raise SyntheticConfigError("imbalance must be >= 0 and correlation within [0, 1]")
    multiclass = mean_cardinality == 1
    sets = enumerate_label_sets(n_labels, 1 if multiclass else None)
    popularity = -imbalance * np.arange(n_labels) / max(n_labels - 1, 1)
    pairs = sets[:, 0 : n_labels - 1 : 2] * sets[:, 1:n_labels:2]
    base = sets @ popularity + 4.0 * correlation * pairs.sum(axis=1)
    sizes = sets.sum(axis=1)
    if multiclass:
        logits = base
    else:

        def excess(theta):
            weights = np.exp(base + theta * sizes - logsumexp(base + theta * sizes))
            return weights @ sizes - mean_cardinality

        theta = brentq(excess, -60.0, 60.0)
        logits = base + theta * sizes
    return sets, np.exp(logits - logsumexp(logits))


def _word_distributions(n_labels, words_per_label, n_background, vocab_overlap):
    vocabulary = n_labels * words_per_label + n_background
    label_words = np.zeros((n_labels, vocabulary))
    for label in range(n_labels):
        own = slice(label * words_per_label, (label + 1) * words_per_label)
        label_words[label, : n_labels * words_per_label] = vocab_overlap / (
            (n_labels - 1) * words_per_label
        )
        label_words[label, own] = (1 - vocab_overlap) / words_per_label
    background = np.zeros(vocabulary)
    background[n_labels * words_per_label :] = 1.0 / n_background
    return label_words, background


def make_synthetic(
    n_docs: int = 2000,
    n_labels: int = 8,
    mean_cardinality: float = 2.0,
    imbalance: float = 0.0,
    correlation: float = 0.0,
    vocab_overlap: float = 0.2,
    doc_length: int = 30,
    seed: int = 0,
    words_per_label: int = 30,
    n_background: int = 200,
    background: float = 0.3,
) -> SyntheticData:
    """Draw ``n_docs`` documents; return them with their exact posterior marginals."""
    if n_docs < 1 or doc_length < 1:
        raise SyntheticConfigError("n_docs and doc_length must be at least 1")
    if not 0 <= vocab_overlap < 1 or not 0 <= background < 1:
        raise SyntheticConfigError("vocab_overlap and background must lie in [0, 1)")
    sets, prior = label_set_prior(n_labels, mean_cardinality, imbalance, correlation)
    label_words, background_words = _word_distributions(
        n_labels, words_per_label, n_background, vocab_overlap
    )
    # Word distribution of every label set: background mixed with its labels' words.
    set_words = background * background_words + (1 - background) * (
        (sets / sets.sum(axis=1, keepdims=True)) @ label_words
    )
    rng = np.random.default_rng(seed)
    chosen = rng.choice(len(sets), size=n_docs, p=prior)
    cumulative = np.cumsum(set_words[chosen], axis=1)
    cumulative[:, -1] = 1.0
    draws = rng.random((n_docs, doc_length))
    words = np.array(
        [np.searchsorted(cumulative[d], draws[d], side="right") for d in range(n_docs)]
    )
    vocabulary = set_words.shape[1]
    counts = sp.csr_matrix(
        (np.ones(words.size), (np.repeat(np.arange(n_docs), doc_length), words.ravel())),
        shape=(n_docs, vocabulary),
    )
    log_likelihood = counts @ np.log(set_words).T  # (docs, sets)
    log_posterior = log_likelihood + np.log(prior)
    posterior_sets = np.exp(log_posterior - logsumexp(log_posterior, axis=1, keepdims=True))
    marginals = np.clip(posterior_sets @ sets, 0.0, 1.0)
    sizes = sets.sum(axis=1)
    normalised = posterior_sets @ (sets / sizes[:, None])
    by_size = np.stack(
        [posterior_sets @ (sets * (sizes == s)[:, None]) for s in range(1, n_labels + 1)], axis=2
    )

    texts = tuple(" ".join(f"w{word:03d}" for word in doc) for doc in words)
    dataset = Dataset(
        texts=texts,
        Y=sets[chosen],
        label_names=tuple(f"label{j}" for j in range(n_labels)),
        ids=tuple(f"doc{index:05d}" for index in range(n_docs)),
        meta={
            "source": "synthetic",
            "settings": {
                "n_docs": n_docs,
                "n_labels": n_labels,
                "mean_cardinality": mean_cardinality,
                "imbalance": imbalance,
                "correlation": correlation,
                "vocab_overlap": vocab_overlap,
                "doc_length": doc_length,
                "seed": seed,
            },
            "dropped": {},
        },
    )
    return SyntheticData(
        dataset=dataset,
        posterior=marginals,
        label_sets=sets,
        prior=prior,
        posterior_normalised=normalised,
        posterior_by_size=by_size,
    )
