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
# # The heads compared on the films
#
# ```{admonition} Key result
# :class: tip
# At the default `threshold=0.5`, a sigmoid {term}`head` with binary cross-entropy
# (sigmoid + BCE) reaches a test micro-F1 of
# {glue:text}`heads-sigmoid_bce-threshold_0.5-f1_micro` and a softmax head with
# categorical cross-entropy on the raw targets (softmax + CCE)
# {glue:text}`heads-softmax_cce-threshold_0.5-f1_micro`. Under one threshold
# tuned on validation, sigmoid + BCE minus softmax + CCE is
# {glue:text}`heads-diff-softmax_cce-global_tuned-f1_micro` in
# {term}`micro-F1` and {glue:text}`heads-diff-softmax_cce-global_tuned-f1_macro` in
# {term}`macro-F1` (paired by seed, 95% intervals over the {glue:text}`heads-n-seeds`
# seeds of one split, which cover too little, {numref}`tbl-sweeps-coverage`;
# {ref}`ch-travel` repeats it over splits and datasets).
# ```

# %% tags=["hide-input"]

import pandas as pd

from genrebench.book.glue import glue, glue_all
from genrebench.experiments import protocol
from genrebench.experiments.cache import prepare_cached
from genrebench.experiments.study import run_family_study, run_heads_study
from genrebench.losses import keras_cce_gradients
from genrebench.results.family import (
    FAMILY_ALPHA,
    family_differences,
    family_heads_table,
    family_table,
)
from genrebench.results.family_splits import softmax_style_counts
from genrebench.results.figures import render_figure
from genrebench.results.heads import analyse
from genrebench.results.levers import (
    decoder_steps,
    one_split_levers,
    steps_table,
)
from genrebench.results.statistics import (
    format_interval,
    gap_closed,
    number,
)
from genrebench.results.tables import (
    curve_minima,
    curve_table,
    empty_share,
    interval_table,
    paired_table,
    results_summary,
    search_table,
)
from genrebench.results.wording import join_words

glue("heads-n-seeds", len(protocol.SEEDS), display=False)
glue("heads-n-lrs", len(protocol.SEARCH_LEARNING_RATES), display=False)
glue(
    "heads-epochs-text",
    ", ".join(map(str, protocol.SNAPSHOT_EPOCHS)),
    display=False,
)

# %% [markdown]
# ## The set-up
#
# The data are the films of {ref}`ch-data`, split by iterative stratification,
# with TF-IDF features fitted on the training films only.

# %%
dataset = protocol.load_built_in("films")
prepared = prepare_cached(dataset, split_seed=protocol.SPLIT_SEED)
sizes = pd.Series(prepared.info["documents"], name="films")
sizes.to_frame().T

# %% tags=["remove-cell"]
glue_all(
    {f"n-{split_name}": int(count) for split_name, count in sizes.items()},
    "heads-",
)
glue_all(
    {"n-features": prepared.info["features"], "n-labels": len(prepared.label_names),
     "hidden-units": protocol.HIDDEN_UNITS, "dropout": f"{protocol.DROPOUT:g}"},
    prefix="heads-",
)  # fmt: skip

# %% [markdown]
# That is {glue:text}`heads-n-train` training, {glue:text}`heads-n-val`
# validation and {glue:text}`heads-n-test` test films, with
# {glue:text}`heads-n-features` features and {glue:text}`heads-n-labels` genres.
# One hidden layer of {glue:text}`heads-hidden-units` rectified linear units
# (dropout {glue:text}`heads-dropout`) gives one logit $z_j$ per genre; only the
# head changes. With multi-hot targets $y_j \in \{0, 1\}$ over
# $L$ genres, the sigmoid head minimises BCE,
#
# $$
# \ell_{\text{BCE}}(y, z) = -\frac{1}{L}\sum_{j=1}^{L}
# \left[y_j \log \sigma(z_j) + (1 - y_j) \log\bigl(1 - \sigma(z_j)\bigr)\right],
# $$ (eq-bce)
#
# and the softmax head minimises CCE on the targets as they are, adding up the
# loss of every true genre (the "pick-all-labels" reduction of
# {cite:t}`menon2019multilabel`):
#
# $$
# \ell_{\text{CCE}}(y, z) = -\sum_{j=1}^{L} y_j \log \operatorname{softmax}(z)_j .
# $$ (eq-cce)
#
# Keras reports this loss but, with TensorFlow's defaults, trains on
# $\operatorname{softmax}(z) - y$, because its fused kernel assumes that each
# target row sums to one. The gradient of {eq}`eq-cce` is
# $|y| \operatorname{softmax}(z) - y$, where $|y|$ is the film's number of genres,
# so the two agree only for films with one genre
# ({numref}`tbl-heads-keras-gradient`). Every run here enables op determinism
# (`tf.config.experimental.enable_op_determinism()`), under which Keras trains on
# the loss's own gradient.

