"""The two levers side by side: how far F1 moves when the decoder changes, against how far it
moves when the head changes, on every dataset.

The decoder lever is the reference head's F1 under the decoder matched to the average (one
threshold tuned on validation for micro-F1, one per label for macro-F1) minus its F1 at a fixed
threshold of one half, paired by split and seed. The head lever is the largest difference
between the reference and another head, both under that matched decoder. Both carry the
split-aware interval (splits, seeds, test documents).
"""

from collections.abc import Mapping

import pandas as pd

from genrebench.decode import MATCHED_DECODERS
from genrebench.experiments.splits import SplitStudy
from genrebench.results.statistics import format_interval, split_differences
from genrebench.results.tables import AVERAGE_NAMES

#: The F1 averages the levers are measured in.
LEVER_METRICS = ("f1_micro", "f1_macro")
#: The decoder every lever starts from: what most code does by default.
DEFAULT_DECODER = "threshold_0.5"


def lever_differences(
    studies: Mapping[str, SplitStudy], travel: pd.DataFrame, reference: str
) -> pd.DataFrame:
    """One row per dataset x average x lever ("decoder" or "head"): the change in F1 (mean
    over splits, 95% split-aware interval), and for the head lever the head it compares.
    ``travel`` holds the studies' differences (:func:`~genrebench.results.travel.
    travel_differences`)."""
    rows = []
    for name, study in studies.items():
        mine = study.metrics[study.metrics["head"] == reference]
        for metric in LEVER_METRICS:
            matched = MATCHED_DECODERS[metric]
            chosen = mine[mine["metric"] == metric]
            gain = split_differences(
                chosen, matched, [DEFAULT_DECODER], study.test_to_train, by=("metric",),
                column="decoder",
            ).iloc[0]  # fmt: skip
            rows.append((name, metric, "decoder", "", *gain[["mean_difference", "low", "high"]]))
            heads = travel.query("dataset == @name and metric == @metric and decoder == 'matched'")
            widest = heads.loc[heads["mean_difference"].abs().idxmax()]
            rows.append(
                (
                    name,
                    metric,
                    "head",
                    widest["versus"],
                    *widest[["mean_difference", "low", "high"]],
                )
            )
    columns = ["dataset", "metric", "lever", "versus", "mean", "low", "high"]
    return pd.DataFrame(rows, columns=columns)


def larger_lever(levers: pd.DataFrame) -> str:
    """ "decoder" when tuning the decoder moves F1 more than changing the head on every
    dataset and average (in absolute mean), "head" when the reverse holds everywhere, else
    "mixed"."""
    wide = levers.pivot_table(index=["dataset", "metric"], columns="lever", values="mean")
    decoder, head = wide["decoder"].abs(), wide["head"].abs()
    if (decoder > head).all():
        return "decoder"
    if (head > decoder).all():
        return "head"
    return "mixed"


#: How :func:`larger_lever`'s answer reads in a sentence.
LEVER_WORDS = {
    "decoder": "the decoder",
    "head": "the head",
    "mixed": "the decoder on some and the head on others",
}


def lever_range(levers: pd.DataFrame, lever: str, metric: str = "f1_micro") -> tuple:
    """The smallest and largest absolute mean of one lever over the datasets."""
    values = levers.query("lever == @lever and metric == @metric")["mean"].abs()
    return float(values.min()), float(values.max())


def lever_table(levers: pd.DataFrame, reference: str) -> pd.DataFrame:
    """For the page: one row per dataset and average, the decoder lever and the head lever
    as "mean [low, high]", the head compared named."""
    rows = {}
    for (dataset, metric), group in levers.groupby(["dataset", "metric"], sort=False):
        decoder = group[group["lever"] == "decoder"].iloc[0]
        head = group[group["lever"] == "head"].iloc[0]
        rows[(dataset, AVERAGE_NAMES[metric])] = {
            f"decoder: matched − one half ({reference})": format_interval(
                decoder["mean"], decoder["low"], decoder["high"]
            ),
            "head: largest difference, matched decoder": format_interval(
                head["mean"], head["low"], head["high"]
            )
            + f" ({reference} − {head['versus']})",
        }
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index = pd.MultiIndex.from_tuples(table.index, names=["dataset", "F1"])
    return table
