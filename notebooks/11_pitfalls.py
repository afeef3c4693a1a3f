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
# The mistakes practitioners make with multi-label F1 are rarely in the
# formula; they are in a default, an input format or a split. Each section
# below shows one as the reader meets it (the number or the exact error
# message), says why it happens, reproduces it in a few executed lines that
# print the library version they ran on, and executes the fix. The costliest
# are silent: Keras' default `threshold=None` scores perfectly ranked scores of
# the thread's two films at {glue:text}`faq-top-none:.3f` instead of
# {glue:text}`faq-top-fixed:.3f`, and per-label thresholds tuned on a test split
# of {glue:text}`faq-optimism-test-size` documents report a macro-F1
# {glue:text}`faq-optimism-macro:.3f` higher than the same thresholds reach on
# fresh documents. A table audits what scikit-learn and Keras do by default,
# computed by calling them, and an F1 calculator at the end of the page checks
# a metric call of your own.
# ```

# %%
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
from genrebench.book.glue import glue
from genrebench.data.synthetic import make_synthetic
from genrebench.data.thread import (
    THREAD_TARGETS,
    ranked_scores,
    separating_logits,
    threshold_recovery,
)
from genrebench.decode import GlobalThreshold, PerLabelThreshold, top_k_decode
from genrebench.metrics import f1_modes
from genrebench.pitfalls import tuning_on_test_optimism
from genrebench.tuning import TunedMultiLabelClassifier

import keras  # after genrebench, which keeps TensorFlow's start-up quiet  # isort: skip

# Synthetic documents with known posterior marginals P(y_j = 1 | x); some labels are rare.
synthetic = make_synthetic(
    n_docs=6000, n_labels=10, mean_cardinality=2.0, imbalance=2.0, vocab_overlap=0.6,
    doc_length=8, seed=0,
)  # fmt: skip
Y_synthetic, P_synthetic = synthetic.dataset.Y, synthetic.posterior


def ran_on(*names):
    versions = library_versions()
    print("ran on " + ", ".join(f"{name} {versions[name]}" for name in names))


# %% [markdown]
# ## `F1Score` keeps only the top genre
#
# **Symptom.** A Keras model whose scores rank every true genre first, above
# one half, reports micro-F1 {glue:text}`faq-top-none:.3f` on the thread's two
# films, and recall never climbs past one genre per film.
#
# **Cause.** `keras.metrics.F1Score(average="micro")` defaults to
# `threshold=None`, which does not threshold at all: each row's highest score
# becomes the only positive. In Keras 3 every label tied at the row maximum
# counts (and an all-zero row predicts nothing). That is the multi-class rule,
# applied to multi-label targets. Studied in {ref}`ch-f1`.

# %%
ran_on("keras")
scores = ranked_scores(THREAD_TARGETS)
metric = keras.metrics.F1Score(average="micro")  # threshold=None by default
metric.update_state(THREAD_TARGETS.astype("float32"), scores.astype("float32"))
top_none = float(metric.result())
glue("faq-top-none", top_none, display=False)
top_none

# %% [markdown]
# **Fix.** Pass `threshold=` explicitly (here `threshold=0.5`, or a threshold
# tuned on validation):

# %%
top_fixed = float(keras_f1(THREAD_TARGETS, scores, average="micro", threshold=0.5))
glue("faq-top-fixed", top_fixed, display=False)
pd.Series(
    {
        "F1Score(average='micro')": top_none,
        "F1Score(average='micro', threshold=0.5)": top_fixed,
        "labels predicted per film, threshold=None": keras_top_decode(scores).sum(axis=1).tolist(),
        "true labels per film": THREAD_TARGETS.sum(axis=1).tolist(),
    },
    name="thread's two films",
).to_frame()