# %% tags=["hide-input"]
example_y = [[1, 1, 0, 0]]
example_z = [[1.0, 0.5, -1.0, 0.2]]
gradients = keras_cce_gradients(example_y, example_z)
glue(
    "heads-keras-gradient",
    pd.DataFrame(
        {
            "target y": example_y[0],
            "logit z": example_z[0],
            **{
                name: values[0].round(3)
                for name, values in gradients.items()
            },
        },
        index=pd.Index(
            ["genre A", "genre B", "genre C", "genre D"], name="genre"
        ),
    ),
    display=False,
)

# %% [markdown]
# ```{glue:figure} heads-keras-gradient
# :name: tbl-heads-keras-gradient
#
# The gradient with respect to each logit for a film with genres A and B: what
# Keras's `CategoricalCrossentropy` back-propagates with TensorFlow's default
# kernels and with op determinism, and the derivative of the loss it reports.
# ```
#
# The third head, softmax + CCE on normalised targets, divides the targets by
# the film's number of genres, as {cite:t}`mahajan2018exploring` do for hashtags:
#
# $$
# \ell_{\text{CCE-N}}(y, z) = -\sum_{j=1}^{L} \frac{y_j}{\sum_k y_k}
# \log \operatorname{softmax}(z)_j .
# $$ (eq-cce-norm)
#
# All heads train with {term}`lazy Adam`, a sparse form of Adam {cite:p}`kingma2015adam`
# whose cost {ref}`sec-method-optimiser` measures. Their scores pass through the same
# {term}`decoders <decoder>`, fitted on validation: the fixed `threshold=0.5`
# (*one half*), one tuned threshold, a tuned threshold per genre, the top genre,
# the top genres covering a tuned share of the score mass, and the *true count
# ({term}`oracle`)*, which knows each film's number of genres.

# %% [markdown]
# ## The same search for every head
#
# Each head gets the same search on training seed zero:
# {glue:text}`heads-n-lrs` learning rates read out after
# {glue:text}`heads-epochs-text` epochs, keeping the setting with the best
# validation micro-F1 ({numref}`tbl-heads-search`). A choice on an edge of the grid grows it for every head,
# at most {glue:text}`heads-max-extensions` times. The final grid (extensions:
# {glue:text}`heads-grid-extensions`) holds learning rates
# {glue:text}`heads-grid-rates` and read-outs up to epoch
# {glue:text}`heads-grid-last-epoch`.

# %% tags=["hide-input"]
study = run_heads_study(prepared)
selected = study.selected.set_index("head")
for head in protocol.HEADS:
    rate, epoch = selected.loc[head, ["learning_rate", "epoch"]]
    glue_all(
        {f"lr-{head}": f"{rate:g}", f"epoch-{head}": int(epoch)}, "heads-"
    )
glue("heads-search-table", search_table(study).round(3), display=False)
glue("heads-max-extensions", protocol.MAX_GRID_EXTENSIONS, display=False)
glue("heads-grid-extensions", study.grid["extensions"], display=False)
glue(
    "heads-grid-rates",
    join_words([f"{r:g}" for r in study.grid["learning_rates"]]),
    display=False,
)
glue(
    "heads-grid-last-epoch",
    max(study.grid["snapshot_epochs"]),
    display=False,
)

# %% [markdown]
# ```{glue:figure} heads-search-table
# :name: tbl-heads-search
#
# Validation micro-F1 of each head for each learning rate (rows) and epoch
# (columns): the best non-oracle decoder, training seed zero.
# ```

# %% [markdown]
# ## Results on the test films
#
# {numref}`tbl-heads-results` gives every head under every decoder, as the mean
# over training seeds with a 95% Student-t interval.

# %% tags=["hide-input"]
analysis = analyse(study, prepared, nouns=dataset.nouns)
glue(
    "heads-results-table",
    interval_table(analysis.summary, analysis.heads),
    display=False,
)


def interval(head, decoder, metric):
    return format_interval(*analysis.interval(head, decoder, metric))


