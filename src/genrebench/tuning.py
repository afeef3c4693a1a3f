"""The book's decoders as scikit-learn estimators: scores in, label sets out, tuned on
validation data for the F1 average you report.

scikit-learn's ``TunedThresholdClassifierCV`` is binary only, and inside
``OneVsRestClassifier`` it silently drops its thresholds (scikit-learn issue 30036). Two
estimators fill the gap:

- :class:`LabelSetDecoder` is fitted on validation scores and targets, and turns any scores
  into label sets. Its ``metric`` chooses the decoder that suits the F1 average: one
  threshold for micro-F1, one per label for macro- and weighted F1, one set per document
  for samples-F1. ``scores="shares"`` says the scores are a softmax over labels, and micro-F1
  then uses the decoder consistent for them (shares times a predicted label count).
- :class:`TunedMultiLabelClassifier` wraps any multi-label scikit-learn classifier: it holds
  out part of the training data, fits the classifier on the rest, tunes a
  :class:`LabelSetDecoder` on the held-out part, then refits the classifier on everything.

Both follow scikit-learn's conventions (``get_params``/``set_params``, ``clone``, pickle,
fitted attributes ending in ``_``).
"""

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, MetaEstimatorMixin, clone
from sklearn.model_selection import train_test_split
from sklearn.utils.validation import check_is_fitted

from genrebench.decode import DecodeInputError, get_decoder

#: The decoder each F1 average calls for, by what the scores estimate: per-label
#: probabilities ("marginals", a sigmoid or a one-vs-rest classifier) or one softmax
#: distribution over the labels ("shares").
DECODER_FOR = {
    ("micro", "marginals"): "global_tuned",
    ("macro", "marginals"): "per_label_tuned",
    ("weighted", "marginals"): "per_label_tuned",
    ("samples", "marginals"): "samples_tuned",
    ("micro", "shares"): "count_scaled",
    ("macro", "shares"): "per_label_tuned",
    ("weighted", "shares"): "per_label_tuned",
    ("samples", "shares"): "samples_tuned",
}
METRICS = ("micro", "macro", "weighted", "samples")
SCORES = ("marginals", "shares")


def _decoder_name(metric: str, scores: str) -> str:
    if metric not in METRICS:
        raise ValueError(f"metric must be one of {', '.join(METRICS)}; got {metric!r}")
    if scores not in SCORES:
        raise ValueError(f"scores must be one of {', '.join(SCORES)}; got {scores!r}")
    return DECODER_FOR[(metric, scores)]


class LabelSetDecoder(BaseEstimator):
    """Turn label scores into label sets with a rule tuned on validation data.

    Parameters
    ----------
    metric : {"micro", "macro", "weighted", "samples"}, default="micro"
        The F1 average the rule is tuned for.
    scores : {"marginals", "shares"}, default="marginals"
        What the scores estimate: each label's probability (a sigmoid per label, a
        one-vs-rest classifier), or one distribution over the labels (a softmax).

    Attributes
    ----------
    decoder_ : object
        The fitted decoder of :data:`genrebench.decode.DECODERS`.
    n_labels_ : int
        The number of labels seen in ``fit``.

    Examples
    --------
    >>> import numpy as np
    >>> Y_val = np.array([[1, 0], [0, 1], [1, 1], [0, 0]])
    >>> S_val = np.array([[0.4, 0.1], [0.2, 0.3], [0.35, 0.45], [0.1, 0.05]])
    >>> decoder = LabelSetDecoder(metric="micro").fit(S_val, Y_val)
    >>> decoder.predict(np.array([[0.5, 0.05], [0.1, 0.4]])).tolist()
    [[1, 0], [0, 1]]
    """

    def __init__(self, metric: str = "micro", scores: str = "marginals"):
        self.metric = metric
        self.scores = scores

    def fit(self, X, y):
        """Tune the rule on validation scores ``X`` (documents x labels) and their 0/1
        targets ``y``; return the fitted decoder."""
        name = _decoder_name(self.metric, self.scores)
        S, Y = np.asarray(X, dtype=np.float64), np.asarray(y)
        try:
            self.decoder_ = get_decoder(name).fit(Y, S)
        except DecodeInputError as error:
            raise ValueError(str(error)) from None
        self.n_labels_ = S.shape[1]
        return self

    def predict(self, X) -> np.ndarray:
        """The label sets (0/1, documents x labels) of scores ``X``."""
        check_is_fitted(self, "decoder_")
        S = np.asarray(X, dtype=np.float64)
        if S.ndim != 2 or S.shape[1] != self.n_labels_:
            raise ValueError(f"scores must have {self.n_labels_} columns; got shape {S.shape}")
        try:
            return self.decoder_.apply(S)
        except DecodeInputError as error:
            raise ValueError(str(error)) from None


