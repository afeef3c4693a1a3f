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
# {ref}`ch-heads` compares the heads on one random split of one dataset, and its
# intervals cover the training seeds only. A different split changes which
# documents train, tune and test the models, and which settings the search
# picks; a different dataset changes everything else. A result from one split of
# one dataset is a hypothesis. This chapter tests it: the whole protocol runs on
# {glue:text}`travel-n-splits` random splits of each of
# {glue:text}`travel-n-datasets` datasets, with {glue:text}`travel-n-seeds`
# training seeds per split, and every difference carries an interval over splits,
# seeds and test documents.
#
# ```{admonition} Key result
# :class: tip
# Tuning the decoder on validation instead of keeping one half moves the
# micro-F1 of sigmoid + BCE by {glue:text}`travel-lever-decoder-low` to
# {glue:text}`travel-lever-decoder-high` across the datasets; changing the head,
# both so decoded, by {glue:text}`travel-lever-head-low` to
# {glue:text}`travel-lever-head-high`. Under one tuned threshold, sigmoid + BCE
# minus softmax + CCE pooled over the datasets is
# {glue:text}`travel-practice-pooled` micro-F1
# (*{glue:text}`travel-practice-pooled-verdict`*); with each head under its
# consistent decoder, {glue:text}`travel-loss-pooled`
# (*{glue:text}`travel-loss-pooled-verdict`*).
# ```
#
# The primary comparison, fixed before the results: {glue:text}`travel-primary`.

# %%
import pandas as pd

from genrebench.book.glue import glue
from genrebench.decode import MATCHED_DECODERS
from genrebench.experiments import protocol
from genrebench.experiments.splits import run_built_in_studies, run_family_split_study
from genrebench.results.family import FAMILY_ALPHA
from genrebench.results.family_splits import (
    edge_finding,
    family_split_answer,
    family_split_differences,
)
from genrebench.results.figures import render_figure
from genrebench.results.levers import (
    LEVER_WORDS,
    decoder_steps,
    larger_lever,
    lever_differences,
    lever_range,
    lever_table,
    steps_table,
)
from genrebench.results.pooled import (
    by_dataset,
    detectable_differences,
    margin_sensitivity,
    pooled_differences,
    pooled_interval,
    pooled_table,
)
from genrebench.results.statistics import EQUIVALENCE_CONFIDENCE
from genrebench.results.tables import AVERAGE_NAMES
from genrebench.results.travel import (
    PRIMARY,
    choice_finding,
    choice_table,
    dataset_properties,
    difference_table,
    primary_finding,
    primary_reading,
    properties_finding,
    properties_table,
    travel_differences,
    verdict_finding,
)
from genrebench.results.wording import join_words

reference, primary_other, primary_metric = PRIMARY
others = [head for head in protocol.HEADS if head != reference]

glue("travel-n-splits", len(protocol.SPLITS), display=False)
glue("travel-n-seeds", len(protocol.SPLIT_SEEDS), display=False)
glue("travel-n-datasets", len(protocol.TRAVEL_DATASETS), display=False)
glue("travel-alpha", f"{FAMILY_ALPHA:g}", display=False)
glue("travel-max-extensions", protocol.MAX_GRID_EXTENSIONS, display=False)
glue(
    "travel-primary",
    f"{reference} against {primary_other} in {AVERAGE_NAMES[primary_metric]}, each decoded "
    f"with one threshold tuned on validation ({MATCHED_DECODERS[primary_metric]}), on each "
    "dataset",
    display=False,
)

