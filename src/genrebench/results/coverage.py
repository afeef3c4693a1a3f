"""Do the intervals cover what they claim? Coverage shares from a simulation
(:mod:`genrebench.experiments.coverage`), their binomial intervals, a table and their wording.

Each replication's per-split values (seed-averaged) give the corrected interval over splits
(:func:`genrebench.results.statistics.split_interval`) and the plain t-interval over the same
splits; the values of the training seeds on one split give a third interval, the one a study
with a single split would report. An interval *covers* when the truth lies inside it.
"""

from collections.abc import Mapping

import pandas as pd
from scipy import stats

from genrebench.results.statistics import split_interval, t_interval

#: The intervals compared, in table order: name -> how the book names it.
INTERVALS = {
    "corrected": "corrected t-interval over splits",
    "plain": "plain t-interval over splits",
    "seeds": "t-interval over the seeds of one split",
}


def replication_intervals(
    table: pd.DataFrame, test_to_train: float, confidence: float = 0.95
) -> pd.DataFrame:
    """Every replication's intervals, per quantity: columns ``quantity``, ``replication``,
    ``interval`` (a name of :data:`INTERVALS`), ``mean``, ``low``, ``high``.

    ``table`` has one row per replication x split x training seed x quantity (``value``).
    The interval over seeds uses the first split and is left out when there is one seed.
    """
    rows = []
    for (quantity, replication), group in table.groupby(["quantity", "replication"], sort=False):
        per_split = group.groupby("split_seed")["value"].mean()
        mean, low, high, _ = split_interval(per_split.to_numpy(), test_to_train, confidence)
        rows.append((quantity, replication, "corrected", mean, low, high))
        rows.append((quantity, replication, "plain", *t_interval(per_split, confidence)))
        first = group[group["split_seed"] == per_split.index.min()]["value"]
        if len(first) >= 2:
            rows.append((quantity, replication, "seeds", *t_interval(first, confidence)))
    return pd.DataFrame(
        rows, columns=["quantity", "replication", "interval", "mean", "low", "high"]
    )


def coverage(
    intervals: pd.DataFrame, truth: Mapping[str, float], confidence: float = 0.95
) -> pd.DataFrame:
    """Share of replications whose interval contains ``truth[quantity]``, per quantity and
    interval, with a Wilson interval on the share (at ``confidence``) and the mean half-width.

    Columns: ``quantity``, ``interval``, ``replications``, ``covered``, ``share``,
    ``share_low``, ``share_high``, ``half_width``.
    """
    rows = []
    for (quantity, interval), group in intervals.groupby(["quantity", "interval"], sort=False):
        target = float(truth[quantity])
        covered = int(((group["low"] <= target) & (target <= group["high"])).sum())
        share = stats.binomtest(covered, len(group)).proportion_ci(confidence, method="wilson")
        half_width = float(((group["high"] - group["low"]) / 2).mean())
        rows.append(
            (quantity, interval, len(group), covered, covered / len(group), *share, half_width)
        )
    columns = ["quantity", "interval", "replications", "covered", "share"]
    result = pd.DataFrame(rows, columns=[*columns, "share_low", "share_high", "half_width"])
    # quantities in the order they came, intervals in the order of INTERVALS
    quantities = {name: index for index, name in enumerate(dict.fromkeys(result["quantity"]))}
    result["_rank"] = result["quantity"].map(quantities) * len(INTERVALS) + result["interval"].map(
        {name: index for index, name in enumerate(INTERVALS)}
    )
    return result.sort_values("_rank").drop(columns="_rank").reset_index(drop=True)


def simulation_coverage(simulation, confidence: float = 0.95) -> pd.DataFrame:
    """:func:`coverage` of a :class:`genrebench.experiments.coverage.CoverageSimulation`."""
    intervals = replication_intervals(simulation.table, simulation.test_to_train, confidence)
    return coverage(intervals, simulation.truth.set_index("quantity")["truth"], confidence)


def percent(share: float) -> str:
    """A share as a whole percentage, with a decimal when rounding would print 0% or 100% for
    a share that is neither."""
    printed = f"{share:.0%}"
    if printed in ("0%", "100%") and 0 < share < 1:
        return f"{share:.1%}"
    return printed


def coverage_table(shares: pd.DataFrame, names: Mapping[str, str]) -> pd.DataFrame:
    """The book's table: one row per interval, for each quantity (named by ``names``) the
    share of replications covered with its binomial interval, and the mean half-width."""
    frame = shares.assign(
        coverage=[
            f"{percent(row.share)} [{percent(row.share_low)}, {percent(row.share_high)}]"
            for row in shares.itertuples()
        ],
        width=shares["half_width"].map("{:.3f}".format),
        name=shares["interval"].map(INTERVALS),
    )
    wide = frame.pivot(index="name", columns="quantity", values=["coverage", "width"])
    quantities = list(dict.fromkeys(shares["quantity"]))
    wide = wide.reindex(index=[INTERVALS[i] for i in dict.fromkeys(shares["interval"])])
    wide.columns = pd.MultiIndex.from_tuples(
        [
            (names[quantity], {"coverage": "covered", "width": "mean half-width"}[kind])
            for kind, quantity in wide.columns
        ]
    )
    columns = [
        (names[quantity], kind)
        for quantity in quantities
        for kind in ("covered", "mean half-width")
    ]
    return wide[columns].rename_axis(index="interval")
