"""TF-IDF features are fitted on training texts only and stay sparse."""

import numpy as np
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
