"""What code may say of the results: the verdict words and the headlines whose words depend
on the numbers (a head's standing in the four verdicts, the head question for one dataset,
the larger lever, the advice at a fixed threshold). People write the rest. Every branch is
tested where its condition holds and where it fails (``tests/test_report.py``,
``tests/test_levers.py``, ``tests/test_headlines.py``).
"""

import pandas as pd

from genrebench.decode import MATCHED_DECODERS
from genrebench.experiments import protocol
from genrebench.results.answers import Answer
from genrebench.results.levers import LEVER_METRICS, larger_lever, lever_range
from genrebench.results.statistics import VERDICTS, format_interval
from genrebench.results.tables import AVERAGE_NAMES, F1_METRICS
from genrebench.results.wording import join_words


def difference_text(row: pd.Series) -> str:
    """A difference row's ``"mean [low, high]"``."""
    return format_interval(row["mean_difference"], row["low"], row["high"])


#: Each verdict as the decision table words the reference's standing.
STANDING_WORDS = {
    "ahead": "ahead of",
    "behind": "behind",
    "equivalent": "equivalent to",
    "undecided": "undecided against",
}


def standing(rows: pd.DataFrame) -> str:
    """The reference's standing against every other head in ``rows`` (differences of one
    dataset under one decoder and average, with a ``verdict`` column), in the four verdicts'
    words: "ahead of both", "equivalent to softmax_cce; behind softmax_cce_norm"."""
    groups = {verdict: list(rows.loc[rows["verdict"] == verdict, "versus"]) for verdict in VERDICTS}
    if len(rows) > 1:
        for verdict, heads in groups.items():
            if len(heads) == len(rows):
                return f"{STANDING_WORDS[verdict]} {'both' if len(rows) == 2 else 'all'}"
    return "; ".join(
        f"{STANDING_WORDS[verdict]} {join_words(heads)}"
        for verdict, heads in groups.items()
        if heads
    )


def split_heads_answer(differences: pd.DataFrame, reference: str, seeds: int) -> Answer:
    """Sigmoid or softmax? From one dataset's split-aware differences (``reference`` minus each
    other head), in the four verdicts: micro-F1 under one tuned threshold decides (practice),
    each head under its consistent decoder follows (the loss). The verdict word: "softmax"
    when another head is ahead, "sigmoid" when the reference is ahead of all, "equivalent"
    when all are equivalent within the margin, else "undecided"."""
    if (datasets := differences["dataset"].unique()).size != 1:
        raise ValueError(f"split_heads_answer needs one dataset's differences, got {datasets}")
    rows = differences.set_index(["versus", "decoder", "metric"])
    others = list(dict.fromkeys(differences["versus"]))
    micro = differences[differences["metric"] == "f1_micro"]
    practice = micro[micro["decoder"] == "matched"]
    loss = micro[micro["decoder"] == "consistent"]
    fixed = micro[micro["decoder"] == "threshold_0.5"]
    margin = f"±{protocol.EQUIVALENCE_MARGIN:g}"
    tuned = "under one threshold tuned on validation"
    winners = list(practice.loc[practice["verdict"] == "behind", "versus"])
    if winners:
        answer = "softmax"
        verb = "is" if len(winners) == 1 else "are"
        headline = f"On these data, {join_words(winners)} {verb} ahead of {reference} {tuned}."
    elif (practice["verdict"] == "ahead").all():
        answer = "sigmoid"
        headline = f"On these data, {reference} is ahead of {join_words(others)} {tuned}."
    elif (practice["verdict"] == "equivalent").all():
        answer = "equivalent"
        headline = (
            f"On these data, the heads are equivalent within {margin} micro-F1 {tuned}: the "
            "choice of head does not matter here."
        )
    else:
        answer = "undecided"
        headline = (
            f"On these data, no head is shown ahead {tuned}, and no equivalence within "
            f"{margin} either: the comparison is undecided."
        )
    splits = int(differences["splits"].max())
    why = f"In micro-F1 {tuned}, {reference} is {standing(practice)}."
    if not loss.empty:
        why += f" Each head under the decoder consistent for its loss, it is {standing(loss)}."
    if not fixed.empty:
        why += f" At a fixed threshold of one half, it is {standing(fixed)}."
    if "mde" in practice and practice["mde"].notna().any():
        why += (
            f" The margin {margin} was fixed before the results; with {splits} splits this "
            f"run detects a micro-F1 difference of {practice['mde'].max():.3f} or more with "
            f"{protocol.MDE_POWER:.0%} power."
        )
    why += (
        f" Measured on {datasets[0]} for {join_words([reference, *others])}, with 95% "
        f"intervals over {splits} data splits, {seeds} training seeds per split and the test "
        "documents."
    )

    def quoted(row: pd.Series, name: str) -> str:
        return f"{name} {difference_text(row)} ({row['verdict']})"

    evidence = [
        f"`{reference}` minus `{other}`, each F1 average under its matched decoder: "
        + "; ".join(
            quoted(rows.loc[(other, "matched", metric)], f"{name} (`{MATCHED_DECODERS[metric]}`)")
            for metric, name in AVERAGE_NAMES.items()
        )
        + "."
        for other in others
    ]
    evidence.append(
        f"Under one half (`threshold_0.5`), micro-F1 of `{reference}` minus "
        + "; ".join(quoted(rows.loc[(o, "threshold_0.5", "f1_micro")], f"`{o}`") for o in others)
        + "."
    )
    evidence.append(
        f"Each difference is the mean over {splits} random data splits of its mean over the "
        f"{seeds} training seeds of each split; its 95% interval covers the splits, the seeds "
        "and the test documents (the corrected resampled t of Nadeau and Bengio: splits of one "
        "dataset share training documents). Ahead and behind are differences that survive "
        "Holm's correction; equivalent means the 90% interval lies within "
        f"±{protocol.EQUIVALENCE_MARGIN:g} (two one-sided tests); undecided, neither."
    )
    if splits < 5:
        evidence.append(
            f"Only {splits} data splits: intervals over so few splits are wide. Rerun with "
            "`--splits 5` or more to narrow them; finished runs are reused."
        )
    first = "softmax_cce" if "softmax_cce" in others else others[0]
    numbers = {
        f"difference_matched_{m}": difference_text(rows.loc[(first, "matched", m)])
        for m in F1_METRICS
    }
    numbers["difference_fixed_micro"] = difference_text(
        rows.loc[(first, "threshold_0.5", "f1_micro")]
    )
    return Answer("Sigmoid or softmax?", answer, headline, why, tuple(evidence), numbers)


