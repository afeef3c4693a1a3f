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

from genrebench.decode import DECODER_DISPLAY, MATCHED_DECODERS
from genrebench.experiments import protocol
from genrebench.experiments.splits import SplitStudy
from genrebench.heads import get_head
from genrebench.results.family import FAMILY_ALPHA, judge
from genrebench.results.statistics import (
    format_interval,
    holm,
    minimum_detectable_difference,
    split_differences,
    split_summary,
)
from genrebench.results.tables import AVERAGE_NAMES, F1_METRICS
from genrebench.results.wording import join_words

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


#: The reference head's own scores a dataset's column reports: each average under its matched
#: decoder.
SCORED_METRICS = ("f1_micro", "f1_macro")


def reference_scores(
    study: SplitStudy, reference: str = PRIMARY[0], metrics: Sequence[str] = SCORED_METRICS
) -> dict:
    """The reference head's test F1 on one dataset in each of ``metrics`` (micro and macro by
    default), each under its matched decoder: ``{metric: (mean, low, high)}``, the
    split-aware 95% interval (splits, seeds, test documents). The landing and answers pages
    quote the films' from here; the travel chapter's datasets table prints every dataset's."""
    mine = study.metrics[study.metrics["head"] == reference]
    summary = split_summary(mine, study.test_to_train).set_index(["decoder", "metric"])
    return {
        metric: tuple(
            float(value)
            for value in summary.loc[(MATCHED_DECODERS[metric], metric), ["mean", "low", "high"]]
        )
        for metric in metrics
    }


def dataset_properties(dataset, study: SplitStudy) -> dict:
    """What describes a dataset beside its outcome: size, labels, mean cardinality, label
    imbalance (the most frequent label's count over each label's, averaged over labels),
    label correlation (mean absolute phi coefficient over label pairs) and the signal a
    linear model finds (the scikit-learn baseline's test micro-F1 under one threshold tuned
    on validation, mean over splits), and the reference head's own scores
    (:func:`reference_scores`)."""
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
        "reference_scores": reference_scores(study),
        "splits": len(study.splits),
        "seeds": int(study.metrics["train_seed"].nunique()),
    }


def properties_table(properties: Sequence[dict], differences: pd.DataFrame) -> pd.DataFrame:
    """One column per dataset: its properties and its primary outcome (mean [95% interval
    over splits, seeds and test documents])."""
    primary = differences[differences["primary"]].set_index("dataset")
    reference, other, metric = (
        get_head(PRIMARY[0]).display,
        get_head(PRIMARY[1]).display,
        PRIMARY[2],
    )
    outcome = f"{reference} − {other}, {AVERAGE_NAMES[metric]} (one tuned threshold)"
    rows = {}
    for item in properties:
        name = item["dataset"]
        row = primary.loc[name]
        scores = {
            f"{reference}, {AVERAGE_NAMES[m]} ({DECODER_DISPLAY[MATCHED_DECODERS[m]]})": (
                format_interval(*item["reference_scores"][m])
            )
            for m in SCORED_METRICS
        }
        rows[name] = {
            "documents": f"{item['documents']:,}",
            "labels": str(item["labels"]),
            "mean labels per document": f"{item['mean_cardinality']:.2f}",
            "label imbalance": f"{item['imbalance']:.1f}",
            "label correlation (mean |phi|)": f"{item['correlation']:.3f}",
            "baseline micro-F1": f"{item['baseline_micro_f1']:.3f}",
            "splits × seeds": f"{item['splits']} × {item['seeds']}",
            **scores,
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


def choice_counts(studies: Mapping[str, SplitStudy]) -> dict[str, int]:
    """The counts behind :func:`choice_table`: heads (per dataset) whose chosen setting
    changes between splits (``changed`` of ``pairs``), splits whose grid grew (``grown`` of
    ``splits``), and final choices on an edge of the final grid (``edges`` of ``choices``)."""
    selected = pd.concat([study.selected for study in studies.values()], ignore_index=True)
    pairs = [
        len(set(zip(group["learning_rate"], group["epoch"], strict=True)))
        for study in studies.values()
        for _, group in study.selected.groupby("head")
    ]
    grown = [
        study.grid.get("extensions", 0)
        for split_study in studies.values()
        for study in split_study.studies.values()
    ]
    return {
        "changed": sum(count > 1 for count in pairs),
        "pairs": len(pairs),
        "grown": sum(extensions > 0 for extensions in grown),
        "splits": len(grown),
        "edges": int(selected["on_edge"].sum()),
        "choices": len(selected),
    }


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


def exclusion_counts(differences: pd.DataFrame) -> dict[str, dict[str, int]]:
    """For the secondary comparisons under the matched decoders (every F1 average) and in
    micro-F1 under each head's own rule (``natural``): how many there are (``rows``), how many
    95% intervals lie above zero (favouring the reference) and below zero before correction,
    and how many differences survive Holm's correction (``decided``)."""
    counts = {}
    for decoder, metrics in (("matched", list(AVERAGE_NAMES)), ("natural", ["f1_micro"])):
        rows = differences[
            (differences["decoder"] == decoder) & differences["metric"].isin(metrics)
        ]
        counts[decoder] = {
            "rows": len(rows),
            "above": int((rows["low"] > 0).sum()),
            "below": int((rows["high"] < 0).sum()),
            "decided": int(rows["verdict"].isin(("ahead", "behind")).sum()),
        }
    return counts
