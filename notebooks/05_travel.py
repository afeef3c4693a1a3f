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
# (ch-travel)=
# # Does the answer travel?
#
# ## Overview
#
# The heads chapter ({ref}`ch-heads`) compares the {term}`heads <head>` on one split of one dataset, with intervals
# over training seeds only. Here the whole protocol runs on
# {glue:text}`travel-n-splits` random splits of each of
# {glue:text}`travel-n-datasets` datasets, with {glue:text}`travel-n-seeds`
# training seeds per split.
#
# ```{admonition} Key result
# :class: tip
# Tuning the {term}`decoder` on validation instead of keeping one half moves the
# {term}`micro-F1` of sigmoid + BCE by {glue:text}`travel-lever-decoder-low` to
# {glue:text}`travel-lever-decoder-high` across the datasets; changing the head,
# both so decoded, moves it by {glue:text}`travel-lever-head-low` to
# {glue:text}`travel-lever-head-high`. Pooled over the datasets, sigmoid + BCE
# minus softmax + CCE is {glue:text}`travel-practice-pooled` micro-F1 under one
# tuned threshold (*{glue:text}`travel-practice-pooled-verdict`*) and
# {glue:text}`travel-loss-pooled` with each head under its {term}`consistent decoder`
# (*{glue:text}`travel-loss-pooled-verdict`*).
# ```

# %% tags=["hide-input"]
import pandas as pd

from genrebench.book.glue import glue, glue_all
from genrebench.experiments import protocol
from genrebench.experiments.splits import (
    run_built_in_studies,
    run_family_split_study,
)
from genrebench.results.family import FAMILY_ALPHA
from genrebench.results.family_splits import (
    edge_counts,
    family_split_differences,
    softmax_style_counts,
)
from genrebench.results.figures import render_figure
from genrebench.results.levers import (
    decoder_steps,
    larger_lever,
    lever_differences,
    lever_range,
    lever_table,
    steps_table,
)
from genrebench.results.pooled import (
    detectable_differences,
    margin_sensitivity,
    pooled_differences,
    pooled_interval,
    pooled_table,
)
from genrebench.results.statistics import EQUIVALENCE_CONFIDENCE
from genrebench.results.travel import (
    MAIN_COLUMNS,
    MORE_COLUMNS,
    PRIMARY,
    choice_counts,
    choice_table,
    dataset_properties,
    difference_table,
    properties_table,
    travel_differences,
)
from genrebench.results.wording import LEVER_WORDS, join_words, with_verdict

reference, primary_other, primary_metric = PRIMARY
others = [head for head in protocol.HEADS if head != reference]

glue("travel-n-splits", len(protocol.SPLITS), display=False)
glue("travel-n-seeds", len(protocol.SPLIT_SEEDS), display=False)
glue("travel-n-datasets", len(protocol.TRAVEL_DATASETS), display=False)
glue("travel-alpha", f"{FAMILY_ALPHA:g}", display=False)
glue("travel-max-extensions", protocol.MAX_GRID_EXTENSIONS, display=False)

# %% [markdown]
# ## The protocol
#
# Each dataset is split {glue:text}`travel-n-splits` times at random (iterative
# stratification, {ref}`ch-data`) into training, validation and test parts, and
# each split repeats {ref}`ch-heads`'s protocol: the same search for every head,
# chosen on the split's validation part, then {glue:text}`travel-n-seeds`
# training seeds shared by all heads, so their scores are paired. Each F1
# average is judged under its matched {term}`decoder`, tuned on validation.
#
# Seeds are averaged within each split and the interval is taken over the split
# means, so it covers splits, seeds and test documents
# {cite}`bouthillier2021variance`. Because splits of one dataset share training
# documents, the corrected resampled t {cite}`nadeau2003inference` widens it;
# {ref}`sec-sweeps-coverage` checks its coverage.
#
# The primary comparison is {term}`Holm`-adjusted over the datasets; all other
# comparisons are secondary and Holm-adjusted together {cite}`holm1979simple`. A
# head is *{term}`ahead`* or *{term}`behind`* when its adjusted p-value is below
# {glue:text}`travel-alpha`, *{term}`equivalent`* when its
# {glue:text}`travel-eq-confidence` interval lies inside ±δ =
# {glue:text}`travel-margin` F1, a {term}`margin <margin δ>` fixed before any
# result (two one-sided tests, {cite}`lakens2017equivalence`), and
# *{term}`undecided`* otherwise.

