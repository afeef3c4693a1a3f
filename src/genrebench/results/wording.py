"""Every word code chooses from the results: the four verdicts as a standing, the headlines,
the decision table's advice. Nothing else in :mod:`genrebench.results` returns prose: the
chapters and the command's report write their sentences by hand around the numbers, counts,
intervals and these words. Every branch is tested where its condition holds and where it
fails (``tests/test_wording.py``).
"""

import pandas as pd

from genrebench.experiments import protocol
from genrebench.results.statistics import VERDICTS, format_bounds, format_interval


def join_words(items: list[str]) -> str:
    """``"a"``, ``"a and b"``, ``"a, b and c"``."""
    items = [str(item) for item in items]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def with_verdict(row) -> str:
    """A difference row (``mean_difference``, ``low``, ``high``, ``verdict``) as the prose
    quotes it: ``"0.004 [0.001, 0.007] (ahead)"``; an equivalent one with the 90% interval
    (``low90``, ``high90``) the verdict rests on, since its 95% interval may reach past the
    margin: ``"0.002 [-0.007, 0.012] (equivalent: 90% interval [-0.005, 0.010])"``."""
    quoted = format_interval(row["mean_difference"], row["low"], row["high"])
    if row["verdict"] == "equivalent" and "low90" in row:
        return f"{quoted} (equivalent: 90% interval {format_bounds(row['low90'], row['high90'])})"
    return f"{quoted} ({row['verdict']})"


#: Each verdict as the reference's standing against another head.
STANDING_WORDS = {
    "ahead": "ahead of",
    "behind": "behind",
    "equivalent": "equivalent to",
    "undecided": "undecided against",
}


def standing(rows: pd.DataFrame) -> str:
    """The reference's standing against every other head in ``rows`` (one dataset, decoder
    and average; a ``versus`` and a ``verdict`` column): "ahead of both", "equivalent to
    softmax_cce; behind softmax_cce_norm"."""
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


def use_word(rows: pd.DataFrame, reference: str) -> str:
    """The decision table's advice for one situation, from its rows over every dataset: a head
    only where the evidence shows it ahead; no recommendation read into the rest."""
    margin = f"equivalent within ±{protocol.EQUIVALENCE_MARGIN:g}"
    behind = rows[rows["verdict"] == "behind"]
    if behind.empty:
        if (rows["verdict"] == "ahead").all():
            return reference
        if (rows["verdict"] == "equivalent").all():
            return f"any of them ({margin})"
        if (rows["verdict"] == "ahead").any():
            return f"{reference} where it is ahead; no winner shown elsewhere"
        return "no winner shown"
    named = "; ".join(
        f"{head} on {join_words(sorted(set(group['dataset'])))}"
        for head, group in behind.groupby("versus", sort=False)
    )
    rest = rows[~rows["dataset"].isin(behind["dataset"])]  # datasets no other head wins on
    if rest.empty:
        return named
    if (rest["verdict"] == "ahead").all():
        return f"{named}; {reference} elsewhere"
    if (rest["verdict"] == "equivalent").all():
        return f"{named}; any of them elsewhere ({margin})"
    return f"{named}; no winner shown elsewhere"


def untuned_advice(differences: pd.DataFrame, names: dict) -> str:
    """What to do when nothing can be tuned, from the micro-F1 verdicts with each head under
    its own untuned rule (the reference minus each other head on every dataset; ``names``:
    each head's display name). A head is named only where it is ahead on every dataset."""
    own = differences.query("decoder == 'natural' and metric == 'f1_micro'")
    reference = names[protocol.REFERENCE_HEAD]
    if (own["verdict"] == "ahead").all():
        return f"use {reference} at one half: ahead of every other head's own rule"
    winners = [
        names[head]
        for head, group in own.groupby("versus", sort=False)
        if set(group["dataset"]) == set(own["dataset"]) and (group["verdict"] == "behind").all()
    ]
    if winners:
        each = "under its own rule" if len(winners) == 1 else "each under its own rule"
        chosen = " or ".join([", ".join(winners[:-1]), winners[-1]] if winners[:-1] else winners)
        return f"use {chosen}, {each}: ahead of {reference} at one half on every dataset"
    return "keep your head and its own rule (one half for sigmoid); none is shown ahead everywhere"


