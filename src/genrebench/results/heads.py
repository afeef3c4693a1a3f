"""The analysis of one heads study: every table the heads chapter, the answers page and the
command's report show, computed once."""

from dataclasses import dataclass

import numpy as np
import pandas as pd

from genrebench.decode import get_decoder
from genrebench.experiments import protocol
from genrebench.experiments.baselines import BaselineFit
from genrebench.experiments.runs import Prepared
from genrebench.experiments.study import HeadsStudy
from genrebench.metrics import F1Report, f1_modes
from genrebench.results.statistics import paired_differences
from genrebench.results.tables import (
    F1_METRICS,
    baseline_summary,
    per_label_f1,
    results_summary,
    training_curves,
)

#: The decoder heads are compared under when one decoder must serve them all: tuned on
#: validation, the same rule for every head.
FAIR_DECODER = "global_tuned"
#: The decoder that suits per-label F1: one threshold per label, tuned on validation.
PER_LABEL_DECODER = "per_label_tuned"


@dataclass(frozen=True)
class BaselineF1:
    """The scikit-learn baseline's test F1 under the validation-tuned global threshold."""

    report: F1Report  # every mode and the per-label table (f1, precision, recall, support)
    threshold: float
    predicted: np.ndarray  # the decoded test labels


def baseline_f1(prepared: Prepared, baseline: BaselineFit) -> BaselineF1:
    """Decode the baseline's test scores with :data:`FAIR_DECODER` fitted on validation."""
    fitted = get_decoder(FAIR_DECODER).fit(prepared.Y_val, baseline.val_scores)
    predicted = fitted.apply(baseline.test_scores, Y_true=prepared.Y_test)
    report = f1_modes(prepared.Y_test, predicted, label_names=prepared.label_names)
    return BaselineF1(report=report, threshold=float(fitted.threshold), predicted=predicted)


@dataclass
class HeadsAnalysis:
    """The tables of one study, as every reader of it shows them."""

    heads: list[str]
    reference: str
    summary: pd.DataFrame  # head x decoder x metric: mean, low, high over seeds (test)
    differences: pd.DataFrame  # reference minus each other head, paired by seed
    f1_gaps: pd.DataFrame  # f1_micro minus each other F1 average, paired by seed
    per_label: pd.DataFrame  # per-label test F1 per head (FAIR_DECODER), shares and support
    per_label_matched: pd.DataFrame  # the same under PER_LABEL_DECODER
    baseline: pd.DataFrame  # one-vs-rest logistic regression, bootstrap intervals
    baseline_f1: BaselineF1
    curves: pd.DataFrame  # loss per epoch of every reported run
    n_seeds: int
    nouns: tuple[str, str] = ("document", "label")

    @property
    def others(self) -> list[str]:
        return [head for head in self.heads if head != self.reference]

    def interval(self, head: str, decoder: str, metric: str) -> tuple[float, float, float]:
        """Mean and 95% interval over seeds of one head x decoder x metric on test."""
        row = self.summary.query("head == @head and decoder == @decoder and metric == @metric")
        if row.empty:
            raise KeyError(f"no result for {head}, {decoder}, {metric}")
        row = row.iloc[0]
        return float(row["mean"]), float(row["low"]), float(row["high"])

    def difference(self, other: str, decoder: str, metric: str) -> pd.Series:
        """The paired difference (reference minus ``other``): mean_difference, low, high, ..."""
        rows = self.differences.query(
            "versus == @other and decoder == @decoder and metric == @metric"
        )
        if rows.empty:
            raise KeyError(f"no paired difference for {other}, {decoder}, {metric}")
        return rows.iloc[0]


def analyse(study: HeadsStudy, prepared: Prepared, nouns=("document", "label")) -> HeadsAnalysis:
    """Every table of ``study`` (on ``prepared``); ``nouns`` name its documents and labels."""
    heads = list(study.selected["head"])
    reference = protocol.REFERENCE_HEAD if protocol.REFERENCE_HEAD in heads else heads[0]
    others = [head for head in heads if head != reference]
    decided = study.metrics.query("decoder != 'scores'")
    f1_rows = decided[decided["metric"].isin(F1_METRICS)]
    per_label = per_label_f1(study, prepared, decoder=FAIR_DECODER)
    per_label["test_support"] = prepared.Y_test.sum(axis=0)
    return HeadsAnalysis(
        heads=heads,
        reference=reference,
        summary=results_summary(study),
        differences=paired_differences(study.metrics, reference, others),
        f1_gaps=paired_differences(
            f1_rows,
            "f1_micro",
            [m for m in F1_METRICS if m != "f1_micro"],
            by=("head", "decoder"),
            column="metric",
        ),
        per_label=per_label,
        per_label_matched=per_label_f1(study, prepared, decoder=PER_LABEL_DECODER),
        baseline=baseline_summary(study, prepared),
        baseline_f1=baseline_f1(prepared, study.baseline),
        curves=training_curves(study),
        n_seeds=int(study.metrics["train_seed"].nunique()),
        nouns=tuple(nouns),
    )
