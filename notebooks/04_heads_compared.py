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
# (ch-heads)=
# # Sigmoid or softmax?
#
# ```{admonition} Key result
# :class: tip
# Three output heads share one backbone, one training budget, the same
# hyperparameter search and the same {glue:text}`heads-n-seeds` training seeds.
# Decoded with the default `threshold=0.5`, the sigmoid head with binary
# cross-entropy reaches a test micro-F1 of
# {glue:text}`heads-sigmoid_bce-threshold_0.5-f1_micro` and softmax with categorical
# cross-entropy on the raw targets {glue:text}`heads-softmax_cce-threshold_0.5-f1_micro`.
# A global threshold tuned on validation takes the softmax head
# {glue:text}`heads-softmax_cce-gap-closed:.0%` of the way to the tuned sigmoid head,
# which {glue:text}`heads-verdict-softmax_cce-global_tuned-f1_micro` it: sigmoid minus
# softmax is {glue:text}`heads-diff-softmax_cce-global_tuned-f1_micro` in micro-F1 and
# {glue:text}`heads-diff-softmax_cce-global_tuned-f1_macro` in macro-F1, both under
# that one tuned threshold (paired by seed, 95% intervals over the seeds of this
# one split; {ref}`ch-travel` repeats the comparison over splits and datasets). As rankers of a film's genres, precision at one (the
# share of films whose top-scored genre is true) is
# {glue:text}`heads-sigmoid_bce-scores-pat1` for the sigmoid head and
# {glue:text}`heads-softmax_cce-scores-pat1` for softmax.
# ```

# %%
import json
import statistics

import pandas as pd

from genrebench.book.glue import glue
from genrebench.experiments import protocol
from genrebench.experiments.cache import prepare_cached
from genrebench.experiments.optimisers import compare_optimisers
from genrebench.experiments.study import run_family_study, run_heads_study
from genrebench.files import project_root
from genrebench.losses import keras_cce_gradients
from genrebench.results.answers import optimiser_finding
from genrebench.results.family import (
    FAMILY_ALPHA,
    family_answer,
    family_differences,
    family_finding,
    family_heads_table,
    family_table,
)
from genrebench.results.figures import render_figure
from genrebench.results.heads import analyse
from genrebench.results.levers import decoder_steps, one_split_levers, steps_table
from genrebench.results.statistics import format_interval, gap_closed, verdict
from genrebench.results.tables import (
    curve_minima,
    curve_table,
    empty_share,
    interval_table,
    optimiser_differences,
    optimiser_primary,
    optimiser_table,
    paired_table,
    results_summary,
    search_table,
)
from genrebench.results.wording import grid_growth_phrase, halves_clause, values_phrase

glue("heads-n-seeds", len(protocol.SEEDS), display=False)
glue("heads-n-boot", protocol.N_BOOTSTRAP, display=False)
glue("heads-n-lrs", len(protocol.SEARCH_LEARNING_RATES), display=False)
glue("heads-epochs-text", ", ".join(map(str, protocol.SNAPSHOT_EPOCHS)), display=False)

# %% [markdown]
# ## The set-up
#
# The data are the films of {ref}`ch-data`, split by iterative
# stratification into training, validation and test sets; the text features
# are TF-IDF weights fitted on the training films only.

# %%
dataset = protocol.load_built_in("films")
prepared = prepare_cached(dataset, split_seed=protocol.SPLIT_SEED)
sizes = pd.Series(prepared.info["documents"], name="films")
for split_name, count in sizes.items():
    glue(f"heads-n-{split_name}", int(count), display=False)
glue("heads-n-features", int(prepared.info["features"]), display=False)
glue("heads-n-labels", len(prepared.label_names), display=False)
glue("heads-hidden-units", protocol.HIDDEN_UNITS, display=False)
glue("heads-dropout", f"{protocol.DROPOUT:g}", display=False)
sizes.to_frame().T

