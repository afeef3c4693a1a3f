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
# one threshold tuned on validation instead of one half moves the micro-F1 of
# sigmoid + BCE by {glue:text}`top-decoder-low` to {glue:text}`top-decoder-high`;
# changing the head, each so decoded, by {glue:text}`top-head-low` to
# {glue:text}`top-head-high` ({ref}`evidence <sec-travel-levers>`).
#
# **Sigmoid or softmax?** Tuned, sigmoid + BCE minus softmax + CCE is
# {glue:text}`top-practice` micro-F1 pooled over the datasets,
# *{glue:text}`top-practice-verdict`* at a {term}`margin <margin δ>` of ±{glue:text}`top-margin` set
# in advance; each head under its loss's {term}`consistent decoder`,
# {glue:text}`top-loss` (*{glue:text}`top-loss-verdict`*)
# ({ref}`evidence <ch-travel>`).
#
# **Which F1?** Micro-F1 *and* macro-F1 with intervals, and per-label F1 with
# support: one sigmoid model on the films scores {glue:text}`top-micro` micro and
# {glue:text}`top-macro` macro ({ref}`evidence <ch-f1>`).
#
# | If you … | do this |
# |---|---|
# | can hold out a validation split | tune one threshold (micro-F1) or one per label (macro-F1) |
# | must keep the threshold at one half | {glue:text}`top-fixed-advice` |
# | train softmax on multi-hot targets | decode it consistently: shares times a predicted label count |
# | monitor F1 in Keras | pass `threshold=` to `F1Score`; its default keeps one label |
#
# ```{literalinclude} ../book/snippets/keras_multilabel.py
# :language: python
# :start-after: recipe-start
# :end-before: recipe-end
# :dedent:
# ```
#
# Intervals: 95%, over data splits, training seeds and test documents. The
# recipe is tested with the book ({ref}`ch-answers`); the rest of the book is the
# evidence ({ref}`intro`).
# ````

# %% tags=["remove-cell"]
from genrebench.book.glue import glue
from genrebench.experiments import protocol
from genrebench.experiments.splits import run_built_in_studies
from genrebench.results.headlines import fixed_threshold_advice, lever_answer
from genrebench.results.levers import lever_differences, lever_range
from genrebench.results.pooled import pooled_differences, pooled_interval
from genrebench.results.statistics import format_interval, split_summary
from genrebench.results.travel import travel_differences

datasets, studies = run_built_in_studies()  # cached by "Does the answer travel?"
travel = travel_differences(studies, protocol.REFERENCE_HEAD, protocol.HEADS[1:])
levers = lever_differences(studies, travel, protocol.REFERENCE_HEAD)
glue("top-n-datasets", len(studies), display=False)
for lever in ("decoder", "head"):
    low, high = lever_range(levers, lever)
    glue(f"top-{lever}-low", f"{low:.3f}", display=False)
    glue(f"top-{lever}-high", f"{high:.3f}", display=False)
glue("top-lever-headline", lever_answer(levers, protocol.REFERENCE_HEAD).headline, display=False)
pooled = pooled_differences(travel)
for question, decoder in (("practice", "matched"), ("loss", "consistent")):
    interval, verdict = pooled_interval(pooled, decoder)
    glue(f"top-{question}", interval, display=False)
    glue(f"top-{question}-verdict", verdict, display=False)
glue("top-margin", f"{protocol.EQUIVALENCE_MARGIN:g}", display=False)
glue("top-fixed-advice", fixed_threshold_advice(travel, "sigmoid + BCE"), display=False)
films = studies["films"]
summary = split_summary(
    films.metrics[films.metrics["head"] == protocol.REFERENCE_HEAD], films.test_to_train
).set_index(["decoder", "metric"])
for name, key in (
    ("micro", ("global_tuned", "f1_micro")),
    ("macro", ("per_label_tuned", "f1_macro")),
):
    glue(f"top-{name}", format_interval(*summary.loc[key, ["mean", "low", "high"]]), display=False)
