"""The two levers side by side: how far F1 moves when the decoder changes, against how far it
moves when the head changes, on every dataset.

:func:`decoder_steps` takes the decoder lever a step at a time, for every head: one half, one
threshold tuned on validation, one threshold per label, and the decoder consistent for the
head's loss.

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
from genrebench.heads import get_head
from genrebench.results.statistics import (
    format_interval,
    paired_differences,
    seed_summary,
    split_differences,
    split_summary,
)
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


def consistent_gains(studies: Mapping[str, SplitStudy], head: str) -> pd.DataFrame:
    """How far ``head``'s micro-F1 moves when its decoder changes from one threshold tuned on
    validation to the decoder consistent for its loss (:attr:`genrebench.heads.Head.
    consistent`), on every dataset: one row per dataset, mean over splits and split-aware 95%
    interval (columns dataset, mean, low, high); empty when the two decoders are the same."""
    decoder = get_head(head).consistent
    tuned = MATCHED_DECODERS["f1_micro"]
    rows = []
    for name, study in studies.items():
        if decoder == tuned:
            break
        mine = study.metrics.query("head == @head and metric == 'f1_micro'")
        gain = split_differences(
            mine, decoder, [tuned], study.test_to_train, by=("metric",), column="decoder"
        ).iloc[0]
        rows.append((name, gain["mean_difference"], gain["low"], gain["high"]))
    return pd.DataFrame(rows, columns=["dataset", "mean", "low", "high"])


def one_split_levers(
    steps: pd.DataFrame, differences: pd.DataFrame, reference: str, dataset: str
) -> pd.DataFrame:
    """The two levers on one split, in :func:`lever_differences`' columns, from that split's
    decoder steps (:func:`decoder_steps` without ``test_to_train``) and its seed-paired head
    differences (``reference`` minus each other head, by decoder and metric): intervals over
    the split's training seeds only."""
    rows = []
    for metric in LEVER_METRICS:
        matched = MATCHED_DECODERS[metric]
        mine = steps[(steps["head"] == reference) & (steps["metric"] == metric)]
        gain = mine[mine["step"] == matched].iloc[0]
        rows.append((dataset, metric, "decoder", "", gain["mean"], gain["low"], gain["high"]))
        heads = differences[(differences["metric"] == metric) & (differences["decoder"] == matched)]
        widest = heads.loc[heads["mean_difference"].abs().idxmax()]
        rows.append(
            (dataset, metric, "head", widest["versus"], *widest[["mean_difference", "low", "high"]])
        )
    return pd.DataFrame(
        rows, columns=["dataset", "metric", "lever", "versus", "mean", "low", "high"]
    )


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


def lever_range(levers: pd.DataFrame, lever: str, metric: str = "f1_micro") -> tuple:
    """The smallest and largest absolute mean of one lever over the datasets."""
    values = levers.query("lever == @lever and metric == @metric")["mean"].abs()
    return float(values.min()), float(values.max())


def lever_table(levers: pd.DataFrame, reference: str) -> pd.DataFrame:
    """For the page: one row per dataset and average, the decoder lever and the head lever
    as "mean [low, high]", and the two heads the head lever compares."""
    rows = {}
    for (dataset, metric), group in levers.groupby(["dataset", "metric"], sort=False):
        decoder = group[group["lever"] == "decoder"].iloc[0]
        head = group[group["lever"] == "head"].iloc[0]
        rows[(dataset, AVERAGE_NAMES[metric])] = {
            f"decoder: matched − one half ({get_head(reference).display})": format_interval(
                decoder["mean"], decoder["low"], decoder["high"]
            ),
            "head: largest difference, matched decoder": format_interval(
                head["mean"], head["low"], head["high"]
            ),
            "heads compared": f"{get_head(reference).display} − {get_head(head['versus']).display}",
        }
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index = pd.MultiIndex.from_tuples(table.index, names=["dataset", "F1"])
    return table


#: The decoder steps, in order: what most code does, then each refinement fitted on
#: validation. "consistent" stands for each head's own consistent decoder
#: (:attr:`genrebench.heads.Head.consistent`).
DECODER_STEPS = ("threshold_0.5", "global_tuned", "per_label_tuned", "consistent")
#: The steps as a table's columns name them.
STEP_NAMES = {
    "threshold_0.5": "F1 at one half",
    "global_tuned": "gain: one tuned threshold",
    "per_label_tuned": "gain: a tuned threshold per label",
    "consistent": "gain: the head's consistent decoder",
}


def decoder_steps(metrics: pd.DataFrame, heads, test_to_train: float | None = None) -> pd.DataFrame:
    """One row per head x average (micro- and macro-F1) x step of :data:`DECODER_STEPS`:
    at one half the head's test F1, at every later step its gain over one half, paired by
    split and seed. With ``test_to_train`` the intervals are split-aware (``metrics`` holds
    several splits); without it ``metrics`` holds one split and the intervals cover its
    training seeds only. Columns head, metric, step, decoder (the decoder's own name), mean,
    low, high."""
    rows = []
    for head in heads:
        mine = metrics[(metrics["head"] == head) & metrics["metric"].isin(LEVER_METRICS)]
        for step in DECODER_STEPS:
            decoder = get_head(head).consistent if step == "consistent" else step
            if step == "threshold_0.5":
                level = mine[mine["decoder"] == step]
                found = (
                    seed_summary(level, by=("metric",))
                    if test_to_train is None
                    else split_summary(level, test_to_train, by=("metric",))
                )
                found = found.rename(columns={"mean": "mean_difference"})
            elif test_to_train is None:
                found = paired_differences(
                    mine, decoder, [DEFAULT_DECODER], by=("metric",), column="decoder"
                )
            else:
                found = split_differences(
                    mine, decoder, [DEFAULT_DECODER], test_to_train, by=("metric",),
                    column="decoder",
                )  # fmt: skip
            for row in found.itertuples():
                rows.append(
                    (head, row.metric, step, decoder, row.mean_difference, row.low, row.high)
                )
    columns = ["head", "metric", "step", "decoder", "mean", "low", "high"]
    table = pd.DataFrame(rows, columns=columns)
    order = {metric: i for i, metric in enumerate(LEVER_METRICS)}
    return table.sort_values("metric", key=lambda c: c.map(order), kind="stable").reset_index(
        drop=True
    )


def _bounds(row) -> tuple[float, float]:
    """A step's interval; an F1 (the first step) cannot leave [0, 1], a gain can."""
    if row.step != "threshold_0.5":
        return row.low, row.high
    return max(row.low, 0.0), min(row.high, 1.0)


def steps_table(steps: pd.DataFrame, by_dataset: bool = False) -> pd.DataFrame:
    """For the page: one row per F1 average and head (first per dataset with ``by_dataset``,
    ``steps`` then carrying a ``dataset`` column), one column per step, "mean [low, high]"
    (F1 at one half, its interval held inside [0, 1] where F1 lies; gains over it after)."""
    keys = ["dataset", "metric", "head"] if by_dataset else ["metric", "head"]
    rows = {}
    for key, group in steps.groupby(keys, sort=False):
        key = (*key[:-2], AVERAGE_NAMES[key[-2]], key[-1])
        rows[key] = {
            STEP_NAMES[row.step]: format_interval(row.mean, *_bounds(row))
            for row in group.itertuples()
        }
    table = pd.DataFrame.from_dict(rows, orient="index")
    names = ["dataset", "F1", "head"] if by_dataset else ["F1", "head"]
    table.index = pd.MultiIndex.from_tuples(table.index, names=names)
    return table
