"""The baseline practitioners reach for: scikit-learn's one-vs-rest logistic regression.

Fitted on the same sparse features as the networks, with the regularisation
strength chosen on validation (micro-F1 under a validation-tuned global
threshold, the same rule the networks are judged by), on all cores.
"""

import time
from dataclasses import dataclass

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.multiclass import OneVsRestClassifier

from genrebench.decode import GlobalThreshold
from genrebench.experiments import protocol
from genrebench.metrics import micro_f1


@dataclass
class BaselineFit:
    C: float
    val_scores: np.ndarray
    test_scores: np.ndarray
    seconds: float
    search: dict[float, float]  # C -> validation micro-F1


def fit_ovr_logreg(prepared, Cs=protocol.BASELINE_CS, n_jobs: int = -1) -> BaselineFit:
    """Fit one model per C, keep the best on validation; time the whole search."""
    started = time.perf_counter()
    # liblinear wants float64 and a writable copy for joblib's workers.
    X_train = prepared.X_train.astype(np.float64)
    X_val = prepared.X_val.astype(np.float64)
    Y_train = np.ascontiguousarray(prepared.Y_train, dtype=np.int64)
    best = None
    search = {}
    for C in Cs:
        model = OneVsRestClassifier(LogisticRegression(C=C, solver="liblinear"), n_jobs=n_jobs)
        model.fit(X_train, Y_train)
        val_scores = model.predict_proba(X_val)
        decoder = GlobalThreshold().fit(prepared.Y_val, val_scores)
        search[C] = micro_f1(prepared.Y_val, decoder.apply(val_scores))
        if best is None or search[C] > search[best[0]]:
            best = (C, model, val_scores)
    C, model, val_scores = best
    test_scores = model.predict_proba(prepared.X_test.astype(np.float64))
    return BaselineFit(
        C=C,
        val_scores=val_scores.astype(np.float32),
        test_scores=test_scores.astype(np.float32),
        seconds=time.perf_counter() - started,
        search=search,
    )
