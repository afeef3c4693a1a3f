"""What scikit-learn's and Keras' F1 actually do, found by calling them.

Each probe runs one library call on a small fixed case (:data:`PROBE_TARGETS`,
:data:`PROBE_SCORES`) and records the answer in words chosen from what the call
returned, with the numbers it computed, so a test can check those numbers
against :mod:`genrebench.metrics`. Nothing in the audit table is typed by hand:
re-run it on another version of a library and the table follows.

This module imports scikit-learn and (inside the Keras probes) Keras;
:mod:`genrebench.metrics` never imports it. Import :mod:`genrebench` first, so
TensorFlow starts quietly.
"""

import inspect
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

#: Four documents, four labels; the last label is neither true nor predicted anywhere.
PROBE_TARGETS = np.array(
    [
        [1, 1, 0, 0],
        [1, 0, 0, 0],
        [1, 0, 1, 0],
        [0, 1, 0, 0],
    ],
    dtype=np.uint8,
)

#: Scores for :data:`PROBE_TARGETS`; no score equals 0.5, and support differs from predictions.
PROBE_SCORES = np.array(
    [
        [0.9, 0.4, 0.6, 0.1],
        [0.8, 0.7, 0.2, 0.1],
        [0.3, 0.2, 0.7, 0.1],
        [0.2, 0.6, 0.55, 0.1],
    ]
)

#: One document whose true label scores exactly the threshold, and a tie at the row maximum.
TIE_TARGETS = np.array([[1, 0, 0], [1, 1, 0]], dtype=np.uint8)
TIE_SCORES = np.array([[0.5, 0.2, 0.1], [0.7, 0.7, 0.1]])
TIE_THRESHOLD = 0.5

#: The absent label of the probe (no true and no predicted document).
ABSENT_LABEL = 3

#: Keras' test that a row's top score is not zero (an all-zero row predicts nothing).
KERAS_ZERO_TOLERANCE = 1e-9


@dataclass(frozen=True)
class Probe:
    """One question put to one library: the answer in words and the numbers behind it."""

    question: str
    library: str
    answer: str
    numbers: dict[str, float] = field(default_factory=dict)


def library_versions() -> dict[str, str]:
    """Installed versions of the libraries the audit calls ("not installed" when missing)."""
    out = {}
    for name in ("scikit-learn", "keras", "tensorflow", "numpy"):
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "not installed"
    return out


def threshold_decode_strict(scores: ArrayLike, threshold: float) -> np.ndarray:
    """0/1 predictions ``score > threshold``: a score equal to the threshold is negative."""
    return (np.asarray(scores, dtype=np.float64) > threshold).astype(np.uint8)


def keras_top_decode(scores: ArrayLike) -> np.ndarray:
    """What ``keras.metrics.F1Score(threshold=None)`` predicts, in NumPy.

    Every label whose score equals its row's maximum is positive (ties all
    count), unless that maximum is zero: an all-zero row predicts nothing.
    """
    s = np.asarray(scores, dtype=np.float64)
    if s.ndim != 2:
        raise ValueError(f"scores must be 2-D (documents x labels), got shape {s.shape}")
    top = s >= s.max(axis=1, keepdims=True)
    return np.logical_and(top, np.abs(s) > KERAS_ZERO_TOLERANCE).astype(np.uint8)


def _error(call: Callable[[], object]) -> Exception | None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            call()
    except Exception as error:  # the probe records whatever the library raises
        return error
    return None


def _first_sentence(error: Exception) -> str:
    return f"{type(error).__name__}: {str(error).split('. ')[0].rstrip('.')}"


def _weighting(per_label: np.ndarray, weighted: float, y: np.ndarray, p: np.ndarray) -> str:
    candidates = {
        "support (true documents per label)": y.sum(axis=0),
        "predicted documents per label": p.sum(axis=0),
        "nothing (plain mean)": np.ones(y.shape[1]),
    }
    for words, weights in candidates.items():
        if np.isclose(per_label @ weights / weights.sum(), weighted, atol=1e-6):
            return words
    return "something else"


