# ---
# jupyter:
#   jupytext:
#     cell_metadata_filter: tags,mystnb,-all
#     formats: ipynb,py:percent
#     notebook_metadata_filter: kernelspec,jupytext
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# (ch-decoding)=
# # From scores to genres
#
# ## Overview
#
# A head produces scores; a decoder turns them into genres. This chapter
# reuses the cached scores of {ref}`ch-heads` and trains nothing. Tuned on
# validation, one global threshold moves the sigmoid head's threshold from
# one half to {glue:text}`dec-tuned-sigmoid_bce:.3f` and the softmax head's to
# {glue:text}`dec-tuned-softmax_cce:.3f`. Per-genre thresholds change macro-F1 by
# {glue:text}`dec-gain-sigmoid_bce-macro` for the sigmoid head. The expected
# calibration error of the sigmoid scores is {glue:text}`dec-ece-sigmoid_bce`,
# against {glue:text}`dec-ece-softmax_cce` for `softmax_cce`; genre by genre,
# the sigmoid head's best threshold lies a median
# {glue:text}`dec-half-gap-sigmoid_bce:.3f` from half its best F1 (the rule for
# calibrated scores), the softmax head's {glue:text}`dec-half-gap-softmax_cce:.3f`.

# %%
from myst_nb import glue

from genrebench.data.sources import dataset_from_env
from genrebench.experiments import protocol
from genrebench.experiments.cache import prepare_cached
from genrebench.experiments.study import run_heads_study
from genrebench.plots import (
    plot_f1_threshold_curves,
    plot_reliability,
    plot_threshold_against_half_f1,
    plot_top_score_by_cardinality,
    save_figure,
)
from genrebench.results.scores import (
    calibration_errors,
    half_f1_table,
    reliability,
    threshold_curves,
    top_scores,
    tuned_global_thresholds,
)
from genrebench.results.statistics import format_interval, paired_differences, verdict
from genrebench.results.tables import F1_METRICS

HEADS = list(protocol.HEADS)
prepared = prepare_cached(dataset_from_env(), split_seed=protocol.SPLIT_SEED)
study = run_heads_study(prepared)  # loaded from the experiment cache

# %% [markdown]
# ## F1 against the threshold
#
# {numref}`fig-decoding-f1-threshold` sweeps one threshold shared by all
# genres over the test scores of each head and reads off the four F1
# averages (mean over the {glue:text}`dec-n-seeds` training seeds). The dashed
# line is the default `threshold=0.5`; the dotted line is the threshold tuned
# for micro-F1 on validation (median over seeds).

# %%
curves = threshold_curves(study, prepared, split="test")
tuned = tuned_global_thresholds(study, prepared)
tuned_median = tuned.groupby("head")["threshold"].median()
glue("dec-n-seeds", len(protocol.SEEDS), display=False)
for head in HEADS:
    glue(f"dec-tuned-{head}", float(tuned_median[head]), display=False)
ratio = float(tuned_median["sigmoid_bce"] / tuned_median["softmax_cce"])
glue(
    "dec-sigmoid_bce-side", "below" if tuned_median["sigmoid_bce"] < 0.5 else "above", display=False
)
glue(
    "dec-tuned-ratio-text",
    f"{ratio:.1f} times smaller than" if ratio >= 1 else f"{1 / ratio:.1f} times larger than",
    display=False,
)
peak = curves.loc[curves.groupby(["head", "mode"])["f1"].idxmax()]
peak.pivot(index="head", columns="mode", values="threshold").round(3)

# %% tags=["hide-input"] mystnb={"figure": {"caption": "Test F1 against one shared threshold (log scale), per head and F1 average, mean over training seeds. Dashed: the default threshold of one half. Dotted: the global threshold tuned for micro-F1 on validation (median over seeds).", "name": "fig-decoding-f1-threshold"}}
figure = plot_f1_threshold_curves(curves, tuned=tuned_median.to_dict())
figure_files = save_figure(figure, "fig-decoding-f1-threshold")

# %% [markdown]
# The same sweep on the validation films, where the thresholds are tuned
# ({numref}`fig-decoding-f1-threshold-val`), has the same shape: the peaks the
# tuning finds there are the ones the test films show.

# %% tags=["hide-input"] mystnb={"figure": {"caption": "As the previous figure, on the validation films (mean over training seeds).", "name": "fig-decoding-f1-threshold-val"}}
figure = plot_f1_threshold_curves(
    threshold_curves(study, prepared, split="val"), tuned=tuned_median.to_dict()
)
figure_files = save_figure(figure, "fig-decoding-f1-threshold-val")

