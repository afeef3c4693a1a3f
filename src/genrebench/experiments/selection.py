"""Model selection on validation: each head's settings, chosen by its own validation score."""

from collections.abc import Sequence

import pandas as pd

from genrebench.decode import SELECTABLE_DECODERS

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
