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
# (ch-your-data)=
# # Your data, any scale
#
# ```{admonition} Key result
# :class: tip
# One command, `genrebench run`, answers both questions for a CSV of your own
# with the protocol and {term}`decoders <decoder>` of {ref}`ch-travel`
# ({glue:text}`cli-n-splits` splits × {glue:text}`cli-n-seeds` training seeds by
# default): a report, the result tables and {glue:text}`cli-n-figures` figures.
# ```
#
# ## Overview
#
# The book's prose is written about its own datasets and does not re-run on
# yours; the command's report renders the same results and verdicts instead. It
# comes with the package (`pip install -e .` or `make install`).

# %% tags=["remove-input"]
import contextlib
import io
import json
import os
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
from IPython.display import Image
from sklearn.decomposition import TruncatedSVD

from genrebench.book.glue import glue
from genrebench.cli import EXIT_INPUT, EXIT_INTERRUPTED, help_text, main
from genrebench.data import load_films
from genrebench.data.sources import MIN_LABEL_COUNT
from genrebench.experiments import protocol
from genrebench.experiments.cache import default_cache_dir
from genrebench.features import TfidfFeatures
from genrebench.report import (
    FAMILY,
    FAMILY_FILE,
    FOREST,
    FOREST_FILE,
    LEVERS,
    LEVERS_FILE,
    REPORT_FIGURES,
)
from genrebench.results.figures import caption

FEATURES_DOCUMENTS, FEATURES_COLUMNS = 800, 64

os.environ["COLUMNS"] = (
    "74"  # help text wrapped the same way on every machine
)
glue("cli-n-splits", len(protocol.SPLITS), display=False)
glue("cli-n-seeds", len(protocol.SPLIT_SEEDS), display=False)
glue("cli-min-label-count", MIN_LABEL_COUNT, display=False)
glue("cli-min-steps", protocol.MIN_STEPS_PER_EPOCH, display=False)
glue("cli-batch-size", protocol.BATCH_SIZE, display=False)
glue("cli-n-figures", len(REPORT_FIGURES) + 2, display=False)
glue("cli-exit-input", EXIT_INPUT, display=False)
glue("cli-exit-interrupted", EXIT_INTERRUPTED, display=False)
glue("cli-features-columns", FEATURES_COLUMNS, display=False)

# %% [markdown]
# ## Check the data first
#
# A CSV needs one row per document, a text column (or features, below) and a
# labels column, with labels separated by `--label-sep` (a comma by default) or
# written as a JSON list such as `["Drama", "Comedy"]`. `genrebench check`
# reads the file as a run would and prints what it would use, writing
# nothing: rows without labels are skipped, and labels on fewer than
# {glue:text}`cli-min-label-count` rows are dropped, since training,
# validation and test each need one. For the built-in films:

# %%
output = io.StringIO()
with contextlib.redirect_stdout(output):
    status = main(["check", "--data", "films"])
assert status == 0
print(output.getvalue().rstrip())

# %% [markdown]
# Bad input, such as a missing column, bytes that are not `UTF-8` or duplicate
# ids, stops the command with exit status {glue:text}`cli-exit-input` and one
# line naming the file, row and column, or the option, at fault.

# %% [markdown]
# ## Run the study
#
# ```bash
# genrebench run --data synopses.csv --text-col synopsis --labels-col genres \
#     --out results
# genrebench run --data films --out films-results     # the built-in films
# ```
#
# By default the data are split {glue:text}`cli-n-splits` times at random,
# and each {term}`head` gets {glue:text}`cli-n-seeds` training seeds on every split
# (`--splits` and `--seeds` change both). The search grid grows past its edges
# as in {ref}`ch-heads` unless `--learning-rates` or `--epochs` fix it. On a
# small dataset the batch size of {glue:text}`cli-batch-size` is halved until
# an epoch has at least {glue:text}`cli-min-steps` optimiser steps. The folder
# named by `--out` receives:
#
# - `report.html`: one self-contained page, described below;
# - `results.csv`: the tidy table, one row per head, data split, training seed,
#   decoder and metric on the test split, the scikit-learn baseline included;
# - `summary.csv`, `differences.csv`, `per_label.csv`, `search.csv` and
#   `choices.csv`: means with 95% intervals, paired differences against
#   sigmoid + BCE under each F1 average's {term}`matched decoder`, per-label
#   F1, the validation search, and the setting each split chose;
# - `figures/`: the {glue:text}`cli-n-figures` figures listed below (one more
#   with `--heads`), as PNG, SVG and PDF, drawn by the book's own functions;
# - `cache/`: every finished run.

# %% tags=["remove-input"]
from IPython.display import Markdown

Markdown(
    "The figures, by file name:\n\n"
    + "\n".join(
        f"- `{name}`: {caption(name, ('document', 'label'))}"
        for name in REPORT_FIGURES
    )
    + f'\n- `{FOREST_FILE}`: the forest plot of the chapter "Does the answer travel?" '
    f"(`{FOREST}`), for your dataset alone."
    + f"\n- `{LEVERS_FILE}`: the two levers of {{ref}}`ch-answers` (`{LEVERS}`), for your "
    "dataset alone."
    + f"\n- `{FAMILY_FILE}`, when `--heads` names heads beyond the primary three: the loss "
    f'family\'s forest plot of the chapter "Does the answer travel?" (`{FAMILY}`), for your '
    "dataset alone."
)