def theory_word(row: pd.Series) -> str:
    """Whether a difference (``low``, ``high``) agrees with the side the theory predicts
    (``theory``: "positive" or "negative")."""
    positive = row["theory"] == "positive"
    low, high = (row["low"], row["high"]) if positive else (-row["high"], -row["low"])
    return (
        "as the theory predicts"
        if low > 0
        else "against the theory"
        if high < 0
        else ("too close to call")
    )


_TUNED = "under one threshold tuned on validation"


def head_headline(verdict: str, reference: str, others: list[str], winners: list[str]) -> str:
    """The headline of the head question on one dataset, for each of its verdicts
    (:func:`genrebench.results.headlines.split_heads_answer`)."""
    if verdict == "softmax":
        verb = "is" if len(winners) == 1 else "are"
        return f"On these data, {join_words(winners)} {verb} ahead of {reference} {_TUNED}."
    if verdict == "sigmoid":
        return f"On these data, {reference} is ahead of {join_words(others)} {_TUNED}."
    if verdict == "equivalent":
        return (
            f"On these data, the heads are equivalent within ±{protocol.EQUIVALENCE_MARGIN:g} "
            f"micro-F1 {_TUNED}: the choice of head does not matter here."
        )
    return (
        f"On these data, no head is shown ahead {_TUNED}, and no equivalence within "
        f"±{protocol.EQUIVALENCE_MARGIN:g} either: the comparison is undecided."
    )


def scope_headline(verdict: str, reference: str, winners: int, ahead: int = 0) -> str:
    """The headline of the head question dataset by dataset (:func:`genrebench.results.scope.
    scope_counts`; the pooled estimate is read beside it); ``winners``: comparisons where
    another head is ahead of ``reference``, ``ahead``: where ``reference`` is ahead."""
    if verdict == "depends":
        return (
            f"Dataset by dataset, no head wins everywhere: another head is ahead of {reference} "
            f"in {winners}."
        )
    if verdict == "sigmoid":
        return f"Dataset by dataset, {reference} is ahead of every other head in every comparison."
    if verdict == "equivalent":
        return (
            "Dataset by dataset, once decoders are tuned, the heads are equivalent within "
            f"±{protocol.EQUIVALENCE_MARGIN:g} F1 in every comparison."
        )
    if not ahead:
        return "Dataset by dataset, once decoders are tuned, no head is shown ahead of another."
    return (
        f"Dataset by dataset, once decoders are tuned, no other head is ahead of {reference}, "
        f"which is ahead in {ahead} comparison{'s' if ahead > 1 else ''}, not all."
    )


#: The headline of :func:`genrebench.results.headlines.lever_answer` for each answer of
#: :func:`genrebench.results.levers.larger_lever`; with " unshown" when the larger lever's
#: own change is not shown to differ from zero everywhere.
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
#: How :func:`genrebench.results.levers.larger_lever`'s answer reads in a sentence.
LEVER_WORDS = {
    "decoder": "the decoder",
    "head": "the head",
    "mixed": "the decoder on some and the head on others",
}
#: The headline of :func:`genrebench.results.answers.sweep_lesson` for each verdict.
SWEEP_HEADLINES = {
    "the threshold": "What breaks softmax on these multi-label data is the fixed threshold "
    "far more than the single distribution.",
    "the distribution": "The single distribution costs softmax accuracy here even with a "
    "tuned threshold.",
}
#: Micro-F1 against macro-F1, paired by seed: above zero, below zero, or holding zero.
GAP_WORDS = ("higher", "lower", "not told apart")
#: The answer to "which F1?": it does not depend on the numbers, only its evidence does.
F1_HEADLINE = (
    "Report micro-F1 and macro-F1, each with its interval, and the per-label F1 with its support."
)
