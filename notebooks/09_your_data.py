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
# ## Overview
#
# The chapters so far answer both questions for films. The `genrebench`
# command answers them for a CSV of your own with the same protocol as
# {ref}`ch-travel`: the same heads and backbone, several random data splits,
# on each the same search on validation and several training seeds, the same
# {term}`decoders <decoder>`, and intervals over splits, seeds and test documents. It writes the tidy results, the figures of the
# heads chapter and a self-contained HTML report, shows progress as it goes,
# resumes after an interruption, and can send its runs to a Dask cluster when
# one machine is not enough. The command is installed with the package
# (`pip install -e .`, or `make install` in a checkout).

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

os.environ["COLUMNS"] = "74"  # help text wrapped the same way on every machine
glue("cli-n-splits", len(protocol.SPLITS), display=False)
glue("cli-n-seeds", len(protocol.SPLIT_SEEDS), display=False)
glue("cli-min-label-count", MIN_LABEL_COUNT, display=False)
glue("cli-min-steps", protocol.MIN_STEPS_PER_EPOCH, display=False)
glue("cli-batch-size", protocol.BATCH_SIZE, display=False)
glue("cli-n-figures", len(REPORT_FIGURES) + 2, display=False)
glue("cli-exit-input", EXIT_INPUT, display=False)
glue("cli-exit-interrupted", EXIT_INTERRUPTED, display=False)
glue("cli-features-documents", f"{FEATURES_DOCUMENTS:,}", display=False)
glue("cli-features-columns", FEATURES_COLUMNS, display=False)

# %% [markdown]
# ## Check the data first
#
# A CSV needs one row per document, a text column (or features, below) and a labels column; labels
# are separated by `--label-sep` (a comma by default) or written as a JSON list
# such as `["Drama", "Comedy"]`. `genrebench check` reads the file exactly as a
# run would and prints what would be used, without training or writing
# anything. Rows without labels are skipped and labels on fewer than
# {glue:text}`cli-min-label-count` rows are dropped (one each is needed for
# training, validation and test); the summary counts both. Here is its output
# for the built-in films:

# %%
output = io.StringIO()
with contextlib.redirect_stdout(output):
    status = main(["check", "--data", "films"])
print(output.getvalue().rstrip())
assert status == 0

# %% [markdown]
# Bad input stops the command with exit status {glue:text}`cli-exit-input` and one line naming the
# file, row and column (or the option) at fault: a missing file or column,
# empty text, bytes that are not `UTF-8`, duplicate ids, a separator that never
# occurs while another does, fewer than two labels left.

# %% [markdown]
# ## Run the study
#
# ```bash
# genrebench run --data synopses.csv --text-col synopsis --labels-col genres \
#     --out results
# genrebench run --data films --out films-results     # the built-in films
# ```
#
# By default the data are split {glue:text}`cli-n-splits` times at random, and
# each head gets {glue:text}`cli-n-seeds` training seeds on every split, as in
# {ref}`ch-travel` (`--splits` and `--seeds` change both). The search grid grows
# past its edges as in {ref}`ch-heads`; a grid given with `--learning-rates` or
# `--epochs` is searched exactly as given. On a small dataset the batch size of {glue:text}`cli-batch-size` is
# halved until an epoch has at least {glue:text}`cli-min-steps` optimiser
# steps, so that the heads are not compared after a handful of updates. The folder named by `--out`
# receives:
#
# - `results.csv`: the tidy table, one row per head, data split, training seed,
#   decoder and metric on the test split (the scikit-learn baseline included);
# - `summary.csv`, `differences.csv`, `per_label.csv`, `search.csv`,
#   `choices.csv`: the means with 95% intervals over splits, seeds and test
#   documents, the paired differences against sigmoid + BCE under each F1
#   average's {term}`matched decoder`, per-label F1 with support (first split), the
#   validation search of every split, and the setting each split chose;
# - `figures/`: the {glue:text}`cli-n-figures` figures listed below, each as
#   PNG, SVG and PDF, drawn by the same functions as the book's;
# - `report.html`: one page, readable offline and easy to attach to an email,
#   that answers "sigmoid or softmax?" and "which F1?" for this dataset, in
#   words chosen from the intervals (a tie reads as a tie, a reversal as a
#   reversal), followed by the tables and figures;
# - `cache/`: every finished run (see below).

# %% tags=["remove-input"]
from IPython.display import Markdown

