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
# (ch-faq)=
# # Pitfalls
#
# ```{admonition} Key result
# :class: tip
# The costliest multi-label F1 mistakes are silent. Keras' default
# `threshold=None` gives perfectly ranked scores of the thread's two films
# {glue:text}`faq-top-none:.3f`, not {glue:text}`faq-top-fixed:.3f`, and
# per-genre thresholds tuned on the test split misstate {term}`macro-F1` by
# {glue:text}`faq-optimism-macro:.3f`.
# ```
#
# Each section shows a pitfall as you meet it, its cause and its fix, run on
# the library versions printed.

# %% tags=["hide-input"]
import textwrap
import warnings

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import TunedThresholdClassifierCV
from sklearn.multiclass import OneVsRestClassifier
from sklearn.multioutput import MultiOutputClassifier

from genrebench.audit import (
    audit_table,
    keras_f1,
    keras_top_decode,
    library_versions,
    probe_keras,
    probe_sklearn,
)
from genrebench.book.glue import glue, glue_all
from genrebench.data.synthetic import make_synthetic
from genrebench.data.thread import (
    THREAD_TARGETS,
    ranked_scores,
    separating_logits,
    threshold_recovery,
)
from genrebench.decode import (
    GlobalThreshold,
    PerLabelThreshold,
    top_k_decode,
)
from genrebench.metrics import f1_modes
from genrebench.pitfalls import tuning_on_test_optimism
from genrebench.tuning import TunedMultiLabelClassifier

# Keras after genrebench, which keeps TensorFlow's start-up quiet.
import keras  # isort: skip

pd.set_option(
    "display.precision", 3
)  # every number below to three decimals

# Synthetic documents with known posterior marginals P(y_j = 1 | x); some
# labels are rare.
synthetic = make_synthetic(
    n_docs=6000,
    n_labels=10,
    mean_cardinality=2.0,
    imbalance=2.0,
    vocab_overlap=0.6,
    doc_length=8,
    seed=0,
)
Y_synthetic, P_synthetic = synthetic.dataset.Y, synthetic.posterior


def ran_on(*names):
    versions = library_versions()
    print(
        "ran on " + ", ".join(f"{name} {versions[name]}" for name in names)
    )


# %% [markdown]
# ## `F1Score` keeps only the top genre
#
# Keras' `F1Score(average="micro")` defaults to `threshold=None`, the
# multi-class rule: each row's highest score, and any score tied with it, is the
# only positive. Scores that rank every true genre of the thread's two films
# first, above one half, therefore get {term}`micro-F1`
# {glue:text}`faq-top-none:.3f` ({ref}`ch-f1`).

# %%
ran_on("keras")
scores = ranked_scores(THREAD_TARGETS)
metric = keras.metrics.F1Score(average="micro")  # threshold=None by default
metric.update_state(
    THREAD_TARGETS.astype("float32"), scores.astype("float32")
)
top_none = float(metric.result())
round(top_none, 4)

# %% tags=["remove-cell"]
glue("faq-top-none", top_none, display=False)

# %% [markdown]
# **Fix.** Pass `threshold=` explicitly, here `threshold=0.5`, or a threshold
# tuned on validation:

# %%
top_fixed = float(
    keras_f1(THREAD_TARGETS, scores, average="micro", threshold=0.5)
)
top_counts = keras_top_decode(scores).sum(axis=1).tolist()
pd.Series(
    {
        "F1Score(average='micro')": top_none,
        "F1Score(average='micro', threshold=0.5)": top_fixed,
        "labels predicted per film, threshold=None": top_counts,
        "true labels per film": THREAD_TARGETS.sum(axis=1).tolist(),
    },
    name="thread's two films",
).to_frame().round(4)

# %% tags=["remove-cell"]
glue("faq-top-fixed", top_fixed, display=False)

