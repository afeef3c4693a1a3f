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


def split_interval(
    values: Sequence[float], test_to_train: float, confidence: float = 0.95
) -> tuple[float, float, float, float]:
    """Mean, interval and p-value of per-split ``values`` (one per random data split, each
    already averaged over training seeds), by the corrected resampled t-test of Nadeau and
    Bengio (2003).

    Random splits of one dataset share training documents, so their results are correlated
    and the plain t-interval over splits is too narrow. The correction inflates the variance
    of the mean from s^2 / J to (1 / J + n_test / n_train) s^2 for J splits, where
    ``test_to_train`` is n_test / n_train. Each split has its own test documents and its own
    seeds, so the spread between splits carries all three sources of variation: the split,
    the training seeds and the test documents. Returns ``(mean, low, high, p)``, ``p`` the
    two-sided p-value against zero (1 when every value is zero, 0 when they are all the same
    non-zero value).
    """
    values = np.asarray(values, dtype=np.float64)
    if len(values) < 2:
        raise ValueError("an interval over data splits needs at least two splits")
    if not test_to_train > 0:
        raise ValueError(f"test_to_train must be positive, got {test_to_train}")
    mean = float(values.mean())
    df = len(values) - 1
    scale = float(np.sqrt((1 / len(values) + test_to_train) * values.var(ddof=1)))
    if scale == 0:
        p = 1.0 if mean == 0 else 0.0
        return mean, mean, mean, p
    half = float(stats.t.ppf(0.5 + confidence / 2, df) * scale)
    p = float(2 * stats.t.sf(abs(mean) / scale, df))
    return mean, mean - half, mean + half, p


def split_summary(
    table: pd.DataFrame,
    test_to_train: float,
    by: Sequence[str] = ("head", "decoder", "metric"),
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Mean and split-aware interval (:func:`split_interval`) of ``value`` for each group of
    ``by``: seeds averaged within each split first. Columns ``splits`` and ``seeds`` count
    them (seeds per split, the fewest)."""
    per_split = table.groupby([*by, "split_seed"], as_index=False).agg(
        value=("value", "mean"), seeds=("train_seed", "nunique")
    )
    rows = []
    for key, group in per_split.groupby(list(by)):
        key = key if isinstance(key, tuple) else (key,)
        mean, low, high, _ = split_interval(group["value"], test_to_train, confidence)
        rows.append((*key, mean, low, high, len(group), int(group["seeds"].min())))
    return pd.DataFrame(rows, columns=[*by, "mean", "low", "high", "splits", "seeds"])


def split_differences(
    table: pd.DataFrame,
    reference: str,
    others: Sequence[str],
    test_to_train: float,
    by: Sequence[str] = ("decoder", "metric"),
    column: str = "head",
    confidence: float = 0.95,
) -> pd.DataFrame:
    """``reference`` minus each of ``others`` (values of ``column``), paired by split and
    training seed, averaged over seeds within each split, with the split-aware interval and
    p-value of :func:`split_interval`. ``splits_won`` counts the splits whose mean
    difference is positive."""
    index = [*by, "split_seed", "train_seed"]
    wide = table.pivot_table(index=index, columns=column, values="value", aggfunc="first")
    rows = []
    for other in others:
        paired = (wide[reference] - wide[other]).dropna()
        per_split = paired.groupby(level=[*range(len(by)), len(by)]).mean()
        for key, group in per_split.groupby(level=list(range(len(by)))):
            key = key if isinstance(key, tuple) else (key,)
            mean, low, high, p = split_interval(group.to_numpy(), test_to_train, confidence)
            rows.append((other, *key, mean, low, high, p, int((group > 0).sum()), len(group)))
    columns = ["versus", *by, "mean_difference", "low", "high", "p", "splits_won", "splits"]
    return pd.DataFrame(rows, columns=columns)


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


def number(value: float, digits: int = 3, signed: bool = False) -> str:
    """``value`` with ``digits`` decimals, or with more (up to three more) when it is not zero
    but would print as zero: "0.0003", never "0.000" or "-0.000" for a real difference."""
    sign = "+" if signed else ""
    for places in range(digits, digits + 4):
        if round(abs(value), places) > 0:
            return f"{value:{sign}.{places}f}"
    return f"{0.0:{sign}.{digits}f}"


def format_interval(mean: float, low: float, high: float, digits: int = 3) -> str:
    """``"mean [low, high]"`` with ``digits`` decimals. A bound that is not zero but would
    print as zero gets the decimals it needs (:func:`number`), so
    that the printed interval shows on which side of zero it lies ("[0.0004, 0.009]", never
    "[0.000, 0.009]" for an interval that excludes zero); a mean that rounds to zero prints
    unsigned."""
    mean = f"{round(float(mean), digits) + 0.0:.{digits}f}"  # + 0.0 turns -0.0 into 0.0
    return f"{mean} [{number(float(low), digits)}, {number(float(high), digits)}]"
