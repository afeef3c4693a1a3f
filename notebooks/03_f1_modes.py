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
# (ch-f1)=
# # F1 modes dissected
#
# ```{admonition} Key result
# :class: tip
# Every F1 mode scores each genre as its own yes/no problem and differs only in
# how it adds up the counts; on real films, the logistic-regression baseline's
# modes (one threshold tuned on validation) range from
# {glue:text}`f1-films-min-mode` to {glue:text}`f1-films-max-mode`. The threshold
# matters as well: with its default `threshold=None`,
# `keras.metrics.F1Score(average="micro")` scores perfectly ranked predictions of
# the thread's two films at {glue:text}`f1-trap-none:.3f` instead of
# {glue:text}`f1-trap-fixed:.3f`.
# ```

# %% tags=["hide-input"]
import numpy as np
import pandas as pd
from IPython.display import display

from genrebench.book.glue import glue, glue_all
from genrebench.data.thread import (
    THREAD_LABELS,
    THREAD_TARGETS,
    ranked_scores,
)
from genrebench.experiments import protocol
from genrebench.experiments.baselines import fit_ovr_logreg_cached
from genrebench.experiments.cache import prepare_cached
from genrebench.metrics import bootstrap_f1, confusion_counts, f1_modes
from genrebench.results.figures import render_figure
from genrebench.results.heads import baseline_f1

# Keras after genrebench, which keeps TensorFlow's start-up quiet.
import keras  # isort: skip

# %% [markdown]
# ## Counts first
#
# Take the thread's two target rows and a prediction that finds some genres and
# misses others: genres five and six for film A, one and seven for film B. Every
# mode starts from the same per-genre counts of true positives (TP), false
# positives (FP) and false negatives (FN) ({numref}`tbl-f1-counts`).

# %% tags=["hide-input"]
predicted = np.zeros_like(THREAD_TARGETS)
predicted[0, [5, 6]] = 1
predicted[1, [1, 7]] = 1
tp, fp, fn = confusion_counts(THREAD_TARGETS, predicted)
report = f1_modes(
    THREAD_TARGETS, predicted, label_names=THREAD_LABELS, zero_division=0
)
counts = pd.DataFrame(
    {"TP": tp, "FP": fp, "FN": fn}, index=THREAD_LABELS
).T.astype(object)
counts.loc["F1"] = [f"{value:.3f}" for value in report.per_label["f1"]]
glue("f1-counts-table", counts, display=False)
glue_all(
    {
        mode: report[mode]
        for mode in ("micro", "macro", "weighted", "samples")
    },
    "f1-thread-",
)
glue_all({"tp": tp.sum(), "fp": fp.sum(), "fn": fn.sum()}, "f1-thread-")

# %% [markdown]
# ```{glue:figure} f1-counts-table
# :name: tbl-f1-counts
#
# Per-genre counts and F1 (`average=None`) of the example prediction; a genre
# with no true and no predicted film gets F1 zero (`zero_division=0`).
# ```
#
# With $\mathrm{TP}_j$, $\mathrm{FP}_j$, $\mathrm{FN}_j$ the counts of genre $j$
# out of $L$, each genre's F1 is
#
# $$
# F_1^{(j)} = \frac{2\,\mathrm{TP}_j}{2\,\mathrm{TP}_j + \mathrm{FP}_j + \mathrm{FN}_j}.
# $$ (eq-f1-label)
#
# **Micro** pools the counts over genres before dividing:
#
# $$
# F_1^{\text{micro}} = \frac{2\sum_j \mathrm{TP}_j}
# {2\sum_j \mathrm{TP}_j + \sum_j \mathrm{FP}_j + \sum_j \mathrm{FN}_j}.
# $$ (eq-f1-micro)
#
# **Macro** averages the per-genre scores equally:
#
# $$
# F_1^{\text{macro}} = \frac{1}{L}\sum_j F_1^{(j)}.
# $$ (eq-f1-macro)
#
# **Weighted** averages them by support $n_j = \mathrm{TP}_j + \mathrm{FN}_j$:
#
# $$
# F_1^{\text{weighted}} = \sum_j \frac{n_j}{\sum_k n_k} F_1^{(j)}.
# $$ (eq-f1-weighted)
#
# **Samples** averages, over the $N$ films, the F1 between film $i$'s true
# genres $Y_i$ and predicted genres $\hat Y_i$:
#
# $$
# F_1^{\text{samples}} = \frac{1}{N}\sum_i
# \frac{2\,|Y_i \cap \hat Y_i|}{|Y_i| + |\hat Y_i|}.
# $$ (eq-f1-samples)
#
# Here the pooled counts are {glue:text}`f1-thread-tp` TP,
# {glue:text}`f1-thread-fp` FP and {glue:text}`f1-thread-fn` FN, so {term}`micro-F1` is
# {glue:text}`f1-thread-micro:.3f`. {term}`Macro-F1 <macro-F1>` is {glue:text}`f1-thread-macro:.3f`,
# pulled down by the genres that never occur; {term}`weighted F1` is
# {glue:text}`f1-thread-weighted:.3f` and {term}`samples-F1`
# {glue:text}`f1-thread-samples:.3f`.
#
# The thread's choice between a "binary" per-genre F1 and a "multi-label"
# micro-F1 is therefore a false one: {eq}`eq-f1-label` *is* each genre's binary
# F1, and the averages summarise those same binary problems, differing only in
# what they weigh.

