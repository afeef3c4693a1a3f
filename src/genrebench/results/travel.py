"""Does the answer travel? The heads compared on every split of several datasets.

Each dataset's :class:`~genrebench.experiments.splits.SplitStudy` gives paired differences
(the reference head minus each other head) per F1 average, under the decoder matched to
that average (:data:`genrebench.decode.MATCHED_DECODERS`), under each head's natural rule
and under the shared decoders, each with the split-aware interval of
:func:`~genrebench.results.statistics.split_interval` (over splits, seeds and test
documents). One comparison per dataset is primary (:data:`PRIMARY`), named before the
results; every other row is secondary and its p-value is Holm-adjusted over all of them.
"""

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from genrebench.decode import MATCHED_DECODERS
from genrebench.experiments import protocol
from genrebench.experiments.splits import SplitStudy
from genrebench.heads import get_head
from genrebench.results.family import FAMILY_ALPHA, judge
from genrebench.results.statistics import (
    format_interval,
    holm,
    minimum_detectable_difference,
    split_differences,
)
from genrebench.results.tables import AVERAGE_NAMES, F1_METRICS
from genrebench.results.wording import count_of, join_words

#: The primary comparison of each dataset: (reference, other head, F1 average), judged under
#: the average's matched decoder. It is the thread's question as asked: sigmoid with binary
#: cross-entropy against softmax with categorical cross-entropy, scored as the thread scored
#: it (micro-F1).
PRIMARY = ("sigmoid_bce", "softmax_cce", "f1_micro")

#: Decoders every head is also judged under in micro-F1, whatever its own matched decoder:
#: each head's own untuned rule and the usual fixed threshold. (One tuned threshold is
#: micro-F1's matched decoder already.)
SHARED_DECODERS = ("natural", "threshold_0.5")


def _judged(table: pd.DataFrame) -> pd.DataFrame:
    """The comparisons the chapter reports, and only those (they make the family that Holm's
    correction covers): every F1 average under its matched decoder (decoder renamed
    ``matched``, the decoder's own name kept in ``rule``), micro-F1 under each of
    :data:`SHARED_DECODERS`, and micro-F1 with each head under the decoder consistent for it
    (:attr:`genrebench.heads.Head.consistent`, renamed ``consistent``)."""
    table = table[table["metric"].isin(F1_METRICS)]
    matched = table[table["decoder"] == table["metric"].map(MATCHED_DECODERS)]
    matched = matched.assign(rule=matched["decoder"], decoder="matched")
    shared = table[table["decoder"].isin(SHARED_DECODERS) & (table["metric"] == "f1_micro")]
    micro = table[table["metric"] == "f1_micro"]
    own = micro["head"].map(lambda head: get_head(head).consistent)
    consistent = micro[micro["decoder"] == own]
    consistent = consistent.assign(rule=consistent["decoder"], decoder="consistent")
    return pd.concat(
        [matched, shared.assign(rule=shared["decoder"]), consistent], ignore_index=True
    )


def dataset_differences(study: SplitStudy, reference: str, others: Sequence[str]) -> pd.DataFrame:
    """``reference`` minus each of ``others`` on one dataset, per F1 average, under the
    matched and the shared decoders: mean over splits, split-aware 95% interval, p-value.

    A micro-F1 row under the consistent decoders is kept only where it differs from the
    matched one: when both heads' consistent decoder is micro-F1's matched decoder (one
    tuned threshold), it is the same comparison, and counting it twice would only make
    Holm's correction stricter."""
    judged = _judged(study.metrics)
    table = split_differences(judged, reference, others, study.test_to_train)
    table.insert(0, "dataset", study.dataset)
    tuned = MATCHED_DECODERS["f1_micro"]
    same = (table["decoder"] == "consistent") & (get_head(reference).consistent == tuned)
    same &= table["versus"].map(lambda head: get_head(head).consistent == tuned)
    return table[~same].reset_index(drop=True)


