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
# (ch-method)=
# # Appendix: how the runs are made
#
# ```{admonition} Key result
# :class: tip
# Every {term}`head` trains with {term}`lazy Adam`. Against plain Adam on
# {glue:text}`method-opt-n-splits` splits of the films, the primary comparison
# is {glue:text}`method-opt-primary-lazy` with lazy Adam and
# {glue:text}`method-opt-primary-plain` with plain Adam; pooling TensorFlow's
# buffers makes a training group {glue:text}`method-alloc-ratio` times as fast.
# ```
#
# ## Overview
#
# The optimiser, the cost of a run, and the cache the book and the command
# share.

# %% tags=["hide-input"]
import json
import statistics

from genrebench.book.glue import glue
from genrebench.experiments import protocol
from genrebench.experiments.cache import prepare_cached
from genrebench.experiments.optimisers import compare_optimisers
from genrebench.experiments.runs import run_modules
from genrebench.files import project_root
from genrebench.results.statistics import format_interval
from genrebench.results.tables import (
    optimiser_differences,
    optimiser_primary,
    optimiser_table,
)

dataset = protocol.load_built_in("films")
prepared = prepare_cached(dataset, split_seed=protocol.SPLIT_SEED)

# %% [markdown]
# (sec-method-optimiser)=
# ## Does the sparse optimiser cost accuracy?
#
# {numref}`tbl-method-optimiser` gives lazy and plain Adam the starting grid on
# {glue:text}`method-opt-n-splits` random splits (training seed zero, settings
# chosen on validation) and pairs their test scores by split; a negative
# difference means the lazy shortcut costs accuracy.

# %% tags=["hide-input"]
comparison = compare_optimisers(dataset, progress=False)
documents = prepared.info["documents"]
test_to_train = documents["test"] / documents["train"]
optimiser_diffs = optimiser_differences(comparison, test_to_train)
glue("method-opt-n-splits", len(protocol.OPTIMISER_SPLITS), display=False)
glue("method-opt-n-comparisons", len(optimiser_diffs), display=False)
glue(
    "method-opt-below",
    int((optimiser_diffs["high"] < 0).sum()),
    display=False,
)
glue(
    "method-opt-above",
    int((optimiser_diffs["low"] > 0).sum()),
    display=False,
)
glue(
    "method-optimiser-table",
    optimiser_table(comparison, test_to_train),
    display=False,
)

# %% tags=["remove-cell"]
for row in optimiser_primary(comparison, test_to_train).itertuples():
    name = "lazy" if row.optimiser == protocol.OPTIMISER else "plain"
    interval = format_interval(row.mean_difference, row.low, row.high)
    glue(
        f"method-opt-primary-{name}",
        f"{interval} ({row.verdict})",
        display=False,
    )
for _, row in optimiser_diffs.iterrows():
    glue(
        f"method-opt-{row['head']}-{row['metric']}",
        format_interval(row["mean_difference"], row["low"], row["high"]),
        display=False,
    )

# %% [markdown]
# ```{glue:figure} method-optimiser-table
# :name: tbl-method-optimiser
#
# Test F1 with plain and lazy Adam (means over splits), lazy minus plain with a
# 95% {term}`split-aware interval`, and the splits where lazy Adam scored higher.
# ```
#
# Of the {glue:text}`method-opt-n-comparisons` intervals in the table, the
# number wholly below zero (lazy Adam measurably worse) is
# {glue:text}`method-opt-below`, and the number wholly above zero is
# {glue:text}`method-opt-above`. These intervals cover the splits and test films
# of this dataset only.

# %% [markdown]
# ## What a run costs
#
# From the benchmarks' last committed runs ({glue:text}`method-bench-date`,
# {glue:text}`method-bench-machine`), one Keras run on the films takes
# {glue:text}`method-bench-keras:.2f` seconds against
# {glue:text}`method-bench-sklearn:.2f` for the logistic-regression baseline's
# fit. With TensorFlow's CPU buffers pooled (set when `genrebench` is imported),
# a group of {glue:text}`method-alloc-models` models trains in
# {glue:text}`method-alloc-pooled:.1f` seconds instead of
# {glue:text}`method-alloc-malloc:.1f`, with identical scores.

# %% tags=["remove-input"]
benchmarks = project_root() / "benchmarks"
heads = json.loads((benchmarks / "heads_vs_sklearn.json").read_text())
glue("method-bench-date", heads["date"], display=False)
glue("method-bench-machine", heads["machine"], display=False)
glue(
    "method-bench-keras",
    statistics.median(heads["keras_seconds"]),
    display=False,
)
glue(
    "method-bench-sklearn",
    statistics.median(heads["sklearn_seconds"]),
    display=False,
)
allocator = json.loads((benchmarks / "allocator.json").read_text())
glue("method-alloc-models", allocator["models"], display=False)
glue("method-alloc-pooled", allocator["pooled"]["seconds"], display=False)
glue("method-alloc-malloc", allocator["malloc"]["seconds"], display=False)
ratio = allocator["malloc"]["seconds"] / allocator["pooled"]["seconds"]
glue("method-alloc-ratio", f"{ratio:.1f}", display=False)

# %% [markdown]
# ## The run cache
#
# A run is stored under a key of its data, split, settings and a fingerprint of
# the {glue:text}`method-n-run-modules` modules that train and score it; whoever
# asks for that key again, a chapter or the `genrebench` command, reads it
# instead of training it.

# %% tags=["remove-input"]
glue("method-n-run-modules", len(run_modules()), display=False)

# %% [markdown]
# ## Summary
#
# - Lazy minus plain Adam for sigmoid + BCE is
#   {glue:text}`method-opt-sigmoid_bce-f1_micro` in {term}`micro-F1`.
# - Pooled buffers make training {glue:text}`method-alloc-ratio` times as fast.