# %% [markdown]
# ## A batch-averaged F1 is not the epoch's F1
#
# **Symptom.** The same model, evaluated on the same documents, shows two
# different F1 values for a rare genre (on {glue:text}`faq-batch-rare-share:.1%`
# of documents): {glue:text}`faq-batch-recipe:.3f` from a custom `f1_recipe`
# metric and {glue:text}`faq-batch-epoch:.3f` from `keras.metrics.F1Score`.
#
# **Cause.** Keras dropped its built-in F1 metric years before Keras 3, and the
# recipe that replaced it on forums is a plain function of one batch's
# tensors. Keras, then and now, averages a function metric over batches; F1 is
# not an average of per-batch scores: a batch in which the rare genre has no
# true and no predicted document scores zero and pulls the mean down, and the
# smaller the batches, the more such batches. `F1Score`
# accumulates true positives, false positives and false negatives over the
# epoch and divides once. Studied in {ref}`ch-f1`.

# %%
ran_on("keras")
ops = keras.ops


def f1_recipe(y_true, y_pred):  # the widely copied Keras 2 recipe, ported to keras.ops
    true_positives = ops.sum(ops.round(ops.clip(y_true * y_pred, 0, 1)))
    predicted = ops.sum(ops.round(ops.clip(y_pred, 0, 1)))
    actual = ops.sum(ops.round(ops.clip(y_true, 0, 1)))
    precision = true_positives / (predicted + keras.backend.epsilon())
    recall = true_positives / (actual + keras.backend.epsilon())
    return 2 * precision * recall / (precision + recall + keras.backend.epsilon())


# A "model" that outputs the known posterior probability of the rarest genre:
# only the metric differs between the two numbers.
rare = slice(Y_synthetic.shape[1] - 1, None)
X_rare, Y_rare = (
    P_synthetic[:2000, rare].astype("float32"),
    Y_synthetic[:2000, rare].astype("float32"),
)
model = keras.Sequential([keras.Input((1,)), keras.layers.Identity()])
model.compile(
    loss="binary_crossentropy",
    metrics=[f1_recipe, keras.metrics.F1Score(average="micro", threshold=0.5, name="f1_epoch")],
)
batch_size = 32
evaluated = model.evaluate(X_rare, Y_rare, batch_size=batch_size, verbose=0, return_dict=True)
glue("faq-batch-recipe", float(evaluated["f1_recipe"]), display=False)
glue("faq-batch-epoch", float(evaluated["f1_epoch"]), display=False)
glue("faq-batch-size", batch_size, display=False)
glue("faq-batch-rare-share", float(Y_rare.mean()), display=False)
pd.Series(evaluated).drop("loss").rename(f"batch_size={batch_size}").to_frame()

# %% [markdown]
# **Fix.** Use `keras.metrics.F1Score(average="micro", threshold=0.5)` (or
# compute F1 once on all predictions after the epoch). Its number does not
# depend on the batch size and is the one the referee computes from pooled
# counts; the recipe's moves with the batch size:

# %%
by_batch_size = {
    size: model.evaluate(X_rare, Y_rare, batch_size=size, verbose=0, return_dict=True)
    for size in (16, 32, 64)
}
table = pd.DataFrame(by_batch_size).drop("loss").rename_axis(columns="batch_size")
table.loc["genrebench.metrics, pooled counts"] = f1_modes(Y_rare, X_rare > 0.5).micro
table.round(4)

# %% [markdown]
# ## `f1_score` on probabilities
#
# **Symptom.** `sklearn.metrics.f1_score(Y_true, model.predict(X), average="micro")`
# stops with a `ValueError`: "{glue:text}`faq-mix-error`".
#
# **Cause.** scikit-learn's F1 takes label decisions, never scores: it sees
# multi-hot targets and a matrix of floats, two different kinds of target it
# refuses to compare. There is no `threshold=` argument to help. Studied in
# {ref}`ch-f1`.

# %%
ran_on("scikit-learn")
try:
    f1_score(THREAD_TARGETS, scores, average="micro", zero_division=0)