# %% [markdown]
# ## A batch-averaged F1 is not the epoch's F1
#
# Keras averages a function metric over batches, and the widely copied F1
# recipe is such a function: a batch with no true and no predicted document of
# a rare genre scores zero. For a genre on
# {glue:text}`faq-batch-rare-share:.1%` of documents, in batches of
# {glue:text}`faq-batch-size`, the recipe reports
# {glue:text}`faq-batch-recipe:.3f` where `F1Score` reports
# {glue:text}`faq-batch-epoch:.3f` ({ref}`ch-f1`).

# %%
ran_on("keras")
ops = keras.ops


# The widely copied Keras 2 recipe, ported to keras.ops:
def f1_recipe(y_true, y_pred):
    true_positives = ops.sum(ops.round(ops.clip(y_true * y_pred, 0, 1)))
    predicted = ops.sum(ops.round(ops.clip(y_pred, 0, 1)))
    actual = ops.sum(ops.round(ops.clip(y_true, 0, 1)))
    precision = true_positives / (predicted + keras.backend.epsilon())
    recall = true_positives / (actual + keras.backend.epsilon())
    return (
        2
        * precision
        * recall
        / (precision + recall + keras.backend.epsilon())
    )


# %%
# A "model" that outputs the rarest genre's known posterior probability:
# only the metric differs between the two numbers.
rare = slice(Y_synthetic.shape[1] - 1, None)
X_rare, Y_rare = (
    P_synthetic[:2000, rare].astype("float32"),
    Y_synthetic[:2000, rare].astype("float32"),
)
model = keras.Sequential([keras.Input((1,)), keras.layers.Identity()])
model.compile(
    loss="binary_crossentropy",
    metrics=[
        f1_recipe,
        keras.metrics.F1Score(
            average="micro", threshold=0.5, name="f1_epoch"
        ),
    ],
)
batch_size = 32
evaluated = model.evaluate(
    X_rare, Y_rare, batch_size=batch_size, verbose=0, return_dict=True
)
pd.Series(evaluated).drop("loss").rename(
    f"batch_size={batch_size}"
).to_frame().round(4)

# %% tags=["remove-cell"]
glue_all(
    {"recipe": evaluated["f1_recipe"], "epoch": evaluated["f1_epoch"], "size": batch_size,
     "rare-share": Y_rare.mean()},
    prefix="faq-batch-",
)  # fmt: skip

# %% [markdown]
# **Fix.** Use `F1Score(average="micro", threshold=0.5)`, which pools counts
# over the epoch; the table evaluates both metrics at three batch sizes, with
# F1 from pooled counts in the last row:

# %%
by_batch_size = {
    size: model.evaluate(
        X_rare, Y_rare, batch_size=size, verbose=0, return_dict=True
    )
    for size in (16, 32, 64)
}
table = (
    pd.DataFrame(by_batch_size)
    .drop("loss")
    .rename_axis(columns="batch_size")
)
table.loc["genrebench.metrics, pooled counts"] = f1_modes(
    Y_rare, X_rare > 0.5
).micro
table.round(4)

# %% [markdown]
# ## `f1_score` on probabilities
#
# scikit-learn's `f1_score` takes label decisions, never scores, and has no
# `threshold=` argument: given multi-hot targets and a model's probabilities, it
# stops with a `ValueError` ({ref}`ch-f1`).

# %%
ran_on("scikit-learn")
try:
    f1_score(THREAD_TARGETS, scores, average="micro", zero_division=0)
except ValueError as error:
    mix_error = str(error)
print(textwrap.fill(f"ValueError: {mix_error}", 76))

# %% [markdown]
# **Fix.** Threshold the probabilities yourself, with the threshold you would
# deploy, then score:

# %%
f1_score(
    THREAD_TARGETS,
    (scores > 0.5).astype(int),
    average="micro",
    zero_division=0,
)

# %% [markdown]
# ## The default `average="binary"` on multi-hot targets
#
# The default `average="binary"` is the F1 of one yes/no problem; multi-hot
# targets are several, and scikit-learn stops with a `ValueError` rather than
# choose how to combine them.