# %% [markdown]
# Every option, as `genrebench run --help` prints it:

# %%
print(help_text("run"))

# %% [markdown]
# (sec-your-features)=
# ## Your own features: embeddings from any encoder
#
# Most people who ask "sigmoid or softmax?" train the head on vectors from a
# pretrained text encoder, not on TF-IDF. `--features` takes them: a NumPy
# `.npy` matrix (or an `.npz` holding one) with one row per CSV row, in file
# order, or a `.csv` or `.parquet` table joined to the labels by the `--id-col`
# column. They replace TF-IDF, standardised on each split's training part, and
# the CSV then needs no text column. For example (shown, not run: the book
# downloads nothing):
#
# ```python
# from sentence_transformers import SentenceTransformer
#
# encoder = SentenceTransformer("all-MiniLM-L6-v2")
# vectors = encoder.encode(frame["synopsis"].tolist(), batch_size=64)
# np.save("vectors.npy", vectors)  # one row per row of synopses.csv
# ```
#
# ```bash
# genrebench run --data synopses.csv --labels-col genres --features vectors.npy
# ```
#
# The book runs the same path offline on a truncated SVD of TF-IDF,
# {glue:text}`cli-features-columns` numbers for each of
# {glue:text}`cli-features-documents` films:

# %%
films = load_films().sample(
    FEATURES_DOCUMENTS, seed=0
)  # stratified: about this many
work = Path(tempfile.mkdtemp())
labels = [
    json.dumps([films.label_names[j] for j in np.flatnonzero(row)])
    for row in films.Y
]
pd.DataFrame({"id": films.ids, "genres": labels}).to_csv(
    work / "films.csv", index=False
)
tfidf = TfidfFeatures().fit(films.texts).transform(films.texts)
vectors = TruncatedSVD(FEATURES_COLUMNS, random_state=0).fit_transform(
    tfidf
)
np.save(work / "vectors.npy", vectors)
vectors.shape

# %% tags=["remove-cell"]
glue("cli-features-documents", f"{len(films.ids):,}", display=False)

# %%
status = main(
    ["run", "--data", str(work / "films.csv"), "--labels-col", "genres",
     "--id-col", "id", "--features", str(work / "vectors.npy"),
     "--heads", "sigmoid_bce,softmax_cce", "--splits", "2", "--seeds", "2",
     "--learning-rates", "0.01,0.03", "--epochs", "4,8",
     "--out", str(work / "results"), "--cache", str(default_cache_dir()),
     "--quiet"]
)  # fmt: skip
assert status == 0
Image(work / "results" / "figures" / f"{LEVERS_FILE}.png", width=560)

# %% [markdown]
# The figure is the report's first, the {term}`levers <lever>` of
# {ref}`ch-answers` for this run; two splits and two seeds demonstrate the
# path and are no evidence about embeddings.
#
# The report reads like {ref}`ch-answers`: first the answers, in words chosen
# from the intervals (which lever moves F1 more, sigmoid or softmax, which F1
# average), then the tables behind them. The differences across splits carry
# the verdicts, where {term}`undecided` is not evidence that the heads are
# equal; sections drawn from the first split alone say so.

# %% [markdown]
# ## Progress, interruption, resuming
#
# The command prints its progress and the estimated time left. Every
# finished run is written to the cache at once, so Ctrl-C loses at most the
# runs in progress: the command stops with exit status
# {glue:text}`cli-exit-interrupted`, and run again it resumes. A cache key
# covers a run's settings, the data's fingerprint and the code, so a stale
# result is never reused; `--cache DIR` shares one cache between output
# folders, including the book's.

# %% [markdown]
# ## More than one machine: Dask
#
# With the optional extra installed (`pip install -e '.[cluster]'`), the same
# command sends its runs to the workers of a
# [Dask](https://distributed.dask.org) cluster:
#
# ```bash
# # on one machine:
# dask scheduler
# # on each worker machine:
# dask worker tcp://HOST:8786 --nthreads 1 --nworkers 2
# # where the data are:
# genrebench run --data synopses.csv --text-col synopsis --labels-col genres \
#     --scheduler tcp://HOST:8786
# # or, for a cluster of worker processes on this machine:
# genrebench run ... --backend dask --workers 2
# ```
#
# The workers need the same version of `genrebench`, not the data or the
# cache: the command sends only the runs its cache lacks and writes every
# result itself, so a dead worker loses no run. Every random layer
# carries a seed derived from the run's, so a run gives the same numbers on a
# worker as in one process, which the test suite checks to the last bit.

# %% [markdown]
# ## Summary
#
# - `genrebench check` validates a CSV and writes nothing; bad input exits
#   with status {glue:text}`cli-exit-input`.
# - `genrebench run` runs {glue:text}`cli-n-splits` data splits of
#   {glue:text}`cli-n-seeds` training seeds by default and writes the tables,
#   the {glue:text}`cli-n-figures` figures and a report with the answers of
#   {ref}`ch-answers` for your data.
# - `--features` takes vectors from any encoder in place of TF-IDF.
# - Ctrl-C exits with status {glue:text}`cli-exit-interrupted`; the same
#   command resumes from the cache.