except ValueError as error:
    mix_error = str(error)
glue("faq-mix-error", mix_error, display=False)
print("ValueError:", mix_error)

# %% [markdown]
# **Fix.** Decide first, then score: threshold the probabilities yourself (with
# the threshold you would deploy).

# %%
f1_score(THREAD_TARGETS, (scores > 0.5).astype(int), average="micro", zero_division=0)

# %% [markdown]
# ## The default `average="binary"` on multi-hot targets
#
# **Symptom.** `f1_score(Y_true, Y_pred)` on multi-hot arrays of zeros and ones stops with
# a `ValueError`: "{glue:text}`faq-binary-error`"
#
# **Cause.** scikit-learn's default is `average="binary"`, the F1 of the
# positive class of one yes/no problem. Multi-hot targets are several yes/no
# problems, and scikit-learn will not choose how to combine them for you.
# Studied in {ref}`ch-f1`.

# %%
ran_on("scikit-learn")
predicted = (scores > 0.5).astype(int)
try:
    f1_score(THREAD_TARGETS, predicted)
except ValueError as error:
    binary_error = str(error)
glue("faq-binary-error", binary_error, display=False)
print("ValueError:", binary_error)

# %% [markdown]
# **Fix.** Write the average out: `average=None` is each genre's binary F1,
# and `"micro"`, `"macro"`, `"weighted"` and `"samples"` are summaries of those
# same binary problems ({ref}`ch-f1` shows which answers which question).

# %%
pd.Series(
    {
        str(average): f1_score(THREAD_TARGETS, predicted, average=average, zero_division=0)
        for average in ("micro", "macro", "weighted", "samples")
    },
    name="F1",
).to_frame()

# %% [markdown]
# ## `zero_division` decides macro-F1
#
# **Symptom.** scikit-learn warns "{glue:text}`faq-zero-warning`", and macro-F1
# of the same predictions is {glue:text}`faq-zero-0:.3f`,
# {glue:text}`faq-zero-1:.3f` or {glue:text}`faq-zero-nan:.3f` depending on
# `zero_division`.
#
# **Cause.** A genre with no true and no predicted document has an F1 of zero
# divided by zero. scikit-learn's default `zero_division="warn"` scores it zero
# and warns;
# `zero_division=1` calls it perfect; `zero_division=np.nan` leaves it out of
# the macro mean, so macro-F1 then averages over fewer genres. Keras has no such
# setting: an epsilon in its denominators makes the genre zero. On a test split
# with rare genres, macro-F1 is partly a statement about this setting. Studied
# in {ref}`ch-f1`.

# %%
ran_on("scikit-learn", "keras")
truth = np.array([[1, 0, 0], [1, 1, 0]])
guess = np.array([[1, 0, 0], [1, 0, 0]])  # the third genre: never true, never predicted
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    macro_warn = f1_score(truth, guess, average="macro")
zero_warning = str(caught[0].message) if caught else ""
glue("faq-zero-warning", zero_warning, display=False)
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
glue("faq-zero-0", float(zero_table.iloc[1]), display=False)
glue("faq-zero-1", float(zero_table.iloc[2]), display=False)
glue("faq-zero-nan", float(zero_table.iloc[3]), display=False)
print("UndefinedMetricWarning:", zero_warning)
zero_table.round(4).to_frame()

# %% [markdown]
# **Fix.** Pass `zero_division=` explicitly and say which. This book pins
# `zero_division=0` everywhere, which matches Keras; `genrebench.metrics`
# reports how many genres were predicted and present (`support`, `predicted`),
# so the reader can see how many genres a macro-F1 was decided by:

# %%
f1_modes(truth, guess, zero_division=0).per_label

