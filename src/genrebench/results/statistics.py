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
                row += [_paired_p(values), *t_interval(values, EQUIVALENCE_CONFIDENCE)[1:]]
            rows.append(tuple(row))
    columns = ["versus", *by, "mean_difference", "low", "high", "seeds_won", "seeds"]
    return pd.DataFrame(rows, columns=columns + (["p", "low90", "high90"] if p_values else []))


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
    mean, scale, df = (
        float(values.mean()),
        split_standard_error(values, test_to_train),
        len(values) - 1,
    )
    if scale == 0:
        p = 1.0 if mean == 0 else 0.0
        return mean, mean, mean, p
    half = float(stats.t.ppf(0.5 + confidence / 2, df) * scale)
    p = float(2 * stats.t.sf(abs(mean) / scale, df))
    return mean, mean - half, mean + half, p


def split_standard_error(values: Sequence[float], test_to_train: float) -> float:
    """The corrected standard error of the mean of per-split ``values`` (Nadeau and Bengio
    2003): sqrt((1 / J + n_test / n_train) s^2) for J splits (see :func:`split_interval`)."""
    values = np.asarray(values, dtype=np.float64)
    if len(values) < 2:
        raise ValueError("an interval over data splits needs at least two splits")
    if not test_to_train > 0:
        raise ValueError(f"test_to_train must be positive, got {test_to_train}")
    return float(np.sqrt((1 / len(values) + test_to_train) * values.var(ddof=1)))


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
            values = group.to_numpy()
            mean, low, high, p = split_interval(values, test_to_train, confidence)
            _, low90, high90, _ = split_interval(values, test_to_train, EQUIVALENCE_CONFIDENCE)
            se = split_standard_error(values, test_to_train)
            won = int((group > 0).sum())
            rows.append((other, *key, mean, low, high, p, won, len(group), low90, high90, se))
    columns = ["versus", *by, "mean_difference", "low", "high", "p", "splits_won", "splits"]
    return pd.DataFrame(rows, columns=[*columns, "low90", "high90", "se"])


def _paired_p(differences: np.ndarray) -> float:
    """Two-sided one-sample t-test of ``differences`` against zero."""
    if np.allclose(differences, differences[0]):  # no spread: no test
        return 0.0 if differences[0] != 0 else 1.0
    return float(stats.ttest_1samp(differences, 0.0).pvalue)


def holm(p_values) -> np.ndarray:
    """Holm's (1979) step-down adjusted p-values: the i-th smallest times (m - i + 1),
    made non-decreasing in that order and capped at one."""
    p = np.asarray(p_values, dtype=np.float64)
    order = np.argsort(p, kind="stable")
    scaled = p[order] * (len(p) - np.arange(len(p)))
    adjusted = np.empty_like(p)
    adjusted[order] = np.minimum(np.maximum.accumulate(scaled), 1.0)
    return adjusted


def verdict(low: float, high: float, ahead: str, behind: str, neither: str) -> str:
    """Words for an interval of a difference: ``ahead`` if it excludes zero from above,
    ``behind`` if from below, ``neither`` if it contains zero (which does not show the two
    equal: see :func:`verdicts` for equivalence). Lets prose follow the data."""
    if low > 0:
        return ahead
    if high < 0:
        return behind
    return neither


def against_margin(low: float, high: float, margin: float) -> str:
    """Where an interval of a difference lies against the margin ±``margin``: "inside" (a
    difference, if any, too small to act on), "outside" (wholly beyond one side) or "partly
    outside"."""
    if -margin < low and high < margin:
        return "inside"
    if low >= margin or high <= -margin:
        return "outside"
    return "partly outside"


#: The four verdicts of a comparison, from the reference's side.
VERDICTS = ("ahead", "behind", "equivalent", "undecided")
#: The confidence of the interval two one-sided tests at 5% read (Lakens 2017).
EQUIVALENCE_CONFIDENCE = 0.90


