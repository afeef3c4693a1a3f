"""The loss family compared with the reference head: each head under its natural decoder and
under the decoders matched to each F1 average, paired by seed, Holm-corrected.

The primary comparison of the heads chapter stays sigmoid against the thread's softmax
heads; the family adds many secondary comparisons (every other head, three decoders), so
their p-values are adjusted with Holm's step-down method over the whole family, and a
head is called ahead or behind only when its adjusted p-value is below 0.05.
"""

import numpy as np
import pandas as pd

from genrebench.decode import DECODER_DISPLAY
from genrebench.experiments import protocol
from genrebench.heads import get_head
from genrebench.results.statistics import (
    format_interval,
    holm,
    number,
    paired_differences,
    t_interval,
    verdicts,
)
from genrebench.results.wording import join_words

#: (metric, decoder) pairs of the family table: micro-F1 under each head's own untuned rule,
#: micro-F1 under one threshold tuned for it, macro-F1 under per-label thresholds tuned for it.
FAMILY_COMPARISONS = (
    ("f1_micro", "natural"),
    ("f1_micro", "global_tuned"),
    ("f1_macro", "per_label_tuned"),
)

#: Family-wise error rate of the Holm-corrected verdicts.
FAMILY_ALPHA = 0.05


def judge(table: pd.DataFrame) -> np.ndarray:
    """Each row's verdict (:data:`genrebench.results.statistics.VERDICTS`) at the protocol's
    margin (:data:`genrebench.experiments.protocol.EQUIVALENCE_MARGIN`) and
    :data:`FAMILY_ALPHA`: ahead, behind, equivalent within the margin, or undecided."""
    return verdicts(table, protocol.EQUIVALENCE_MARGIN, FAMILY_ALPHA)


def family_differences(metrics: pd.DataFrame, reference: str, others) -> pd.DataFrame:
    """Reference minus each other head for every :data:`FAMILY_COMPARISONS` pair, paired by
    training seed: mean, 95% t-interval, paired t-test p-value, Holm-adjusted p-value over
    all rows, and a verdict (:func:`judge`, from the reference's side).

    ``metrics`` holds the test rows of the study's reported runs (one per head x seed x
    decoder x metric).
    """
    compared = pd.Series(list(zip(metrics["metric"], metrics["decoder"], strict=True)))
    chosen = metrics[compared.isin(FAMILY_COMPARISONS).to_numpy()]
    table = paired_differences(chosen, reference, others, p_values=True)
    table["p_holm"] = holm(table["p"])
    table["verdict"] = judge(table)
    return table


def family_table(summary: pd.DataFrame, differences: pd.DataFrame, reference: str):
    """One row per head: for each comparison its test score (mean [95% interval over
    seeds]) and the reference minus it, starred where its Holm-adjusted p-value is below
    :data:`FAMILY_ALPHA` (the verdict is then ahead or behind; a star keeps the column narrow
    enough for the page, where a p-value beside each difference did not fit)."""
    heads = [reference, *dict.fromkeys(differences["versus"])]
    columns = {}
    for metric, decoder in FAMILY_COMPARISONS:
        group = f"{metric.replace('f1_', '')}-F1, {DECODER_DISPLAY[decoder]}"
        scores = summary.query("metric == @metric and decoder == @decoder").set_index("head")
        diffs = differences.query("metric == @metric and decoder == @decoder").set_index("versus")
        columns[(group, "score")] = [
            format_interval(*scores.loc[head, ["mean", "low", "high"]]) for head in heads
        ]
        columns[(group, f"{reference} − head")] = [
            "—"
            if head == reference
            else f"{diffs.loc[head, 'mean_difference']:+.3f}"
            + ("*" if diffs.loc[head, "p_holm"] < FAMILY_ALPHA else "")
            for head in heads
        ]
    table = pd.DataFrame(columns, index=pd.Index(heads, name="head"))
    table.columns = pd.MultiIndex.from_tuples(table.columns)
    return table


_DESCRIBED = {
    ("f1_micro", "natural"): "micro-F1 under each head's own rule",
    ("f1_micro", "global_tuned"): "micro-F1 under one tuned threshold",
    ("f1_macro", "per_label_tuned"): "macro-F1 under per-label tuned thresholds",
}