# %% [markdown]
# ## Logits treated as probabilities
#
# **Symptom.** A model ending in a linear layer, trained with
# `from_logits=True`, reports a lower F1 than its probabilities deserve
# ({glue:text}`faq-logit-wrong:.3f` instead of {glue:text}`faq-logit-right:.3f`
# here); or a model ending in a sigmoid scores a loss of
# {glue:text}`faq-double-floor:.3f` on perfect predictions of the thread's two
# films, where the loss should be about zero.
#
# **Cause.** `F1Score(threshold=0.5)` compares whatever it receives with one
# half; on logits that is a probability threshold of `sigmoid(0.5)` =
# {glue:text}`faq-logit-threshold:.3f`, and the metric refuses
# `threshold=0.0` (its threshold must lie in `(0, 1]`). The other way round,
# `BinaryCrossentropy(from_logits=True)` after a sigmoid applies the sigmoid a
# second time: a perfect output of ones and zeros becomes
# {glue:text}`faq-double-one:.3f` and {glue:text}`faq-double-zero:.3f`.
# Neither raises an error. Studied in {ref}`ch-heads`.

# %%
ran_on("keras")
logits = np.log(P_synthetic / (1 - P_synthetic)).clip(-30, 30)
probabilities = np.asarray(ops.sigmoid(logits))
logit_wrong = float(keras_f1(Y_synthetic, logits, average="micro", threshold=0.5))
logit_right = float(keras_f1(Y_synthetic, probabilities, average="micro", threshold=0.5))
perfect = THREAD_TARGETS.astype("float32")  # a sigmoid's best possible output
double = float(keras.losses.BinaryCrossentropy(from_logits=True)(perfect, perfect))
single = float(keras.losses.BinaryCrossentropy()(perfect, perfect))
glue("faq-logit-wrong", logit_wrong, display=False)
glue("faq-logit-right", logit_right, display=False)
glue("faq-logit-threshold", float(ops.sigmoid(0.5)), display=False)
glue("faq-double-floor", double, display=False)
glue("faq-double-one", float(ops.sigmoid(1.0)), display=False)
glue("faq-double-zero", float(ops.sigmoid(0.0)), display=False)
pd.Series(
    {
        "F1Score(micro, threshold=0.5) on logits": logit_wrong,
        "F1Score(micro, threshold=0.5) on sigmoid(logits)": logit_right,
        "BCE(from_logits=True) after a sigmoid, perfect output": double,
        "BCE(from_logits=False) after a sigmoid, perfect output": single,
    },
    name="value",
).round(4).to_frame()

# %% [markdown]
# **Fix.** Match `from_logits=` to the last layer, and give `F1Score`
# probabilities. With a linear last layer and
# `BinaryCrossentropy(from_logits=True)`, wrap the metric so it sees
# probabilities:

# %%


class F1OnLogits(keras.metrics.F1Score):
    def update_state(self, y_true, y_pred, sample_weight=None):
        super().update_state(y_true, keras.ops.sigmoid(y_pred), sample_weight)


wrapped = F1OnLogits(average="micro", threshold=0.5)
wrapped.update_state(Y_synthetic.astype("float32"), logits.astype("float32"))
float(wrapped.result())

# %% [markdown]
# ## `OneVsRestClassifier` drops tuned thresholds
#
# **Symptom.** Wrapping `TunedThresholdClassifierCV` in `OneVsRestClassifier`
# trains {glue:text}`faq-ovr-labels` tuned thresholds (from
# {glue:text}`faq-ovr-min:.2f` to {glue:text}`faq-ovr-max:.2f`), yet its
# predictions are exactly `predict_proba(X) > 0.5`; the same estimator in
# `MultiOutputClassifier` changes {glue:text}`faq-ovr-changed` of the
# {glue:text}`faq-ovr-cells` test decisions.
#
# **Cause.** For multi-label targets, `OneVsRestClassifier.predict` calls each
# estimator's `predict_proba` (or `decision_function`) and applies its own
# fixed cut, never the estimator's `predict`; the tuned threshold lives only in
# `predict` (reported to scikit-learn as
# [a bug](https://github.com/scikit-learn/scikit-learn/issues/30036)). `MultiOutputClassifier.predict` calls
# each estimator's `predict`. Studied in {ref}`ch-decoding`.