# %%
ran_on("scikit-learn")
predicted = (scores > 0.5).astype(int)
try:
    f1_score(THREAD_TARGETS, predicted)
except ValueError as error:
    binary_error = str(error)
print(textwrap.fill(f"ValueError: {binary_error}", 76))

# %% [markdown]
# **Fix.** Write the average out: `average=None` gives each genre's F1, and
# `"micro"`, `"macro"`, `"weighted"` and `"samples"` summarise them
# ({ref}`ch-f1` says which answers which question):

# %%
pd.Series(
    {
        str(average): f1_score(
            THREAD_TARGETS, predicted, average=average, zero_division=0
        )
        for average in ("micro", "macro", "weighted", "samples")
    },
    name="F1",
).to_frame().round(4)

# %% [markdown]
# ## `zero_division` decides macro-F1
#
# A genre with no true and no predicted document has an F1 of zero divided by
# zero, and `zero_division` sets its value. On the same predictions, macro-F1
# is {glue:text}`faq-zero-0:.3f` under the default (which scores the
# genre zero and warns), {glue:text}`faq-zero-1:.3f` with `zero_division=1`, and
# {glue:text}`faq-zero-nan:.3f` with `zero_division=np.nan`, which leaves the
# genre out of the mean ({ref}`ch-f1`).

# %%
ran_on("scikit-learn", "keras")
truth = np.array([[1, 0, 0], [1, 1, 0]])
guess = np.array(
    [[1, 0, 0], [1, 0, 0]]
)  # the third genre: never true, never predicted
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    macro_warn = f1_score(truth, guess, average="macro")
warning = caught[0].message if caught else "none"
print(textwrap.fill(f"UndefinedMetricWarning: {warning}", 76))

# %%
zero_table = pd.Series(
    {
        "scikit-learn, zero_division='warn' (default)": macro_warn,
        **{
            f"scikit-learn, zero_division={option!r}": f1_score(
                truth, guess, average="macro", zero_division=option
            )
            for option in (0, 1, np.nan)
        },
        "Keras F1Score(average='macro', threshold=0.5)": float(
            keras_f1(truth, guess, average="macro", threshold=0.5)
        ),
    },
    name="macro-F1",
)
zero_table.round(4).to_frame()

# %% tags=["remove-cell"]
glue_all(
    {
        "0": zero_table.iloc[1],
        "1": zero_table.iloc[2],
        "nan": zero_table.iloc[3],
    },
    "faq-zero-",
)

# %% [markdown]
# **Fix.** Pass `zero_division=` explicitly (this book uses `zero_division=0`,
# as Keras does) and report how many genres were present and predicted, as
# `genrebench.metrics` does:

# %%
f1_modes(truth, guess, zero_division=0).per_label

# %% [markdown]
# ## Logits treated as probabilities
#
# `F1Score(threshold=0.5)` compares whatever it receives with one half, so on
# logits it thresholds probabilities at {glue:text}`faq-logit-threshold:.3f`
# and reports {glue:text}`faq-logit-wrong:.3f` where the probabilities give
# {glue:text}`faq-logit-right:.3f`. The other way round,
# `BinaryCrossentropy(from_logits=True)` after a sigmoid squashes twice, so
# perfect predictions of the thread's films lose
# {glue:text}`faq-double-floor:.3f` instead of about zero ({ref}`ch-heads`).

# %%
ran_on("keras")
logits = np.log(P_synthetic / (1 - P_synthetic)).clip(-30, 30)
probabilities = np.asarray(ops.sigmoid(logits))
logit_wrong = float(
    keras_f1(Y_synthetic, logits, average="micro", threshold=0.5)
)
logit_right = float(
    keras_f1(Y_synthetic, probabilities, average="micro", threshold=0.5)
)
perfect = THREAD_TARGETS.astype(
    "float32"
)  # a sigmoid's best possible output
double = float(
    keras.losses.BinaryCrossentropy(from_logits=True)(perfect, perfect)
)
single = float(keras.losses.BinaryCrossentropy()(perfect, perfect))
pd.Series(
    {
        "F1Score(micro, threshold=0.5) on logits": logit_wrong,
        "F1Score(micro, threshold=0.5) on sigmoid(logits)": logit_right,
        "BCE(from_logits=True) after a sigmoid, perfect output": double,
        "BCE(from_logits=False) after a sigmoid, perfect output": single,
    },
    name="value",
).round(4).to_frame()