# %% [markdown]
# ## The protocol
#
# Every dataset is split {glue:text}`travel-n-splits` times at random into
# training, validation and test parts (iterative stratification, as in
# {ref}`ch-data`), and every split is a complete replicate of {ref}`ch-heads`'s
# protocol: features fitted on its own training part; the same search for every
# head, chosen on the split's own validation part and grown past its edges as
# {ref}`ch-heads` describes; then
# {glue:text}`travel-n-seeds` training seeds at the chosen setting. The heads
# share the splits and the seeds, so their scores are paired.
#
# Each F1 average is judged under the {term}`decoder` that suits it, fitted on
# validation: one threshold for micro-F1, one threshold per label for macro- and
# weighted F1, and for samples-F1 one set per document (the top labels up to a
# share of the row's score mass tuned for samples-F1). Every head is also
# judged under its own untuned rule (`natural`), under one half, and under one
# tuned threshold.
#
# The interval of a difference must cover what changes when someone repeats the
# study: the split, the seeds and the test documents. Averaging the seeds within
# each split and taking the spread of the split means covers all three, since
# each split has its own test documents and seeds. Random splits of one dataset
# share training documents, though, so their results are correlated and a plain
# t-interval over splits is too narrow; the intervals here use the corrected
# resampled t of {cite}`nadeau2003inference`: the squared standard error of the
# mean over $J$ splits is the variance of the split means times
# $1/J + n_\text{test}/n_\text{train}$ instead of $1/J$, which widens the
# interval more the more test documents there are per training document. {ref}`sec-sweeps-coverage` checks on
# synthetic data that these intervals cover the truth as often as they claim.
# Accounting for the data split as a source of variance follows
# {cite}`bouthillier2021variance`.
#
# One comparison per dataset is primary (named above); its p-values are
# {term}`Holm`-adjusted over the datasets. Every other row is secondary: other heads,
# other averages, other decoders, all Holm-adjusted together
# {cite}`holm1979simple`. A head is called ahead or behind only when its
# adjusted p-value is below {glue:text}`travel-alpha`.
#
# A difference that does not survive the correction is not shown to be zero.
# To claim that two heads do equally well, the book fixed a {term}`margin <margin δ>` before any
# result: δ = {glue:text}`travel-margin` in F1, one point, less than a
# practitioner would act on. A comparison is *{term}`equivalent`* when its
# {glue:text}`travel-eq-confidence` interval lies inside ±δ (two one-sided tests at
# {glue:text}`travel-tost-alpha` each, {cite}`lakens2017equivalence`),
# and *{term}`undecided`* when it is neither ahead, behind nor equivalent. Those four
# words are the only verdicts the book and the command use.

# %%
datasets, studies = run_built_in_studies()

differences = travel_differences(studies, reference, others)
properties = [dataset_properties(datasets[name], studies[name]) for name in studies]

glue("travel-properties", properties_table(properties, differences), display=False)
glue("travel-properties-finding", properties_finding(properties, differences), display=False)
glue("travel-primary-finding", primary_finding(differences), display=False)
glue("travel-primary-reading", primary_reading(differences), display=False)
glue("travel-differences", difference_table(differences), display=False)
glue("travel-verdicts", verdict_finding(differences), display=False)
with pd.option_context("display.max_colwidth", None):
    glue("travel-choices", choice_table(studies), display=False)
glue("travel-choice-finding", choice_finding(studies), display=False)

pooled = pooled_differences(differences)
for question, decoder in (("practice", "matched"), ("loss", "consistent")):
    interval, verdict = pooled_interval(pooled, decoder)
    glue(f"travel-{question}-pooled", interval, display=False)
    glue(f"travel-{question}-pooled-verdict", verdict, display=False)
glue("travel-loss-by-dataset", by_dataset(differences[differences["loss_primary"]]), display=False)
primary_pooled = pooled[pooled["primary"] & (pooled["decoder"] == "matched")].iloc[0]
detectable = detectable_differences(differences)
glue("travel-margin", f"{protocol.EQUIVALENCE_MARGIN:g}", display=False)
glue("travel-eq-confidence", f"{EQUIVALENCE_CONFIDENCE:.0%}", display=False)
glue("travel-tost-alpha", f"{FAMILY_ALPHA:.0%}", display=False)
glue("travel-mde-power", f"{protocol.MDE_POWER:.0%}", display=False)
glue(
    "travel-pooled",
    pooled_table(pooled[pooled["decoder"].isin(["matched", "consistent"])]),
    display=False,
)
glue("travel-sensitivity", margin_sensitivity(differences), display=False)
glue("travel-pooled-i2", f"{primary_pooled['i2']:.0%}", display=False)
glue("travel-mde-low", f"{detectable['mde'].min():.3f}", display=False)
glue("travel-mde-high", f"{detectable['mde'].max():.3f}", display=False)

