"""Multi-label metrics, framework-free: the independent referee.

This package imports NumPy, pandas and scikit-learn only — never Keras,
TensorFlow or :mod:`genrebench.models` — so it can check what a framework's
metric reports (a test enforces this). It is the only place in genrebench where
F1, precision, recall or a calibration error is computed (a test enforces that
too): decoders, baselines, studies and the benchmark call it.

Every F1 "mode" treats each label as its own binary problem and differs only in
how the per-label counts are aggregated:

* ``None`` (per label): F1 of every label on its own;
* ``micro``: true positives, false positives and false negatives pooled over
  labels, then one F1;
* ``macro``: the unweighted mean of the per-label F1;
* ``weighted``: the per-label F1 weighted by support (true positives + false
  negatives);
* ``samples``: F1 of every document's predicted set against its true set,
  averaged over documents (scikit-learn only; Keras has no such mode).

``zero_division`` is the value of an F1 whose denominator is zero (a label, or
document, with no true and no predicted positives). It defaults to 0, which is
what Keras' ``F1Score`` effectively does (its small epsilon turns 0/0 into 0),
and is written out explicitly wherever this package calls scikit-learn.

Modules: ``checks`` (input checks), ``f1`` (F1 modes, precision and recall,
F1-optimal thresholds), ``ranking`` (P@k, R@k, AUCs), ``summary`` (one flat dict
of everything), ``calibration`` (reliability, ECE, the F1*/2 rule) and
``bootstrap`` (intervals over documents).
"""

from genrebench.metrics.bootstrap import bootstrap_ci, bootstrap_f1, paired_bootstrap_diff
from genrebench.metrics.calibration import (
    expected_calibration_error,
    held_out_optimal_thresholds,
    mean_score_gap,
    optimal_thresholds,
    reliability_bins,
    top_score_by_cardinality,
)
from genrebench.metrics.checks import (
    MetricInputError,
    check_predictions,
    check_scores,
    check_targets,
)
from genrebench.metrics.f1 import (
    MODES,
    F1Report,
    best_f1_threshold,
    best_f1_thresholds,
    confusion_counts,
    f1_against_threshold,
    f1_averages,
    f1_modes,
    micro_f1,
    precision_recall_modes,
    ranked_hits,
    samples_f1,
    top_k_f1,
    top_k_f1_each,
)
from genrebench.metrics.ranking import (
    label_ranking_average_precision,
    precision_at_k,
    ranking_metrics,
    recall_at_k,
)
from genrebench.metrics.summary import multilabel_summary

__all__ = [
    "MODES",
    "F1Report",
    "MetricInputError",
    "best_f1_threshold",
    "best_f1_thresholds",
    "bootstrap_ci",
    "bootstrap_f1",
    "check_predictions",
    "check_scores",
    "check_targets",
    "confusion_counts",
    "expected_calibration_error",
    "f1_against_threshold",
    "f1_averages",
    "f1_modes",
    "held_out_optimal_thresholds",
    "label_ranking_average_precision",
    "mean_score_gap",
    "micro_f1",
    "multilabel_summary",
    "optimal_thresholds",
    "paired_bootstrap_diff",
    "precision_at_k",
    "precision_recall_modes",
    "ranked_hits",
    "ranking_metrics",
    "recall_at_k",
    "reliability_bins",
    "samples_f1",
    "top_k_f1",
    "top_k_f1_each",
    "top_score_by_cardinality",
]