def travel_differences(studies: Mapping[str, SplitStudy], reference: str, others) -> pd.DataFrame:
    """:func:`dataset_differences` of every dataset, with the two primary rows of each marked:
    the practice question, each head under one tuned threshold (``primary``), and the loss
    question, each head under the decoder consistent for it (``loss_primary``); the
    secondary rows' p-values Holm-adjusted over all of them (``p_holm``; the primary rows of
    both questions are adjusted together, over the datasets), and a verdict per row ("ahead",
    "behind", "equivalent" or "undecided", from ``reference``'s side, at
    :data:`FAMILY_ALPHA` and the protocol's margin, which ``margin`` repeats), and each row's
    minimum detectable difference at the protocol's power (``mde``)."""
    table = pd.concat(
        [dataset_differences(study, reference, others) for study in studies.values()],
        ignore_index=True,
    )
    _, primary_other, primary_metric = PRIMARY
    question = (table["versus"] == primary_other) & (table["metric"] == primary_metric)
    table["primary"] = question & (table["decoder"] == "matched")
    table["loss_primary"] = question & (table["decoder"] == "consistent")
    table["p_holm"] = np.nan
    either = table["primary"] | table["loss_primary"]
    for rows in (either, ~either):  # both primary questions are adjusted together
        if rows.any():
            table.loc[rows, "p_holm"] = holm(table.loc[rows, "p"])
    table["verdict"] = judge(table)
    table["margin"] = protocol.EQUIVALENCE_MARGIN
    table["mde"] = [
        minimum_detectable_difference(se, splits - 1, FAMILY_ALPHA, protocol.MDE_POWER)
        for se, splits in zip(table["se"], table["splits"], strict=True)
    ]
    return table


def dataset_properties(dataset, study: SplitStudy) -> dict:
    """What describes a dataset beside its outcome: size, labels, mean cardinality, label
    imbalance (the most frequent label's count over each label's, averaged over labels),
    label correlation (mean absolute phi coefficient over label pairs) and the signal a
    linear model finds (the scikit-learn baseline's test micro-F1 under one threshold tuned
    on validation, mean over splits)."""
    Y = np.asarray(dataset.Y, dtype=np.float64)
    counts = Y.sum(axis=0)
    phi = np.corrcoef(Y, rowvar=False)
    pairs = np.triu_indices(Y.shape[1], k=1)
    baseline = study.baseline_metrics.query("metric == 'f1_micro' and decoder == 'global_tuned'")
    return {
        "dataset": study.dataset,
        "documents": len(dataset),
        "labels": Y.shape[1],
        "mean_cardinality": float(Y.sum(axis=1).mean()),
        "imbalance": float((counts.max() / counts).mean()),
        "correlation": float(np.nanmean(np.abs(phi[pairs]))),
        "baseline_micro_f1": float(baseline["value"].mean()),
        "splits": len(study.splits),
        "seeds": int(study.metrics["train_seed"].nunique()),
    }


def properties_table(properties: Sequence[dict], differences: pd.DataFrame) -> pd.DataFrame:
    """One column per dataset: its properties and its primary outcome (mean [95% interval
    over splits, seeds and test documents])."""
    primary = differences[differences["primary"]].set_index("dataset")
    reference, other, metric = PRIMARY
    outcome = f"{reference} − {other}, {AVERAGE_NAMES[metric]} (matched decoder)"
    rows = {}
    for item in properties:
        name = item["dataset"]
        row = primary.loc[name]
        rows[name] = {
            "documents": f"{item['documents']:,}",
            "labels": str(item["labels"]),
            "mean labels per document": f"{item['mean_cardinality']:.2f}",
            "label imbalance": f"{item['imbalance']:.1f}",
            "label correlation (mean |phi|)": f"{item['correlation']:.3f}",
            "baseline micro-F1": f"{item['baseline_micro_f1']:.3f}",
            "splits x seeds": f"{item['splits']} x {item['seeds']}",
            outcome: format_interval(row["mean_difference"], row["low"], row["high"]),
        }
    return pd.DataFrame(rows)


def _split_list(splits) -> str:
    splits = sorted(int(split) for split in splits)
    return ("split " if len(splits) == 1 else "splits ") + join_words([str(s) for s in splits])