# %% tags=["remove-cell"]
glue_all(
    {"logit-wrong": logit_wrong, "logit-right": logit_right,
     "logit-threshold": float(ops.sigmoid(0.5)), "double-floor": double},
    prefix="faq-",
)  # fmt: skip

# %% [markdown]
# **Fix.** Match `from_logits=` to the last layer and give `F1Score`
# probabilities, after a linear last layer through a wrapper like this one:

# %%


class F1OnLogits(keras.metrics.F1Score):
    def update_state(self, y_true, y_pred, sample_weight=None):
        super().update_state(
            y_true, keras.ops.sigmoid(y_pred), sample_weight
        )


wrapped = F1OnLogits(average="micro", threshold=0.5)
wrapped.update_state(
    Y_synthetic.astype("float32"), logits.astype("float32")
)
round(float(wrapped.result()), 4)

# %% [markdown]
# ## `OneVsRestClassifier` drops tuned thresholds
#
# For multi-label targets `OneVsRestClassifier.predict` applies its own cut to
# each estimator's `predict_proba`
# ([a reported bug](https://github.com/scikit-learn/scikit-learn/issues/30036)),
# so the {glue:text}`faq-ovr-labels` thresholds that
# `TunedThresholdClassifierCV` tuned, {glue:text}`faq-ovr-min:.2f` to
# {glue:text}`faq-ovr-max:.2f`, go unused ({ref}`ch-decoding`). Against
# `MultiOutputClassifier`, {glue:text}`faq-ovr-changed` of
# {glue:text}`faq-ovr-cells` test decisions differ.

# %%
ran_on("scikit-learn")
rng = np.random.default_rng(0)
# A noisy view of the labels:
X = (P_synthetic + rng.normal(0, 0.2, P_synthetic.shape))[:1500]
train, test = slice(0, 1000), slice(1000, 1500)
# 20 candidate thresholds per label (the default is 100): enough here.
tuned = TunedThresholdClassifierCV(
    LogisticRegression(), scoring="f1", cv=3, thresholds=20
)
ovr = OneVsRestClassifier(tuned).fit(X[train], Y_synthetic[train])
multi = MultiOutputClassifier(tuned).fit(X[train], Y_synthetic[train])
thresholds = np.array(
    [estimator.best_threshold_ for estimator in ovr.estimators_]
)
pd.Series(thresholds, name="threshold tuned per genre").rename_axis(
    "genre"
).to_frame().T.round(2)

# %%
ovr_predicted, multi_predicted = (
    ovr.predict(X[test]),
    multi.predict(X[test]),
)
ovr_macro = f1_modes(Y_synthetic[test], ovr_predicted).macro
multi_macro = f1_modes(Y_synthetic[test], multi_predicted).macro
changed = int((ovr_predicted != multi_predicted).sum())
pd.Series(
    {
        "OneVsRest predictions == predict_proba > 0.5": bool(
            (ovr_predicted == (ovr.predict_proba(X[test]) > 0.5)).all()
        ),
        "decisions that differ from MultiOutput": changed,
        "macro-F1, OneVsRest(TunedThresholdClassifierCV)": ovr_macro,
        "macro-F1, MultiOutput(TunedThresholdClassifierCV)": multi_macro,
    },
    name="value",
).to_frame().round(4)

# %% tags=["remove-cell"]
glue_all(
    {"ovr-labels": len(thresholds), "ovr-min": thresholds.min(), "ovr-max": thresholds.max(),
     "ovr-changed": changed, "ovr-cells": ovr_predicted.size, "ovr-macro": ovr_macro,
     "multi-macro": multi_macro},
    prefix="faq-",
)  # fmt: skip

