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
# ```{admonition} Key result
# :class: tip
# A {term}`decoder` turns a {term}`head`'s scores into genres; this chapter decodes the
# scores of the heads chapter ({ref}`ch-heads`) and trains nothing. Tuned on validation, one global
# threshold lands at {glue:text}`dec-tuned-sigmoid_bce:.3f` for
# sigmoid + BCE and {glue:text}`dec-tuned-softmax_cce:.3f` for softmax + CCE, and
# with it sigmoid minus softmax {term}`micro-F1` on this one split is
# {glue:text}`dec-competitive-diff-global_tuned` (seeds only). The expected calibration error
# (ECE) of the sigmoid scores is {glue:text}`dec-ece-sigmoid_bce`; for softmax
# scores, which sum to one, ECE cannot fall below {glue:text}`dec-identity:.3f`, a
# floor set by the data.
# ```

# %% tags=["hide-input"]
import pandas as pd

from genrebench.book.glue import glue, glue_all
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
    count_quality,
    half_f1_table,
    reliability,
    threshold_curves,
    top_scores,
    tuned_global_thresholds,
)
from genrebench.results.statistics import (
    format_interval,
    paired_differences,
    seed_summary,
)
from genrebench.results.tables import F1_METRICS

HEADS = list(protocol.HEADS)
prepared = prepare_cached(
    protocol.load_built_in("films"), split_seed=protocol.SPLIT_SEED
)
study = run_heads_study(prepared)  # loaded from the experiment cache

# %% [markdown]
# ## F1 against the threshold
#
# {numref}`fig-decoding-f1-threshold` sweeps one threshold shared by all genres
# over each head's test scores and reads off the four F1 averages (mean over the
# {glue:text}`dec-n-seeds` training seeds), marking the default and the tuned
# threshold; {numref}`tbl-decoding-peaks` gives where each curve peaks.

# %% tags=["hide-input"]
curves = threshold_curves(study, prepared, split="test")
tuned = tuned_global_thresholds(study, prepared)
tuned_median = tuned.groupby("head")["threshold"].median()
peak = curves.loc[curves.groupby(["head", "mode"])["f1"].idxmax()]
peaks = peak.pivot(index="head", columns="mode", values="threshold").round(
    3
)
peaks = peaks[["micro", "macro", "weighted", "samples"]].add_prefix(
    "f1_"
)  # F1 in words

# %% tags=["remove-cell"]
glue("dec-n-seeds", len(protocol.SEEDS), display=False)
glue_all({head: tuned_median[head] for head in HEADS}, "dec-tuned-")
glue(
    "dec-peaks-table",
    peaks.rename_axis(columns="F1 average"),
    display=False,
)

# %% [markdown]
# ```{glue:figure} dec-peaks-table
# :name: tbl-decoding-peaks
#
# The threshold at which each head's test F1 curve in
# {numref}`fig-decoding-f1-threshold` peaks, per F1 average.
# ```

# %% tags=["hide-input"] mystnb={"figure": {"caption": "Test F1 against one shared threshold (log scale), per head and F1 average, mean over training seeds. Grey dashed vertical line: the default threshold of one half; thin black vertical line: the global threshold tuned for micro-F1 on validation (median over seeds).", "name": "fig-decoding-f1-threshold"}}
figure = plot_f1_threshold_curves(curves, tuned=tuned_median.to_dict())
figure_files = save_figure(figure, "fig-decoding-f1-threshold")

# %% [markdown]
# {numref}`fig-decoding-f1-threshold-val` repeats the sweep on the validation
# films, where the thresholds are tuned: where its peaks match the test curves,
# the tuned threshold carries over.

# %% tags=["hide-input"] mystnb={"figure": {"caption": "As the previous figure, on the validation films (mean over training seeds).", "name": "fig-decoding-f1-threshold-val"}}
figure = plot_f1_threshold_curves(
    threshold_curves(study, prepared, split="val"),
    tuned=tuned_median.to_dict(),
    split="validation",
)
figure_files = save_figure(figure, "fig-decoding-f1-threshold-val")

# %% [markdown]
# The median tuned threshold is {glue:text}`dec-tuned-sigmoid_bce:.3f` for
# sigmoid + BCE, {glue:text}`dec-tuned-softmax_cce:.3f` for softmax + CCE and
# {glue:text}`dec-tuned-softmax_cce_norm:.3f` for softmax + CCE on normalised
# targets, against the default of one half.