_LOSS_NAMES = {
    "bce": "binary cross-entropy",
    "cce": "categorical cross-entropy",
    "focal": "focal, γ = {gamma:g}",
    "asl": "asymmetric, γ− = {gamma_neg:g}, γ+ = {gamma_pos:g}, m = {margin:g}",
    "zlpr": "ZLPR",
    "sparsemax": "sparsemax loss",
}
_TARGET_NAMES = {
    "multi_hot": "multi-hot",
    "normalised": "divided by |y|",
    "pick_one": "one label, drawn each epoch",
}


def family_heads_table(heads) -> pd.DataFrame:
    """What each head is: activation, loss, targets, Menon et al.'s reduction name and
    own rule (short cells: the page shows them whole)."""
    rows = []
    for name in heads:
        head = get_head(name)
        loss = _LOSS_NAMES[head.loss_name].format(**head.parameters)
        rows.append(
            (
                name,
                head.activation,
                loss,
                _TARGET_NAMES[head.targets],
                head.reduction,
                head.natural_rule,
            )
        )
    columns = ["head", "scores", "loss", "targets", "reduction", "own rule"]
    return pd.DataFrame(rows, columns=columns).set_index("head")


#: Menon et al.'s (2019) reductions, with the ranking metric each is consistent for: the
#: marginals maximise precision at k, E[y_j/|y|] maximises recall at k.
REDUCTIONS = {
    "sigmoid_bce": "precision",
    "softmax_cce": "precision",
    "sigmoid_bce_norm": "recall",
    "softmax_cce_norm": "recall",
    "softmax_pick_one": "recall",
}


def consistency_check(sweep: pd.DataFrame, k: int = 3, min_cardinality: float = 2.0):
    """Menon et al.'s consistency claims against the exact Bayes scorers, on the sweep's
    cardinality cells with at least ``min_cardinality`` labels per document.

    Returns ``(per_head, groups)``. ``per_head``: for each reduction and each of P@k and R@k,
    the head's score minus the Bayes scorer of that metric (marginals for P@k, E[y_j/|y|]
    for R@k), mean over cells and a 95% t-interval over training seeds; the row
    ``bayes_normalised`` / ``bayes`` gives what the *other* Bayes scorer loses, the
    resolution of the check. ``groups``: the precision-consistent heads' mean minus the
    recall-consistent heads' mean, per metric, paired by seed: the theory predicts it
    positive for P@k and negative for R@k.
    """
    rows = sweep.query(
        "axis == 'cardinality' and mean_cardinality >= @min_cardinality and decoder == 'scores'"
    )
    metrics = {"precision": f"p@{k}", "recall": f"r@{k}"}
    best = {"precision": "bayes", "recall": "bayes_normalised"}
    per_head = []
    by_seed = {}
    for kind, metric in metrics.items():
        chosen = rows[rows["metric"] == metric]
        ceiling = chosen[chosen["head"] == best[kind]].set_index("dataset")["value"]
        other = "bayes_normalised" if kind == "precision" else "bayes"
        other_gap = chosen[chosen["head"] == other].set_index("dataset")["value"] - ceiling
        per_head.append((other, kind, metric, float(other_gap.mean()), np.nan, np.nan))
        for head in REDUCTIONS:
            mine = chosen[chosen["head"] == head]
            gaps = mine["value"].to_numpy() - mine["dataset"].map(ceiling).to_numpy()
            seeds = pd.Series(gaps).groupby(mine["train_seed"].to_numpy()).mean()
            by_seed[(kind, head)] = seeds
            mean, low, high = t_interval(seeds.to_numpy())
            per_head.append((head, kind, metric, mean, low, high))
    per_head = pd.DataFrame(
        per_head, columns=["head", "metric kind", "metric", "minus_bayes", "low", "high"]
    )
    groups = []
    for kind, metric in metrics.items():
        precision = pd.concat(
            [by_seed[(kind, h)] for h, c in REDUCTIONS.items() if c == "precision"], axis=1
        ).mean(axis=1)
        recall = pd.concat(
            [by_seed[(kind, h)] for h, c in REDUCTIONS.items() if c == "recall"], axis=1
        ).mean(axis=1)
        mean, low, high = t_interval((precision - recall).to_numpy())
        groups.append((metric, mean, low, high, "positive" if kind == "precision" else "negative"))
    groups = pd.DataFrame(groups, columns=["metric", "difference", "low", "high", "theory"])
    return per_head, groups


def cells_phrase(sweep: pd.DataFrame, min_cardinality: float) -> str:
    """The sweep's cardinality cells with at least ``min_cardinality`` labels per document,
    in words ("2, 3 and 4"): what a table averaged over."""
    cells = sorted(set(sweep.query("axis == 'cardinality'")["mean_cardinality"]))
    return join_words([f"{cell:g}" for cell in cells if cell >= min_cardinality])