# The intervals the prose cites, glued as heads-<head>-<decoder>-<metric>.
CITED = [
    (head, decoder, "f1_micro")
    for head in ("sigmoid_bce", "softmax_cce")
    for decoder in ("threshold_0.5", "global_tuned", "topk_mass")
]
CITED += [
    (head, "scores", metric)
    for head in analysis.heads
    for metric in ("p@1", "r@3")
]
for head, decoder, metric in CITED:
    key = f"heads-{head}-{decoder}-{metric.replace('@', 'at')}"
    glue(key, interval(head, decoder, metric), display=False)

# %% [markdown]
# :::{dropdown} The table: every head under every decoder
# ```{glue:figure} heads-results-table
# :name: tbl-heads-results
#
# Test F1 of each head and decoder, mean over training seeds with a 95% interval
# over seeds; the oracle knows each film's number of genres.
# ```
# :::
#
# The baseline, scikit-learn's one-vs-rest logistic regression
# ($C$ = {glue:text}`heads-base-C`, chosen on validation), has no training seed,
# so its interval is a 95% bootstrap over test films ({numref}`tbl-heads-baseline`).

# %% tags=["hide-input"]
glue("heads-base-C", f"{study.baseline.C:g}", display=False)
row = analysis.baseline.query(
    "decoder == 'global_tuned' and metric == 'f1_micro'"
).iloc[0]
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
# Test F1 of the one-vs-rest logistic-regression baseline under three
# decoders, with 95% bootstrap intervals over the test films.
# ```

# %% tags=["hide-input"]
for head in ("sigmoid_bce", "softmax_cce"):
    glue(
        f"heads-{head}-empty",
        float(empty_share(study, head).mean()),
        display=False,
    )
glue(
    "heads-softmax_cce-gap-closed",
    gap_closed(
        start=analysis.interval("softmax_cce", "threshold_0.5", "f1_micro")[
            0
        ],
        end=analysis.interval("softmax_cce", "global_tuned", "f1_micro")[0],
        target=analysis.interval("sigmoid_bce", "global_tuned", "f1_micro")[
            0
        ],
    ),
    display=False,
)

# %% tags=["hide-input"] mystnb={"figure": {"caption": "Test micro-F1 of each head under each decoder: mean over training seeds and 95% interval over seeds. Grey ticks: the one-vs-rest logistic-regression baseline under the same decoder. The oracle row knows each film's number of genres: a reference, not a method, and not a bound on the others.", "name": "fig-heads-f1-by-decoder"}}
figure = render_figure(
    "fig-heads-f1-by-decoder", nouns=analysis.nouns, analysis=analysis
)

# %% [markdown]
# In {numref}`fig-heads-f1-by-decoder` each row is a decoder: compare the heads'
# dots with each other and with the baseline's grey tick. At one half, a
# softmax head predicts at most one genre per film, since only one share can
# exceed one half, and softmax + CCE predicts none for
# {glue:text}`heads-softmax_cce-empty:.0%` of test films. One tuned threshold
# lifts it to {glue:text}`heads-softmax_cce-global_tuned-f1_micro`,
# {glue:text}`heads-softmax_cce-gap-closed:.0%` of the way to the tuned sigmoid
# head.

# %% [markdown]
# ## Paired differences
#
# The heads share training seeds, so {numref}`fig-heads-paired` subtracts their
# scores seed by seed, for every F1 average under one tuned threshold; an
# interval wholly right of zero favours sigmoid + BCE, and
# {numref}`tbl-heads-paired` gives the numbers. Against softmax + CCE on
# normalised targets, the difference is
# {glue:text}`heads-diff-softmax_cce_norm-global_tuned-f1_micro` in micro-F1 and
# {glue:text}`heads-diff-softmax_cce_norm-global_tuned-f1_macro` in macro-F1.

# %% tags=["hide-input"]
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
            format_interval(
                row["mean_difference"], row["low"], row["high"]
            ),
            display=False,
        )
glue(
    "heads-paired-table",
    paired_table(analysis.differences, analysis.reference, "global_tuned"),
    display=False,
)

# %% tags=["hide-input"] mystnb={"figure": {"caption": "Paired test differences, sigmoid + BCE minus each softmax head, per F1 average, under one threshold tuned on validation: mean over training seeds with a 95% t-interval of the per-seed differences. Right of zero favours the sigmoid head.", "name": "fig-heads-paired"}}
figure = render_figure(
    "fig-heads-paired", nouns=analysis.nouns, analysis=analysis
)

