"""The head question over every dataset at once: each comparison pooled over the datasets by
a random-effects model, with its own four-state verdict; the verdicts at other margins; and
each dataset's minimum detectable difference.

Reads the rows of :func:`genrebench.results.travel.travel_differences` (one per dataset x
other head x F1 average x decoder, each with its split-aware standard error ``se``).
"""

import numpy as np
import pandas as pd

from genrebench.experiments import protocol
from genrebench.results.family import FAMILY_ALPHA, judge
from genrebench.results.statistics import (
    VERDICTS,
    against_margin,
    format_bounds,
    format_interval,
    holm,
    number,
    random_effects,
    verdicts,
)
from genrebench.results.tables import AVERAGE_NAMES
from genrebench.results.travel import PRIMARY

#: How the decoders of the travel comparisons are named in tables: the glossary's terms,
#: short enough for a column that does not wrap.
DECODER_NAMES = {
    "matched": "matched decoder",
    "consistent": "consistent decoder",
    "natural": "own rule",
    "threshold_0.5": "one half",
}


def pooled_differences(differences: pd.DataFrame) -> pd.DataFrame:
    """Each comparison (other head x F1 average x decoder) pooled over the datasets
    (:func:`~genrebench.results.statistics.random_effects`: DerSimonian-Laird tau^2,
    modified Hartung-Knapp interval), its p-value Holm-adjusted over the pooled rows (the
    two primary ones together, as on each dataset), and a verdict at the protocol's margin."""
    rows = []
    keys = ["versus", "metric", "decoder"]
    for (versus, metric, decoder), group in differences.groupby(keys, sort=False):
        pooled = random_effects(group["mean_difference"], group["se"])
        rows.append(
            {
                "versus": versus,
                "metric": metric,
                "decoder": decoder,
                "primary": bool((group["primary"] | group["loss_primary"]).any()),
                "mean_difference": pooled.pop("mean"),
                **pooled,
                "datasets": ", ".join(group["dataset"]),
            }
        )
    table = pd.DataFrame(rows)
    table["p_holm"] = float("nan")
    for is_primary in (True, False):
        chosen = table["primary"] == is_primary
        if chosen.any():
            table.loc[chosen, "p_holm"] = holm(table.loc[chosen, "p"])
    table["verdict"] = judge(table)
    return table


def detectable_differences(differences: pd.DataFrame) -> pd.DataFrame:
    """Each dataset's minimum detectable difference in the primary comparison (the ``mde``
    of :func:`~genrebench.results.travel.travel_differences`: the true difference its
    split-aware test finds with :data:`protocol.MDE_POWER`, given its own spread between
    splits)."""
    primary = differences[differences["primary"]]
    return primary[["dataset", "splits", "mde"]].reset_index(drop=True)


def margin_sensitivity(differences: pd.DataFrame) -> pd.DataFrame:
    """How many comparisons under the matched decoders end in each verdict at half the
    margin, at the margin and at twice it (rows), so a reader sees how much rests on the
    margin's choice."""
    matched = differences[differences["decoder"] == "matched"]
    margins = sorted({protocol.EQUIVALENCE_MARGIN, *protocol.MARGIN_SENSITIVITY})
    rows = {}
    for margin in margins:
        found = pd.Series(verdicts(matched, margin, FAMILY_ALPHA))
        rows[f"±{margin:g}"] = {verdict: int((found == verdict).sum()) for verdict in VERDICTS}
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = "margin δ"
    return table


def _primary(pooled: pd.DataFrame, decoder: str) -> pd.Series:
    return pooled[pooled["primary"] & (pooled["decoder"] == decoder)].iloc[0]


def pooled_interval(pooled: pd.DataFrame, decoder: str) -> tuple[str, str]:
    """The pooled primary comparison under ``decoder`` ("matched": the practice question,
    "consistent": the loss question), as its interval and its verdict."""
    row = _primary(pooled, decoder)
    return format_interval(row["mean_difference"], row["low"], row["high"]), row["verdict"]


def pooled_interval90(pooled: pd.DataFrame, decoder: str) -> str:
    """The pooled primary comparison's 90% interval under ``decoder``, the one its
    equivalence test reads and its 95% interval may overstep: "[-0.001, 0.009]"."""
    row = _primary(pooled, decoder)
    return format_bounds(row["low90"], row["high90"])


def pooled_margin(pooled: pd.DataFrame, decoder: str) -> str:
    """Where the pooled primary comparison's 90% interval under ``decoder``, the one the
    equivalence test reads, lies against the protocol's equivalence margin
    (:func:`~genrebench.results.statistics.against_margin`): "inside" exactly when the
    comparison can be called equivalent, whatever its 95% interval shows."""
    row = _primary(pooled, decoder)
    return against_margin(row["low90"], row["high90"], protocol.EQUIVALENCE_MARGIN)


def pooled_table(pooled: pd.DataFrame, reference: str = PRIMARY[0]) -> pd.DataFrame:
    """The pooled comparisons as the chapters show them: one row per comparison, the pooled
    difference with its 95% interval, the fixed-effect estimate beside it, tau (the spread of
    the true difference between datasets, in F1), I^2 and the verdict."""
    rows = {}
    for _, row in pooled.iterrows():
        name = (
            f"{reference} − {row['versus']}",
            AVERAGE_NAMES[row["metric"]],
            DECODER_NAMES[row["decoder"]],
        )
        rows[name] = {
            "pooled (random effects)": format_interval(
                row["mean_difference"], row["low"], row["high"]
            ),
            "fixed effect": format_interval(row["fixed_mean"], row["fixed_low"], row["fixed_high"]),
            "τ": number(float(np.sqrt(row["tau2"]))),
            "I²": f"{row['i2']:.0%}",
            "verdict": row["verdict"],
        }
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index = pd.MultiIndex.from_tuples(table.index, names=["difference", "F1", "decoder"])
    return table