# %% [markdown]
# ## One threshold or one per genre?
#
# A threshold per genre, tuned on validation, can follow genres that differ,
# above all rare ones, which micro-F1 barely weighs and {term}`macro-F1` counts like any
# other. {numref}`tbl-decoding-per-label-gain` gives the paired test gain over
# one global threshold, per head and F1 average; a positive entry favours
# per-genre thresholds.

# %% tags=["hide-input"]
glue("dec-n-labels", len(prepared.label_names), display=False)
gains = paired_differences(
    study.metrics[study.metrics["metric"].isin(F1_METRICS)],
    "per_label_tuned",
    ["global_tuned"],
    by=("head", "metric"),
    column="decoder",
)
gains["gain"] = [
    format_interval(*row)
    for row in gains[["mean_difference", "low", "high"]].to_numpy()
]
gain_table = gains.pivot(
    index="head", columns="metric", values="gain"
).reindex(HEADS)[list(F1_METRICS)]
for head in HEADS:
    for metric in F1_METRICS:
        glue(
            f"dec-gain-{head}-{metric.split('_')[1]}",
            gain_table.loc[head, metric],
            display=False,
        )
glue("dec-gain-table", gain_table, display=False)

# %% [markdown]
# ```{glue:figure} dec-gain-table
# :name: tbl-decoding-per-label-gain
#
# Test F1 of per-genre thresholds minus one global threshold, both tuned on
# validation, paired by training seed: mean and 95% interval over seeds.
# ```
#
# For sigmoid + BCE, per-genre thresholds change macro-F1 by
# {glue:text}`dec-gain-sigmoid_bce-macro` and micro-F1 by
# {glue:text}`dec-gain-sigmoid_bce-micro`.
# A rare genre's threshold is tuned on few validation films, so what it gains
# in fit it can lose to noise.

# %% [markdown]
# ## Is the best threshold half the best F1?
#
# For calibrated probabilities, the F1-optimal threshold is half the maximal F1
# {cite}`lipton2014thresholding`. A best F1 measured on the films that chose its
# threshold is biased upwards, so each genre's threshold is fitted on validation
# and F1* is what it reaches on test (training seed zero, genres with at least
# five test films). In {numref}`fig-decoding-half-f1` each point is a genre and
# the dashed diagonal is the rule.


# %% tags=["hide-input"]
def median_gaps(table):
    table = table.query("train_seed == 0 and support >= 5")
    return (
        (table["threshold"] - table["half_f1"])
        .abs()
        .groupby(table["head"])
        .median()
    )


half = half_f1_table(study, prepared, held_out=True).query(
    "train_seed == 0 and support >= 5"
)
gap = median_gaps(half)
in_sample = median_gaps(half_f1_table(study, prepared, split="val"))
below = (half["threshold"] < half["half_f1"]).groupby(half["head"]).mean()
gaps = pd.DataFrame(
    {"held out": gap, "in sample (validation)": in_sample}
).round(3)

# %% tags=["remove-cell"]
glue_all({head: gap[head] for head in HEADS}, "dec-half-gap-")
glue_all(
    {head: in_sample[head] for head in HEADS}, "dec-half-gap-in-sample-"
)
glue_all(
    {head: f"{below[head]:.0%}" for head in ("softmax_cce", "sigmoid_bce")},
    "dec-half-below-",
)
glue(
    "dec-half-gap-table",
    gaps.rename_axis(index="head", columns="F1*"),
    display=False,
)

# %% [markdown]
# ```{glue:figure} dec-half-gap-table
# :name: tbl-decoding-half-gap
#
# Median distance, over genres, between a genre's F1-optimal threshold and half
# its F1*, with F1* measured on test (held out) or on the validation films that
# chose the threshold (in sample).
# ```

# %% tags=["hide-input"] mystnb={"figure": {"caption": "Per genre (training seed zero, genres with at least five test films): the F1-optimal threshold fitted on validation against half the F1 it reaches on test (a held-out F1*). The rule for calibrated scores puts every point on the dashed diagonal.", "name": "fig-decoding-half-f1"}}
figure = plot_threshold_against_half_f1(half)
figure_files = save_figure(figure, "fig-decoding-half-f1")

# %% [markdown]
# The median distance from the diagonal is
# {glue:text}`dec-half-gap-sigmoid_bce:.3f` for sigmoid + BCE and
# {glue:text}`dec-half-gap-softmax_cce:.3f` for softmax + CCE
# ({numref}`tbl-decoding-half-gap`). Below the diagonal, where the best threshold is under half the
# best F1, lie {glue:text}`dec-half-below-softmax_cce` of softmax + CCE's genres
# and {glue:text}`dec-half-below-sigmoid_bce` of sigmoid + BCE's. Softmax scores are shares of a
# film's mass, so the rule does not bind them.