#: The headline of :func:`lever_answer` for each answer of :func:`larger_lever`; with
#: "unshown" when the larger lever's own change is not shown to differ from zero everywhere.
LEVER_HEADLINES = {
    "decoder": "The decoder moves F1 more than the choice of head.",
    "head": "The choice of head moves F1 more than the decoder.",
    "mixed": "Neither lever moves F1 more in every comparison: the decoder in some, the head "
    "in others.",
    "decoder unshown": "By the means the decoder moves F1 more than the choice of head, but "
    "its own change is not shown to differ from zero everywhere.",
    "head unshown": "By the means the choice of head moves F1 more than the decoder, but its "
    "own change is not shown to differ from zero everywhere.",
}


def lever_answer(levers: pd.DataFrame, reference: str) -> Answer:
    """Which lever moves F1 more, in numbers: the larger lever (:func:`larger_lever`) as the
    headline, each dataset's two levers in micro- and macro-F1 with their intervals as the
    evidence. The verdict word is ``larger_lever``'s, with " unshown" when that lever's
    95% interval contains zero on some dataset or average."""
    larger = larger_lever(levers)
    if larger != "mixed":
        own = levers[levers["lever"] == larger]
        if not ((own["low"] > 0) | (own["high"] < 0)).all():
            larger += " unshown"
    evidence = []
    for dataset, group in levers.groupby("dataset", sort=False):
        parts = []
        for metric in LEVER_METRICS:
            rows = group[group["metric"] == metric].set_index("lever")
            decoder, head = rows.loc["decoder"], rows.loc["head"]
            parts.append(
                f"in {AVERAGE_NAMES[metric]}, the decoder matched to it minus one half "
                f"{format_interval(decoder['mean'], decoder['low'], decoder['high'])}, the "
                f"largest head difference ({reference} − {head['versus']}) "
                f"{format_interval(head['mean'], head['low'], head['high'])}"
            )
        evidence.append(f"{dataset}: " + "; ".join(parts) + ".")
    why = (
        f"The decoder lever is {reference}'s F1 under the decoder matched to the average (one "
        "threshold for micro-F1, one per label for macro-F1, tuned on validation) minus its F1 "
        "at a fixed threshold of one half; the head lever is the largest difference between "
        f"{reference} and another head, both under that decoder. One lever is the larger when "
        "its mean change is the larger on every dataset and F1 average; means over data "
        "splits, with 95% intervals over splits, training seeds and test documents."
    )
    return Answer(
        question="Which lever moves F1 more: the decoder or the head?",
        verdict=larger,
        headline=LEVER_HEADLINES[larger],
        why=why,
        evidence=tuple(evidence),
        numbers={
            f"{lever}_{metric}_{bound}": f"{value:.3f}"
            for lever in ("decoder", "head")
            for metric in LEVER_METRICS
            for bound, value in zip(
                ("low", "high"), lever_range(levers, lever, metric), strict=True
            )
        },
    )


def fixed_threshold_advice(differences: pd.DataFrame, name: str) -> str:
    """What to do when the threshold must stay at one half, from the micro-F1 verdicts there
    (the reference, called ``name``, minus each other head on every dataset)."""
    fixed = differences.query("decoder == 'threshold_0.5' and metric == 'f1_micro'")
    if (fixed["verdict"] == "ahead").all():
        return f"use {name}: ahead there of every head compared"
    if (fixed["verdict"] == "behind").all():
        return f"avoid {name}: every head compared is ahead there"
    return "no head is ahead everywhere there: tune a threshold if you can"