def verdicts(table: pd.DataFrame, margin: float, alpha: float = 0.05) -> np.ndarray:
    """Each row's verdict (:data:`VERDICTS`): "ahead" or "behind" when its Holm-adjusted
    p-value (``p_holm``) is below ``alpha`` (the sign of ``mean_difference`` says which);
    else "equivalent" when its 90% interval (``low90``, ``high90``) lies inside
    ±``margin`` (two one-sided tests at 5%); else "undecided": the data can tell neither a
    difference nor its absence."""
    significant = table["p_holm"].to_numpy() < alpha
    side = np.where(table["mean_difference"].to_numpy() > 0, "ahead", "behind")
    inside = (table["low90"].to_numpy() >= -margin) & (table["high90"].to_numpy() <= margin)
    return np.where(significant, side, np.where(inside, "equivalent", "undecided"))


def minimum_detectable_difference(
    standard_error: float, df: int, alpha: float = 0.05, power: float = 0.8
) -> float:
    """The smallest true difference a two-sided t-test at ``alpha`` on ``df`` degrees of
    freedom detects with probability ``power``, given the estimate's standard error:
    (t_{1 - alpha/2} + t_{power}) x SE."""
    return float((stats.t.ppf(1 - alpha / 2, df) + stats.t.ppf(power, df)) * standard_error)


def random_effects(
    estimates: Sequence[float], standard_errors: Sequence[float], confidence: float = 0.95
) -> dict:
    """Pool per-dataset ``estimates`` (with their ``standard_errors``) by a random-effects
    model: DerSimonian-Laird's between-dataset variance tau^2 and the modified Hartung-Knapp
    interval (a t on k - 1 degrees of freedom with the weighted residual variance, never
    below the variance the weights give; Röver, Knapp and Friede 2015), which keeps its
    coverage with few datasets. Unmodified, the interval shrinks below even the fixed-effect
    one when a few datasets happen to agree more closely than their errors imply. Also I^2
    (the share of the spread that is between datasets) and the fixed-effect estimate and
    interval as a sensitivity. Returns a dict with
    ``mean, low, high, p, tau2, i2, k, low90, high90, fixed_mean, fixed_low, fixed_high``."""
    y = np.asarray(estimates, dtype=np.float64)
    v = np.asarray(standard_errors, dtype=np.float64) ** 2
    k = len(y)
    if k < 2:
        raise ValueError("pooling needs at least two estimates")
    v = np.maximum(v, 1e-12)  # a dataset with no spread would take every weight
    w = 1 / v
    fixed = float((w * y).sum() / w.sum())
    q = float((w * (y - fixed) ** 2).sum())
    c = float(w.sum() - (w**2).sum() / w.sum())
    tau2 = max(0.0, (q - (k - 1)) / c) if c > 0 else 0.0
    i2 = max(0.0, (q - (k - 1)) / q) if q > 0 else 0.0
    w_star = 1 / (v + tau2)
    mean = float((w_star * y).sum() / w_star.sum())
    residual = float((w_star * (y - mean) ** 2).sum() / (k - 1))
    se = float(np.sqrt(max(1.0, residual) / w_star.sum()))
    fixed_se = float(np.sqrt(1 / w.sum()))
    z = stats.norm.ppf(0.5 + confidence / 2)

    def t_bounds(level):
        half = stats.t.ppf(0.5 + level / 2, k - 1) * se
        return mean - half, mean + half

    low, high = t_bounds(confidence)
    low90, high90 = t_bounds(EQUIVALENCE_CONFIDENCE)
    p = float(2 * stats.t.sf(abs(mean) / se, k - 1)) if se > 0 else float(mean == 0)
    return {
        "mean": mean,
        "low": float(low),
        "high": float(high),
        "p": p,
        "low90": float(low90),
        "high90": float(high90),
        "tau2": tau2,
        "i2": i2,
        "k": k,
        "fixed_mean": fixed,
        "fixed_low": fixed - z * fixed_se,
        "fixed_high": fixed + z * fixed_se,
    }


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
    return f"{mean} {format_bounds(low, high, digits)}"


def format_bounds(low: float, high: float, digits: int = 3) -> str:
    """An interval's bounds alone, ``"[low, high]"``, as :func:`format_interval` prints them."""
    return f"[{number(float(low), digits)}, {number(float(high), digits)}]"
