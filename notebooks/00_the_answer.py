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
# (answer)=
# # Sigmoid or softmax? F1 how?
#
# ````{container} landing
# **{glue:text}`top-lever-headline`** On {glue:text}`top-n-datasets` datasets,
# one threshold tuned on validation rather than one half moves sigmoid + BCE's
# {term}`micro-F1` by {glue:text}`top-decoder-low` to {glue:text}`top-decoder-high`;
# changing the {term}`head`, by {glue:text}`top-head-low` to
# {glue:text}`top-head-high` ({ref}`evidence <sec-travel-levers>`).
#
# **Sigmoid or softmax?** With one tuned threshold each, sigmoid + BCE minus
# softmax + CCE pooled over the datasets is {glue:text}`top-practice` micro-F1:
# *{glue:text}`top-practice-verdict`*, its {glue:text}`top-eq-confidence` interval
# {glue:text}`top-practice-90` {glue:text}`top-practice-margin` the
# ±{glue:text}`top-margin` {term}`margin <margin δ>`. Under each head's
# {term}`consistent decoder`: {glue:text}`top-loss`
# (*{glue:text}`top-loss-verdict`*, {glue:text}`top-loss-90`
# {glue:text}`top-loss-margin` the margin; {ref}`evidence <ch-travel>`).
#
# **Which F1?** Micro- *and* {term}`macro-F1` with intervals, {term}`per-label F1` with
# support: on the films, sigmoid + BCE scores {glue:text}`top-micro` micro-F1
# (one threshold) but {glue:text}`top-macro` macro-F1 (one per genre;
# {numref}`tbl-travel-datasets`, {ref}`why <ch-f1>`).
#
# | If you … | do this |
# |---|---|
# | can hold out a validation split | tune one threshold (micro-F1) or one per label (macro-F1) |
# | cannot tune anything | {glue:text}`top-untuned-advice` |
# | train softmax on multi-hot targets | tune one threshold too; its {term}`consistent decoder` changes micro-F1 by {glue:text}`top-consistent-low` to {glue:text}`top-consistent-high` |
# | monitor F1 in Keras | pass `threshold=` to `F1Score`; its default keeps one label |
#
# ```{literalinclude} ../book/snippets/keras_multilabel.py
# :language: python
# :start-after: What makes the model multi-label:
# :end-before: The rest is an ordinary Keras model.
# :dedent:
# ```
#
# Intervals: 95%, over data splits, training seeds and test documents. The
# recipe is tested with the book ({ref}`ch-answers`); the rest of the book is the
# evidence ({ref}`intro`).
# ````

# %% tags=["remove-cell"]
from genrebench.book.glue import glue, glue_all
from genrebench.experiments import protocol
from genrebench.experiments.splits import run_built_in_studies
from genrebench.heads import get_head
from genrebench.results.headlines import lever_answer
from genrebench.results.levers import (
    consistent_gains,
    lever_differences,
    lever_range,
)
from genrebench.results.pooled import (
    pooled_differences,
    pooled_interval,
    pooled_interval90,
    pooled_margin,
)
from genrebench.results.statistics import (
    EQUIVALENCE_CONFIDENCE,
    format_interval,
    number,
)
from genrebench.results.travel import reference_scores, travel_differences
from genrebench.results.wording import untuned_advice

datasets, studies = (
    run_built_in_studies()
)  # cached by "Does the answer travel?"
travel = travel_differences(
    studies, protocol.REFERENCE_HEAD, protocol.HEADS[1:]
)
levers = lever_differences(studies, travel, protocol.REFERENCE_HEAD)
pooled = pooled_differences(travel)
gains = consistent_gains(studies, protocol.HEADS[1])
scores = reference_scores(studies["films"], protocol.REFERENCE_HEAD)

# %% tags=["remove-cell"]
glue("top-n-datasets", len(studies), display=False)
for lever in ("decoder", "head"):
    low, high = lever_range(levers, lever)
    glue_all({"low": f"{low:.3f}", "high": f"{high:.3f}"}, f"top-{lever}-")
glue("top-lever-headline", lever_answer(levers).headline, display=False)
for question, decoder in (("practice", "matched"), ("loss", "consistent")):
    interval, verdict = pooled_interval(pooled, decoder)
    glue(f"top-{question}", interval, display=False)
    glue(f"top-{question}-verdict", verdict, display=False)
    glue_all(
        {"margin": pooled_margin(pooled, decoder),
         "90": pooled_interval90(pooled, decoder)},
        prefix=f"top-{question}-",
    )  # fmt: skip
glue("top-margin", f"{protocol.EQUIVALENCE_MARGIN:g}", display=False)
glue("top-eq-confidence", f"{EQUIVALENCE_CONFIDENCE:.0%}", display=False)
names = {head: get_head(head).display for head in protocol.HEADS}
glue("top-untuned-advice", untuned_advice(travel, names), display=False)
glue(
    "top-consistent-low", number(gains["mean"].min()), display=False
)  # never "-0.000"
glue("top-consistent-high", number(gains["mean"].max()), display=False)
for name, metric in (("micro", "f1_micro"), ("macro", "f1_macro")):
    glue(f"top-{name}", format_interval(*scores[metric]), display=False)