# %% [markdown]
# ## The datasets
#
# The films of {ref}`ch-data` (their text is cast and crew names), MovieLens
# genres (text from titles and the users' ratings) and yeast genes (numeric
# expression features, many labels per gene) differ in almost every respect
# ({numref}`tbl-travel-datasets`).
#
# ```{glue:figure} travel-properties
# :name: tbl-travel-datasets
#
# Each dataset's properties and its primary outcome. Label imbalance: the most
# frequent label's count over each label's, averaged over labels; label
# correlation: the mean absolute phi coefficient over label pairs; baseline
# micro-F1: the one-vs-rest logistic regression of {ref}`ch-heads` under one
# threshold tuned on validation, mean over splits. Outcome: mean over splits
# (seeds averaged within each split) with a 95% interval over splits, seeds and
# test documents.
# ```
#
# In words: {glue:text}`travel-properties-finding`. Which property moves the
# gap is a question for the controlled sweeps ({ref}`ch-sweeps`), which vary one
# property at a time on data whose exact posteriors are known; three datasets
# that differ in everything at once can only say whether the answer holds
# across them.

# %% [markdown]
# ## The primary comparison
#
# The primary comparison, dataset by dataset: {glue:text}`travel-primary-finding`.
# {glue:text}`travel-primary-reading`
#
# One tuned threshold for every head is what practice does, but it is not the
# decoder the softmax heads' loss calls for. Softmax on multi-hot targets learns
# each label's marginal divided by their sum ({cite}`menon2019multilabel`), so a
# single threshold on its shares is a different threshold on the marginals for
# each document. The second primary question judges each head under the decoder
# consistent for it: one tuned threshold for sigmoid + BCE, and for the softmax
# heads their shares times a label count predicted from the sorted shares (least
# squares on validation), then one threshold tuned on validation. Both primary
# questions are Holm-adjusted together. Sigmoid minus softmax under the
# {term}`consistent decoders <consistent decoder>`: {glue:text}`travel-loss-by-dataset`; pooled,
# {glue:text}`travel-loss-pooled` (*{glue:text}`travel-loss-pooled-verdict`*).

# %% [markdown]
# ## Every head and every F1 average
#
# {numref}`fig-travel-forest` shows sigmoid + BCE minus each softmax head for
# every dataset and F1 average, each under its {term}`matched decoder`;
# {numref}`tbl-travel-differences` adds each head's {term}`own rule` and the shared
# decoders. The rest of the loss family follows in {ref}`sec-travel-family`.

# %% tags=["hide-input"] mystnb={"figure": {"caption": "Paired test differences, sigmoid + BCE minus each softmax head, per dataset and F1 average, each average under its matched decoder (micro: one threshold; macro and weighted: one threshold per label; samples: one set per document), all tuned on validation. Mean over data splits (training seeds averaged within each split) with a 95% interval over splits, seeds and test documents (corrected resampled t). Right of zero favours the sigmoid head.", "name": "fig-travel-forest"}}
figure = render_figure("fig-travel-forest", travel=differences)

# %% [markdown]
# ```{glue:figure} travel-differences
# :name: tbl-travel-differences
#
# sigmoid + BCE minus each softmax head on test, per dataset: each F1 average
# under its matched decoder, and micro-F1 under each head's own rule,
# under one half and under one tuned threshold. Mean over splits
# with a 95% interval over splits, seeds and test documents; a star marks a
# difference whose Holm-adjusted p-value is below the level stated in the text.
# ```
#
# In words: {glue:text}`travel-verdicts`.

# %% [markdown]
# (sec-travel-levers)=
# ## Which lever moves F1 more: the decoder or the head?
#
# Before the heads are compared in detail, one comparison puts them in
# proportion. Replacing a fixed threshold of one half by the decoder matched to
# the F1 average, tuned on validation, moves sigmoid + BCE's micro-F1 by
# {glue:text}`travel-lever-decoder-low` to {glue:text}`travel-lever-decoder-high`
# across the datasets; the largest difference between it and another head,
# both so decoded, is {glue:text}`travel-lever-head-low` to
# {glue:text}`travel-lever-head-high` ({numref}`tbl-travel-levers`, drawn in
# {numref}`fig-travel-levers` on the answers page). Over every dataset and both
# averages, the larger {term}`lever` is {glue:text}`travel-larger-lever`.
# {numref}`tbl-travel-steps` takes the decoder lever a step at a time for every
# head: the tuned threshold does most of the work, and for the softmax heads
# the decoder consistent with their loss (shares times a predicted label count)
# is the last step.

