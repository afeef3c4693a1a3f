"""Text -> sparse TF-IDF features, fitted on the training split only.

The matrices stay sparse (CSR, float32) end to end: a dense films matrix would
cost gigabytes. Tokens are runs of two or more word characters, so the
whole-name tokens that :func:`genrebench.data.film_text` writes
(``cast_gerard_lanvin``) survive as single features next to the name's words.
"""

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer


class TfidfFeatures:
    """A thin wrapper of scikit-learn's TfidfVectorizer with the project's settings."""

    def __init__(self, *, max_features=None, min_df=2, sublinear_tf=True, dtype=np.float32):
        self.vectorizer = TfidfVectorizer(
            max_features=max_features,
            min_df=min_df,
            sublinear_tf=sublinear_tf,
            dtype=dtype,
            lowercase=True,
            token_pattern=r"(?u)\b\w\w+\b",
        )

    def fit(self, texts) -> "TfidfFeatures":
        self.vectorizer.fit(list(texts))
        return self

    def transform(self, texts) -> sp.csr_matrix:
        return sp.csr_matrix(self.vectorizer.transform(list(texts)))

    @property
    def vocabulary_(self) -> dict:
        return self.vectorizer.vocabulary_


def featurize(splits, **options):
    """Fit on ``splits.train`` only; return (X_train, X_val, X_test, fitted features)."""
    features = TfidfFeatures(**options).fit(splits.train.texts)
    return (
        features.transform(splits.train.texts),
        features.transform(splits.val.texts),
        features.transform(splits.test.texts),
        features,
    )