# %% [markdown]
# The sigmoid head's curves peak near its tuned threshold of
# {glue:text}`dec-tuned-sigmoid_bce:.3f`, {glue:text}`dec-sigmoid_bce-side` one half. The
# tuned threshold of `softmax_cce` is {glue:text}`dec-tuned-ratio-text` the
# sigmoid head's ({glue:text}`dec-tuned-softmax_cce:.3f`; `softmax_cce_norm`:
# {glue:text}`dec-tuned-softmax_cce_norm:.3f`). One half is the wrong scale for scores that
# share one unit of mass among {glue:text}`dec-n-labels` genres: however the
# mass is split, at most one genre can pass it.

# %% [markdown]
# ## One threshold or one per genre?
#
# Tuning a separate threshold per genre on validation helps where genres
# differ, above all for rare ones, which micro-F1 barely weighs but macro-F1
# counts like any other. {numref}`tbl-decoding-per-label-gain` gives the paired
# test gain of per-genre over global thresholds, per head and F1 average, as
# the mean over seeds with a 95% t-interval of the per-seed differences.

# %%
glue("dec-n-labels", len(prepared.label_names), display=False)
gains = paired_differences(
    study.metrics[study.metrics["metric"].isin(F1_METRICS)],
    "per_label_tuned",
    ["global_tuned"],
    by=("head", "metric"),
    column="decoder",
)
gains["gain"] = [
    format_interval(*row) for row in gains[["mean_difference", "low", "high"]].to_numpy()
]
gain_table = gains.pivot(index="head", columns="metric", values="gain").reindex(HEADS)[
    list(F1_METRICS)
]
for head in HEADS:
    for metric in F1_METRICS:
        glue(f"dec-gain-{head}-{metric.split('_')[1]}", gain_table.loc[head, metric], display=False)
glue("dec-gain-table", gain_table, display=False)
for metric in ("f1_macro", "f1_micro"):
    row = gains.query("head == 'sigmoid_bce' and metric == @metric").iloc[0]
    glue(
        f"dec-gain-sigmoid_bce-{metric.split('_')[1]}-word",
        verdict(row["low"], row["high"], "rises", "falls", "does not move detectably"),
        display=False,
    )

# %% [markdown]
# ```{glue:figure} dec-gain-table
# :name: tbl-decoding-per-label-gain
#
# Test F1 of per-genre thresholds minus one global threshold (both tuned on
# validation), paired by training seed: mean and 95% interval over seeds.
# ```
#
# For the sigmoid head the per-genre thresholds change macro-F1 by
# {glue:text}`dec-gain-sigmoid_bce-macro` and micro-F1 by
# {glue:text}`dec-gain-sigmoid_bce-micro`. Macro-F1, which counts a rare genre like a
# common one, {glue:text}`dec-gain-sigmoid_bce-macro-word`; micro-F1, which pools the
# counts and so follows the common genres, {glue:text}`dec-gain-sigmoid_bce-micro-word`.
# A rare genre's threshold is tuned on few validation films, so what it gains
# in fit it can lose to noise.

# %% [markdown]
# ## Is the best threshold half the best F1?
#
# For scores that are calibrated probabilities, the threshold that maximises
# F1 equals half the maximal F1 {cite}`lipton2014thresholding`.
# {numref}`fig-decoding-half-f1` checks this genre by genre on validation
# (training seed zero): each point is one genre, the dashed line is the rule.

# %%
half = half_f1_table(study, prepared, split="val").query("train_seed == 0 and support >= 5")
half["gap"] = (half["threshold"] - half["half_f1"]).abs()
gap = half.groupby("head")["gap"].median()
for head in HEADS:
    glue(f"dec-half-gap-{head}", float(gap[head]), display=False)
    below = half[half["head"] == head]
    glue(
        f"dec-half-below-{head}",
        float((below["threshold"] < below["half_f1"]).mean()),
        display=False,
    )
gap.round(3).to_frame("median |threshold - F1*/2|")

# %% tags=["hide-input"] mystnb={"figure": {"caption": "Per genre (validation, training seed zero, genres with at least five validation films): the F1-optimal threshold against half the optimal F1. The rule for calibrated scores puts every point on the dashed diagonal.", "name": "fig-decoding-half-f1"}}
figure = plot_threshold_against_half_f1(half)
figure_files = save_figure(figure, "fig-decoding-half-f1")

# %% [markdown]
# The sigmoid head's genres lie a median {glue:text}`dec-half-gap-sigmoid_bce:.3f` from
# the diagonal, `softmax_cce`'s {glue:text}`dec-half-gap-softmax_cce:.3f`, with
# {glue:text}`dec-half-below-softmax_cce:.0%` of them below it (best threshold under half
# the best F1; sigmoid: {glue:text}`dec-half-below-sigmoid_bce:.0%`). Only calibrated
# probabilities are bound by the rule: softmax scores are shares of a film's
# mass, and the sigmoid scores are calibrated only approximately (next section).

