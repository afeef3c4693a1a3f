"""The loss family compared with the reference head: each head under its natural decoder and
under the decoders matched to each F1 average, paired by seed, Holm-corrected.

The primary comparison of the heads chapter stays sigmoid against the thread's softmax
heads; the family adds many secondary comparisons (every other head, three decoders), so
their p-values are adjusted with Holm's step-down method over the whole family, and a
head is called ahead or behind only when its adjusted p-value is below 0.05.
"""

import numpy as np
import pandas as pd
from scipy import stats

from genrebench.heads import get_head
from genrebench.results.statistics import format_interval, t_interval

#: (metric, decoder) pairs of the family table: micro-F1 under each head's own untuned rule,
#: micro-F1 under one threshold tuned for it, macro-F1 under per-label thresholds tuned for it.
FAMILY_COMPARISONS = (
    ("f1_micro", "natural"),
    ("f1_micro", "global_tuned"),
    ("f1_macro", "per_label_tuned"),
)

#: Family-wise error rate of the Holm-corrected verdicts.
FAMILY_ALPHA = 0.05


def holm(p_values) -> np.ndarray:
    """Holm's (1979) step-down adjusted p-values: the i-th smallest times (m - i + 1),
    made non-decreasing in that order and capped at one."""
    p = np.asarray(p_values, dtype=np.float64)
    order = np.argsort(p, kind="stable")
    scaled = p[order] * (len(p) - np.arange(len(p)))
    adjusted = np.empty_like(p)
    adjusted[order] = np.minimum(np.maximum.accumulate(scaled), 1.0)
    return adjusted


def family_differences(metrics: pd.DataFrame, reference: str, others) -> pd.DataFrame:
    """Reference minus each other head for every :data:`FAMILY_COMPARISONS` pair, paired by
    training seed: mean, 95% t-interval, paired t-test p-value, Holm-adjusted p-value over
    all rows, and a verdict ("ahead", "behind" or "level", from the reference's side).

    ``metrics`` holds the test rows of the study's reported runs (one per head x seed x
    decoder x metric).
    """
    rows = []
    for metric, decoder in FAMILY_COMPARISONS:
        chosen = metrics.query("metric == @metric and decoder == @decoder")
        wide = chosen.pivot_table(index="train_seed", columns="head", values="value")
        for other in others:
            differences = (wide[reference] - wide[other]).dropna().to_numpy()
            mean, low, high = t_interval(differences)
            if np.allclose(differences, differences[0]):  # no spread: no test
                p = 0.0 if differences[0] != 0 else 1.0
            else:
                p = float(stats.ttest_1samp(differences, 0.0).pvalue)
            rows.append((other, metric, decoder, mean, low, high, p, len(differences)))
    table = pd.DataFrame(
        rows,
        columns=["versus", "metric", "decoder", "mean_difference", "low", "high", "p", "seeds"],
    )
    table["p_holm"] = holm(table["p"])
    significant = table["p_holm"] < FAMILY_ALPHA
    table["verdict"] = np.where(
        significant, np.where(table["mean_difference"] > 0, "ahead", "behind"), "level"
    )
    return table


def family_table(summary: pd.DataFrame, differences: pd.DataFrame, reference: str):
    """One row per head: its natural rule, and for each comparison its test score (mean
    [95% interval over seeds]) and the reference minus it with the Holm-adjusted p-value."""
    heads = [reference, *dict.fromkeys(differences["versus"])]
    columns = {("", "natural rule"): [get_head(head).natural_rule for head in heads]}
    for metric, decoder in FAMILY_COMPARISONS:
        group = f"{metric.replace('f1_', '')}-F1, {decoder}"
        scores = summary.query("metric == @metric and decoder == @decoder").set_index("head")
        diffs = differences.query("metric == @metric and decoder == @decoder").set_index("versus")
        columns[(group, "score")] = [
            format_interval(*scores.loc[head, ["mean", "low", "high"]]) for head in heads
        ]
        columns[(group, f"{reference} − head")] = [
            "—"
            if head == reference
            else f"{diffs.loc[head, 'mean_difference']:+.3f} (p = {diffs.loc[head, 'p_holm']:.2g})"
            for head in heads
        ]
    table = pd.DataFrame(columns, index=pd.Index(heads, name="head"))
    table.columns = pd.MultiIndex.from_tuples(table.columns)
    return table


_DESCRIBED = {
    ("f1_micro", "natural"): "micro-F1 under each head's natural rule",
    ("f1_micro", "global_tuned"): "micro-F1 under one tuned threshold",
    ("f1_macro", "per_label_tuned"): "macro-F1 under per-label tuned thresholds",
}


def _listed(names) -> str:
    names = [f"`{name}`" for name in names]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def family_finding(differences: pd.DataFrame, reference: str) -> str:
    """The family table in words, one clause per comparison: which heads trail the
    reference, which are level with it and which beat it (Holm-corrected)."""
    clauses = []
    for metric, decoder in FAMILY_COMPARISONS:
        rows = differences.query("metric == @metric and decoder == @decoder")
        groups = {v: list(rows.loc[rows["verdict"] == v, "versus"]) for v in rows["verdict"]}
        parts = []
        for verdict, singular, plural in (
            ("ahead", "trails {}", "trail {}"),
            ("level", "is level with {}", "are level with {}"),
            ("behind", "beats {}", "beat {}"),
        ):
            names = groups.get(verdict, [])
            if names:
                whom = "it" if parts else f"`{reference}`"  # named once, then "it"
                phrase = singular if len(names) == 1 else plural
                parts.append(f"{_listed(names)} {phrase.format(whom)}")
        if len(parts) > 1:
            parts = [", ".join(parts[:-1]) + " and " + parts[-1]]
        clauses.append(f"in {_DESCRIBED[(metric, decoder)]}, {parts[0]}")
    return "; ".join(clauses)


def family_heads_table(heads) -> pd.DataFrame:
    """What each head is: its loss and targets, Menon et al.'s reduction name, natural rule."""
    rows = [
        (name, get_head(name).description, get_head(name).reduction, get_head(name).natural_rule)
        for name in heads
    ]
    return pd.DataFrame(rows, columns=["head", "loss", "reduction", "natural rule"]).set_index(
        "head"
    )
