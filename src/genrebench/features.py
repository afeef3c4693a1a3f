"""Text -> sparse TF-IDF features (numeric data -> standardised features), fitted on the
training split only.

The matrices stay sparse (CSR, float32) end to end: a dense films matrix would
cost gigabytes. Tokens are runs of two or more word characters, so the
whole-name tokens that :func:`genrebench.data.film_text` writes
(``cast_gerard_lanvin``) survive as single features next to the name's words.
A dataset that carries numeric features instead of texts (yeast) is centred and
scaled with the training split's means and standard deviations, and handed on
in the same CSR float32 form, so the models see one input type.
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


class StandardisedFeatures:
    """Numeric features centred and scaled by the training split (scikit-learn's StandardScaler);
    a feature constant in training is centred only."""

    def __init__(self, *, dtype=np.float32):
        from sklearn.preprocessing import StandardScaler

        self.scaler = StandardScaler()
        self.dtype = dtype

    def fit(self, features) -> "StandardisedFeatures":
        self.scaler.fit(np.asarray(features, dtype=np.float64))
        return self

    def transform(self, features) -> sp.csr_matrix:
        scaled = self.scaler.transform(np.asarray(features, dtype=np.float64))
        return sp.csr_matrix(scaled.astype(self.dtype))


def featurize(splits, **options):
    """Fit on ``splits.train`` only; return (X_train, X_val, X_test, fitted features).

    Texts get TF-IDF (``options`` are :class:`TfidfFeatures`'s); a dataset with numeric
    ``features`` gets :class:`StandardisedFeatures`, which take no options.
    """
    if splits.train.features is not None:
        if options:
            raise ValueError(
                f"numeric features take no feature options; got {', '.join(sorted(options))}"
            )
        scaler = StandardisedFeatures().fit(splits.train.features)
        return (
            scaler.transform(splits.train.features),
            scaler.transform(splits.val.features),
            scaler.transform(splits.test.features),
            scaler,
        )
    features = TfidfFeatures(**options).fit(splits.train.texts)
    return (
        features.transform(splits.train.texts),
        features.transform(splits.val.texts),
        features.transform(splits.test.texts),
        features,
    )