# %% [markdown]
# That is {glue:text}`heads-n-train` training, {glue:text}`heads-n-val`
# validation and {glue:text}`heads-n-test` test films, with
# {glue:text}`heads-n-features` sparse features and
# {glue:text}`heads-n-labels` genres.
#
# The backbone maps the sparse features through one hidden layer of
# {glue:text}`heads-hidden-units` rectified linear units (dropout
# {glue:text}`heads-dropout` during training) to one logit $z_j$ per genre. Only
# the head changes. With
# multi-hot targets $y_j \in \{0, 1\}$ over $L$ genres, the sigmoid head
# minimises binary cross-entropy (BCE), averaged over genres,
#
# $$
# \ell_{\text{BCE}}(y, z) = -\frac{1}{L}\sum_{j=1}^{L}
# \left[y_j \log \sigma(z_j) + (1 - y_j) \log\bigl(1 - \sigma(z_j)\bigr)\right].
# $$ (eq-bce)
#
# The softmax head minimises categorical cross-entropy (CCE). Keras applies it
# to the multi-hot targets as they are, which adds up the loss of every true
# genre (the "pick-all-labels" reduction of {cite:t}`menon2019multilabel`):
#
# $$
# \ell_{\text{CCE}}(y, z) = -\sum_{j=1}^{L} y_j \log \operatorname{softmax}(z)_j .
# $$ (eq-cce)
#
# Keras reports this loss, but what it trains on depends on a setting most
# users never touch. With TensorFlow's default kernels, its categorical
# cross-entropy calls TensorFlow's fused softmax cross-entropy, which assumes
# that each target row sums to one and does not check it. It back-propagates
# $\operatorname{softmax}(z) - y$, the gradient of $-y^\top z + \log \sum_j
# e^{z_j}$. The gradient of {eq}`eq-cce` is $|y| \operatorname{softmax}(z) - y$,
# where $|y|$ is the film's number of genres. The same happens with a softmax
# activation and `from_logits=False`, because Keras then reads the logits from
# behind the activation. With op determinism enabled,
# `tf.config.experimental.enable_op_determinism()`, TensorFlow composes the loss
# from ordinary operations, and the gradient is the loss's own. The two agree
# only for a film with one genre. {numref}`tbl-heads-keras-gradient` shows them
# for a film with two of four genres. Every run in this book has op determinism
# on, for reproducibility, so the softmax + CCE head trains on {eq}`eq-cce`. A
# reader who follows the thread's recipe with default settings trains on
# $\operatorname{softmax}(z) - y$ instead.

# %%
example_y = [[1, 1, 0, 0]]
example_z = [[1.0, 0.5, -1.0, 0.2]]
gradients = keras_cce_gradients(example_y, example_z)
glue(
    "heads-keras-gradient",
    pd.DataFrame(
        {
            "target y": example_y[0],
            "logit z": example_z[0],
            **{name: values[0].round(3) for name, values in gradients.items()},
        },
        index=pd.Index(["genre A", "genre B", "genre C", "genre D"], name="genre"),
    ),
    display=False,
)

# %% [markdown]
# ```{glue:figure} heads-keras-gradient
# :name: tbl-heads-keras-gradient
#
# The gradient with respect to each logit for a film with genres A and B, as
# Keras's `CategoricalCrossentropy` back-propagates it with TensorFlow's default
# kernels ($\operatorname{softmax}(z) - y$) and with op determinism enabled,
# and the derivative of the loss it reports ($2\operatorname{softmax}(z) - y$).
# Computed by `genrebench.losses.keras_cce_gradients`.
# ```
#
# The normalised variant divides the targets by the film's number of genres
# first, as {cite:t}`mahajan2018exploring` do for hashtags:
#
# $$
# \ell_{\text{CCE-N}}(y, z) = -\sum_{j=1}^{L} \frac{y_j}{\sum_k y_k}
# \log \operatorname{softmax}(z)_j .
# $$ (eq-cce-norm)
#
# Its target rows sum to one, so Keras trains it on its true gradient.
#
# Every head and run trains with the same optimiser, lazy Adam: Adam
# {cite:p}`kingma2015adam` that, at each step, updates the input-layer weights
# and moment estimates only for the features present in the batch; the small
# layers above get ordinary Adam.
# {ref}`sec-heads-optimiser` checks whether this shortcut costs accuracy.
#
# Each head's scores then pass through the same {term}`decoders <decoder>`, all fitted on
# validation scores only: the fixed `threshold=0.5` (*one half* in the tables); one
# global threshold tuned for micro-F1 (*one tuned threshold*); one threshold per genre
# tuned for that genre's F1 (*a tuned threshold per label*); the single best genre
# (*top label*); the fewest top genres that cover a share of the film's score mass,
# the share tuned on validation (*top k by score mass*); the same rule with the share
# tuned for samples-F1 instead (*top k by mass, for samples-F1*); and, as a reference that no
# real system has, the top genres in the number the film truly has
# (*true count (oracle)*). Knowing that number is not a ceiling: a tuned decoder that
# ranks no better can still score higher, by predicting more genres where the
# ranking is sure and fewer where it is not.

# %% [markdown]
# ## The same search for every head
#
# Each head gets the same search, with training seed zero: it starts from
# {glue:text}`heads-n-lrs` learning rates, each read out after
# {glue:text}`heads-epochs-text` epochs. The setting with the best validation
# micro-F1 (best non-oracle decoder) is kept for that head; the search never
# sees the test films. When a head's choice lies on an edge of the grid (its
# lowest or highest learning rate, or its last epoch read out), the best
# setting may lie outside it: the grid then grows for every head, by the next
# learning rate on that side (rates step by about a factor of three) or the
# next epoch, and the search runs again, at most
# {glue:text}`heads-max-extensions` times. Here {glue:text}`heads-grid-growth`.
# {numref}`tbl-heads-search` shows the final search.