# %% [markdown]
# ```{glue:figure} heads-paired-table
# :name: tbl-heads-paired
#
# The numbers of {numref}`fig-heads-paired`, with the count of seeds on which
# sigmoid + BCE scores higher.
# ```

# %% [markdown]
# (sec-heads-levers)=
# ## The decoder, a step at a time
#
# Each row of {numref}`tbl-heads-steps` starts from a head's F1 at one half and
# adds what each decoder gains over it. One tuned threshold adds
# {glue:text}`heads-step-sigmoid_bce` to the micro-F1 of sigmoid + BCE and
# {glue:text}`heads-step-softmax_cce` to that of softmax + CCE, while the largest
# difference between two heads so decoded is {glue:text}`heads-lever-head`;
# {numref}`fig-heads-levers` draws both {term}`levers <lever>`, and
# {ref}`sec-travel-levers` measures them over splits and datasets.

# %% tags=["hide-input"]
steps = decoder_steps(study.metrics, analysis.heads)
levers = one_split_levers(
    steps, analysis.differences, analysis.reference, "films"
)
micro = steps[
    (steps["metric"] == "f1_micro") & (steps["step"] == "global_tuned")
]
for row in micro.itertuples():
    glue(
        f"heads-step-{row.head}",
        format_interval(row.mean, row.low, row.high),
        display=False,
    )