# %% [markdown]
# ## Calibration
#
# Treat every film–genre pair as one forecast. {numref}`fig-decoding-reliability`
# bins the test scores and plots, per bin, the share of pairs that are true
# genres against the mean score (all seeds pooled); the expected calibration
# error (ECE) is the count-weighted mean distance from the diagonal.

# %%
errors = calibration_errors(study, prepared)
for _, row in errors.iterrows():
    glue(
        f"dec-ece-{row['head']}",
        format_interval(row["mean"], row["low"], row["high"]),
        display=False,
    )
errors.set_index("head").round(4)

# %% tags=["hide-input"] mystnb={"figure": {"caption": "Label-wise reliability of the test scores, all training seeds pooled, fifteen equal-width bins. A calibrated head follows the dashed diagonal.", "name": "fig-decoding-reliability"}}
figure = plot_reliability(reliability(study, prepared))
figure_files = save_figure(figure, "fig-decoding-reliability")

# %% [markdown]
# ECE is {glue:text}`dec-ece-sigmoid_bce` for `sigmoid_bce`,
# {glue:text}`dec-ece-softmax_cce` for `softmax_cce` and
# {glue:text}`dec-ece-softmax_cce_norm` for `softmax_cce_norm` (mean over
# seeds, 95% interval).

# %% [markdown]
# ## Why softmax cannot reach one half on a film with several genres
#
# A film with two true genres would need both softmax scores above one half
# to be decoded correctly by `threshold=0.5`, but the scores sum to one.
# {numref}`fig-decoding-top-score` shows each test film's highest score by its
# number of true genres.

# %%
tops = top_scores(study, prepared, seed=0)
multi = tops[tops["cardinality"] >= 2]
above = multi.assign(above=multi["top_score"] > 0.5).groupby("head")["above"].mean()
for head in HEADS:
    glue(f"dec-multi-above-{head}", float(above[head]), display=False)
glue("dec-multi-share", float((prepared.Y_test.sum(axis=1) >= 2).mean()), display=False)
tops.groupby(["head", "cardinality"])["top_score"].median().unstack().round(3)

# %% tags=["hide-input"] mystnb={"figure": {"caption": "Each test film's highest score by its number of true genres (training seed zero); boxes span the quartiles. The dashed line is the default threshold.", "name": "fig-decoding-top-score"}}
figure = plot_top_score_by_cardinality(tops)
figure_files = save_figure(figure, "fig-decoding-top-score")

# %% [markdown]
# Of the test films with two or more genres
# ({glue:text}`dec-multi-share:.1%` of the test set), the top `softmax_cce`
# score exceeds one half for {glue:text}`dec-multi-above-softmax_cce:.1%`, and even
# then only one genre can pass: `threshold=0.5` can never return such a film's
# full set. The sigmoid head's top score exceeds one half for
# {glue:text}`dec-multi-above-sigmoid_bce:.1%` of them.

# %% [markdown]
# ## Is a tuned softmax competitive?
#
# The fair question for softmax is not `threshold=0.5` but its best decoder.
# The top-k-by-mass decoder reads k from the scores (the fewest genres covering
# a share of the film's mass, tuned on validation); the oracle knows k.

# %%
rows = study.metrics.query(
    "metric == 'f1_micro' and decoder in ['global_tuned', 'topk_mass', 'oracle_topk']"
)
rows.groupby(["head", "decoder"])["value"].mean().unstack().reindex(HEADS).round(4)

# %% [markdown]
# ## Summary
#
# - Tuned on validation, the global threshold is {glue:text}`dec-tuned-sigmoid_bce:.3f`
#   for the sigmoid head and {glue:text}`dec-tuned-softmax_cce:.3f` for softmax with
#   raw targets, against the default of one half.
# - Per-genre thresholds change macro-F1 of the sigmoid head by
#   {glue:text}`dec-gain-sigmoid_bce-macro` and micro-F1 by
#   {glue:text}`dec-gain-sigmoid_bce-micro` (paired over seeds).
# - ECE: {glue:text}`dec-ece-sigmoid_bce` (sigmoid) against
#   {glue:text}`dec-ece-softmax_cce` (softmax). Per genre, the best threshold
#   lies a median {glue:text}`dec-half-gap-sigmoid_bce:.3f` from the F1*/2 rule for the
#   sigmoid head and {glue:text}`dec-half-gap-softmax_cce:.3f` for softmax.