# %%
levers = lever_differences(studies, differences, reference)
for lever in ("decoder", "head"):
    low, high = lever_range(levers, lever)
    glue(f"travel-lever-{lever}-low", f"{low:.3f}", display=False)
    glue(f"travel-lever-{lever}-high", f"{high:.3f}", display=False)
glue("travel-larger-lever", LEVER_WORDS[larger_lever(levers)], display=False)
glue("travel-levers", lever_table(levers, reference), display=False)
steps = pd.concat(
    [
        decoder_steps(study.metrics, protocol.HEADS, study.test_to_train).assign(dataset=name)
        for name, study in studies.items()
    ]
)
glue("travel-steps", steps_table(steps, by_dataset=True), display=False)

# %% [markdown]
# ```{glue:figure} travel-levers
# :name: tbl-travel-levers
#
# The two levers per dataset and F1 average: sigmoid + BCE under the decoder
# matched to the average minus sigmoid + BCE at one half, and the largest
# difference between sigmoid + BCE and another head, both under that decoder.
# Mean over splits with a 95% interval over splits, seeds and test documents.
# ```
#
# ```{glue:figure} travel-steps
# :name: tbl-travel-steps
#
# Each head a decoder step at a time on every dataset: test F1 at a fixed
# threshold of one half, then the gain over one half of one threshold tuned on
# validation, of one threshold per label, and of the decoder consistent with
# the head's loss. Mean over splits with a 95% interval over splits, seeds and
# test documents.
# ```

# %% [markdown]
# (sec-travel-pooled)=
# ## Pooled over the datasets, and how small a difference these data can see
#
# Each dataset answers for itself; pooled over the datasets by a random-effects
# model (DerSimonian–Laird between-dataset variance τ², {cite}`dersimonian1986meta`;
# Hartung–Knapp interval,
# which holds its coverage with few datasets; {cite}`hartung2001refined`), the
# primary difference is {glue:text}`travel-practice-pooled`, a verdict of
# *{glue:text}`travel-practice-pooled-verdict`*, with I² =
# {glue:text}`travel-pooled-i2` of its spread between datasets rather than
# within them ({numref}`tbl-travel-pooled`). With three datasets the pooled
# interval rests on two degrees of freedom, so it is wide by construction.
#
# ```{glue:figure} travel-pooled
# :name: tbl-travel-pooled
#
# Each comparison under its matched decoder, and micro-F1 under each head's
# consistent decoder, pooled over the datasets: random
# effects (95% Hartung–Knapp interval) and, as a sensitivity, the fixed-effect
# estimate (95% interval); τ² is the variance between datasets, I² its share of
# the total. Verdicts as in the text, Holm-adjusted over these rows.
# ```
#
# How much can a dataset see at all? With its splits and its own spread between
# them, the smallest primary difference each dataset detects with
# {glue:text}`travel-mde-power` power at the {glue:text}`travel-tost-alpha` level
# lies between {glue:text}`travel-mde-low` and
# {glue:text}`travel-mde-high` micro-F1: differences smaller than that are
# expected to end undecided, which is why "not ahead" is never read as "as
# good". {numref}`tbl-travel-sensitivity` counts the verdicts under the matched
# decoders at half the margin, at the margin and at twice it.
#
# ```{glue:figure} travel-sensitivity
# :name: tbl-travel-sensitivity
#
# Verdicts of the comparisons under the matched decoders (every dataset, other
# head and F1 average) at three margins δ. Ahead and behind do not depend on δ.
# ```

# %% [markdown]
# (sec-travel-family)=
# ## The loss family on every split
#
# The heads chapter ({ref}`sec-heads-family`) compares the
# {glue:text}`travel-family-n-heads` heads of the loss family on one split of
# the films, with intervals over training seeds only: a hypothesis. Here the
# whole family runs on every split of {glue:text}`travel-family-datasets`, with
# the training seeds the primary heads use above. On each split every head gets
# the same search: the grid the primary heads' search grew to on that split,
# not grown further for the family; {glue:text}`travel-family-edges` lie on an
# edge of that grid, where a wider grid might serve that head better. Every head is compared with sigmoid + BCE
# under the same decoders as the primary heads: each F1 average under its
# matched decoder, micro-F1 under the decoder consistent for the head's loss
# (shown only where it differs from the matched one: for the softmax heads
# whose shares it scales by a predicted label count), and micro-F1 under the
# head's own untuned rule (its *natural* rule, listed in
# {numref}`tbl-heads-family-heads`) and under one half. A {term}`natural rule` can fail outright: sigmoid + BCE on normalised targets learns targets
# divided by the number of labels, so with several labels per document its
# scores seldom reach one half. These {glue:text}`travel-family-n-comparisons`
# comparisons are secondary, Holm-adjusted together as a family of their own;
# with {glue:text}`travel-n-splits` splits and that many comparisons, only a
# difference that holds on every split survives the correction, and a
# difference that does not survive is not shown to be zero. The other datasets
# are left out for the book's time budget, not on their merits: the family on
# every split of MovieLens and of the films would add minutes to the book's
# build. `genrebench run --heads all` runs it on any dataset.

