"""TF-IDF features (standardised numeric ones for yeast) are fitted on the training split only
and stay sparse."""

import numpy as np
import pytest
import scipy.sparse as sp

from genrebench.data import Dataset, Splits
from genrebench.features import TfidfFeatures, featurize


def _dataset(texts):
    n = len(texts)
    Y = np.zeros((n, 2), dtype=np.uint8)
    Y[:, 0] = 1
    return Dataset(texts=tuple(texts), Y=Y, label_names=("a", "b"), ids=tuple(map(str, range(n))))


def test_vocabulary_comes_from_the_training_split_only():
    splits = Splits(
        train=_dataset(["common train_only words", "common train_only again"]),
        val=_dataset(["common val_only val_only"]),
        test=_dataset(["common test_only test_only"]),
    )
    X_train, X_val, X_test, features = featurize(splits, min_df=1)
    assert "train_only" in features.vocabulary_
    assert "val_only" not in features.vocabulary_ and "test_only" not in features.vocabulary_
    assert X_val.shape[1] == X_test.shape[1] == X_train.shape[1]


def test_output_is_sparse_float32_and_keeps_name_tokens():
    features = TfidfFeatures(min_df=1).fit(["cast_gerard_lanvin and friends", "director_x y"])
    X = features.transform(["cast_gerard_lanvin", "unknown words"])
    assert sp.issparse(X) and X.dtype == np.float32 and X.format == "csr"
    assert "cast_gerard_lanvin" in features.vocabulary_
    assert X[1].nnz == 0


def _numeric(features, seed=0):
    n = len(features)
    Y = np.zeros((n, 2), dtype=np.uint8)
    Y[:, 0] = 1
    ids = tuple(f"{seed}-{i}" for i in range(n))
    return Dataset(texts=(), Y=Y, label_names=("a", "b"), ids=ids, features=features)


def test_numeric_features_are_standardised_with_training_statistics_only():
    """A dataset without text (yeast) gets centred and scaled features, the scale learnt on the
    training split alone, in the same CSR float32 form the models read."""
    rng = np.random.default_rng(0)
    train = rng.normal(loc=5.0, scale=3.0, size=(50, 4))
    train[:, 3] = 2.0  # constant in training: centred, not divided by zero
    val, test = rng.normal(size=(7, 4)), rng.normal(size=(9, 4))
    splits = Splits(train=_numeric(train), val=_numeric(val, 1), test=_numeric(test, 2))
    X_train, X_val, X_test, _ = featurize(splits)
    for X in (X_train, X_val, X_test):
        assert sp.issparse(X) and X.format == "csr" and X.dtype == np.float32
    dense = X_train.toarray()
    assert np.allclose(dense[:, :3].mean(axis=0), 0, atol=1e-6)
    assert np.allclose(dense[:, :3].std(axis=0), 1, atol=1e-5)
    assert not dense[:, 3].any()
    expected = (test - train.mean(axis=0)) / np.where(train.std(axis=0) > 0, train.std(axis=0), 1)
    assert np.allclose(X_test.toarray(), expected, atol=1e-5)


def test_numeric_features_refuse_text_options():
    splits = Splits(*(_numeric(np.eye(3), seed) for seed in range(3)))
    with pytest.raises(ValueError, match="numeric features take no feature options"):
        featurize(splits, min_df=1)