def choice_table(studies: Mapping[str, SplitStudy]) -> pd.DataFrame:
    """How the search's choice moves with the split: per dataset and head, the settings
    chosen (learning rate @ epoch, with the number of splits that chose each) and how many
    splits chose a setting on an edge of the search grid."""
    rows = []
    for name, study in studies.items():
        selected = study.selected
        for head, group in selected.groupby("head", sort=False):
            # Numeric order (epoch 6 before epoch 10), with the splits that chose each.
            settings = group.groupby(["learning_rate", "epoch"])["split_seed"].apply(list)
            rows.append(
                {
                    "dataset": name,
                    "head": head,
                    "settings chosen (learning rate @ epoch, and the splits that chose it)": (
                        "; ".join(
                            f"{rate:g} @ {int(epoch)} ({_split_list(splits)})"
                            for (rate, epoch), splits in settings.items()
                        )
                    ),
                    "distinct settings": len(settings),
                    "splits on an edge": f"{int(group['on_edge'].sum())} of {len(group)}",
                }
            )
    return pd.DataFrame(rows).set_index(["dataset", "head"])


def choice_finding(studies: Mapping[str, SplitStudy]) -> str:
    """Words for :func:`choice_table`: how often the chosen setting changes between splits,
    how often the grid grew, and how many choices remain on an edge of the final grid."""
    selected = pd.concat([study.selected for study in studies.values()], ignore_index=True)
    pairs = [
        len(set(zip(group["learning_rate"], group["epoch"], strict=True)))
        for study in studies.values()
        for _, group in study.selected.groupby("head")
    ]
    changed = sum(count > 1 for count in pairs)
    grown = [
        study.grid.get("extensions", 0)
        for split_study in studies.values()
        for study in split_study.studies.values()
    ]
    edges = int(selected["on_edge"].sum())
    units = "dataset and head pairs" if len(studies) > 1 else "heads"
    return (
        "the search chose different settings on different splits for "
        f"{count_of(changed, len(pairs), units)}; the grid grew on "
        f"{count_of(sum(g > 0 for g in grown), len(grown), 'splits')}, and "
        f"{count_of(edges, len(selected), 'final choices (datasets, primary heads and splits)')} "
        f"{'lie' if edges > 1 else 'lies'} on an edge of the grid"
    )


def primary_finding(differences: pd.DataFrame) -> str:
    """The primary comparison on every dataset, in one sentence."""
    reference, other, metric = PRIMARY
    primary = differences[differences["primary"]]
    parts = []
    for _, row in primary.iterrows():
        interval = format_interval(row["mean_difference"], row["low"], row["high"])
        word = {
            "ahead": f"{reference} ahead",
            "behind": f"{other} ahead",
            "equivalent": f"equivalent within ±{protocol.EQUIVALENCE_MARGIN:g}",
            "undecided": "undecided",
        }[row["verdict"]]
        parts.append(f"{interval} on {row['dataset']} ({word})")
    return (
        f"{reference} minus {other} in {AVERAGE_NAMES[metric]}, each under one threshold tuned "
        f"on validation: {join_words(parts)}"
    )


#: The columns short enough for the text column: the two primary questions (micro-F1 under
#: the matched and under the consistent decoder) and macro-F1 under its matched decoder.
MAIN_COLUMNS = (("f1_micro", "matched"), ("f1_micro", "consistent"), ("f1_macro", "matched"))
#: The other columns, for a second table beside the first.
MORE_COLUMNS = (
    ("f1_weighted", "matched"),
    ("f1_samples", "matched"),
    ("f1_micro", "natural"),
    ("f1_micro", "threshold_0.5"),
)