# %% [markdown]
# ## Calibration
#
# Calibration asks whether a score reads as a probability: of the film–genre
# pairs scored about one in five, is one in five a true genre? Only the sigmoid
# head's scores claim this. {numref}`fig-decoding-reliability` treats every
# film–genre pair as one forecast and plots, per bin of test scores, the share
# of true genres against the mean score (seeds pooled). ECE is the
# count-weighted mean distance from the diagonal;
# {numref}`tbl-decoding-calibration` gives it per head.

# %% tags=["hide-input"]
errors = calibration_errors(study, prepared).set_index("head")
density = float(prepared.Y_test.mean())
n_labels = prepared.Y_test.shape[1]
softmax_heads = [head for head in HEADS if head != "sigmoid_bce"]
calibration_table = errors.rename(
    columns={
        "mean": "ECE",
        "low": "ECE low",
        "high": "ECE high",
        "density_gap": "density − mean score",
        "over_share": "pairs in over-confident bins",
    }
).round(4)

# %% tags=["remove-cell"]
glue("dec-calibration-table", calibration_table, display=False)
glue_all(
    {head: format_interval(row["mean"], row["low"], row["high"]) for head, row in errors.iterrows()},
    prefix="dec-ece-",
)  # fmt: skip
glue_all(
    {"density": density, "one-over-l": 1 / n_labels, "identity": density - 1 / n_labels,
     "identity-excess": (errors.loc[softmax_heads, "mean"] - (density - 1 / n_labels)).abs().max()},
    prefix="dec-",
)  # fmt: skip

# %% tags=["hide-input"] mystnb={"figure": {"caption": "Label-wise reliability of the test scores, all training seeds pooled, fifteen equal-width bins. A calibrated head follows the dashed diagonal.", "name": "fig-decoding-reliability"}}
figure = plot_reliability(reliability(study, prepared))
figure_files = save_figure(figure, "fig-decoding-reliability")

# %% [markdown]
# ```{glue:figure} dec-calibration-table
# :name: tbl-decoding-calibration
#
# Label-wise ECE on the test films (mean and 95% interval over training seeds),
# label density minus the head's mean score, and the share of film–genre pairs
# in over-confident bins (below the diagonal).
# ```
#
# For sigmoid + BCE, ECE is {glue:text}`dec-ece-sigmoid_bce`.
#
# For the softmax heads ECE has a floor set by the data. Their scores sum to one
# per film, so their mean over all pairs is one over the number of genres,
# {glue:text}`dec-one-over-l:.4f`, whatever the model learnt, against a test label
# density of {glue:text}`dec-density:.4f`. ECE is at least the density minus the mean score,
# {glue:text}`dec-identity:.4f`, with equality when no bin lies below the
# diagonal; the softmax ECEs lie within {glue:text}`dec-identity-excess:.4f` of
# it. Softmax scores are therefore judged by how they rank and decode.

# %% [markdown]
# ## Why softmax misses one half
#
# A film's softmax scores share one unit of mass among
# {glue:text}`dec-n-labels` genres, so at most one can pass `threshold=0.5`, and
# a film with several true genres is never decoded in full.
# {numref}`fig-decoding-top-score` shows each test film's highest score by its
# number of true genres; a film above the dashed line keeps at least one genre.

# %% tags=["remove-cell"]
tops = top_scores(study, prepared, seed=0)
multi = tops[tops["cardinality"] >= 2]
above = (
    multi.assign(above=multi["top_score"] > 0.5)
    .groupby("head")["above"]
    .mean()
)
glue_all({head: above[head] for head in HEADS}, "dec-multi-above-")
glue(
    "dec-multi-share",
    float((prepared.Y_test.sum(axis=1) >= 2).mean()),
    display=False,
)

# %% tags=["hide-input"] mystnb={"figure": {"caption": "Each test film's highest score by its number of true genres (training seed zero); boxes span the quartiles. The dashed line is the default threshold.", "name": "fig-decoding-top-score"}}
figure = plot_top_score_by_cardinality(tops)
figure_files = save_figure(figure, "fig-decoding-top-score")