# %% tags=["hide-input"]
datasets, studies = run_built_in_studies()

differences = travel_differences(studies, reference, others)
properties = [
    dataset_properties(datasets[name], studies[name]) for name in studies
]
pooled = pooled_differences(differences)
primary_pooled = pooled[
    pooled["primary"] & (pooled["decoder"] == "matched")
].iloc[0]
detectable = detectable_differences(differences)

# %% tags=["remove-cell"]
glue(
    "travel-properties",
    properties_table(properties, differences),
    display=False,
)
glue(
    "travel-differences",
    difference_table(differences, columns=MAIN_COLUMNS),
    display=False,
)
glue(
    "travel-differences-more",
    difference_table(differences, columns=MORE_COLUMNS),
    display=False,
)
with pd.option_context("display.max_colwidth", None):
    glue("travel-choices", choice_table(studies), display=False)
glue(
    "travel-pooled",
    pooled_table(pooled[pooled["decoder"].isin(["matched", "consistent"])]),
    display=False,
)
glue("travel-sensitivity", margin_sensitivity(differences), display=False)

# %% tags=["remove-cell"]
for question in ("primary", "loss_primary"):
    for _, row in differences[differences[question]].iterrows():
        glue(
            f"travel-{question}-{row['dataset']}",
            with_verdict(row),
            display=False,
        )
glue_all(choice_counts(studies), "travel-choices-")
for question, decoder in (("practice", "matched"), ("loss", "consistent")):
    interval, verdict = pooled_interval(pooled, decoder)
    glue_all(
        {"pooled": interval, "pooled-verdict": verdict},
        f"travel-{question}-",
    )
glue("travel-margin", f"{protocol.EQUIVALENCE_MARGIN:g}", display=False)
glue("travel-eq-confidence", f"{EQUIVALENCE_CONFIDENCE:.0%}", display=False)
glue("travel-tost-alpha", f"{FAMILY_ALPHA:.0%}", display=False)
glue("travel-mde-power", f"{protocol.MDE_POWER:.0%}", display=False)
glue("travel-pooled-i2", f"{primary_pooled['i2']:.0%}", display=False)
glue("travel-mde-low", f"{detectable['mde'].min():.3f}", display=False)
glue("travel-mde-high", f"{detectable['mde'].max():.3f}", display=False)

# %% [markdown]
# ## The datasets
#
# {numref}`tbl-travel-datasets` describes yeast genes (numeric expression
# features), MovieLens (titles and users' ratings) and the films of
# {ref}`ch-data` (cast and crew names as text), one column each, with the primary outcome in
# the last row. Datasets that differ in everything at once show whether the
# answer holds, not which property moves it; the controlled sweeps
# ({ref}`ch-sweeps`) ask that.
#
# ```{glue:figure} travel-properties
# :name: tbl-travel-datasets
#
# Each dataset's properties and primary outcome. Label imbalance: the most
# frequent label's count over each label's, averaged; label correlation: mean
# absolute phi over label pairs; baseline: one-vs-rest logistic regression under
# one tuned threshold. Means over splits with 95% intervals.
# ```

