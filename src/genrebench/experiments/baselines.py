"""The baseline practitioners reach for: scikit-learn's one-vs-rest logistic regression.

Fitted on the same sparse features as the networks, with the regularisation
strength chosen on validation (micro-F1 under a validation-tuned global
threshold, the same rule the networks are judged by), on one core: the book runs two
chapters at once, and alone on two cores joblib's workers saved about 7% on the films.
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


def fit_ovr_logreg(prepared, Cs=protocol.BASELINE_CS, n_jobs: int = 1) -> BaselineFit:
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


#: The folder of baseline entries inside the result cache (beside the runs).
BASELINE_FOLDER = "baselines"
_BASELINE_FILES = ("scores.npz", "baseline.json", "metrics.csv")


def _baseline_key(prepared, Cs) -> str:
    """The data, the grid of C and the code: this module's, the run code's (decoders and
    metrics) and scikit-learn's version."""
    import hashlib
    import json
    from pathlib import Path

    import sklearn

    from genrebench.experiments.runs import code_fingerprint

    payload = {
        "data": prepared.fingerprint,
        "Cs": [float(C) for C in Cs],
        "code": code_fingerprint(),
        "baseline": hashlib.sha256(Path(__file__).read_bytes()).hexdigest(),
        "sklearn": sklearn.__version__,
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:24]


def fit_ovr_logreg_cached(prepared, cache=None, Cs=protocol.BASELINE_CS) -> BaselineFit:
    """:func:`fit_ovr_logreg`, stored in the result cache (``cache``, a
    :class:`~genrebench.experiments.cache.ResultCache`): every chapter fits the same one.

    ``seconds`` is that of the fit that was stored. A damaged entry is fitted again.
    """
    return baseline_with_metrics(prepared, cache, Cs)[0]


def baseline_with_metrics(prepared, cache=None, Cs=protocol.BASELINE_CS):
    """The stored baseline (:func:`fit_ovr_logreg_cached`) and its tidy metrics
    (:func:`~genrebench.experiments.runs.evaluate` of its scores), stored with it."""
    import io
    import json

    import pandas as pd

    from genrebench.experiments.cache import (
        CacheCorruptError,
        ResultCache,
        read_entry,
        write_entry,
    )
    from genrebench.experiments.runs import evaluate

    root = (cache or ResultCache()).root / BASELINE_FOLDER
    key = _baseline_key(prepared, Cs)
    try:
        files = read_entry(root, key, _BASELINE_FILES)
        record = json.loads(files["baseline.json"])
        with np.load(io.BytesIO(files["scores.npz"])) as scores:
            fit = BaselineFit(
                C=record["C"],
                val_scores=scores["val"],
                test_scores=scores["test"],
                seconds=record["seconds"],
                search=dict(record["search"]),
            )
        # pandas reads floats back exactly (its default since 3.0; a test compares them).
        metrics = pd.read_csv(
            io.BytesIO(files["metrics.csv"]), keep_default_na=False, na_values=[""]
        )
        return fit, metrics
    except (CacheCorruptError, KeyError, ValueError, TypeError):
        pass
    fit = fit_ovr_logreg(prepared, Cs=Cs)
    metrics = evaluate(prepared.Y_val, fit.val_scores, prepared.Y_test, fit.test_scores)
    buffer = io.BytesIO()
    np.savez(buffer, val=fit.val_scores, test=fit.test_scores)
    record = {"C": fit.C, "seconds": fit.seconds, "search": list(fit.search.items())}
    files = {
        "scores.npz": buffer.getvalue(),
        "baseline.json": json.dumps(record).encode(),
        "metrics.csv": metrics.to_csv(index=False).encode(),
    }
    try:
        write_entry(root, key, files)
    except OSError:  # a read-only cache still gives the fit
        pass
    return fit, metrics