# %% [markdown]
# ## The `threshold=None` trap
#
# The thread monitored training with TensorFlow Addons'
# `F1Score(num_classes, average="micro")`, whose successor is
# `keras.metrics.F1Score`. Both default to `threshold=None`, which does not
# threshold at all: it marks each film's highest-scoring genre (and any tied with
# it) as the only positive {cite}`tfaddons2513`. Give the metric scores that put
# every true genre first, above one half:

# %%
scores = ranked_scores(THREAD_TARGETS)


def keras_micro_f1(threshold):
    metric = keras.metrics.F1Score(average="micro", threshold=threshold)
    metric.update_state(
        THREAD_TARGETS.astype("float32"), scores.astype("float32")
    )
    return float(metric.result())


trap = pd.Series(
    {
        "threshold=None (default)": keras_micro_f1(None),
        "threshold=0.5": keras_micro_f1(0.5),
    },
    name="keras micro-F1",
)
display(
    pd.DataFrame(
        scores.round(2), columns=THREAD_LABELS, index=["film A", "film B"]
    )
)
trap.round(3).to_frame()

# %% tags=["remove-cell"]
glue_all({"none": trap.iloc[0], "fixed": trap.iloc[1]}, "f1-trap-")

# %% [markdown]
# Only one genre per film then counts as predicted, so at most two of the five
# true genres are found: scores that could not be better get micro-F1
# {glue:text}`f1-trap-none:.3f`, against {glue:text}`f1-trap-fixed:.3f` with
# `threshold=0.5`. On multi-hot targets, always pass `threshold=`.

# %% [markdown]
# ## Keras and scikit-learn agree, once the threshold is explicit
#
# On the same thresholded predictions, `keras.metrics.F1Score` and
# scikit-learn's `f1_score` agree for `average=None`, `"micro"`, `"macro"` and
# `"weighted"`, as the test suite checks on random cases. They part only where F1
# is undefined, for a genre with no true and no predicted film: Keras makes it
# zero, and scikit-learn lets you choose with `zero_division`.

# %%
edge_truth = np.array([[1, 0, 0], [1, 1, 0]])
edge_scores = np.array([[0.9, 0.2, 0.1], [0.8, 0.7, 0.1]])
keras_macro = keras.metrics.F1Score(average="macro", threshold=0.5)
keras_macro.update_state(
    edge_truth.astype("float32"), edge_scores.astype("float32")
)
edge_predicted = (edge_scores > 0.5).astype(int)
zero_division = pd.Series(
    {
        "keras F1Score(average='macro', threshold=0.5)": float(
            keras_macro.result()
        ),
        "scikit-learn, zero_division=0": f1_modes(
            edge_truth, edge_predicted, zero_division=0
        ).macro,
        "scikit-learn, zero_division=1": f1_modes(
            edge_truth, edge_predicted, zero_division=1
        ).macro,
    },
    name="macro-F1",
)
zero_division.round(4).to_frame()

# %% tags=["remove-cell"]
glue_all(
    {"0": zero_division.iloc[1], "1": zero_division.iloc[2]}, "f1-zero-div-"
)

# %% [markdown]
# Here the third genre never occurs and is never predicted. Counting it as zero
# gives {term}`macro-F1` {glue:text}`f1-zero-div-0:.3f`, counting it as perfect
# {glue:text}`f1-zero-div-1:.3f`. The book pins `zero_division=0` everywhere, so
# its numbers match Keras.

