"""The two answers the command's report opens with, as data: the head question on one
dataset in the four verdicts, and the larger lever. Their words are
:mod:`genrebench.results.wording`'s; the report writes the sentences around them.
"""

import pandas as pd

from genrebench.experiments import protocol
from genrebench.results.answers import Answer
from genrebench.results.levers import LEVER_METRICS, larger_lever, lever_range
from genrebench.results.statistics import format_interval
from genrebench.results.tables import F1_METRICS
from genrebench.results.wording import LEVER_HEADLINES, head_headline, standing


def split_heads_answer(differences: pd.DataFrame, reference: str, seeds: int) -> Answer:
    """Sigmoid or softmax? From one dataset's split-aware differences (``reference`` minus each
    other head), in the four verdicts: micro-F1 under one tuned threshold decides (practice).
    The verdict: "softmax" when another head is ahead, "sigmoid" when the reference is ahead
    of all, "equivalent" when all are equivalent within the margin, else "undecided". Its
    words: the reference's standing in practice, under each head's consistent decoder (the
    loss) and at one half (``""`` where the differences hold no such rows)."""
    if (datasets := differences["dataset"].unique()).size != 1:
        raise ValueError(f"split_heads_answer needs one dataset's differences, got {datasets}")
    rows = differences.set_index(["versus", "decoder", "metric"])
    others = list(dict.fromkeys(differences["versus"]))
    micro = differences[differences["metric"] == "f1_micro"]
    practice = micro[micro["decoder"] == "matched"]
    winners = list(practice.loc[practice["verdict"] == "behind", "versus"])
    if winners:
        answer = "softmax"
    elif (practice["verdict"] == "ahead").all():
        answer = "sigmoid"
    elif (practice["verdict"] == "equivalent").all():
        answer = "equivalent"
    else:
        answer = "undecided"
    words = {}
    for name, decoder in (
        ("practice", "matched"),
        ("loss", "consistent"),
        ("fixed", "threshold_0.5"),
    ):
        chosen = micro[micro["decoder"] == decoder]
        words[name] = standing(chosen) if not chosen.empty else ""
    first = "softmax_cce" if "softmax_cce" in others else others[0]
    numbers = {
        f"difference_matched_{m}": _interval(rows.loc[(first, "matched", m)]) for m in F1_METRICS
    }
    numbers["difference_fixed_micro"] = _interval(rows.loc[(first, "threshold_0.5", "f1_micro")])
    numbers["splits"] = str(int(differences["splits"].max()))
    numbers["seeds"] = str(seeds)
    numbers["margin"] = f"{protocol.EQUIVALENCE_MARGIN:g}"
    if "mde" in practice and practice["mde"].notna().any():
        numbers["mde"] = f"{practice['mde'].max():.3f}"
    return Answer(
        "Sigmoid or softmax?",
        answer,
        head_headline(answer, reference, others, winners),
        numbers,
        words,
    )


def _interval(row: pd.Series) -> str:
    return format_interval(row["mean_difference"], row["low"], row["high"])


def lever_answer(levers: pd.DataFrame) -> Answer:
    """Which lever moves F1 more: the larger lever (:func:`larger_lever`) as the verdict, with
    " unshown" when that lever's 95% interval contains zero on some dataset or average, and
    each lever's smallest and largest absolute mean over the datasets."""
    larger = larger_lever(levers)
    if larger != "mixed":
        own = levers[levers["lever"] == larger]
        if not ((own["low"] > 0) | (own["high"] < 0)).all():
            larger += " unshown"
    return Answer(
        question="Which lever moves F1 more: the decoder or the head?",
        verdict=larger,
        headline=LEVER_HEADLINES[larger],
        numbers={
            f"{lever}_{metric}_{bound}": f"{value:.3f}"
            for lever in ("decoder", "head")
            for metric in LEVER_METRICS
            for bound, value in zip(
                ("low", "high"), lever_range(levers, lever, metric), strict=True
            )
        },
    )