# %% [markdown]
# **Fix.** Use `MultiOutputClassifier`, which keeps each estimator's `predict`
# (first cell), or `TunedMultiLabelClassifier` from `genrebench.tuning`, which
# tunes the book's {term}`decoder` for your F1 average on held-out training
# data (second cell, test macro-F1):

# %%
manual = np.column_stack(
    [estimator.predict(X[test]) for estimator in multi.estimators_]
)
bool((manual == multi_predicted).all())

# %%
model = TunedMultiLabelClassifier(
    OneVsRestClassifier(LogisticRegression()), metric="macro"
)
tuned_predicted = model.fit(X[train], Y_synthetic[train]).predict(X[test])
f"macro-F1 {f1_modes(Y_synthetic[test], tuned_predicted).macro:.3f}"

# %% [markdown]
# ## Binary accuracy rewards predicting nothing
#
# `BinaryAccuracy`, which `metrics=["accuracy"]` becomes with a sigmoid {term}`head`,
# averages over every document-genre cell, and with
# {glue:text}`faq-cardinality:.1f` genres per document out of
# {glue:text}`faq-n-labels` most cells are negatives. A model that predicts no
# genre scores {glue:text}`faq-accuracy-nothing:.3f`, against
# {glue:text}`faq-accuracy-bayes:.3f` for the best possible decisions, while its
# micro-F1 is {glue:text}`faq-f1-nothing:.3f` ({ref}`ch-data`).

# %%
ran_on("keras")
nothing = np.zeros_like(Y_synthetic, dtype="float32")
bayes = (P_synthetic > 0.5).astype("float32")


def binary_accuracy(predicted):
    accuracy = keras.metrics.BinaryAccuracy(threshold=0.5)
    accuracy.update_state(Y_synthetic.astype("float32"), predicted)
    return float(accuracy.result())


pd.DataFrame(
    {
        "binary accuracy": [
            binary_accuracy(nothing),
            binary_accuracy(bayes),
        ],
        "micro-F1": [
            f1_modes(Y_synthetic, nothing).micro,
            f1_modes(Y_synthetic, bayes).micro,
        ],
    },
    index=["predict nothing", "posterior > 0.5 (Bayes scores)"],
).round(3)

# %% tags=["remove-cell"]
glue_all(
    {"accuracy-nothing": binary_accuracy(nothing), "accuracy-bayes": binary_accuracy(bayes),
     "f1-nothing": f1_modes(Y_synthetic, nothing).micro,
     "cardinality": Y_synthetic.sum(axis=1).mean(), "n-labels": Y_synthetic.shape[1]},
    prefix="faq-",
)  # fmt: skip

# %% [markdown]
# **Fix.** Monitor `F1Score(average="micro", threshold=0.5)` and per-genre F1
# instead, or use subset accuracy, which counts a document right only when its
# whole set is:

# %%
pd.Series(
    {
        "subset accuracy, predict nothing": float(
            (nothing == Y_synthetic).all(axis=1).mean()
        ),
        "subset accuracy, posterior > 0.5": float(
            (bayes == Y_synthetic).all(axis=1).mean()
        ),
    },
    name="value",
).to_frame().round(4)

# %% [markdown]
# ## Softmax with `threshold=0.5` cannot output two genres
#
# Softmax outputs sum to one, so at most one genre can pass `threshold=0.5`,
# and none does when several true genres share the mass. On logits that rank
# every true genre of the thread's two films first, softmax finds
# {glue:text}`faq-softmax-labels` of their {glue:text}`faq-thread-true`
# genres ({ref}`ch-heads`, {ref}`ch-question`).

# %%
ran_on("keras")
thread_logits = separating_logits(THREAD_TARGETS)
recovery = threshold_recovery(
    THREAD_TARGETS,
    {
        "softmax": np.asarray(ops.softmax(thread_logits, axis=-1)),
        "sigmoid": np.asarray(ops.sigmoid(thread_logits)),
    },
    threshold=0.5,
    row_names=["film A", "film B"],
)
recovery.set_index(["head", "document"])[
    ["true labels", "top score", "labels > 0.5", "exact set"]
]