class TunedMultiLabelClassifier(MetaEstimatorMixin, ClassifierMixin, BaseEstimator):
    """A multi-label classifier whose decision rule is tuned on held-out data for an F1 average.

    Parameters
    ----------
    estimator : classifier
        Any scikit-learn classifier with ``predict_proba`` returning one score per label for
        multi-label targets (for example ``OneVsRestClassifier(LogisticRegression())``).
    metric : {"micro", "macro", "weighted", "samples"}, default="micro"
        The F1 average the rule is tuned for (see :class:`LabelSetDecoder`).
    scores : {"marginals", "shares"}, default="marginals"
        What ``estimator``'s scores estimate.
    validation_size : float, default=0.2
        The share of the training data held out to tune the rule.
    refit : bool, default=True
        Refit ``estimator`` on all the training data once the rule is tuned.
    random_state : int, default=0
        Seeds the hold-out split.

    Attributes
    ----------
    estimator_ : classifier
        The fitted classifier.
    decoder_ : LabelSetDecoder
        The rule, tuned on the held-out part.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.multiclass import OneVsRestClassifier
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(200, 5))
    >>> Y = np.column_stack([X[:, 0] > 0.3, X[:, 1] > -0.2]).astype(int)
    >>> model = TunedMultiLabelClassifier(OneVsRestClassifier(LogisticRegression()))
    >>> model.fit(X, Y).predict(X[:3]).shape
    (3, 2)
    """

    def __init__(
        self,
        estimator,
        metric: str = "micro",
        scores: str = "marginals",
        validation_size: float = 0.2,
        refit: bool = True,
        random_state: int = 0,
    ):
        self.estimator = estimator
        self.metric = metric
        self.scores = scores
        self.validation_size = validation_size
        self.refit = refit
        self.random_state = random_state

    def fit(self, X, y):
        """Fit the classifier on part of ``X, y``, tune the rule on the rest, then (with
        ``refit``) fit the classifier on all of it."""
        Y = np.asarray(y)
        if Y.ndim != 2:
            raise ValueError(f"y must be a 0/1 matrix (documents x labels); got shape {Y.shape}")
        _decoder_name(self.metric, self.scores)  # a bad parameter fails before any fitting
        X_fit, X_val, Y_fit, Y_val = train_test_split(
            X, Y, test_size=self.validation_size, random_state=self.random_state
        )
        held_out = clone(self.estimator).fit(X_fit, Y_fit)
        self.decoder_ = LabelSetDecoder(self.metric, self.scores).fit(
            held_out.predict_proba(X_val), Y_val
        )
        self.estimator_ = clone(self.estimator).fit(X, Y) if self.refit else held_out
        return self

    def predict_proba(self, X) -> np.ndarray:
        """The classifier's scores, one per label."""
        check_is_fitted(self, "estimator_")
        return np.asarray(self.estimator_.predict_proba(X))

    def predict(self, X) -> np.ndarray:
        """The label sets the tuned rule gives ``X``."""
        return self.decoder_.predict(self.predict_proba(X))