# --- scikit-learn ---------------------------------------------------------------------------


def probe_sklearn() -> list[Probe]:
    """Put every audit question to ``sklearn.metrics.f1_score``."""
    from sklearn.exceptions import UndefinedMetricWarning
    from sklearn.metrics import f1_score

    y, s = PROBE_TARGETS, PROBE_SCORES
    p = threshold_decode_strict(s, 0.5)
    parameters = inspect.signature(f1_score).parameters
    probes = []

    def add(question, answer, **numbers):
        probes.append(Probe(question, "scikit-learn", answer, numbers))

    error = _error(lambda: f1_score(y, s, average="micro", zero_division=0))
    has_threshold = "threshold" in parameters
    add(
        "default threshold",
        "has a threshold= parameter"
        if has_threshold
        else "none: takes 0/1 predictions only"
        + (f" (scores raise {type(error).__name__})" if error else ""),
    )

    default_average = parameters["average"].default
    error = _error(lambda: f1_score(y, p, zero_division=0))
    add(
        "default average",
        f"{default_average!r}"
        + (f": raises {type(error).__name__} on multi-label targets" if error else ""),
    )

    samples = f1_score(y, p, average="samples", zero_division=0)
    add("average='samples' (per document)", f"yes: {samples:.3f} on the probe", samples=samples)

    weighted = f1_score(y, p, average="weighted", zero_division=0)
    per_label = f1_score(y, p, average=None, zero_division=0)
    add(
        "average='weighted' weights by",
        _weighting(per_label, weighted, y, p),
        weighted=weighted,
        **{f"f1_label{j}": value for j, value in enumerate(per_label)},
    )

    default_zero_division = parameters["zero_division"].default
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        macro_default = f1_score(y, p, average="macro")
        absent_default = f1_score(y, p, average=None)[ABSENT_LABEL]
    warned = any(issubclass(w.category, UndefinedMetricWarning) for w in caught)
    add(
        "zero_division default",
        f"{default_zero_division!r}: scores 0/0 as {absent_default:g}"
        + (" and warns (UndefinedMetricWarning)" if warned else ""),
        macro_default=macro_default,
        absent_f1_default=absent_default,
    )

    accepted = [
        repr(option) if isinstance(option, str) else f"{option:g}"
        for option in ("warn", 0.0, 1.0, np.nan, 0.5)
        if _error(lambda option=option: f1_score(y, p, average="macro", zero_division=option))
        is None
    ]
    macros = {
        f"macro_zero_division_{name}": f1_score(y, p, average="macro", zero_division=option)
        for name, option in (("0", 0.0), ("1", 1.0), ("nan", np.nan))
    }
    add("zero_division options", ", ".join(accepted), **macros)

    absent = {
        name: f1_score(y, p, average=None, zero_division=option)[ABSENT_LABEL]
        for name, option in (("0", 0.0), ("1", 1.0))
    }
    add(
        "label absent from targets and predictions",
        f"F1 = zero_division ({absent['0']:g} or {absent['1']:g}), counted in macro "
        f"({macros['macro_zero_division_0']:.3f} or {macros['macro_zero_division_1']:.3f}); "
        f"nan drops it ({macros['macro_zero_division_nan']:.3f})",
        absent_f1_zero_division_0=absent["0"],
        absent_f1_zero_division_1=absent["1"],
        **macros,
    )

    error = _error(lambda: f1_score(y, s, average="micro", zero_division=0))
    add(
        "probabilities instead of 0/1",
        f"raises {_first_sentence(error)}" if error else "accepted",
    )

    add(
        "score equal to the threshold",
        "no threshold of its own: your comparison decides"
        if not has_threshold
        else "has a threshold= parameter",
    )
    return probes


# --- Keras ----------------------------------------------------------------------------------


def keras_f1(y: ArrayLike, scores: ArrayLike, average=None, threshold=None) -> np.ndarray:
    """``keras.metrics.F1Score(average=..., threshold=...)`` on one batch, as NumPy."""
    import keras

    metric = keras.metrics.F1Score(average=average, threshold=threshold)
    metric.update_state(np.asarray(y, dtype="float32"), np.asarray(scores, dtype="float32"))
    return np.asarray(metric.result(), dtype=np.float64)


