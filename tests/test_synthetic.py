"""The synthetic generator meets its settings and its posteriors are exact."""

import numpy as np
import pytest

from genrebench.data.synthetic import SyntheticConfigError, label_set_prior, make_synthetic


@pytest.mark.parametrize("cardinality", [1.0, 1.5, 2.0, 3.0])
def test_requested_cardinality_is_met(cardinality):
    data = make_synthetic(n_docs=6000, mean_cardinality=cardinality, seed=1)
    assert data.prior_mean_cardinality == pytest.approx(cardinality, abs=1e-6)
    # 6,000 draws: the standard error of the mean cardinality is below 0.015.
    assert data.dataset.cardinality().mean() == pytest.approx(cardinality, abs=0.05)
    if cardinality == 1.0:
        assert (data.dataset.cardinality() == 1).all()  # the multi-class case


def test_imbalance_orders_labels_and_balance_keeps_them_equal():
    balanced = make_synthetic(n_docs=6000, imbalance=0.0, seed=2)
    skewed = make_synthetic(n_docs=6000, imbalance=2.0, seed=2)
    np.testing.assert_allclose(balanced.prior_marginals, balanced.prior_marginals[0])
    assert np.all(np.diff(skewed.prior_marginals) < 0)
    observed = skewed.dataset.Y.mean(axis=0)
    # Binomial standard error at 6,000 draws is below 0.0065 per label.
    np.testing.assert_allclose(observed, skewed.prior_marginals, atol=0.025)


def test_correlation_makes_paired_labels_co_occur():
    lift = make_synthetic(n_docs=6000, correlation=0.9, seed=3).dataset.lift()
    independent = make_synthetic(n_docs=6000, correlation=0.0, seed=3).dataset.lift()
    assert lift.iloc[0, 1] > 1.5 > independent.iloc[0, 1]


def test_posterior_marginals_are_probabilities_and_calibrated_on_held_out_draws():
    data = make_synthetic(n_docs=20000, seed=4, doc_length=15)
    posterior, truth = data.posterior, data.dataset.Y
    assert posterior.min() >= 0 and posterior.max() <= 1
    # Reliability: in every decile bin with >= 2,000 label-document pairs, the observed
    # frequency lies within 0.03 of the mean posterior (about four standard errors).
    bins = np.clip((posterior.ravel() * 10).astype(int), 0, 9)
    for b in range(10):
        chosen = bins == b
        if chosen.sum() >= 2000:
            assert truth.ravel()[chosen].mean() == pytest.approx(
                posterior.ravel()[chosen].mean(), abs=0.03
            )


def test_exact_posterior_by_hand_for_two_labels():
    data = make_synthetic(n_docs=5, n_labels=2, mean_cardinality=1.5, doc_length=3, seed=5)
    sets, prior = label_set_prior(2, 1.5, 0.0, 0.0)
    assert sets.tolist() == [[1, 0], [0, 1], [1, 1]]
    np.testing.assert_allclose(prior, [0.25, 0.25, 0.5])
    assert np.allclose(data.posterior.sum(axis=1) >= 1 - 1e-9, True)


def test_same_seed_same_data():
    first, second = make_synthetic(n_docs=300, seed=6), make_synthetic(n_docs=300, seed=6)
    assert first.dataset.fingerprint == second.dataset.fingerprint
    np.testing.assert_array_equal(first.posterior, second.posterior)
    assert make_synthetic(n_docs=300, seed=7).dataset.fingerprint != first.dataset.fingerprint


@pytest.mark.parametrize(
    "settings",
    [{"n_labels": 13}, {"mean_cardinality": 0.5}, {"mean_cardinality": 8.0}, {"correlation": 2.0}],
)
def test_impossible_settings_are_refused(settings):
    with pytest.raises(SyntheticConfigError):
        make_synthetic(n_docs=10, **settings)


def test_the_exact_posterior_also_gives_normalised_marginals_and_the_joint_with_the_size():
    """E[y_j/|y|] sums to one per document (no set is empty); P(y_j = 1, |y| = s) sums over
    s to the marginal and, divided by s and summed over labels and sizes, to one."""
    data = make_synthetic(n_docs=300, n_labels=5, mean_cardinality=2.0, correlation=1.0)
    np.testing.assert_allclose(data.posterior_normalised.sum(axis=1), 1.0)
    np.testing.assert_allclose(data.posterior_by_size.sum(axis=2), data.posterior, atol=1e-12)
    sizes = np.arange(1, 6)
    np.testing.assert_allclose((data.posterior_by_size / sizes).sum(axis=(1, 2)), 1.0)
    # The two Bayes scorers rank differently somewhere: they are not the same scorer.
    assert (
        np.argsort(-data.posterior, axis=1)[:, :2]
        != np.argsort(-data.posterior_normalised, axis=1)[:, :2]
    ).any()