# %% [markdown]
# ## The modes on real films
#
# How far apart are the modes in practice? The usual first baseline,
# one-vs-rest logistic regression on the TF-IDF features of {ref}`ch-data`, takes
# its regularisation and one global threshold from the validation films. Its test
# scores in every mode carry 95% bootstrap intervals
# ({glue:text}`f1-n-boot` resamples).

# %%
dataset = protocol.load_built_in("films")
prepared = prepare_cached(dataset, split_seed=protocol.SPLIT_SEED)
baseline = baseline_f1(prepared, fit_ovr_logreg_cached(prepared))
films_report = baseline.report
rows = []
for mode in ("micro", "macro", "weighted", "samples"):
    estimate, low, high = bootstrap_f1(
        prepared.Y_test,
        baseline.predicted,
        mode=mode,
        n_boot=protocol.N_BOOTSTRAP,
    )
    rows.append({"mode": mode, "F1": estimate, "low": low, "high": high})
modes_table = pd.DataFrame(rows).set_index("mode")
modes_table.round(4)

# %% tags=["remove-cell"]
glue_all(
    {f"films-{mode}": f"{row.F1:.3f} [{row.low:.3f}, {row.high:.3f}]"
     for mode, row in modes_table.iterrows()},
    prefix="f1-",
)  # fmt: skip
glue_all(
    {"n-boot": protocol.N_BOOTSTRAP,
     "films-min-mode": f"{modes_table['F1'].min():.3f} ({modes_table['F1'].idxmin()})",
     "films-max-mode": f"{modes_table['F1'].max():.3f} ({modes_table['F1'].idxmax()})"},
    prefix="f1-",
)  # fmt: skip

# %% tags=["hide-input"] mystnb={"figure": {"caption": "Per-genre test F1 of the one-vs-rest logistic-regression baseline (global threshold tuned on validation) against the number of test films with the genre; horizontal lines mark the averaged modes.", "name": "fig-f1-per-genre"}}
per_genre = films_report.per_label
rare = per_genre["support"] < per_genre["support"].median()
glue(
    "f1-films-rare-f1",
    float(per_genre.loc[rare, "f1"].mean()),
    display=False,
)
glue(
    "f1-films-common-f1",
    float(per_genre.loc[~rare, "f1"].mean()),
    display=False,
)
figure = render_figure(
    "fig-f1-per-genre", nouns=dataset.nouns, baseline_f1=baseline
)

# %% [markdown]
# {numref}`fig-f1-per-genre` plots each genre's F1 against its number of test
# films. The commoner half of the genres has a mean F1 of
# {glue:text}`f1-films-common-f1:.3f`, the rarer half
# {glue:text}`f1-films-rare-f1:.3f`.
# Micro- and weighted F1 weigh genres by frequency and macro-F1 weighs them
# equally, so the modes part as far as common and rare genres differ.

# %% [markdown]
# ## Which mode answers which question
#
# ```{container} intervals
# | Question | Mode | On these films | Report alongside |
# | --- | --- | --- | --- |
# | How good are the decisions overall, pair by pair? | `average="micro"` | {glue:text}`f1-films-micro` | precision and recall (micro), the threshold |
# | Do rare genres work as well as common ones? | `average="macro"` | {glue:text}`f1-films-macro` | per-genre F1 with support |
# | A single number that follows the genre mix | `average="weighted"` | {glue:text}`f1-films-weighted` | macro-F1, so rare genres are not hidden |
# | How good is a typical film's genre set? | `average="samples"` (scikit-learn only) | {glue:text}`f1-films-samples` | subset accuracy, mean set size |
# | Which genres fail? | `average=None` | {numref}`fig-f1-per-genre` | support of each genre |
# ```
#
# Whatever the mode, state `threshold=` (or the {term}`decoder`) and
# `zero_division`, give an interval, and never report binary accuracy on
# multi-hot targets ({ref}`ch-data`).

# %% [markdown]
# ## Summary
#
# - The modes differ only in how they aggregate the same per-genre binary
#   problems ({eq}`eq-f1-micro` to {eq}`eq-f1-samples`).
# - Keras's `F1Score` defaults to `threshold=None` and scores perfectly ranked
#   predictions at {glue:text}`f1-trap-none:.3f`, against
#   {glue:text}`f1-trap-fixed:.3f` with `threshold=0.5`.
# - On the films, the baseline scores {glue:text}`f1-films-micro` micro-F1 but
#   {glue:text}`f1-films-macro` macro-F1: say which one you report and why.
