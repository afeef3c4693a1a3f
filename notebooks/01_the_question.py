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
# (ch-question)=
# # The question, in numbers
#
# ```{admonition} Key result
# :class: tip
# The thread's targets have {glue:text}`q-cardinality-1` and
# {glue:text}`q-cardinality-2` genres per film. Give both output layers the
# best possible ranking of genres and decode with the usual `threshold=0.5`:
# the sigmoid layer recovers {glue:text}`q-sigmoid-exact` of the
# {glue:text}`q-n-films` genre sets exactly, the softmax layer
# {glue:text}`q-softmax-exact`, because its scores on a film share one unit of
# probability mass. The rest of the book measures how much of that survives
# training, decoding and the choice of F1 average.
# ```

# %% tags=["hide-input"]
import pandas as pd

from genrebench.activations import sigmoid, softmax
from genrebench.book.glue import glue_all
from genrebench.data.thread import (
    THREAD_LABELS,
    THREAD_TARGETS,
    separating_logits,
    threshold_recovery,
)
from genrebench.plots import plot_head_scores, save_figure
from genrebench.results.tables import readable

# %% [markdown]
# ## The thread's targets
#
# The asker in the thread that started this book ({ref}`intro`) showed two
# target rows over eight genres. Each is multi-hot: a one
# marks a genre the film has. The number of ones per row is the film's
# *label cardinality*.

# %%
targets = pd.DataFrame(
    THREAD_TARGETS, columns=THREAD_LABELS, index=["film A", "film B"]
)
targets["cardinality"] = targets.sum(axis=1)
targets

# %% tags=["remove-cell"]
glue_all({"cardinality-1": targets["cardinality"].iloc[0],
          "cardinality-2": targets["cardinality"].iloc[1], "n-films": len(targets)}, "q-")  # fmt: skip

# %% [markdown]
# ## Two activations on the same, perfect ranking
#
# To isolate the output layer from everything else, give both activations the
# same logits, chosen so that every true genre outranks every other genre:
# $+2$ for a true genre, $-2$ otherwise. The sigmoid maps each logit to its
# own score,
#
# $$
# \sigma(z_j) = \frac{1}{1 + e^{-z_j}},
# $$ (eq-sigmoid)
#
# while the softmax divides one unit of mass among the genres,
#
# $$
# \operatorname{softmax}(z)_j = \frac{e^{z_j}}{\sum_{k} e^{z_k}}.
# $$ (eq-softmax)
#
# Decoding keeps every genre whose score exceeds `threshold=0.5`.

# %%
logits = separating_logits(THREAD_TARGETS, margin=2.0)
scores = {
    "sigmoid_bce": sigmoid(logits),
    "softmax_cce": softmax(logits, axis=1),
}
decoded = threshold_recovery(
    THREAD_TARGETS, scores, threshold=0.5, row_names=["film A", "film B"]
)
readable(decoded.set_index(["head", "document"]).round(3))

# %% tags=["remove-cell"]
exact = decoded.groupby("head")["exact set"].sum()
softmax_b = decoded.query("head == 'softmax_cce' and document == 'film B'")
glue_all(
    {"sigmoid-exact": int(exact["sigmoid_bce"]), "softmax-exact": int(exact["softmax_cce"]),
     "softmax-top-b": softmax_b["top score"].item()},
    prefix="q-",
)  # fmt: skip

# %% [markdown]
# The softmax scores of each film sum to one, so at most one genre can exceed
# one half. For film B, with {glue:text}`q-cardinality-2` true genres, the
# largest softmax score is {glue:text}`q-softmax-top-b:.3f`: no genre passes the
# threshold, and the decoded set is empty although the ranking is perfect.
# {numref}`fig-question-scores` shows the scores side by side.

# %% tags=["hide-input"] mystnb={"figure": {"caption": "Scores of the two activations for film B when the logits rank its three true genres first. The sigmoid puts each true genre above the dashed threshold; the softmax spreads one unit of mass, so no genre reaches it.", "name": "fig-question-scores"}}
figure = plot_head_scores(
    THREAD_TARGETS[1],
    {head: head_scores[1] for head, head_scores in scores.items()},
    label_names=THREAD_LABELS,
    threshold=0.5,
)
figure_files = save_figure(figure, "fig-question-scores")

# %% [markdown]
# ## Summary
#
# - Multi-hot targets ask for a *set* of genres; the thread's films have
#   {glue:text}`q-cardinality-1` and {glue:text}`q-cardinality-2`.
# - With a perfect ranking and `threshold=0.5`, sigmoid scores recover
#   {glue:text}`q-sigmoid-exact` of {glue:text}`q-n-films` sets and softmax
#   scores {glue:text}`q-softmax-exact`. This is a property of the activation
#   ({eq}`eq-softmax`), not of training: whether a softmax {term}`head` can compete
#   with a better {term}`decoder` is measured in later chapters.
