"""Analyses of a heads study's stored scores: thresholds, calibration, top scores.

Everything here reads the validation and test scores that the heads study
cached; nothing retrains. Used by the chapter "From scores to genres".
"""

import numpy as np
import pandas as pd

from genrebench.decode import GlobalThreshold
from genrebench.experiments.runs import Prepared
from genrebench.experiments.study import HeadsStudy
from genrebench.metrics import (
    expected_calibration_error,
    f1_against_threshold,
    held_out_optimal_thresholds,
    mean_score_gap,
    optimal_thresholds,
    reliability_bins,
    top_score_by_cardinality,
)
from genrebench.results.statistics import t_interval

#: Thresholds at which F1 curves are drawn (log-spaced: softmax scores are small).
CURVE_THRESHOLDS = np.geomspace(0.005, 0.95, 60)


def threshold_curves(study: HeadsStudy, prepared: Prepared, split: str = "test") -> pd.DataFrame:
    """F1 of every mode against the threshold, per head, averaged over training seeds."""
    Y = prepared.Y_test if split == "test" else prepared.Y_val
    frames = []
    for head in study.selected["head"]:
        per_seed = [
            f1_against_threshold(Y, scores, CURVE_THRESHOLDS)
            for scores in study.scores(head, split).values()
        ]
        mean = pd.concat(per_seed).groupby(["threshold", "mode"], sort=False)["f1"].mean()
        frames.append(mean.reset_index().assign(head=head))
    return pd.concat(frames, ignore_index=True)


def tuned_global_thresholds(study: HeadsStudy, prepared: Prepared) -> pd.DataFrame:
    """The validation-tuned global threshold of every head and seed."""
    rows = []
    for head in study.selected["head"]:
        for seed, scores in study.scores(head, "val").items():
            fitted = GlobalThreshold().fit(prepared.Y_val, scores)
            rows.append((head, seed, fitted.threshold))
    return pd.DataFrame(rows, columns=["head", "train_seed", "threshold"])


def half_f1_table(
    study: HeadsStudy, prepared: Prepared, split: str = "val", held_out: bool = False
) -> pd.DataFrame:
    """Per head, seed and label: the F1-optimal threshold and half the optimal F1.

    ``held_out``: fit each threshold on validation and measure F1* with it on test
    (``split`` is then ignored), so F1* is not the in-sample maximum it is compared with.
    """
    Y = prepared.Y_test if split == "test" else prepared.Y_val
    frames = []
    for head in study.selected["head"]:
        val = study.scores(head, "val")
        for seed, scores in study.scores(head, "test" if held_out else split).items():
            if held_out:
                table = held_out_optimal_thresholds(
                    prepared.Y_val, val[seed], prepared.Y_test, scores, prepared.label_names
                )
            else:
                table = optimal_thresholds(Y, scores, prepared.label_names)
            frames.append(table.assign(head=head, train_seed=seed))
    return pd.concat(frames, ignore_index=True)


def reliability(study: HeadsStudy, prepared: Prepared, n_bins: int = 15) -> pd.DataFrame:
    """Label-wise reliability bins on test, pooled over seeds, per head."""
    frames = []
    for head in study.selected["head"]:
        scores = np.vstack(list(study.scores(head, "test").values()))
        targets = np.vstack([prepared.Y_test] * len(study.scores(head, "test")))
        frames.append(reliability_bins(targets, scores, n_bins).assign(head=head))
    return pd.concat(frames, ignore_index=True)


def calibration_errors(study: HeadsStudy, prepared: Prepared, n_bins: int = 15) -> pd.DataFrame:
    """Expected calibration error on test per head: mean and 95% t-interval over seeds.

    Beside it, means over seeds: ``density_gap``, the test label density minus the head's
    mean score (:func:`genrebench.metrics.mean_score_gap`), which ECE equals when every bin
    lies above the diagonal, and ``over_share``, the share of pairs in bins below it
    (over-confident), which is what lets ECE exceed the gap.
    """
    rows = []
    for head in study.selected["head"]:
        scores = list(study.scores(head, "test").values())
        errors = [expected_calibration_error(prepared.Y_test, s, n_bins) for s in scores]
        gaps = [mean_score_gap(prepared.Y_test, s) for s in scores]
        over = []
        for s in scores:
            bins = reliability_bins(prepared.Y_test, s, n_bins)
            below = bins["frequency"] < bins["mean_score"]
            over.append(bins.loc[below, "count"].sum() / bins["count"].sum())
        rows.append((head, *t_interval(errors), float(np.mean(gaps)), float(np.mean(over))))
    return pd.DataFrame(rows, columns=["head", "mean", "low", "high", "density_gap", "over_share"])


def top_scores(study: HeadsStudy, prepared: Prepared, seed: int = 0) -> pd.DataFrame:
    """Each test film's top score and cardinality, per head, for one training seed."""
    frames = [
        top_score_by_cardinality(prepared.Y_test, study.scores(head, "test")[seed]).assign(
            head=head
        )
        for head in study.selected["head"]
    ]
    return pd.concat(frames, ignore_index=True)


def count_quality(study: HeadsStudy, prepared: Prepared) -> pd.DataFrame:
    """How well each softmax head's predicted label count (the count model of
    :class:`~genrebench.decode.CountScaled`, fitted on validation) matches each test
    document's true count: R² and mean absolute error, mean over training seeds, for every
    head whose consistent decoder scales its shares by that count."""
    from genrebench.decode import CountScaled
    from genrebench.heads import get_head

    truth = prepared.Y_test.sum(axis=1).astype(np.float64)
    rows = []
    for head in study.selected["head"]:
        if get_head(head).consistent != CountScaled.name:
            continue
        val, test = study.scores(head, "val"), study.scores(head, "test")
        for seed in val:
            predicted = CountScaled().fit(prepared.Y_val, val[seed]).predicted_count(test[seed])
            r2 = 1 - ((truth - predicted) ** 2).sum() / ((truth - truth.mean()) ** 2).sum()
            rows.append((head, seed, float(r2), float(np.abs(truth - predicted).mean())))
    table = pd.DataFrame(rows, columns=["head", "train_seed", "r2", "mae"])
    return table.groupby("head", sort=False)[["r2", "mae"]].mean()