# %%
study = run_heads_study(prepared)
selected = study.selected.set_index("head")
for head in protocol.HEADS:
    glue(f"heads-lr-{head}", f"{selected.loc[head, 'learning_rate']:g}", display=False)
    glue(f"heads-epoch-{head}", int(selected.loc[head, "epoch"]), display=False)
glue("heads-search-table", search_table(study).round(3), display=False)
glue("heads-max-extensions", protocol.MAX_GRID_EXTENSIONS, display=False)
glue("heads-grid-growth", grid_growth_phrase(study.grid), display=False)

# %% [markdown]
# ```{glue:figure} heads-search-table
# :name: tbl-heads-search
#
# Validation micro-F1 of each head for each learning rate (rows) and epoch
# (columns) of the search: the best non-oracle decoder, training seed zero.
# ```
#
# The search keeps a learning rate of {glue:text}`heads-lr-sigmoid_bce` and
# {glue:text}`heads-epoch-sigmoid_bce` epochs for sigmoid + BCE,
# {glue:text}`heads-lr-softmax_cce` and {glue:text}`heads-epoch-softmax_cce`
# for softmax + CCE, and {glue:text}`heads-lr-softmax_cce_norm` and
# {glue:text}`heads-epoch-softmax_cce_norm` for softmax + CCE on normalised targets.

# %% [markdown]
# ## Results on the test films
#
# {numref}`tbl-heads-results` gives every head under every decoder: the mean
# over {glue:text}`heads-n-seeds` training seeds and a 95% Student-t interval
# over those seeds.

# %%
analysis = analyse(study, prepared, nouns=dataset.nouns)
glue("heads-results-table", interval_table(analysis.summary, analysis.heads), display=False)


def interval(head, decoder, metric):
    return format_interval(*analysis.interval(head, decoder, metric))


# The intervals the prose cites, glued as heads-<head>-<decoder>-<metric>.
CITED = [
    (head, decoder, "f1_micro")
    for head in ("sigmoid_bce", "softmax_cce")
    for decoder in ("threshold_0.5", "global_tuned", "topk_mass")
]
CITED += [(head, "scores", metric) for head in analysis.heads for metric in ("p@1", "r@3")]
for head, decoder, metric in CITED:
    key = f"heads-{head}-{decoder}-{metric.replace('@', 'at')}"
    glue(key, interval(head, decoder, metric), display=False)

# %% [markdown]
# ```{glue:figure} heads-results-table
# :name: tbl-heads-results
#
# Test F1 of each head and decoder, mean over training seeds with a 95%
# interval over seeds. Decoders are fitted on validation; the oracle knows
# each film's true number of genres: a reference, not a method (and not a
# bound on the others).
# ```
#
# The scikit-learn baseline people would reach for, one-vs-rest logistic
# regression on the same features with its regularisation strength chosen on
# validation ($C$ = {glue:text}`heads-base-C`), has no training seed: its
# interval is a 95% bootstrap interval over the test films
# ({glue:text}`heads-n-boot` resamples; {numref}`tbl-heads-baseline`).
# {numref}`fig-heads-f1-by-decoder` puts the heads and the baseline side by side.

# %%
glue("heads-base-C", f"{study.baseline.C:g}", display=False)
row = analysis.baseline.query("decoder == 'global_tuned' and metric == 'f1_micro'").iloc[0]
glue(
    "heads-base-global_tuned-f1_micro",
    format_interval(row["mean"], row["low"], row["high"]),
    display=False,
)
glue(
    "heads-baseline-table",
    interval_table(
        analysis.baseline,
        ["ovr_logreg"],
        decoders=("threshold_0.5", "global_tuned", "per_label_tuned"),
    ),
    display=False,
)

# %% [markdown]
# ```{glue:figure} heads-baseline-table
# :name: tbl-heads-baseline
#
# Test F1 of the one-vs-rest logistic-regression baseline (`ovr_logreg`) under
# one half, one threshold tuned on validation and one threshold per genre tuned
# on validation, with 95% bootstrap intervals over the test films.
# ```

# %%
for head in ("sigmoid_bce", "softmax_cce"):
    glue(f"heads-{head}-empty", float(empty_share(study, head).mean()), display=False)
glue(
    "heads-softmax_cce-gap-closed",
    gap_closed(
        start=analysis.interval("softmax_cce", "threshold_0.5", "f1_micro")[0],
        end=analysis.interval("softmax_cce", "global_tuned", "f1_micro")[0],
        target=analysis.interval("sigmoid_bce", "global_tuned", "f1_micro")[0],
    ),
    display=False,
)

