"""The answers to the two questions, as data: a verdict, the headline, and the numbers and
words behind them.

Every verdict is chosen here from intervals, never assumed, so a tie reads as a tie and a
reversal as a reversal. The answers chapter and the command's report both render these
objects, each with sentences of its own written around the numbers; the headlines and
verdict words come from :mod:`genrebench.results.wording`.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from genrebench.results.heads import FAIR_DECODER, HeadsAnalysis
from genrebench.results.statistics import format_interval, verdict
from genrebench.results.tables import F1_METRICS
from genrebench.results.wording import F1_HEADLINE, GAP_WORDS, SWEEP_HEADLINES


@dataclass(frozen=True)
class Answer:
    """One question's answer: a verdict word, the headline, and the numbers behind it."""

    question: str
    verdict: str  # a stable word for code: "sigmoid", "softmax", "equivalent", ...
    headline: str
    numbers: Mapping[str, str] = field(default_factory=dict)  # formatted numbers by name
    words: Mapping[str, str] = field(default_factory=dict)  # words chosen from the numbers


def _interval(analysis: HeadsAnalysis, head: str, decoder: str, metric: str) -> str:
    try:
        return format_interval(*analysis.interval(head, decoder, metric))
    except KeyError:
        return "n/a"


def f1_answer(analysis: HeadsAnalysis) -> Answer:
    """Which F1 to report? The reference head's F1 averages under the tuned decoder (intervals
    over seeds), micro minus macro paired by seed with its verdict ("higher", "lower" or
    "not told apart"), the commonest and rarest label's share of training documents, and the
    labels whose F1 is zero."""
    ref = analysis.reference
    numbers = {metric: _interval(analysis, ref, FAIR_DECODER, metric) for metric in F1_METRICS}
    share = analysis.per_label["train_share"]
    zero = [str(name) for name in analysis.per_label.index[analysis.per_label[ref] == 0]]
    numbers |= {
        "seeds": str(analysis.n_seeds),
        "commonest_share": f"{share.max():.1%}",
        "rarest_share": f"{share.min():.2%}",
        "labels": str(len(share)),
        "zero_labels": str(len(zero)),
    }
    words = {"zero_labels": ", ".join(zero)}
    gap = analysis.f1_gaps.query(
        "versus == 'f1_macro' and head == @ref and decoder == @FAIR_DECODER"
    )
    if not gap.empty:
        gap = gap.iloc[0]
        numbers["micro_minus_macro"] = format_interval(
            gap["mean_difference"], gap["low"], gap["high"]
        )
        words["micro_vs_macro"] = verdict(gap["low"], gap["high"], *GAP_WORDS)
    return Answer("Which F1 to report?", "micro and macro", F1_HEADLINE, numbers, words)


def largest_printed_gap(first: Mapping, second: Mapping, digits: int = 3) -> float:
    """The largest absolute difference between paired values *as printed* with ``digits``
    decimals, so that "within x of each other" never contradicts two numbers shown beside it
    (0.7904 and 0.8056 print as 0.790 and 0.806: 0.016 apart, not 0.015)."""
    keys = [key for key in first.keys() if key in second.keys()]
    if not keys:
        raise ValueError("largest_printed_gap needs values at shared keys")

    def printed(value) -> float:
        return float(f"{float(value):.{digits}f}")

    return max(abs(printed(first[key]) - printed(second[key])) for key in keys)


def sweep_lesson(table: pd.DataFrame) -> Answer:
    """What the synthetic cardinality sweep says of "softmax is for single-label outputs".

    ``table``: the sweep's tidy test rows (:func:`genrebench.experiments.sweeps.run_sweep`).
    """
    cardinality = table[table["axis"] == "cardinality"]
    micro = (
        cardinality.query("metric == 'f1_micro'")
        .groupby(["decoder", "head", "mean_cardinality"])["value"]
        .mean()
    )
    tuned = micro.loc["global_tuned"].unstack()
    fixed = micro.loc["threshold_0.5"].unstack()
    top1 = micro.loc["top1"].unstack()
    one, most = tuned.columns.min(), tuned.columns.max()
    # From the values as printed, so the gap never contradicts two numbers shown beside it.
    tuned_gap = largest_printed_gap(tuned.loc["sigmoid_bce"], tuned.loc["softmax_cce"])
    fixed_gap = float(fixed.loc["sigmoid_bce", most] - fixed.loc["softmax_cce", most])
    fixed_breaks = tuned_gap < fixed_gap / 2
    return Answer(
        question="Is softmax only for single-label outputs?",
        verdict="the threshold" if fixed_breaks else "the distribution",
        headline=SWEEP_HEADLINES["the threshold" if fixed_breaks else "the distribution"],
        numbers={
            "largest_tuned_gap": f"{tuned_gap:.3f}",
            "one_label_sigmoid": f"{tuned.loc['sigmoid_bce', one]:.3f}",
            "one_label_softmax": f"{tuned.loc['softmax_cce', one]:.3f}",
            "one_label_top1_sigmoid": f"{top1.loc['sigmoid_bce', one]:.3f}",
            "one_label_top1_softmax": f"{top1.loc['softmax_cce', one]:.3f}",
            "most_labels": f"{most:g}",
            "most_sigmoid": f"{tuned.loc['sigmoid_bce', most]:.3f}",
            "most_softmax": f"{tuned.loc['softmax_cce', most]:.3f}",
            "most_bayes": f"{tuned.loc['bayes', most]:.3f}",
            "most_fixed_sigmoid": f"{fixed.loc['sigmoid_bce', most]:.3f}",
            "most_fixed_softmax": f"{fixed.loc['softmax_cce', most]:.3f}",
        },
    )
