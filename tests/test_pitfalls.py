"""The pitfalls chapter's measurement of threshold tuning on the test split."""

import numpy as np
import pytest

from genrebench.data.synthetic import make_synthetic
from genrebench.decode import GlobalThreshold, PerLabelThreshold
from genrebench.metrics import MetricInputError
from genrebench.pitfalls import tuning_on_test_optimism


@pytest.fixture(scope="module")
def synthetic():
    data = make_synthetic(
        n_docs=3000, n_labels=6, imbalance=2.0, vocab_overlap=0.6, doc_length=8, seed=1
    )
    return data.dataset.Y, data.posterior


def test_thresholds_tuned_on_the_test_split_flatter_it(synthetic):
    Y, scores = synthetic
    table = tuning_on_test_optimism(
        Y, scores, PerLabelThreshold(min_positives=1), "macro", 100, 40, seed=0, fresh_size=1000
    )
    assert len(table) == 40
    means = table.mean()
    assert means["reported, tuned on test"] > means["fresh, tuned on test"]
    # Reported on the split it was tuned on, an F1 is at least what validation tuning reports.
    assert (table["reported, tuned on test"] >= table["reported, tuned on validation"]).all()


def test_same_seed_same_numbers(synthetic):
    Y, scores = synthetic
    run = lambda: tuning_on_test_optimism(  # noqa: E731
        Y, scores, GlobalThreshold(), "micro", 50, 5, seed=3, fresh_size=500
    )
    np.testing.assert_array_equal(run().to_numpy(), run().to_numpy())


def test_too_few_documents_is_a_clear_error(synthetic):
    Y, scores = synthetic
    with pytest.raises(MetricInputError, match="documents"):
        tuning_on_test_optimism(Y, scores, GlobalThreshold(), "micro", 1500, 1, 0, fresh_size=1)