# %%
ran_on("scikit-learn")
rng = np.random.default_rng(0)
X = (P_synthetic + rng.normal(0, 0.2, P_synthetic.shape))[:1500]  # a noisy view of the labels
train, test = slice(0, 1000), slice(1000, 1500)
# 20 candidate thresholds per label (the default is 100): enough to show the effect.
tuned = TunedThresholdClassifierCV(LogisticRegression(), scoring="f1", cv=3, thresholds=20)
ovr = OneVsRestClassifier(tuned).fit(X[train], Y_synthetic[train])
multi = MultiOutputClassifier(tuned).fit(X[train], Y_synthetic[train])
thresholds = np.array([estimator.best_threshold_ for estimator in ovr.estimators_])
ovr_predicted, multi_predicted = ovr.predict(X[test]), multi.predict(X[test])
ovr_cut = bool((ovr_predicted == (ovr.predict_proba(X[test]) > 0.5)).all())
glue("faq-ovr-labels", len(thresholds), display=False)
glue("faq-ovr-min", float(thresholds.min()), display=False)
glue("faq-ovr-max", float(thresholds.max()), display=False)
glue("faq-ovr-changed", int((ovr_predicted != multi_predicted).sum()), display=False)
glue("faq-ovr-cells", ovr_predicted.size, display=False)
glue("faq-ovr-macro", f1_modes(Y_synthetic[test], ovr_predicted).macro, display=False)
glue("faq-multi-macro", f1_modes(Y_synthetic[test], multi_predicted).macro, display=False)
pd.Series(
    {
        "OneVsRest predictions == predict_proba > 0.5": ovr_cut,
        "decisions that differ from MultiOutput": int((ovr_predicted != multi_predicted).sum()),
        "macro-F1, OneVsRest(TunedThresholdClassifierCV)": f1_modes(
            Y_synthetic[test], ovr_predicted
        ).macro,
        "macro-F1, MultiOutput(TunedThresholdClassifierCV)": f1_modes(
            Y_synthetic[test], multi_predicted
        ).macro,
    },
    name="value",
).to_frame()

# %% [markdown]
# **Fix.** Use `MultiOutputClassifier` (or tune the thresholds yourself on
# validation scores, as `genrebench.decode.PerLabelThreshold` does); check that
# each estimator's `predict` is what you get:

# %%
manual = np.column_stack([estimator.predict(X[test]) for estimator in multi.estimators_])
bool((manual == multi_predicted).all())

# %% [markdown]
# Or let `genrebench.tuning` tune the rule for the F1 average you report: its
# `TunedMultiLabelClassifier` holds out part of the training data, tunes the
# book's {term}`decoder` for that average on it (here one threshold per genre, for
# macro-F1), then refits the classifier on all the training data. The cell
# prints its test macro-F1:

# %%
model = TunedMultiLabelClassifier(OneVsRestClassifier(LogisticRegression()), metric="macro")
f1_modes(Y_synthetic[test], model.fit(X[train], Y_synthetic[train]).predict(X[test])).macro

# %% [markdown]
# ## Binary accuracy rewards predicting nothing
#
# **Symptom.** A model that predicts no genre for any document scores binary
# accuracy {glue:text}`faq-accuracy-nothing:.3f`, close to the
# {glue:text}`faq-accuracy-bayes:.3f` of the best possible decisions, while
# its micro-F1 is {glue:text}`faq-f1-nothing:.3f`.
#
# **Cause.** `keras.metrics.BinaryAccuracy` (and `metrics=["accuracy"]` with
# a sigmoid head) averages over every document-genre cell, and with
# {glue:text}`faq-cardinality:.1f` genres per document out of
# {glue:text}`faq-n-labels`, most cells are negatives. Studied in
# {ref}`ch-data`.

