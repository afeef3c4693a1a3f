"""Model selection on validation: each head's settings, chosen by its own validation score."""

from collections.abc import Sequence

import pandas as pd

from genrebench.decode import SELECTABLE_DECODERS
from genrebench.experiments import protocol

RUN_SETTINGS = ["learning_rate", "hidden_units", "batch_size", "epoch"]


class DivergedError(ValueError):
    """Every setting searched for a head diverged: there is nothing to select."""


def select_settings(
    table: pd.DataFrame, metric: str = "f1_micro", decoders: Sequence[str] = SELECTABLE_DECODERS
) -> pd.DataFrame:
    """Each head's best settings by its own validation score, averaged over training seeds.

    For every head and setting (learning rate, width, batch size, epoch), the
    score is the best validation ``metric`` over ``decoders`` (all fitted on
    validation); the setting with the highest mean over seeds wins. Returns one
    row per head with the winning settings, decoder and score.
    """
    val = table[(table["split"] == "val") & (table["metric"] == metric)]
    val = val[val["decoder"].isin(decoders)]
    if val.empty:
        raise ValueError(f"no validation rows for metric {metric!r} and decoders {decoders}")
    diverged = set(val["head"]) - set(val.loc[val["value"].notna(), "head"])
    if diverged:
        raise DivergedError(
            f"every run of {', '.join(sorted(diverged))} diverged (scores NaN or infinite); "
            "try smaller learning rates"
        )
    per_seed = val.groupby(["head", *RUN_SETTINGS, "train_seed"], as_index=False)["value"].max()
    mean = per_seed.groupby(["head", *RUN_SETTINGS], as_index=False)["value"].mean()
    best = mean.loc[mean.groupby("head")["value"].idxmax()].reset_index(drop=True)
    return best.rename(columns={"value": f"val_{metric}"})


def restrict_to(table: pd.DataFrame, settings: pd.DataFrame) -> pd.DataFrame:
    """Rows of ``table`` whose head and settings match a row of ``settings``."""
    keys = ["head", *RUN_SETTINGS]
    return table.merge(settings[keys], on=keys, how="inner")


def grid_edges(rate: float, epoch: int, rates: Sequence[float], epochs: Sequence[int]) -> str:
    """Which edges of the search grid a chosen setting lies on, in words ("" when none):
    the lowest or highest learning rate searched, the first (when later than epoch one) or
    last epoch read out."""
    edges = []
    if rate == min(rates) and len(rates) > 1:
        edges.append("lowest learning rate")
    if rate == max(rates) and len(rates) > 1:
        edges.append("highest learning rate")
    if epoch == max(epochs):
        edges.append("last epoch")
    elif epoch == min(epochs) and epoch > 1:
        edges.append("first epoch")
    return ", ".join(edges)


def widen_grid(
    selected: pd.DataFrame,
    rates: Sequence[float],
    epochs: Sequence[int],
    rate_ladder: Sequence[float] = protocol.LEARNING_RATE_LADDER,
    epoch_ladder: Sequence[int] = protocol.EPOCH_LADDER,
) -> tuple[tuple[float, ...], tuple[int, ...]] | None:
    """The grid grown past every edge that a head's chosen setting lies on, or ``None`` when
    no choice is on an edge the ladders can extend.

    A choice at the lowest (highest) learning rate adds the ladder's next lower (higher)
    rate; a choice at the last epoch read out adds the ladder's next epoch. The grid grows
    for every head alike, so the search stays the same for all of them. A single learning
    rate is a fixed choice, not a grid, and is never extended.
    """
    rates, epochs = tuple(sorted(rates)), tuple(sorted(epochs))
    lower = [r for r in rate_ladder if r < rates[0]]
    higher = [r for r in rate_ladder if r > rates[-1]]
    later = [e for e in epoch_ladder if e > epochs[-1]]
    chosen_rates = set(selected["learning_rate"].astype(float))
    new_rates, new_epochs = rates, epochs
    if lower and len(rates) > 1 and rates[0] in chosen_rates:
        new_rates = (lower[-1], *new_rates)
    if higher and len(rates) > 1 and rates[-1] in chosen_rates:
        new_rates = (*new_rates, higher[0])
    if later and epochs[-1] in set(selected["epoch"].astype(int)):
        new_epochs = (*epochs, later[0])
    if (new_rates, new_epochs) == (rates, epochs):
        return None
    return new_rates, new_epochs