# %% [markdown]
# ## The primary comparison
#
# The primary comparison, fixed before any result, is sigmoid + BCE minus
# softmax + CCE in micro-F1, each under one threshold tuned on validation:
# {glue:text}`travel-primary-yeast` on yeast,
# {glue:text}`travel-primary-movielens` on MovieLens and
# {glue:text}`travel-primary-films` on the films.
#
# One tuned threshold is what practice does, but it does not suit softmax: on
# multi-hot targets softmax learns each label's marginal divided by their sum
# {cite}`menon2019multilabel`, so one threshold on its shares is a different
# threshold on the marginals in each document. The second primary question
# judges each head under its {term}`consistent decoder` (for softmax, the shares
# times a label count predicted from the sorted shares, then one tuned
# threshold), Holm-adjusted with the first: {glue:text}`travel-loss_primary-yeast`
# on yeast, {glue:text}`travel-loss_primary-movielens` on MovieLens and
# {glue:text}`travel-loss_primary-films` on the films.

# %% [markdown]
# ## Every head and every F1 average
#
# {numref}`fig-travel-forest` shows sigmoid + BCE minus each softmax head on
# every dataset and F1 average, each under its {term}`matched decoder`; right of
# zero favours sigmoid + BCE.

# %% tags=["hide-input"] mystnb={"figure": {"caption": "Paired test differences, sigmoid + BCE minus each softmax head, per dataset and F1 average, each average under its matched decoder (micro: one threshold; macro and weighted: one threshold per label; samples: one set per document), all tuned on validation. Mean over data splits (training seeds averaged within each split) with a 95% interval over splits, seeds and test documents (corrected resampled t). Right of zero favours the sigmoid head.", "name": "fig-travel-forest"}}
figure = render_figure("fig-travel-forest", travel=differences)

# %% [markdown]
# ```{glue:figure} travel-differences
# :name: tbl-travel-differences
#
# sigmoid + BCE minus each softmax head on test: micro-F1 under one tuned
# threshold and under each head's consistent decoder (the two primary
# questions), {term}`macro-F1` under one tuned threshold per label. Means over splits
# with 95% intervals, not adjusted for the number of comparisons; a star marks a
# Holm-adjusted p-value below {glue:text}`travel-alpha`. An interval clear of
# zero without a star is therefore *undecided*, not ahead or behind.
# ```
#
# :::{dropdown} The other F1 averages and decoders
# ```{glue:figure} travel-differences-more
# :name: tbl-travel-differences-more
#
# As {numref}`tbl-travel-differences`, for weighted and samples F1 under their
# matched decoders and micro-F1 under each head's {term}`own rule` and at one
# half.
# ```
# :::
#
# A difference without a star has not survived Holm's correction, which does
# not make it zero. {numref}`tbl-travel-sensitivity` counts the
# verdicts under the matched decoders.

# %% [markdown]
# (sec-travel-levers)=
# ## Which lever moves F1 more: the decoder or the head?
#
# {numref}`tbl-travel-levers` sets two {term}`levers <lever>` side by side. The
# decoder lever is what sigmoid + BCE gains from the matched decoder over one
# half; the head lever is the largest difference between sigmoid + BCE and
# another head, both under the matched decoder. Over every dataset and both
# averages, the larger lever is {glue:text}`travel-larger-lever`;
# {numref}`fig-travel-levers` on the answers page draws the table.
# {numref}`tbl-travel-steps` takes the decoder lever a step at a time for every
# head.

# %% tags=["hide-input"]
levers = lever_differences(studies, differences, reference)
for lever in ("decoder", "head"):
    low, high = lever_range(levers, lever)
    glue(f"travel-lever-{lever}-low", f"{low:.3f}", display=False)
    glue(f"travel-lever-{lever}-high", f"{high:.3f}", display=False)
glue(
    "travel-larger-lever", LEVER_WORDS[larger_lever(levers)], display=False
)
glue("travel-levers", lever_table(levers, reference), display=False)
steps = pd.concat(
    [
        decoder_steps(
            study.metrics, protocol.HEADS, study.test_to_train
        ).assign(dataset=name)
        for name, study in studies.items()
    ]
)
glue("travel-steps", steps_table(steps, by_dataset=True), display=False)

# %% [markdown]
# ```{glue:figure} travel-levers
# :name: tbl-travel-levers
#
# The decoder lever and the head lever per dataset and F1 average. Means over
# splits with 95% intervals.
# ```
#
# :::{dropdown} The table: each head's decoder steps, per dataset
# ```{glue:figure} travel-steps
# :name: tbl-travel-steps
#
# Each head's test F1 at one half, then the gain of one tuned threshold, of one
# threshold per label and of the decoder consistent with its loss. Means over
# splits with 95% intervals.
# ```
# :::