# %%
ran_on("keras")
nothing = np.zeros_like(Y_synthetic, dtype="float32")
bayes = (P_synthetic > 0.5).astype("float32")


def binary_accuracy(predicted):
    accuracy = keras.metrics.BinaryAccuracy(threshold=0.5)
    accuracy.update_state(Y_synthetic.astype("float32"), predicted)
    return float(accuracy.result())


glue("faq-accuracy-nothing", binary_accuracy(nothing), display=False)
glue("faq-accuracy-bayes", binary_accuracy(bayes), display=False)
glue("faq-f1-nothing", f1_modes(Y_synthetic, nothing).micro, display=False)
glue("faq-cardinality", float(Y_synthetic.sum(axis=1).mean()), display=False)
glue("faq-n-labels", Y_synthetic.shape[1], display=False)
pd.DataFrame(
    {
        "binary accuracy": [binary_accuracy(nothing), binary_accuracy(bayes)],
        "micro-F1": [f1_modes(Y_synthetic, nothing).micro, f1_modes(Y_synthetic, bayes).micro],
    },
    index=["predict nothing", "posterior > 0.5 (Bayes scores)"],
)

# %% [markdown]
# **Fix.** Monitor `F1Score(average="micro", threshold=0.5)` (and the
# per-genre F1, `average=None`), not accuracy; if you report accuracy, report
# it next to the all-negative baseline's. The subset accuracy (whole set right)
# is a stricter alternative.

# %%
pd.Series(
    {
        "subset accuracy, predict nothing": float((nothing == Y_synthetic).all(axis=1).mean()),
        "subset accuracy, posterior > 0.5": float((bayes == Y_synthetic).all(axis=1).mean()),
    },
    name="value",
).to_frame()

# %% [markdown]
# ## Softmax with `threshold=0.5` cannot output two genres
#
# **Symptom.** A softmax model with `threshold=0.5` never predicts more than
# one genre, so films with several genres are never right: on the thread's
# two films, given logits that rank every true genre first, it predicts
# {glue:text}`faq-softmax-labels` of their {glue:text}`faq-thread-true`
# genres.
#
# **Cause.** Softmax outputs sum to one, so at most one can exceed one half,
# and when the mass is shared among several true genres, none does. Sigmoid
# outputs are separate probabilities per genre. Studied in {ref}`ch-heads`
# and {ref}`ch-question`.

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
glue(
    "faq-softmax-labels",
    int(recovery.loc[recovery["head"] == "softmax", "labels > 0.5"].sum()),
    display=False,
)
glue("faq-thread-true", int(THREAD_TARGETS.sum()), display=False)
recovery[["head", "document", "true labels", "top score", "labels > 0.5", "exact set"]].round(3)

# %% [markdown]
# **Fix.** For multi-label targets use a sigmoid head with binary
# cross-entropy and a threshold; if you keep softmax scores, decode them by
# rank (top-k) or with thresholds tuned on validation, never with `threshold=0.5`
# ({ref}`ch-decoding` compares the decoders).

# %%
softmax_scores = np.asarray(ops.softmax(thread_logits, axis=-1))
pd.Series(
    {
        "softmax, threshold 0.5": f1_modes(THREAD_TARGETS, softmax_scores > 0.5).micro,
        "softmax, top 2": f1_modes(THREAD_TARGETS, top_k_decode(softmax_scores, 2)).micro,
        "sigmoid, threshold 0.5": f1_modes(
            THREAD_TARGETS, np.asarray(ops.sigmoid(thread_logits)) > 0.5
        ).micro,
    },
    name="micro-F1",
).to_frame()