# %% tags=["remove-cell"]
glue_all(
    {"softmax-labels": int(recovery.loc[recovery["head"] == "softmax", "labels > 0.5"].sum()),
     "thread-true": int(THREAD_TARGETS.sum())},
    prefix="faq-",
)  # fmt: skip

# %% [markdown]
# **Fix.** For multi-label targets use a sigmoid head with binary cross-entropy
# and a threshold, or decode softmax scores by rank (top-k) or with thresholds
# tuned on validation ({ref}`ch-decoding` compares the decoders):

# %%
softmax_scores = np.asarray(ops.softmax(thread_logits, axis=-1))
pd.Series(
    {
        "softmax, threshold 0.5": f1_modes(
            THREAD_TARGETS, softmax_scores > 0.5
        ).micro,
        "softmax, top 2": f1_modes(
            THREAD_TARGETS, top_k_decode(softmax_scores, 2)
        ).micro,
        "sigmoid, threshold 0.5": f1_modes(
            THREAD_TARGETS, np.asarray(ops.sigmoid(thread_logits)) > 0.5
        ).micro,
    },
    name="micro-F1",
).to_frame().round(4)

# %% [markdown]
# ## Tuning the threshold on the test split
#
# Per-genre thresholds tuned on the test split fit the noise of its documents,
# most of all for rare genres. On {glue:text}`faq-optimism-repeats` test
# splits of {glue:text}`faq-optimism-test-size` synthetic documents, scored
# with their exact posterior marginals, they report macro-F1
# {glue:text}`faq-optimism-reported:.3f` on average and reach
# {glue:text}`faq-optimism-fresh:.3f` on fresh documents ({ref}`ch-decoding`,
# {ref}`ch-sweeps`).

# %%
ran_on("numpy")
test_size, repeats = 150, 100
decoders = {
    "macro": PerLabelThreshold(min_positives=1),
    "micro": GlobalThreshold(),
}
sizes = {"test_size": test_size, "repeats": repeats, "fresh_size": 2000}
optimism = {
    mode: tuning_on_test_optimism(
        Y_synthetic, P_synthetic, decoder, mode=mode, seed=0, **sizes
    ).mean()
    for mode, decoder in decoders.items()
}
optimism = pd.DataFrame(optimism).T.rename_axis("F1 (tuned decoder)")
optimism.round(3)

# %% tags=["remove-cell"]
gap = optimism["reported, tuned on test"] - optimism["fresh, tuned on test"]
glue_all(
    {"macro": gap["macro"], "micro": gap["micro"],
     "reported": optimism.loc["macro", "reported, tuned on test"],
     "fresh": optimism.loc["macro", "fresh, tuned on test"],
     "val-reported": optimism.loc["macro", "reported, tuned on validation"],
     "val-fresh": optimism.loc["macro", "fresh, tuned on validation"],
     "test-size": test_size, "repeats": repeats},
    prefix="faq-optimism-",
)  # fmt: skip

# %% [markdown]
# **Fix.** Tune on a validation split and score the test split once: the
# thresholds then report {glue:text}`faq-optimism-val-reported:.3f` and reach
# {glue:text}`faq-optimism-val-fresh:.3f` on fresh documents.

# %%
optimism[
    ["reported, tuned on validation", "fresh, tuned on validation"]
].round(3)

# %% [markdown]
# ## Micro-F1 is accuracy on single-label data
#
# With exactly one true and one predicted class per document, every error is
# one false positive and one false negative at once, so micro-F1 equals
# accuracy ({glue:text}`faq-micro-accuracy:.3f` here) and reporting both
# says the same thing twice ({ref}`ch-sweeps`).