# %% [markdown]
# (sec-travel-pooled)=
# ## Pooled over the datasets, and how small a difference these data can see
#
# {numref}`tbl-travel-pooled` pools each comparison over the datasets by random
# effects (DerSimonian–Laird τ², {cite}`dersimonian1986meta`; Hartung–Knapp
# interval, {cite}`hartung2001refined`, never narrower than the weights allow,
# {cite}`rover2015hartung`), with the fixed-effect estimate as a check. The primary difference pools to {glue:text}`travel-practice-pooled`
# (*{glue:text}`travel-practice-pooled-verdict`*); I², the share of its spread
# between datasets beyond chance, is {glue:text}`travel-pooled-i2`.
#
# ```{glue:figure} travel-pooled
# :name: tbl-travel-pooled
#
# Each comparison pooled over the datasets under its matched decoder and, for
# micro-F1, each head's consistent decoder: random effects with a 95%
# modified Hartung–Knapp interval, and fixed effect; τ is the standard deviation of the
# true difference between datasets, I² the share of the spread it explains. The
# two primary rows are Holm-adjusted together, the others over every other pooled
# comparison.
# ```
#
# The smallest primary difference a single dataset detects with
# {glue:text}`travel-mde-power` power at the {glue:text}`travel-tost-alpha`
# level, its {term}`minimum detectable difference`, ranges from
# {glue:text}`travel-mde-low` to {glue:text}`travel-mde-high` micro-F1 across
# the datasets; smaller differences are expected to end undecided.
# {numref}`tbl-travel-sensitivity` recounts the verdicts at half and twice the
# margin.
#
# ```{glue:figure} travel-sensitivity
# :name: tbl-travel-sensitivity
#
# Verdicts under the matched decoders at three margins δ; ahead and behind do not
# depend on δ.
# ```

# %% [markdown]
# (sec-travel-family)=
# ## The loss family on every split
#
# {ref}`sec-heads-family` compares the {glue:text}`travel-family-n-heads` heads
# of the loss family on one split of the films. Here they run on every split of
# {glue:text}`travel-family-datasets`, each head searched over the grid the
# primary heads' search grew to on that split. Of the family's
# {glue:text}`travel-family-choices` choices (its heads on each split of
# {glue:text}`travel-family-datasets`), the number
# on an edge of that grid, where a wider grid might serve that head better, is
# {glue:text}`travel-family-on-edge`.
# Other datasets are left out to keep the build short;
# `genrebench run --heads all` runs the family on any dataset.

# %% tags=["hide-input"]
family_others = [head for head in protocol.FAMILY if head != reference]
family_studies = {
    name: run_family_split_study(datasets[name], studies[name])
    for name in protocol.TRAVEL_FAMILY_DATASETS
}
family_differences = family_split_differences(
    family_studies, reference, family_others
)

# %% tags=["remove-cell"]
on_edge, choices = edge_counts(family_studies)
glue_all(
    {"n-heads": len(protocol.FAMILY),
     "datasets": join_words(list(protocol.TRAVEL_FAMILY_DATASETS)),
     "on-edge": on_edge, "choices": choices, "n-comparisons": len(family_differences)},
    prefix="travel-family-",
)  # fmt: skip
glue_all(
    {key.replace("_", "-"): count for key, count in softmax_style_counts(family_differences).items()},
    prefix="travel-family-",
)  # fmt: skip

# %% tags=["remove-cell"]
glue(
    "travel-family-table",
    difference_table(family_differences, reference, columns=MAIN_COLUMNS),
    display=False,
)
glue(
    "travel-family-table-more",
    difference_table(family_differences, reference, columns=MORE_COLUMNS),
    display=False,
)