def difference_table(
    differences: pd.DataFrame, reference: str = PRIMARY[0], columns=None
) -> pd.DataFrame:
    """Rows dataset x other head (the index level named "``reference`` minus"); columns each
    F1 average under its matched decoder, then
    micro-F1 under each head's consistent decoder (when ``differences`` hold it), under its
    own rule and under one half; only ``columns`` (``(metric, decoder)`` pairs, e.g.
    :data:`MAIN_COLUMNS`, :data:`MORE_COLUMNS`), in that order, when given. Cells
    ``"mean [low, high]"``, starred when the Holm-adjusted p-value is below
    :data:`FAMILY_ALPHA`."""
    if columns is None:
        columns = [(metric, "matched") for metric in AVERAGE_NAMES] + [
            ("f1_micro", "consistent"),
            ("f1_micro", "natural"),
            ("f1_micro", "threshold_0.5"),
        ]
    names = {(metric, "matched"): f"{AVERAGE_NAMES[metric]}, matched" for metric in AVERAGE_NAMES}
    columns = [column for column in columns if column[1] in set(differences["decoder"])]
    names[("f1_micro", "consistent")] = "micro-F1, consistent"
    names[("f1_micro", "natural")] = "micro-F1, own rule"
    names[("f1_micro", "threshold_0.5")] = "micro-F1, one half"
    indexed = differences.set_index(["dataset", "versus", "metric", "decoder"])
    rows = {}
    pairs = zip(differences["dataset"], differences["versus"], strict=True)
    for dataset, versus in dict.fromkeys(pairs):
        cells = {}
        for column in columns:
            if (dataset, versus, *column) not in indexed.index:  # see dataset_differences
                cells[names[column]] = "as matched"
                continue
            row = indexed.loc[(dataset, versus, *column)]
            star = "*" if row["p_holm"] < FAMILY_ALPHA else ""
            cells[names[column]] = (
                format_interval(row["mean_difference"], row["low"], row["high"]) + star
            )
        rows[(dataset, versus)] = cells
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index = pd.MultiIndex.from_tuples(table.index, names=["dataset", f"{reference} minus"])
    return table


def _clauses(rows: pd.DataFrame, metric: bool = True) -> list[str]:
    """The comparisons of ``rows`` in words, datasets with the same comparisons together:
    "softmax_cce_norm in macro-F1 and micro-F1 on films", "softmax_cce and softmax_cce_norm
    on movielens and films" (without the F1 averages when ``metric`` is false)."""
    phrases: dict[str, list[str]] = {}  # what was compared -> the datasets it holds on
    for dataset, on_dataset in rows.groupby("dataset", sort=False):
        by_averages: dict[tuple, list[str]] = {}
        for versus, of_head in on_dataset.groupby("versus", sort=False):
            averages = tuple(AVERAGE_NAMES[name] for name in dict.fromkeys(of_head["metric"]))
            by_averages.setdefault(averages, []).append(versus)
        phrase = join_words(
            [
                join_words(heads) + (f" in {join_words(list(averages))}" if metric else "")
                for averages, heads in by_averages.items()
            ]
        )
        phrases.setdefault(phrase, []).append(str(dataset))
    return [f"{phrase} on {join_words(datasets)}" for phrase, datasets in phrases.items()]


def verdict_finding(differences: pd.DataFrame, reference: str = PRIMARY[0]) -> str:
    """For the matched decoders, and for micro-F1 under each head's own rule: how many
    95% intervals exclude zero, on which side (naming those comparisons), and how many of
    those differences survive Holm's correction over every secondary comparison."""
    secondary = int((~differences["primary"]).sum())
    parts = []
    for decoder, label, metrics in (
        ("matched", "under the matched decoders", list(AVERAGE_NAMES)),
        ("natural", "in micro-F1 under each head's own rule", ["f1_micro"]),
    ):
        rows = differences[
            (differences["decoder"] == decoder) & differences["metric"].isin(metrics)
        ]
        above = rows[rows["low"] > 0]
        below = rows[rows["high"] < 0]
        decided = int(rows["verdict"].isin(("ahead", "behind")).sum())
        if above.empty and below.empty:
            every = "both" if len(rows) == 2 else f"all {len(rows)}"
            clause = f"{label}, {every} intervals contain zero"
        else:
            # Not "ahead"/"behind": those words are kept for differences that survive Holm.
            sides = []
            if len(above):
                against = _clauses(above, len(metrics) > 1)
                sides.append(f"in favour of {reference} against " + "; against ".join(against))
            if len(below):
                favoured = _clauses(below, len(metrics) > 1)
                sides.append(f"against {reference}, in favour of " + "; of ".join(favoured))
            excluding = len(above) + len(below)
            verb = "excludes" if excluding == 1 else "exclude"
            clause = (
                f"{label}, {count_of(excluding, len(rows), 'intervals')} {verb} zero before "
                f"correction ({'; '.join(sides)})"
            )
        if decided:
            clause += (
                f", and {decided} of these differences "
                f"{'survives' if decided == 1 else 'survive'} Holm's correction over the "
                f"{secondary} secondary comparisons"
            )
        elif len(above) + len(below):
            clause += (
                f"; none survives Holm's correction over the {secondary} secondary comparisons"
            )
        parts.append(clause)
    return "; ".join(parts)