# %% tags=["hide-input"] mystnb={"figure": {"caption": "Test micro-F1 of each head under each decoder: mean over training seeds and 95% interval over seeds. Grey ticks: the one-vs-rest logistic-regression baseline under the same decoder. The oracle row knows each film's number of genres: a reference, not a method, and not a bound on the others.", "name": "fig-heads-f1-by-decoder"}}
figure = render_figure("fig-heads-f1-by-decoder", nouns=analysis.nouns, analysis=analysis)

# %% [markdown]
# Under the fixed `threshold=0.5`, sigmoid + BCE reaches a micro-F1 of
# {glue:text}`heads-sigmoid_bce-threshold_0.5-f1_micro` and softmax + CCE
# {glue:text}`heads-softmax_cce-threshold_0.5-f1_micro`: at most one softmax score can
# exceed one half, so the softmax heads predict at most one genre per film, and
# softmax + CCE predicts none at all for {glue:text}`heads-softmax_cce-empty:.0%` of the
# test films (sigmoid + BCE: {glue:text}`heads-sigmoid_bce-empty:.0%`; means over seeds).
# Tuning one global threshold on validation lifts softmax + CCE to
# {glue:text}`heads-softmax_cce-global_tuned-f1_micro`, which covers
# {glue:text}`heads-softmax_cce-gap-closed:.0%` of the distance from its score at one half
# to the tuned sigmoid + BCE ({glue:text}`heads-sigmoid_bce-global_tuned-f1_micro`); the
# top-k-by-mass decoder gives softmax + CCE {glue:text}`heads-softmax_cce-topk_mass-f1_micro`.

# %% [markdown]
# ## Paired differences
#
# The heads share training seeds, so the fairest comparison subtracts their
# scores seed by seed. {numref}`fig-heads-paired` shows sigmoid + BCE minus
# each softmax head for every F1 average, under the global tuned threshold,
# the decoder that treats the heads most alike.

# %%
for other in analysis.others:
    for decoder, metric in (
        ("threshold_0.5", "f1_micro"),
        ("global_tuned", "f1_micro"),
        ("global_tuned", "f1_macro"),
    ):
        row = analysis.difference(other, decoder, metric)
        key = f"{other}-{decoder}-{metric}"
        glue(
            f"heads-diff-{key}",
            format_interval(row["mean_difference"], row["low"], row["high"]),
            display=False,
        )
        glue(
            f"heads-verdict-{key}",
            verdict(row["low"], row["high"], "beats", "trails", "is neither ahead of nor behind"),
            display=False,
        )
glue(
    "heads-paired-table",
    paired_table(analysis.differences, analysis.reference, "global_tuned"),
    display=False,
)

# %% tags=["hide-input"] mystnb={"figure": {"caption": "Paired test differences, sigmoid + BCE minus each softmax head, per F1 average, under one threshold tuned on validation: mean over training seeds with a 95% t-interval of the per-seed differences. Right of zero favours the sigmoid head.", "name": "fig-heads-paired"}}
figure = render_figure("fig-heads-paired", nouns=analysis.nouns, analysis=analysis)

# %% [markdown]
# ```{glue:figure} heads-paired-table
# :name: tbl-heads-paired
#
# The numbers of {numref}`fig-heads-paired`: sigmoid + BCE minus each softmax
# head on test under one threshold tuned on validation, mean
# over training seeds with a 95% t-interval of the per-seed differences, and on
# how many of the seeds sigmoid + BCE scores higher.
# ```

# %% [markdown]
# (sec-heads-levers)=
# ## The decoder, a step at a time
#
# How much of a head's F1 belongs to its decoder? {numref}`tbl-heads-steps`
# follows each head from a fixed threshold of one half through one threshold
# tuned on validation and one threshold per genre to the decoder consistent with
# its loss (for the softmax heads, the shares times a predicted genre count; for
# the sigmoid head, its one tuned threshold again). On this split, one tuned
# threshold adds {glue:text}`heads-step-sigmoid_bce` to the micro-F1 of
# sigmoid + BCE and {glue:text}`heads-step-softmax_cce` to that of
# softmax + CCE, while the largest difference between two heads so decoded is
# {glue:text}`heads-lever-head` ({numref}`fig-heads-levers`). The intervals
# here cover this split's training seeds only; {ref}`sec-travel-levers`
# measures both {term}`levers <lever>` over splits and datasets.