# %% tags=["hide-input"] mystnb={"figure": {"caption": "Paired test differences, sigmoid + BCE minus each other head of the loss family, on every data split: micro-F1 under one threshold tuned on validation and macro-F1 under one threshold per label tuned on validation (matched), micro-F1 under the decoder consistent for each head's loss (drawn only where it is not the matched one: a softmax head's shares times a predicted label count) and under each head's own, untuned rule. Mean over data splits (training seeds averaged within each split) with a 95% interval over splits, seeds and test documents (corrected resampled t). Filled markers: the difference survives Holm's correction over all the family's comparisons; hollow: it does not. Right of zero favours sigmoid + BCE; each panel has its own scale, and a difference far off it is printed at the panel's edge.", "name": "fig-travel-family"}}
figure = render_figure(
    "fig-travel-family", travel_family=family_differences
)

# %% [markdown]
# ```{glue:figure} travel-family-table
# :name: tbl-travel-family
#
# sigmoid + BCE minus each other head of the loss family on test: micro-F1
# under one tuned threshold and under the head's consistent decoder ("as
# matched" where that is one tuned threshold), macro-F1 under one tuned
# threshold per label. Means over splits with 95% intervals; a star marks a
# p-value, Holm-adjusted over every comparison, below {glue:text}`travel-alpha`.
# ```
#
# :::{dropdown} The other F1 averages and decoders
# ```{glue:figure} travel-family-table-more
# :name: tbl-travel-family-more
#
# As {numref}`tbl-travel-family`, for weighted and samples F1 under their
# matched decoders and micro-F1 under each head's own rule and at one half.
# ```
# :::
#
# {numref}`fig-travel-family` and {numref}`tbl-travel-family` read like
# {numref}`tbl-travel-differences`, with the
# {glue:text}`travel-family-n-comparisons` comparisons Holm-adjusted as a family
# of their own. An own rule can fail outright: sigmoid + BCE on normalised
# targets learns targets divided by the label count, so its scores seldom reach
# one half.
#
# Of the {glue:text}`travel-family-compared` comparisons of a softmax-style
# loss with sigmoid + BCE under the matched decoders (each loss in every F1
# average on {glue:text}`travel-family-datasets`), the number that favour
# the loss after Holm's correction is {glue:text}`travel-family-beat`, and the
# number that favour sigmoid + BCE is {glue:text}`travel-family-trail`. Untuned,
# under each loss's own rule, the number that favour sigmoid + BCE is
# {glue:text}`travel-family-untuned-trail` of
# {glue:text}`travel-family-untuned`.

# %% [markdown]
# ## The search moves with the split
#
# {numref}`tbl-travel-choices` lists what each split's search chose. The chosen
# setting differs between splits for {glue:text}`travel-choices-changed` of the
# {glue:text}`travel-choices-pairs` pairs of dataset and head; the grid grew on
# {glue:text}`travel-choices-grown` of the {glue:text}`travel-choices-splits`
# splits; the primary heads' final choices (one per head, split and dataset) on
# an edge of the grid: {glue:text}`travel-choices-edges` of
# {glue:text}`travel-choices-choices`.
# The grid grows past an edge at most
# {glue:text}`travel-max-extensions` times per split, so a choice left on an
# edge means the best setting may lie outside it.
#
# ```{glue:figure} travel-choices
# :name: tbl-travel-choices
#
# The learning rate @ epoch each split's search chose for each head, the splits
# (numbered from 0) that chose it, and how many choices lie on the grid's edge.
# ```

# %% [markdown]
# ## Summary
#
# - The larger lever is {glue:text}`travel-larger-lever`
#   ({numref}`tbl-travel-levers`).
# - Pooled, the primary difference is {glue:text}`travel-practice-pooled`
#   (*{glue:text}`travel-practice-pooled-verdict`*); under the consistent
#   decoders, {glue:text}`travel-loss-pooled`
#   (*{glue:text}`travel-loss-pooled-verdict`*).
# - The smallest difference one dataset alone detects is
#   {glue:text}`travel-mde-low` to {glue:text}`travel-mde-high` micro-F1.