head_lever = levers.query("lever == 'head' and metric == 'f1_micro'").iloc[
    0
]
glue(
    "heads-lever-head",
    format_interval(
        head_lever["mean"], head_lever["low"], head_lever["high"]
    )
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
# Test F1 at one half, then the gain of one tuned threshold, a tuned threshold
# per genre and the decoder consistent with the head's loss. Mean and 95%
# interval over the training seeds of this split.
# ```

# %% [markdown]
# ## Genre by genre
#
# Averages hide where a head wins. {numref}`fig-heads-per-genre` plots, for each
# genre, sigmoid + BCE minus each softmax head in F1 (a tuned threshold per genre)
# against how common the genre is, so a trend with rarity shows as a slope.

# %% tags=["hide-input"]
per_genre = analysis.per_label_matched
rare = per_genre["train_share"] < per_genre["train_share"].median()
for other in analysis.others:
    difference = per_genre[analysis.reference] - per_genre[other]
    glue(
        f"heads-genre-wins-{other}",
        int((difference > 0).sum()),
        display=False,
    )
    for half, mask in (("rare", rare), ("common", ~rare)):
        mean = float(difference[mask].mean())
        glue(
            f"heads-genre-{half}-{other}",
            number(mean, signed=True),
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
figure = render_figure(
    "fig-heads-per-genre", nouns=analysis.nouns, analysis=analysis
)

# %% [markdown]
# Sigmoid + BCE minus softmax + CCE, averaged over the genres rarer than the
# median, is {glue:text}`heads-genre-rare-softmax_cce` F1, and over the
# commoner half {glue:text}`heads-genre-common-softmax_cce`. Sigmoid + BCE scores
# higher than softmax + CCE on
# {glue:text}`heads-genre-wins-softmax_cce` of the {glue:text}`heads-n-labels`
# genres ({numref}`tbl-heads-per-genre`).
#
# :::{dropdown} The table: one row per genre
# ```{glue:figure} heads-per-genre-table
# :name: tbl-heads-per-genre
#
# Test F1 per genre of each head under a tuned threshold per genre, mean over
# seeds, beside the genre's share of training films.
# ```
# :::

# %% [markdown]
# ## Training curves
#
# {numref}`fig-heads-curves` puts the three losses on one scale by dividing each
# run's validation loss by its first epoch's; the marker on each line is the epoch
# the search selected.

# %% tags=["hide-input"]
minima = curve_minima(analysis.curves)
for head, row in minima.iterrows():
    glue(
        f"heads-curve-lowest-{head}",
        f"{row['lowest_epoch']:g}",
        display=False,
    )
    glue(
        f"heads-curve-above-{head}",
        float(row["loss_above_lowest"]),
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
figure = render_figure(
    "fig-heads-curves", nouns=analysis.nouns, analysis=analysis
)

# %% [markdown]
# For sigmoid + BCE the loss is lowest at epoch
# {glue:text}`heads-curve-lowest-sigmoid_bce`; the search, which reads micro-F1,
# keeps epoch {glue:text}`heads-epoch-sigmoid_bce`, where the loss lies
# {glue:text}`heads-curve-above-sigmoid_bce:.0%` above its lowest (medians over
# seeds; {numref}`tbl-heads-curves` has every head). {glue:text}`heads-curve-reading`
#
# ```{glue:figure} heads-curves-table
# :name: tbl-heads-curves
#
# Each head's epoch of lowest validation loss (median and range over seeds), the
# selected epoch, and the loss there above its lowest.
# ```

# %% [markdown]
# ## Ranking is not deciding
#
# Precision at one, the share of films whose top-scored genre is true, judges the
# scores as rankings: {glue:text}`heads-sigmoid_bce-scores-pat1` for
# sigmoid + BCE and {glue:text}`heads-softmax_cce-scores-pat1` for
# softmax + CCE. Softmax
# scores are shares of one unit, so a head can rank well and still decode badly at
# a fixed threshold ({ref}`ch-decoding`).

# %% [markdown]
# (sec-heads-family)=
# ## The loss family
#
# {numref}`tbl-heads-family-heads` lists {glue:text}`heads-family-n-heads` heads,
# named where they fit by the reductions of {cite:t}`menon2019multilabel`
# ({term}`OVA` for the sigmoid head, {term}`PAL`, {term}`PAL-N` and their kin),
# plus focal loss {cite:p}`lin2017focal`, asymmetric
# loss {cite:p}`ridnik2021asymmetric`, ZLPR {cite:p}`su2022zlpr` and sparsemax
# {cite:p}`martins2016sparsemax`. They share the backbone, the seeds and the
# three heads' grid, not grown further ({glue:text}`heads-family-edges` of their
# chosen settings lie on its edge), and each declares an
# {term}`own rule`, its decision without tuning.

# %% tags=["hide-input"]
family_heads = protocol.FAMILY
family = run_family_study(prepared, study, heads=family_heads)
family_others = [
    head for head in family_heads if head != protocol.REFERENCE_HEAD
]
family_diffs = family_differences(
    family.metrics, protocol.REFERENCE_HEAD, family_others
)

# %% tags=["remove-cell"]
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
    family_table(
        results_summary(family), family_diffs, protocol.REFERENCE_HEAD
    ),
    display=False,
)
for key, count in softmax_style_counts(family_diffs).items():
    glue(f"heads-family-{key.replace('_', '-')}", count, display=False)

# %% [markdown]
# ```{glue:figure} heads-family-heads
# :name: tbl-heads-family-heads
#
# The loss family: loss, targets, reduction and own rule.
# ```
#
# Each head is compared with sigmoid + BCE three ways: micro-F1 under its
# own rule, micro-F1 under one tuned threshold and macro-F1 under a tuned
# threshold per genre. These {glue:text}`heads-family-n-comparisons` secondary
# comparisons, three for each head on this one split, are paired t-tests over seeds with {term}`Holm`-adjusted p-values;
# a verdict needs one below {glue:text}`heads-family-alpha`.

# %% [markdown]
# ```{glue:figure} heads-family-table
# :name: tbl-heads-family
#
# Test F1 of every head and sigmoid + BCE minus it, paired by seed; a star
# marks a Holm-adjusted p-value below {glue:text}`heads-family-alpha`.
# ```
#
# In {numref}`tbl-heads-family` a positive difference favours sigmoid + BCE. Of
# the {glue:text}`heads-family-compared` comparisons of a softmax-style loss (the
# softmax and sparsemax heads, and ZLPR, whose loss is a softmax over a film's
# genres against the rest although it scores each genre by a sigmoid) with
# sigmoid + BCE under the decoders matched to micro- and macro-F1, the number
# that favour the loss is {glue:text}`heads-family-beat` and the number that
# favour sigmoid + BCE is {glue:text}`heads-family-trail`. One split of one
# dataset makes this a hypothesis; {ref}`sec-travel-family` tests it.

# %% [markdown]
# ## Summary
#
# - At `threshold=0.5`, sigmoid + BCE minus softmax + CCE is
#   {glue:text}`heads-diff-softmax_cce-threshold_0.5-f1_micro` micro-F1; under one
#   threshold tuned on validation the difference is
#   {glue:text}`heads-diff-softmax_cce-global_tuned-f1_micro` (one split, seeds
#   only).
# - Under one tuned threshold, the scikit-learn baseline reaches
#   {glue:text}`heads-base-global_tuned-f1_micro` micro-F1.
# - With TensorFlow's defaults, Keras's categorical cross-entropy on multi-hot
#   targets trains on $\operatorname{softmax}(z) - y$, not on its loss's gradient
#   ({numref}`tbl-heads-keras-gradient`).