def consistency_distances(per_head: pd.DataFrame) -> dict[str, float]:
    """From :func:`consistency_check`'s first table, per kind of metric ("precision" for
    P@k, "recall" for R@k): how far the other exact scorer lies from that metric's Bayes
    scorer (``scorers``, the resolution of the check) and how far the trained reductions
    lie from it on average (``heads``), both as distances."""
    distances = {}
    for kind, rows in per_head.groupby("metric kind"):
        exact = rows["head"].isin(["bayes", "bayes_normalised"])
        distances[f"scorers_{kind}"] = float(rows.loc[exact, "minus_bayes"].abs().mean())
        distances[f"heads_{kind}"] = float(abs(rows.loc[~exact, "minus_bayes"].mean()))
    return distances


def consistency_table(per_head: pd.DataFrame) -> pd.DataFrame:
    """:func:`consistency_check`'s first table for the page: one row per head (and the other
    Bayes scorer), its reduction and theory, and its distance from each Bayes scorer."""
    rows = {}
    for _, row in per_head.iterrows():
        cell = (
            number(row["minus_bayes"], signed=True)
            if np.isnan(row["low"])
            else format_interval(row["minus_bayes"], row["low"], row["high"])
        )
        rows.setdefault(row["head"], {})[row["metric"]] = cell
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.columns = [
        f"{metric} minus {'marginals' if metric.startswith('p') else 'E[y/|y|]'}"
        for metric in table.columns
    ]
    table.insert(
        0, "consistent for", [REDUCTIONS.get(head, "(Bayes scorer)") for head in table.index]
    )
    table.index.name = "head"
    return table.fillna("0 (itself)")  # a Bayes scorer against itself


#: The F1 averages of the ceiling table, each with the heads' decoder matched to it and the
#: Bayes reference's decoder (the exact ceiling of that average).
CEILING_COMPARISONS = (
    ("f1_micro", "global_tuned", "global_tuned"),
    ("f1_macro", "per_label_tuned", "per_label_tuned"),
    ("f1_samples", "samples_tuned", "gfm"),
)


def family_ceiling_gaps(sweep: pd.DataFrame, min_cardinality: float = 1.5) -> pd.DataFrame:
    """Each head's test F1 below the exact ceiling of each average: ceiling minus head,
    averaged over the multi-label cells of the cardinality axis for each training seed, then
    the mean and a 95% t-interval over seeds. Tidy: head, average, mean, low, high."""
    rows = sweep.query("axis == 'cardinality' and mean_cardinality >= @min_cardinality")
    heads = [h for h in dict.fromkeys(rows["head"]) if not h.startswith("bayes")]
    out = []
    for metric, decoder, ceiling_decoder in CEILING_COMPARISONS:
        chosen = rows[rows["metric"] == metric]
        bayes = chosen[(chosen["head"] == "bayes") & (chosen["decoder"] == ceiling_decoder)]
        ceiling = bayes.set_index("dataset")["value"]
        mine = chosen[(chosen["decoder"] == decoder) & chosen["head"].isin(heads)]
        mine = mine.assign(gap=mine["dataset"].map(ceiling) - mine["value"])
        per_seed = mine.groupby(["head", "train_seed"])["gap"].mean()
        for head in heads:
            mean, low, high = t_interval(per_seed.loc[head].to_numpy())
            out.append((head, f"{metric.replace('f1_', '')}-F1 ({decoder})", mean, low, high))
    return pd.DataFrame(out, columns=["head", "average", "mean", "low", "high"])


def ceiling_gap_table(gaps: pd.DataFrame) -> pd.DataFrame:
    """:func:`family_ceiling_gaps` for the page: head x average, "mean [low, high]"."""
    cells = gaps.assign(
        cell=[format_interval(*v) for v in gaps[["mean", "low", "high"]].to_numpy()]
    )
    table = cells.pivot(index="head", columns="average", values="cell")
    return table.reindex(
        index=list(dict.fromkeys(gaps["head"])), columns=list(dict.fromkeys(gaps["average"]))
    )


def softmax_style(heads) -> list[str]:
    """The heads whose scores are not independent per-label probabilities: the softmax and
    sparsemax heads, and ZLPR (a softmax-style loss over the positives and negatives)."""
    return [
        h for h in heads if get_head(h).activation != "sigmoid" or get_head(h).loss_name == "zlpr"
    ]