# %%
family_others = [head for head in protocol.FAMILY if head != reference]
family_studies = {
    name: run_family_split_study(datasets[name], studies[name])
    for name in protocol.TRAVEL_FAMILY_DATASETS
}
family_differences = family_split_differences(family_studies, reference, family_others)
glue("travel-family-n-heads", len(protocol.FAMILY), display=False)
glue(
    "travel-family-datasets",
    join_words(list(protocol.TRAVEL_FAMILY_DATASETS)),
    display=False,
)
glue("travel-family-edges", edge_finding(family_studies), display=False)
glue("travel-family-n-comparisons", len(family_differences), display=False)
glue("travel-family-table", difference_table(family_differences, reference), display=False)
glue("travel-family-finding", verdict_finding(family_differences, reference), display=False)
glue("travel-family-answer", family_split_answer(family_differences, reference), display=False)

# %% tags=["hide-input"] mystnb={"figure": {"caption": "Paired test differences, sigmoid + BCE minus each other head of the loss family, on every data split: micro-F1 under one threshold tuned on validation and macro-F1 under one threshold per label tuned on validation (matched), micro-F1 under the decoder consistent for each head's loss (drawn only where it is not the matched one: a softmax head's shares times a predicted label count) and under each head's own, untuned rule. Mean over data splits (training seeds averaged within each split) with a 95% interval over splits, seeds and test documents (corrected resampled t). Filled markers: the difference survives Holm's correction over all the family's comparisons; hollow: it does not. Right of zero favours sigmoid + BCE; each panel has its own scale.", "name": "fig-travel-family"}}
figure = render_figure("fig-travel-family", travel_family=family_differences)

# %% [markdown]
# ```{glue:figure} travel-family-table
# :name: tbl-travel-family
#
# sigmoid + BCE minus each other head of the loss family on test: each F1
# average under its matched decoder, and micro-F1 under the decoder consistent
# for each head's loss ("as matched" where that is one tuned threshold), under
# each head's own rule (`natural`) and under one half. Mean over splits with a 95% interval over
# splits, seeds and test documents; a star marks a difference whose p-value,
# Holm-adjusted over every cell of this table, is below
# {glue:text}`travel-alpha`.
# ```
#
# {numref}`fig-travel-family` and {numref}`tbl-travel-family` give the
# differences. In words: {glue:text}`travel-family-finding`.
#
# Can a softmax-style loss replace sigmoid + BCE?
# {glue:text}`travel-family-answer` {ref}`ch-answers` sets this beside the
# films' answer ({ref}`sec-heads-family`).

# %% [markdown]
# ## The search moves with the split
#
# {numref}`tbl-travel-choices` lists the settings each split's search chose. In
# words: {glue:text}`travel-choice-finding`. The grid grows past an edge at most
# {glue:text}`travel-max-extensions` times per split; a choice still on an edge
# after that (or at the end of the ladders of learning rates and epochs that the
# grid grows along) says the best setting may lie outside what was searched.
#
# ```{glue:figure} travel-choices
# :name: tbl-travel-choices
#
# The setting (learning rate @ epoch) each split's search chose for each head on
# validation, with the splits (numbered from 0) that chose it, and how many of
# the splits chose a setting on an edge of the grid.
# ```

# %% [markdown]
# ## Summary
#
# - Primary comparison: {glue:text}`travel-primary-finding`.
# - Every head and average (Holm-corrected): {glue:text}`travel-verdicts`.
# - The data: {glue:text}`travel-properties-finding`.
# - The loss family (Holm-corrected): {glue:text}`travel-family-answer`
# - The search: {glue:text}`travel-choice-finding`.