Markdown(
    "The figures, by file name:\n\n"
    + "\n".join(f"- `{name}`: {caption(name, ('document', 'label'))}" for name in REPORT_FIGURES)
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
# pretrained text encoder, not on TF-IDF. The command takes the vectors you
# computed with `--features`: a NumPy `.npy` matrix (or an `.npz` holding
# one) with one row per data row of the CSV, in file order, or a `.csv` or
# `.parquet` table with the `--id-col` column and numeric columns, joined to
# the labels by id. The features replace TF-IDF for that run; they are
# standardised on each split's training part, as yeast's are, and their
# fingerprint enters every cache key. The CSV then needs no text column.
# With an encoder whose weights you have, the vectors come from a few lines
# (shown, not run: the book downloads nothing):
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
# The book runs the same path on vectors it can make offline: a truncated SVD
# of TF-IDF for {glue:text}`cli-features-documents` films, {glue:text}`cli-features-columns`
# numbers per film, through the command with a small grid.

# %%
films = load_films().sample(FEATURES_DOCUMENTS, seed=0)
work = Path(tempfile.mkdtemp())
labels = [json.dumps([films.label_names[j] for j in np.flatnonzero(row)]) for row in films.Y]
pd.DataFrame({"id": films.ids, "genres": labels}).to_csv(work / "films.csv", index=False)
tfidf = TfidfFeatures().fit(films.texts).transform(films.texts)
vectors = TruncatedSVD(FEATURES_COLUMNS, random_state=0).fit_transform(tfidf)
np.save(work / "vectors.npy", vectors)
vectors.shape

# %%
status = main(
    ["run", "--data", str(work / "films.csv"), "--labels-col", "genres",
     "--id-col", "id", "--features", str(work / "vectors.npy"),
     "--heads", "sigmoid_bce,softmax_cce", "--splits", "2", "--seeds", "2",
     "--learning-rates", "0.01,0.03", "--epochs", "4,8",
     "--out", str(work / "results"), "--cache", str(default_cache_dir()), "--quiet"]
)  # fmt: skip
assert status == 0
Image(work / "results" / "figures" / f"{LEVERS_FILE}.png", width=560)

# %% [markdown]
# The figure is the report's first, the {term}`levers <lever>` of {ref}`ch-answers` for this
# run alone: two splits and two seeds are a demonstration of the path, not
# evidence about embeddings.

# %% [markdown]
# ## Progress, interruption, resuming
#
# While it trains, the command prints on standard error how many runs of the
# current stage (the search, then the seeds) are done, how many came from the
# cache, the time elapsed and an estimate of the time left, which is the mean
# wall-clock time per run so far times the runs remaining. Every finished run is
# written to the cache at once, whole or not at all, so Ctrl-C loses at most
# the runs in progress: the command stops with exit status
# {glue:text}`cli-exit-interrupted` and says how
# many runs are kept, and the same command run again starts where it stopped.
# A run's cache key covers its settings, the data's fingerprint and the code
# that computes it, so a changed file or a new version of the package never
# reuses a stale result. `--cache DIR` shares one cache between output folders;
# pointed at the book's cache, a films run trains nothing the book has
# already trained.

# %% [markdown]
# ## Why the book itself does not run on your data
#
# The chapters' prose is written by people about the book's own datasets: the
# films, MovieLens, yeast and the synthetic sweeps. Fixed prose cannot follow
# someone else's data, so the book has no mode that re-executes it on yours.
# The command is the tool for your data: its report renders the same result
# objects and verdicts the chapters do.

# %% [markdown]
# ## More than one machine: Dask
#
# Many seeds or a large corpus can outgrow one machine. With the optional
# extra installed (`pip install -e '.[cluster]'`), the same command sends its
# runs to the workers of a [Dask](https://distributed.dask.org) cluster:
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
# The workers need the same version of `genrebench` installed; they do not
# need the data file or the cache. The command reads the data, checks the
# cache and sends only the runs it does not already hold; the data are copied
# to every worker once, and each result comes back to the command, which
# writes it into the cache. If a worker dies, the scheduler gives its run to
# another worker (and, should the copied data have died with it, the command
# sends them again), so the table is complete. A worker trains one run at a
# time even with several threads, because seeding is per process.
#
# A run gives the same numbers wherever it executes. That needed care: Keras
# draws the seeds of unseeded initialisers and dropout layers from Python's
# process-wide random-number generator, which the threads of a Dask scheduler
# or worker in the same process also draw from, so the same run gave different
# weights on a worker and on the command's machine. Every random layer of the
# backbone now carries its own seed derived from the run's seed. The test
# suite checks against a local cluster of two worker processes that a grid run
# there equals the same grid run in one process to the last bit, that killing
# a worker in mid-grid loses no run, and that cached runs are never sent.

# %% [markdown]
# ## Summary
#
# - `genrebench check` reads a CSV exactly as a run would and writes nothing;
#   bad input stops it with exit status {glue:text}`cli-exit-input` and one
#   line naming the file, row and column, or the option.
# - `genrebench run` runs the protocol of {ref}`ch-travel`
#   ({glue:text}`cli-n-splits` data splits x {glue:text}`cli-n-seeds` training
#   seeds by default) and writes the tidy
#   tables, the {glue:text}`cli-n-figures` registered figures (the book's
#   figures under the same names and captions, drawn from your data) and a
#   report that renders the same answers as {ref}`ch-answers`.
# - `--features` runs the same protocol on vectors you computed (embeddings from
#   any encoder) in place of TF-IDF.
# - Ctrl-C stops it with exit status {glue:text}`cli-exit-interrupted`; the
#   same command resumes from the cache, and a Dask cluster receives only the
#   runs the cache lacks.