# %% [markdown]
# ## Tuning the threshold on the test split
#
# **Symptom.** Per-genre thresholds tuned on the test split give a macro-F1
# that the model never reaches again: on {glue:text}`faq-optimism-repeats`
# test splits of {glue:text}`faq-optimism-test-size` documents, the reported
# macro-F1 averages {glue:text}`faq-optimism-reported:.3f`, the same
# thresholds reach {glue:text}`faq-optimism-fresh:.3f` on fresh documents.
#
# **Cause.** The thresholds are fitted to the noise of the very documents they
# are scored on, most of all for rare genres with a handful of positives. One
# shared threshold has one degree of freedom and flatters micro-F1 less
# ({glue:text}`faq-optimism-micro:.3f` here). The scores are the exact
# posterior marginals of synthetic documents, so no model is involved. Studied
# in {ref}`ch-decoding` and {ref}`ch-sweeps`.

# %%
ran_on("numpy")
test_size, repeats = 150, 100
optimism = {
    mode: tuning_on_test_optimism(
        Y_synthetic, P_synthetic, decoder, mode=mode, test_size=test_size, repeats=repeats,
        seed=0, fresh_size=2000,
    ).mean()
    for mode, decoder in (("macro", PerLabelThreshold(min_positives=1)), ("micro", GlobalThreshold()))
}  # fmt: skip
optimism = pd.DataFrame(optimism).T.rename_axis("F1 (tuned decoder)")
gap = optimism["reported, tuned on test"] - optimism["fresh, tuned on test"]
for key, value in {
    "faq-optimism-macro": gap["macro"],
    "faq-optimism-micro": gap["micro"],
    "faq-optimism-reported": optimism.loc["macro", "reported, tuned on test"],
    "faq-optimism-fresh": optimism.loc["macro", "fresh, tuned on test"],
    "faq-optimism-val-reported": optimism.loc["macro", "reported, tuned on validation"],
    "faq-optimism-val-fresh": optimism.loc["macro", "fresh, tuned on validation"],
}.items():
    glue(key, float(value), display=False)
glue("faq-optimism-test-size", test_size, display=False)
glue("faq-optimism-repeats", repeats, display=False)
optimism.round(3)

# %% [markdown]
# **Fix.** Tune on a validation split and score the test split once.
# Validation-tuned thresholds are not flattered: reported on the test split
# they average {glue:text}`faq-optimism-val-reported:.3f`, against
# {glue:text}`faq-optimism-val-fresh:.3f` on fresh documents. (A small split,
# where a rare genre may have no positive document, tends to understate
# macro-F1, not overstate it.)

# %%
optimism[["reported, tuned on validation", "fresh, tuned on validation"]].round(3)

# %% [markdown]
# ## Micro-F1 is accuracy on single-label data
#
# **Symptom.** On a multi-class problem (one genre per film), micro-F1 and
# accuracy are the same number, {glue:text}`faq-micro-accuracy:.3f` here:
# reporting both says the same thing twice.
#
# **Cause.** With exactly one true and one predicted class per document, every
# error is one false positive and one false negative at once, so pooled
# precision, pooled recall and micro-F1 all equal the share of documents
# right. Studied in {ref}`ch-sweeps`, where exactly one label per document
# is the case in which softmax and sigmoid meet.

# %%
ran_on("scikit-learn")
rng = np.random.default_rng(0)
classes_true = rng.integers(0, 5, size=200)
classes_pred = np.where(rng.random(200) < 0.7, classes_true, rng.integers(0, 5, size=200))
micro = f1_score(classes_true, classes_pred, average="micro")
accuracy = accuracy_score(classes_true, classes_pred)
glue("faq-micro-accuracy", float(micro), display=False)
pd.Series({"f1_score(average='micro')": micro, "accuracy_score": accuracy}, name="value").to_frame()

# %% [markdown]
# **Fix.** On single-label data report accuracy and macro-F1 (or per-class F1,
# `average=None`), which weighs rare classes; micro-F1 adds nothing.

# %%
pd.Series(
    {
        str(average): f1_score(classes_true, classes_pred, average=average)
        for average in ("micro", "macro", "weighted")
    },
    name="F1",
).to_frame()