# %% tags=["hide-input"]
steps = decoder_steps(study.metrics, analysis.heads)
levers = one_split_levers(steps, analysis.differences, analysis.reference, "films")
micro = steps[(steps["metric"] == "f1_micro") & (steps["step"] == "global_tuned")]
for row in micro.itertuples():
    glue(f"heads-step-{row.head}", format_interval(row.mean, row.low, row.high), display=False)
head_lever = levers.query("lever == 'head' and metric == 'f1_micro'").iloc[0]
glue(
    "heads-lever-head",
    format_interval(head_lever["mean"], head_lever["low"], head_lever["high"])
    + f" ({analysis.reference} − {head_lever['versus']})",
    display=False,
)
glue("heads-steps", steps_table(steps), display=False)

# %% tags=["hide-input"] mystnb={"figure": {"caption": "The two levers on one split of the films. Squares: how far sigmoid + BCE's test F1 moves when a fixed threshold of one half gives way to the decoder matched to the average, tuned on validation. Circles: the largest difference between sigmoid + BCE and another head, both under that decoder, drawn by its size. Mean over training seeds with a 95% interval over the seeds of this one split only.", "name": "fig-heads-levers"}}
figure = render_figure("fig-heads-levers", levers=levers)

# %% [markdown]
# ```{glue:figure} heads-steps
# :name: tbl-heads-steps
#
# Each head a decoder step at a time on one split of the films: test F1 at a
# fixed threshold of one half, then the gain over one half of one threshold
# tuned on validation, of one threshold per genre, and of the decoder consistent
# with the head's loss. Mean over training seeds with a 95% interval over the
# seeds of this split only.
# ```

# %% [markdown]
# ## Genre by genre
#
# Averages hide where a head wins. {numref}`fig-heads-per-genre` plots, for
# every genre, the test F1 of sigmoid + BCE minus that of each softmax head
# (per-genre thresholds tuned on validation, mean over seeds) against how
# common the genre is among training films.

# %%
per_genre = analysis.per_label_matched
rare = per_genre["train_share"] < per_genre["train_share"].median()
for other in analysis.others:
    difference = per_genre[analysis.reference] - per_genre[other]
    glue(f"heads-genre-wins-{other}", int((difference > 0).sum()), display=False)
    halves = [float(difference[mask].mean()) for mask in (rare, ~rare)]
    glue(
        f"heads-genre-halves-{other}",
        halves_clause(*halves, analysis.reference, other),
        display=False,
    )
glue(
    "heads-per-genre-table",
    per_genre.sort_values("train_share", ascending=False)
    .round(3)
    .rename(columns={"train_share": "share of training films"}),
    display=False,
)

# %% tags=["hide-input"] mystnb={"figure": {"caption": "Per-genre test F1 of sigmoid + BCE minus each softmax head (one threshold per genre tuned on validation; mean over training seeds) against the genre's share of training films. Points above zero favour the sigmoid head.", "name": "fig-heads-per-genre"}}
figure = render_figure("fig-heads-per-genre", nouns=analysis.nouns, analysis=analysis)

# %% [markdown]
# Over genres rarer than the median,
# {glue:text}`heads-genre-halves-softmax_cce`; sigmoid + BCE is ahead of
# softmax + CCE on {glue:text}`heads-genre-wins-softmax_cce` of the
# {glue:text}`heads-n-labels` genres ({numref}`tbl-heads-per-genre`).
#
# ```{glue:figure} heads-per-genre-table
# :name: tbl-heads-per-genre
#
# Test F1 per genre of each head under one threshold per genre tuned on
# validation, mean over training seeds, beside the genre's
# share of training films; the most common genre first.
# ```

# %% [markdown]
# ## Training curves
#
# {numref}`fig-heads-curves` shows each reported run's validation loss per
# epoch, relative to its first epoch, so that the three losses, which live on
# different scales, can share one axis; the marker on each line is the epoch
# the search selected for its head.

# %%
minima = curve_minima(analysis.curves)
for head, row in minima.iterrows():
    glue(f"heads-curve-lowest-{head}", f"{row['lowest_epoch']:g}", display=False)
    glue(f"heads-curve-above-{head}", float(row["loss_above_lowest"]), display=False)
glue(
    "heads-curve-lowest-text",
    values_phrase({head: f"{row['lowest_epoch']:g}" for head, row in minima.iterrows()}),
    display=False,
)
glue(
    "heads-curve-above-text",
    values_phrase({head: f"{row['loss_above_lowest']:.0%}" for head, row in minima.iterrows()}),
    display=False,
)
glue(
    "heads-curve-selected-text",
    values_phrase({head: f"{row['selected_epoch']:g}" for head, row in minima.iterrows()}),
    display=False,
)
later = bool((minima["selected_epoch"] > minima["lowest_epoch"]).all())
glue(
    "heads-curve-reading",
    "The decisions keep improving after the loss has turned: a loss-based early stop "
    "would end training sooner than the F1-based selection does."
    if later
    else "The F1-based selection does not run past the loss's minimum for every head.",
    display=False,
)
glue("heads-curves-table", curve_table(minima), display=False)