# %% [markdown]
# Of the test films with two or more genres
# ({glue:text}`dec-multi-share:.1%` of the test set), the top softmax + CCE score
# exceeds one half for {glue:text}`dec-multi-above-softmax_cce:.1%`, and even then
# only one genre passes. The sigmoid head's top score exceeds one half for
# {glue:text}`dec-multi-above-sigmoid_bce:.1%` of them.

# %% [markdown]
# ## Is a tuned softmax competitive?
#
# The fair test for softmax is its best decoder, not `threshold=0.5`.
# {numref}`tbl-decoding-competitive` sets two decoders beside the tuned global
# threshold: top-k by mass, which keeps the fewest genres covering a share of
# the film's score mass (the share tuned on validation), and the {term}`oracle`, which
# knows each film's number of genres.

# %% tags=["hide-input"]
COMPETING = ["global_tuned", "topk_mass", "oracle_topk"]
rows = study.metrics.query("metric == 'f1_micro' and decoder in @COMPETING")
summary = seed_summary(rows)
summary["micro-F1"] = [
    format_interval(*values)
    for values in summary[["mean", "low", "high"]].to_numpy()
]
for _, row in summary.iterrows():
    glue(
        f"dec-competitive-{row['head']}-{row['decoder']}",
        row["micro-F1"],
        display=False,
    )

# %% tags=["remove-cell"]
versus = paired_differences(
    rows, "sigmoid_bce", ["softmax_cce"], by=("decoder", "metric")
)
for _, row in versus.iterrows():
    decoder = row["decoder"]
    glue(
        f"dec-competitive-diff-{decoder}",
        format_interval(row["mean_difference"], row["low"], row["high"]),
        display=False,
    )
competitive = summary.pivot(
    index="head", columns="decoder", values="micro-F1"
).reindex(HEADS)
glue("dec-competitive-table", competitive[COMPETING], display=False)

# %% [markdown]
# ```{glue:figure} dec-competitive-table
# :name: tbl-decoding-competitive
#
# Test micro-F1 of each head under one global threshold tuned on validation,
# top-k by mass and the oracle: mean and 95% interval over training seeds.
# ```
#
# On this one split, with intervals over training seeds only (which
# under-cover, {ref}`sec-sweeps-coverage`), sigmoid minus softmax is
# {glue:text}`dec-competitive-diff-global_tuned` under the tuned threshold and
# {glue:text}`dec-competitive-diff-topk_mass` under top-k by mass. Under the
# oracle it is {glue:text}`dec-competitive-diff-oracle_topk`. The oracle separates ordering
# from counting: it hands both heads each film's true number of genres. The
# verdicts across splits are in {ref}`ch-travel`.
#
# The {term}`consistent decoder` of a softmax head multiplies its shares by a
# number of genres predicted from the film's sorted shares ({ref}`ch-travel`).
# The share of the variance in the test films' genre counts that the predicted
# count explains (R²) is {glue:text}`dec-count-r2-softmax_cce` for softmax + CCE and
# {glue:text}`dec-count-r2-softmax_cce_norm` for softmax + CCE on normalised
# targets. With this decoder softmax + CCE scores {glue:text}`dec-count-f1`
# micro-F1; with one threshold on its raw shares, {glue:text}`dec-count-f1-shared`.

# %% tags=["hide-input"]
quality = count_quality(study, prepared)
for head, value in quality["r2"].items():
    glue(f"dec-count-r2-{head}", f"{value:.2f}", display=False)
softmax_micro = study.metrics.query(
    "head == 'softmax_cce' and metric == 'f1_micro'"
)
softmax_micro = softmax_micro.groupby("decoder")[
    "value"
].mean()  # over training seeds
for name, decoder in (
    ("dec-count-f1", "count_scaled"),
    ("dec-count-f1-shared", "global_tuned"),
):
    glue(name, f"{softmax_micro[decoder]:.3f}", display=False)

# %% [markdown]
# ## Summary
#
# - Per-genre thresholds change the sigmoid head's macro-F1 by
#   {glue:text}`dec-gain-sigmoid_bce-macro` and micro-F1 by
#   {glue:text}`dec-gain-sigmoid_bce-micro`.
# - The best threshold lies a median {glue:text}`dec-half-gap-sigmoid_bce:.3f` from
#   F1*/2 for sigmoid + BCE and {glue:text}`dec-half-gap-softmax_cce:.3f` for
#   softmax + CCE.
# - Given each film's number of genres, sigmoid minus softmax micro-F1 is
#   {glue:text}`dec-competitive-diff-oracle_topk`.