def probe_keras() -> list[Probe]:
    """Put every audit question to ``keras.metrics.F1Score``."""
    import keras

    y, s = PROBE_TARGETS, PROBE_SCORES
    p = threshold_decode_strict(s, 0.5)
    default = keras.metrics.F1Score()
    parameters = inspect.signature(keras.metrics.F1Score).parameters
    probes = []

    def add(question, answer, **numbers):
        probes.append(Probe(question, "Keras", answer, numbers))

    tie_rows = keras_f1(TIE_TARGETS[1:], TIE_SCORES[1:], average="micro")
    micro_none = float(keras_f1(y, s, average="micro"))
    add(
        "default threshold",
        f"{default.threshold!r}: each row's top score is the only positive"
        + (" (ties at the top all count)" if np.isclose(tie_rows, 1.0, atol=1e-6) else ""),
        micro_threshold_none=micro_none,
        micro_threshold_none_tied_row=float(tie_rows),
    )

    per_label_default = keras_f1(y, s)
    add(
        "default average",
        f"{default.average!r}: a vector of {per_label_default.size} per-label F1"
        if per_label_default.ndim
        else f"{default.average!r}",
    )

    error = _error(lambda: keras.metrics.F1Score(average="samples"))
    add(
        "average='samples' (per document)",
        f"no: {type(error).__name__}" if error else "yes",
    )

    weighted = float(keras_f1(y, s, average="weighted", threshold=0.5))
    per_label = keras_f1(y, s, average=None, threshold=0.5)
    add(
        "average='weighted' weights by",
        _weighting(per_label, weighted, y, p),
        weighted=weighted,
        **{f"f1_label{j}": value for j, value in enumerate(per_label)},
    )

    absent = float(per_label[ABSENT_LABEL])
    has_zero_division = "zero_division" in parameters
    add(
        "zero_division default",
        "has a zero_division= parameter"
        if has_zero_division
        else f"no parameter: 0/0 scores {absent:g} (an epsilon in each denominator)",
    )
    add(
        "zero_division options",
        "see its signature" if has_zero_division else "none",
    )

    macro = float(keras_f1(y, s, average="macro", threshold=0.5))
    add(
        "label absent from targets and predictions",
        f"F1 = {absent:g}, counted in macro ({macro:.3f})",
        absent_f1=absent,
        macro=macro,
    )

    error = _error(lambda: keras.metrics.F1Score(threshold=0.0))
    add(
        "probabilities instead of 0/1",
        "scores expected: it thresholds them itself; threshold= must lie in (0, 1]"
        + (
            f" (0.0 raises {type(error).__name__}, so logits need a sigmoid first)" if error else ""
        ),
    )

    at_threshold = keras_f1(TIE_TARGETS[:1], TIE_SCORES[:1], threshold=TIE_THRESHOLD)
    negative = np.isclose(at_threshold[0], 0.0, atol=1e-6)
    add(
        "score equal to the threshold",
        "negative (score > threshold)" if negative else "positive (score >= threshold)",
        f1_label0_at_threshold=float(at_threshold[0]),
    )
    return probes


def audit_table(probes: list[Probe], versions: dict[str, str] | None = None) -> pd.DataFrame:
    """Questions down, libraries (with their versions) across."""
    versions = versions or library_versions()
    column = {
        "scikit-learn": f"scikit-learn {versions['scikit-learn']}",
        "Keras": f"Keras {versions['keras']}",
    }
    frame = pd.DataFrame(
        [
            {"question": probe.question, "library": column[probe.library], "answer": probe.answer}
            for probe in probes
        ]
    )
    table = frame.pivot(index="question", columns="library", values="answer")
    order = list(dict.fromkeys(probe.question for probe in probes))
    table = table.loc[order, [c for c in column.values() if c in table.columns]]
    table.columns.name = None
    return table