# %% tags=["hide-input"] mystnb={"figure": {"caption": "Validation loss per epoch of every reported run, divided by the run's loss after the first epoch; one line per training seed, with a marker at the epoch the search selected for its head.", "name": "fig-heads-curves"}}
figure = render_figure("fig-heads-curves", nouns=analysis.nouns, analysis=analysis)

# %% [markdown]
# The validation loss is lowest at epoch {glue:text}`heads-curve-lowest-text` (median
# over seeds), while the search, which reads validation micro-F1 rather than
# the loss, keeps epoch {glue:text}`heads-curve-selected-text`. There the loss is
# {glue:text}`heads-curve-above-text` above its lowest (median over seeds;
# {numref}`tbl-heads-curves`). {glue:text}`heads-curve-reading`
#
# ```{glue:figure} heads-curves-table
# :name: tbl-heads-curves
#
# Validation loss of each head's reported runs: the epoch at which it is
# lowest (median over training seeds, and its range over seeds), the epoch the
# search selected, and how far above its lowest the loss lies there (median
# over seeds).
# ```

# %% [markdown]
# ## Ranking is not deciding
#
# Decoders aside, the scores can be judged by how they *rank* genres within a
# film. Precision at one, the share of films whose top-scored genre is true, is
# {glue:text}`heads-sigmoid_bce-scores-pat1` for sigmoid + BCE,
# {glue:text}`heads-softmax_cce-scores-pat1` for softmax + CCE and
# {glue:text}`heads-softmax_cce_norm-scores-pat1` for softmax + CCE on normalised targets; recall at three
# is {glue:text}`heads-sigmoid_bce-scores-rat3`, {glue:text}`heads-softmax_cce-scores-rat3` and
# {glue:text}`heads-softmax_cce_norm-scores-rat3`. A softmax head can rank about as well as
# a sigmoid head and still decode badly under a fixed threshold, because its
# scores are shares of one unit of mass rather than per-genre probabilities
# ({ref}`ch-decoding` looks at the scores themselves).

# %% [markdown]
# (sec-heads-optimiser)=
# ## Does the sparse optimiser cost accuracy?
#
# Plain Adam moves every input-layer weight at every step, including the
# weights of features absent from the batch, which keep drifting with their
# momentum; lazy Adam leaves them alone and updates only the rows a batch
# touches. To see whether that changes the results, both optimisers get the
# protocol's starting grid ({glue:text}`heads-n-lrs` learning rates and the
# same epochs, not grown, training seed zero, each head's setting chosen on
# validation per optimiser) on {glue:text}`heads-opt-n-splits` different random splits of the
# data, and their test scores are paired by split. {numref}`tbl-heads-optimiser`
# shows micro- and macro-F1, each under the decoder fitted for it.

# %%
comparison = compare_optimisers(dataset, progress=False)
documents = prepared.info["documents"]
test_to_train = documents["test"] / documents["train"]
optimiser_diffs = optimiser_differences(comparison, test_to_train)
glue("heads-opt-n-splits", len(protocol.OPTIMISER_SPLITS), display=False)
glue("heads-opt-finding", optimiser_finding(optimiser_diffs), display=False)
glue("heads-optimiser-table", optimiser_table(comparison, test_to_train), display=False)
primary_by_optimiser = optimiser_primary(comparison, test_to_train)
glue(
    "heads-opt-primary",
    "; ".join(
        f"{row.optimiser} {format_interval(row.mean_difference, row.low, row.high)} ({row.verdict})"
        for row in primary_by_optimiser.itertuples()
    ),
    display=False,
)
for _, row in optimiser_diffs.iterrows():
    glue(
        f"heads-opt-{row['head']}-{row['metric']}",
        format_interval(row["mean_difference"], row["low"], row["high"]),
        display=False,
    )

# %% [markdown]
# ```{glue:figure} heads-optimiser-table
# :name: tbl-heads-optimiser
#
# Test F1 with plain and with lazy Adam (means over data splits), lazy minus
# plain Adam paired by split with a 95% {term}`split-aware interval` (over splits and test films), and the number of
# splits on which lazy Adam scored higher (training seed zero; each optimiser's
# settings chosen on validation). Micro-F1 under one tuned threshold, macro-F1
# under a tuned threshold per genre.
# ```
#
# For sigmoid + BCE, lazy minus plain Adam is
# {glue:text}`heads-opt-sigmoid_bce-f1_micro` in micro-F1 and
# {glue:text}`heads-opt-sigmoid_bce-f1_macro` in macro-F1. Across heads and F1
# averages, {glue:text}`heads-opt-finding`. These intervals are the split-aware
# ones of {ref}`ch-travel` (one training seed per split, so they cover the splits
# and the test documents), and say nothing about other datasets or widths.
#
# Does the optimiser change the book's primary verdict? Under each optimiser,
# sigmoid + BCE minus softmax + CCE in micro-F1 under one tuned threshold, with
# the split-aware interval of {ref}`ch-travel` and its four verdicts:
# {glue:text}`heads-opt-primary`.