# %% [markdown]
# ## What the libraries do by default
#
# {numref}`tbl-faq-audit` puts the same questions to scikit-learn's
# `f1_score` and Keras' `F1Score`, on a fixed case of four documents and four
# genres (the last genre never true and never predicted). Every cell is
# written from what the call returned or raised on the installed versions,
# printed below; a test checks the numbers in it against
# `genrebench.metrics`.

# %%
versions = library_versions()
print("ran on " + ", ".join(f"{name} {value}" for name, value in versions.items()))
audit = audit_table(probe_sklearn() + probe_keras(), versions)
with pd.option_context("display.max_colwidth", None):  # answers are sentences: show them whole
    glue("tbl-faq-audit-table", audit, display=False)

# %% [markdown]
# ```{glue:figure} tbl-faq-audit-table
# :name: tbl-faq-audit
#
# scikit-learn's `f1_score` and Keras' `F1Score` asked the same questions by
# calling them. Numbers are their results on the audit's four-document probe.
# ```

# %% [markdown]
# ## An F1 calculator
#
# Paste targets (one multi-hot row per line, numbers separated by spaces or
# commas; `[[0, 1], [1, 0]]` works too) and either scores or predictions of
# zeros and ones,
# then pick a threshold. A score counts as a positive when it is greater than
# the threshold, as in Keras. "None" applies Keras' default `threshold=None`:
# each row's top score (and every score tied with it) is the only positive.
# Every F1 uses `zero_division=0`, like `genrebench.metrics` and Keras. The
# calculator runs in your browser; nothing is sent anywhere.
#
# ```{raw} html
# <div id="f1-calculator" class="f1-calculator">
#   <noscript>The F1 calculator needs JavaScript.</noscript>
# </div>
# ```

# %% [markdown]
# ## Summary
#
# - Keras' `F1Score` defaults to `threshold=None`, the multi-class rule: on the
#   thread's two films it reports {glue:text}`faq-top-none:.3f` for scores that
#   deserve {glue:text}`faq-top-fixed:.3f`. Always pass `threshold=`.
# - A batch-averaged F1 function is not F1: {glue:text}`faq-batch-recipe:.3f`
#   against {glue:text}`faq-batch-epoch:.3f` for the epoch's counts, on
#   batches of {glue:text}`faq-batch-size`.
# - scikit-learn's `f1_score` takes decisions, not scores, and needs an
#   explicit `average=` on multi-hot targets; its `zero_division` moves
#   macro-F1 from {glue:text}`faq-zero-0:.3f` to
#   {glue:text}`faq-zero-1:.3f` on a three-genre example.
# - Logits compared with `threshold=0.5` are probabilities thresholded at
#   {glue:text}`faq-logit-threshold:.3f`; a sigmoid fed to a
#   `from_logits=True` loss scores perfect predictions at
#   {glue:text}`faq-double-floor:.3f`.
# - `OneVsRestClassifier` ignores `TunedThresholdClassifierCV`'s thresholds
#   (macro-F1 {glue:text}`faq-ovr-macro:.3f`); `MultiOutputClassifier` keeps
#   them ({glue:text}`faq-multi-macro:.3f`).
# - Binary accuracy gives an empty prediction
#   {glue:text}`faq-accuracy-nothing:.3f`; report F1 instead.
# - Softmax with `threshold=0.5` finds {glue:text}`faq-softmax-labels` of the
#   thread's {glue:text}`faq-thread-true` genres; decode it by rank or tuned
#   thresholds, or use a sigmoid head.
# - Per-genre thresholds tuned on the test split overstate macro-F1 by
#   {glue:text}`faq-optimism-macro:.3f`; tune on validation.
# - On single-label data micro-F1 is accuracy
#   ({glue:text}`faq-micro-accuracy:.3f` both): report macro-F1 beside it.