# %%
ran_on("scikit-learn")
rng = np.random.default_rng(0)
classes_true = rng.integers(0, 5, size=200)
classes_pred = np.where(
    rng.random(200) < 0.7, classes_true, rng.integers(0, 5, size=200)
)
micro = f1_score(classes_true, classes_pred, average="micro")
accuracy = accuracy_score(classes_true, classes_pred)
pd.Series(
    {"f1_score(average='micro')": micro, "accuracy_score": accuracy},
    name="value",
).to_frame().round(4)

# %% tags=["remove-cell"]
glue("faq-micro-accuracy", float(micro), display=False)

# %% [markdown]
# **Fix.** On single-label data report accuracy with macro-F1 or per-class F1
# (`average=None`), which weigh rare classes:

# %%
pd.Series(
    {
        str(average): f1_score(classes_true, classes_pred, average=average)
        for average in ("micro", "macro", "weighted")
    },
    name="F1",
).to_frame().round(4)

# %% [markdown]
# ## What the libraries do by default
#
# {numref}`tbl-faq-audit` asks scikit-learn's `f1_score` and Keras' `F1Score`
# the same questions on four documents and four genres, the last never true
# nor predicted. Each cell is what the call returned or raised; a test checks
# its numbers against `genrebench.metrics`.

# %% tags=["hide-input"]
versions = library_versions()
print(
    "ran on "
    + ", ".join(f"{name} {value}" for name, value in versions.items())
)
audit = audit_table(probe_sklearn() + probe_keras(), versions)
with pd.option_context(
    "display.max_colwidth", None
):  # answers are sentences: show them whole
    glue("tbl-faq-audit-table", audit, display=False)

# %% [markdown]
# :::{dropdown} The table: every question and both libraries' answers
# ```{glue:figure} tbl-faq-audit-table
# :name: tbl-faq-audit
#
# scikit-learn's `f1_score` and Keras' `F1Score`, asked the same questions by
# calling them on the audit's four-document case.
# ```
# :::

# %% [markdown]
# ## An F1 calculator
#
# Paste targets, one multi-hot row per line, and scores or predictions of zeros
# and ones, then pick a threshold. A score above the threshold is a positive,
# as in Keras; "None" is Keras' `threshold=None`, and every F1 uses
# `zero_division=0`. Nothing leaves your browser.
#
# ```{raw} html
# <div id="f1-calculator" class="f1-calculator">
#   <noscript>The F1 calculator needs JavaScript.</noscript>
# </div>
# ```

# %% [markdown]
# ## Summary
#
# - Pass `threshold=` to `F1Score`: its default scores the thread's films
#   {glue:text}`faq-top-none:.3f`, not {glue:text}`faq-top-fixed:.3f`.
# - Use `F1Score`, not a batch-averaged function
#   ({glue:text}`faq-batch-epoch:.3f` against
#   {glue:text}`faq-batch-recipe:.3f`).
# - Give `f1_score` decisions and explicit `average=` and `zero_division=`;
#   the latter alone moves macro-F1 from {glue:text}`faq-zero-0:.3f` to
#   {glue:text}`faq-zero-1:.3f`.
# - Feed `F1Score` probabilities, not logits (cut at
#   {glue:text}`faq-logit-threshold:.3f`), and a `from_logits=True` loss
#   logits, not sigmoid outputs ({glue:text}`faq-double-floor:.3f` on perfect
#   predictions).
# - Tune thresholds inside `MultiOutputClassifier`
#   ({glue:text}`faq-multi-macro:.3f`), not `OneVsRestClassifier`
#   ({glue:text}`faq-ovr-macro:.3f`).
# - Report F1, not binary accuracy ({glue:text}`faq-accuracy-nothing:.3f` for
#   predicting nothing).
# - Decode softmax by rank or tuned thresholds, not `threshold=0.5`
#   ({glue:text}`faq-softmax-labels` of {glue:text}`faq-thread-true` genres).
# - Tune thresholds on validation; tuned on test, they misstate macro-F1 by
#   {glue:text}`faq-optimism-macro:.3f`.
# - On single-label data micro-F1 is accuracy
#   ({glue:text}`faq-micro-accuracy:.3f`).