# %% [markdown]
# (sec-heads-family)=
# ## The loss family
#
# The thread weighs two losses. Practitioners today choose among a family of
# them. {numref}`tbl-heads-family-heads` lists
# {glue:text}`heads-family-n-heads` heads, with the
# names {cite:t}`menon2019multilabel` give the reductions: one-versus-all ({term}`OVA`,
# the sigmoid head), pick-all-labels ({term}`PAL`, softmax on the raw targets),
# pick-one-label (POL) and the normalised OVA-N and {term}`PAL-N`, whose targets are
# divided by the film's number of genres. Besides the three above, they are
# binary cross-entropy on divided targets (OVA-N), softmax against one genre
# drawn afresh each epoch (POL), focal loss {cite:p}`lin2017focal`, the
# asymmetric loss (ASL) {cite:p}`ridnik2021asymmetric`, ZLPR
# {cite:p}`su2022zlpr` and sparsemax {cite:p}`martins2016sparsemax`. Every head
# has the same backbone, budget and seeds as above, and the same search: the
# grid the three heads' search settled on, not grown further for the family
# ({glue:text}`heads-family-edges` of the family's choices lie on one of its
# edges). Each head also declares a *natural* rule: the decision its own
# theory gives, applied without tuning.

# %%
family_heads = protocol.FAMILY
family = run_family_study(prepared, study, heads=family_heads)
family_others = [head for head in family_heads if head != protocol.REFERENCE_HEAD]
family_diffs = family_differences(family.metrics, protocol.REFERENCE_HEAD, family_others)
glue("heads-family-n-heads", len(family_heads), display=False)
glue(
    "heads-family-edges",
    f"{int((family.selected['edge'] != '').sum())} of {len(family.selected)}",
    display=False,
)
glue("heads-family-n-comparisons", len(family_diffs), display=False)
glue("heads-family-alpha", f"{FAMILY_ALPHA:g}", display=False)
glue("heads-family-heads", family_heads_table(family_heads), display=False)
glue(
    "heads-family-table",
    family_table(results_summary(family), family_diffs, protocol.REFERENCE_HEAD),
    display=False,
)
glue("heads-family-finding", family_finding(family_diffs, protocol.REFERENCE_HEAD), display=False)
glue("heads-family-answer", family_answer(family_diffs, protocol.REFERENCE_HEAD), display=False)

# %% [markdown]
# ```{glue:figure} heads-family-heads
# :name: tbl-heads-family-heads
#
# The heads of the loss family: loss and targets, the reduction's name, and
# the {term}`natural rule`, the decision each head makes without tuning
# (`genrebench.heads.HEADS`).
# ```
#
# This chapter's primary comparison is still sigmoid against the thread's
# softmax heads, made above. Here each head is compared with sigmoid + BCE
# three ways: micro-F1 under its natural rule, micro-F1 under one tuned
# threshold, and macro-F1 under per-genre thresholds. The last two are the
# decoders matched to each average. These
# {glue:text}`heads-family-n-comparisons` comparisons are secondary. Their
# paired t-test p-values over seeds are adjusted together with {term}`Holm`'s
# step-down method. A head is said to trail or beat sigmoid + BCE only when its
# adjusted p-value is below {glue:text}`heads-family-alpha`. {numref}`tbl-heads-family` gives the
# results.

# %% [markdown]
# ```{glue:figure} heads-family-table
# :name: tbl-heads-family
#
# Test F1 of every head (mean over training seeds, 95% t-interval over seeds)
# and sigmoid + BCE minus that head, paired by seed, with Holm-adjusted
# p-values over all the comparisons in the table. One split of the films; the
# intervals cover training seeds only.
# ```
#
# In words: {glue:text}`heads-family-finding`. {glue:text}`heads-family-answer`
# These results come from one split of the films, whose text is the names of
# cast and crew, so they are a hypothesis for other data, not a verdict;
# {ref}`sec-travel-family` tests them on every split of another dataset.

