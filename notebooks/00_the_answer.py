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
# tuning one threshold on validation instead of using one half moves sigmoid +
# BCE's micro-F1 by {glue:text}`top-decoder-low` to {glue:text}`top-decoder-high`;
# the largest change of head, so decoded, by {glue:text}`top-head-low` to
# {glue:text}`top-head-high` ({ref}`evidence <sec-travel-levers>`).
#
# **Sigmoid or softmax?** With one tuned threshold each, sigmoid + BCE minus
# softmax + CCE pooled over the datasets is {glue:text}`top-practice` micro-F1:
# *{glue:text}`top-practice-verdict`*, its interval {glue:text}`top-practice-margin`
# the ±{glue:text}`top-margin` {term}`margin <margin δ>` (inside it, too small to
# act on). Under each loss's {term}`consistent decoder`: {glue:text}`top-loss`
# (*{glue:text}`top-loss-verdict`*, {glue:text}`top-loss-margin` the margin)
# ({ref}`evidence <ch-travel>`).
#
# **Which F1?** Micro-F1 *and* macro-F1 with intervals, per-label F1 with
# support: sigmoid + BCE on the films scores {glue:text}`top-micro` micro-F1
# (one tuned threshold) and {glue:text}`top-macro` macro-F1 (one per genre;
# {ref}`evidence <ch-f1>`).
#
# | If you … | do this |
# |---|---|
# | can hold out a validation split | tune one threshold (micro-F1) or one per label (macro-F1) |
# | must keep the threshold at one half | {glue:text}`top-fixed-advice` |
# | train softmax on multi-hot targets | decode it {term}`consistently <consistent decoder>`: shares times a predicted label count |
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
from genrebench.book.glue import glue
from genrebench.experiments import protocol
from genrebench.experiments.splits import run_built_in_studies
from genrebench.results.headlines import lever_answer
from genrebench.results.levers import lever_differences, lever_range
from genrebench.results.pooled import pooled_differences, pooled_interval, pooled_margin
from genrebench.results.statistics import format_interval, split_summary
from genrebench.results.travel import travel_differences
from genrebench.results.wording import fixed_threshold_advice

datasets, studies = run_built_in_studies()  # cached by "Does the answer travel?"
travel = travel_differences(studies, protocol.REFERENCE_HEAD, protocol.HEADS[1:])
levers = lever_differences(studies, travel, protocol.REFERENCE_HEAD)
glue("top-n-datasets", len(studies), display=False)
for lever in ("decoder", "head"):
    low, high = lever_range(levers, lever)
    glue(f"top-{lever}-low", f"{low:.3f}", display=False)
    glue(f"top-{lever}-high", f"{high:.3f}", display=False)
glue("top-lever-headline", lever_answer(levers).headline, display=False)
pooled = pooled_differences(travel)
for question, decoder in (("practice", "matched"), ("loss", "consistent")):
    interval, verdict = pooled_interval(pooled, decoder)
    glue(f"top-{question}", interval, display=False)
    glue(f"top-{question}-verdict", verdict, display=False)
    glue(f"top-{question}-margin", pooled_margin(pooled, decoder), display=False)
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
