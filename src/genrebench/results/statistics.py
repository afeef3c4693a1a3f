"""Statistics of tidy result tables: intervals over seeds, paired differences, their wording.

Result tables come from :mod:`genrebench.experiments` (one row per run x epoch x
split x decoder x metric). Nothing here trains or reads files.
"""

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats


def t_interval(values: Sequence[float], confidence: float = 0.95) -> tuple[float, float, float]:
    """Mean and two-sided Student-t interval of ``values`` (e.g. one score per seed)."""
    values = np.asarray(values, dtype=np.float64)
    if len(values) < 2:
        raise ValueError("an interval over seeds needs at least two seeds")
    mean = float(values.mean())
    half = float(
        stats.t.ppf(0.5 + confidence / 2, len(values) - 1)
        * values.std(ddof=1)
        / np.sqrt(len(values))
    )
    return mean, mean - half, mean + half


def seed_summary(
    table: pd.DataFrame, by: Sequence[str] = ("head", "decoder", "metric"), confidence: float = 0.95
) -> pd.DataFrame:
    """Mean, interval and number of seeds of ``value`` for each group of ``by`` (test rows)."""
    rows = []
    for key, group in table.groupby(list(by)):
        mean, low, high = t_interval(group["value"], confidence)
        rows.append((*key, mean, low, high, group["train_seed"].nunique()))
    return pd.DataFrame(rows, columns=[*by, "mean", "low", "high", "seeds"])


def paired_differences(
    table: pd.DataFrame,
    reference: str,
    others: Sequence[str],
    by: Sequence[str] = ("decoder", "metric"),
    confidence: float = 0.95,
    column: str = "head",
    pair_by: str = "train_seed",
    p_values: bool = False,
) -> pd.DataFrame:
    """``reference`` minus each of ``others`` (values of ``column``: heads by default,
    or decoders, or optimisers), paired by training seed (or by ``pair_by``, e.g.
    ``"split_seed"``), with a t-interval over the pairs.

    Pairing removes the variation the arms share (same initialisation seed and
    batch order; same data split). The counts are returned as ``seeds_won`` and
    ``seeds`` whatever ``pair_by`` is. With ``p_values``, a column ``p`` holds the paired
    t-test's two-sided p-value (1 when every difference is zero, 0 when they are all the same
    non-zero value: no spread, no test).
    """
    index = [*by, pair_by]
    wide = table.pivot_table(index=index, columns=column, values="value", aggfunc="first")
    rows = []
    for other in others:
        difference = (wide[reference] - wide[other]).dropna()
        for key, group in difference.groupby(level=list(range(len(by)))):
            key = key if isinstance(key, tuple) else (key,)
            values = group.to_numpy()
            mean, low, high = t_interval(values, confidence)
            wins = int((group > 0).sum())
            row = [other, *key, mean, low, high, wins, len(group)]
            if p_values:
                row.append(_paired_p(values))
            rows.append(tuple(row))
    columns = ["versus", *by, "mean_difference", "low", "high", "seeds_won", "seeds"]
    return pd.DataFrame(rows, columns=columns + (["p"] if p_values else []))


def _paired_p(differences: np.ndarray) -> float:
    """Two-sided one-sample t-test of ``differences`` against zero."""
    if np.allclose(differences, differences[0]):  # no spread: no test
        return 0.0 if differences[0] != 0 else 1.0
    return float(stats.ttest_1samp(differences, 0.0).pvalue)


def verdict(low: float, high: float, ahead: str, behind: str, level: str) -> str:
    """Words for an interval of a difference: ``ahead`` if it excludes zero from above,
    ``behind`` if from below, ``level`` if it contains zero. Lets prose follow the data."""
    if low > 0:
        return ahead
    if high < 0:
        return behind
    return level


def gap_closed(start: float, end: float, target: float) -> float:
    """Share of the distance from ``start`` to ``target`` covered by moving to ``end``.

    1 when ``end`` reaches ``target``, 0 when it stays at ``start``, negative when it moves
    away and above 1 when it passes ``target``; NaN when there is no distance to cover.
    """
    distance = target - start
    if distance == 0:
        return float("nan")
    return float((end - start) / distance)


def format_interval(mean: float, low: float, high: float, digits: int = 3) -> str:
    """``"mean [low, high]"`` with ``digits`` decimals; values that round to zero print unsigned."""

    def fixed(value: float) -> str:
        return f"{round(float(value), digits) + 0.0:.{digits}f}"  # + 0.0 turns -0.0 into 0.0

    return f"{fixed(mean)} [{fixed(low)}, {fixed(high)}]"