# %% [markdown]
# ## Summary
#
# - With the default `threshold=0.5`, the sigmoid head
#   {glue:text}`heads-verdict-softmax_cce-threshold_0.5-f1_micro` softmax with
#   categorical cross-entropy: {glue:text}`heads-diff-softmax_cce-threshold_0.5-f1_micro`
#   micro-F1 (paired over {glue:text}`heads-n-seeds` seeds, 95% interval).
# - With a global threshold tuned on validation the gap is
#   {glue:text}`heads-diff-softmax_cce-global_tuned-f1_micro` micro-F1 and
#   {glue:text}`heads-diff-softmax_cce-global_tuned-f1_macro` macro-F1; against the
#   normalised softmax head it is
#   {glue:text}`heads-diff-softmax_cce_norm-global_tuned-f1_micro` micro-F1.
# - Precision at one: {glue:text}`heads-sigmoid_bce-scores-pat1` (sigmoid) against
#   {glue:text}`heads-softmax_cce-scores-pat1` (softmax).
# - The scikit-learn baseline reaches {glue:text}`heads-base-global_tuned-f1_micro`
#   micro-F1 under the same tuned threshold.
# - Lazy Adam, the optimiser of every run, against plain Adam over
#   {glue:text}`heads-opt-n-splits` splits: {glue:text}`heads-opt-finding`.
# - With TensorFlow's default kernels, Keras's categorical cross-entropy on
#   multi-hot targets trains on $\operatorname{softmax}(z) - y$, not on the
#   gradient of the loss it reports; with op determinism on, as here, it trains
#   on the loss's own gradient ({numref}`tbl-heads-keras-gradient`).
# - The loss family against sigmoid + BCE (Holm-corrected, {numref}`tbl-heads-family`):
#   {glue:text}`heads-family-finding`. {glue:text}`heads-family-answer`
#
# ## Try it yourself
#
# The `genrebench` command runs this chapter's protocol on a CSV of yours and
# writes the same tables, figures and verdicts ({ref}`ch-your-data`). The
# protocol's settings live in `genrebench.experiments.protocol`.

# %% [markdown]
# ## What it costs
#
# Training runs in one process with sparse inputs throughout. The benchmark
# in `benchmarks/bench_heads_vs_sklearn.py` times the sigmoid head in exactly
# the configuration selected above against the scikit-learn baseline (all
# cores, regularisation chosen on validation), side by side in one run, and
# records the result; the numbers below are read from its last committed run
# ({glue:text}`heads-bench-date`, {glue:text}`heads-bench-machine`), not
# measured while this page was built. One Keras run took
# {glue:text}`heads-bench-keras:.2f` seconds against
# {glue:text}`heads-bench-sklearn:.2f` for the baseline's fit (medians of
# {glue:text}`heads-bench-repeats` repeats; ratio
# {glue:text}`heads-bench-ratio:.2f`), with test micro-F1
# {glue:text}`heads-bench-keras-f1:.4f` against
# {glue:text}`heads-bench-sklearn-f1:.4f` under a tuned global threshold.
#
# Models that share a batch order (every head and learning rate of one split and
# seed) train together in one pass: one sparse product feeds all their input
# layers, and each keeps its own learning rate and read-outs. A model trained
# this way gives the same logits, bit for bit, as the model trained alone, so
# the grouping never changes a number. For the search above
# ({glue:text}`heads-bench-fused-models` models), a pass cost
# {glue:text}`heads-bench-fused:.2f` seconds per model against
# {glue:text}`heads-bench-sequential:.2f` for the same models trained one after
# the other (ratio {glue:text}`heads-bench-fused-ratio:.2f`). The benchmark's peak
# resident memory was {glue:text}`heads-bench-rss:.0f` MB.

# %% tags=["remove-input"]
benchmark = json.loads((project_root() / "benchmarks" / "heads_vs_sklearn.json").read_text())
glue("heads-bench-date", benchmark["date"], display=False)
glue("heads-bench-machine", benchmark["machine"], display=False)
glue("heads-bench-repeats", benchmark["repeats"], display=False)
glue("heads-bench-keras", statistics.median(benchmark["keras_seconds"]), display=False)
glue("heads-bench-sklearn", statistics.median(benchmark["sklearn_seconds"]), display=False)
glue("heads-bench-ratio", benchmark["ratio"], display=False)
glue("heads-bench-keras-f1", benchmark["keras_micro_f1"], display=False)
glue("heads-bench-sklearn-f1", benchmark["sklearn_micro_f1"], display=False)
glue("heads-bench-rss", benchmark["peak_rss_mb"], display=False)
glue("heads-bench-fused-models", benchmark["models"], display=False)
glue("heads-bench-fused", statistics.median(benchmark["fused_seconds_per_model"]), display=False)
glue(
    "heads-bench-sequential",
    statistics.median(benchmark["sequential_seconds_per_model"]),
    display=False,
)
glue("heads-bench-fused-ratio", benchmark["fused_ratio"], display=False)
