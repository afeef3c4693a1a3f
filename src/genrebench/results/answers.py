"""The answers to the two questions, as data: verdict, wording, and the numbers behind them.

Every sentence is chosen here from intervals, never assumed, so a tie reads as a
tie and a reversal as a reversal. The answers chapter and the command's report
both render these objects: the same data give the same words in both. Text may
mark code with backticks (`like_this`); a renderer turns them into code.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from genrebench.data.dataset import plural
from genrebench.results.heads import FAIR_DECODER, HeadsAnalysis
from genrebench.results.statistics import format_interval, gap_closed, verdict
from genrebench.results.tables import AVERAGE_NAMES, F1_METRICS
from genrebench.results.wording import largest_printed_gap, values_phrase


@dataclass(frozen=True)
class Answer:
    """One question's answer: a verdict word, the headline, why, evidence, and numbers."""

    question: str
    verdict: str  # a stable word for code: "sigmoid", "softmax", "tie"; "micro and macro"
    headline: str
    why: str
    evidence: tuple[str, ...] = ()
    numbers: Mapping[str, str] = field(default_factory=dict)  # formatted numbers by name
    words: Mapping[str, str] = field(default_factory=dict)  # words chosen from the numbers


def head_answer(tuned: dict[str, tuple[float, float]]) -> tuple[str, list[str]]:
    """Which head the tuned comparisons support, from 95% intervals ``(low, high)`` of the
    reference head minus each other head (keyed by that head's name).

    ``("sigmoid", [])`` when every interval lies above zero; ``("softmax", names)`` when the
    intervals of ``names`` lie below zero (those heads beat the reference); otherwise
    ``("tie", [])``: the data cannot tell the heads apart.
    """
    if not tuned:
        raise ValueError("head_answer needs at least one comparison")
    winners = [head for head, (_, high) in tuned.items() if high < 0]
    if winners:
        return "softmax", winners
    if all(low > 0 for low, _ in tuned.values()):
        return "sigmoid", []
    return "tie", []


def _interval(analysis: HeadsAnalysis, head: str, decoder: str, metric: str) -> str:
    try:
        return format_interval(*analysis.interval(head, decoder, metric))
    except KeyError:
        return "n/a"


def _difference(row: pd.Series) -> str:
    return format_interval(row["mean_difference"], row["low"], row["high"])


def _names(names, code: bool = True) -> str:
    """Names joined with commas and "and"; in backticks (code in the report) unless the text
    is glued into the book, which shows backticks as they are."""
    names = [f"`{name}`" if code else name for name in names]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _head_words(answer, winners, ref, others, first, fixed, fair) -> tuple[str, str]:
    """Headline and why of the heads answer, from :func:`head_answer`'s verdict and the
    differences (``reference`` minus ``first``, one of ``others``) in micro-F1 under one half
    (``fixed``) and under one threshold tuned on validation (``fair``)."""
    sigmoid = ref == "sigmoid_bce"  # the head a tie falls back on; --heads may leave it out
    if answer == "sigmoid":
        headline = "Sigmoid with binary cross-entropy." if sigmoid else f"On these data, {ref}."
        why = f"{ref} leads {_names(others, False)} even after their thresholds are tuned on "
        why += "validation"
    elif answer == "tie":
        headline = "These heads cannot be told apart here once thresholds are tuned."
        why = "Once thresholds are tuned on validation, no interval excludes zero"
    else:
        headline = "On these data, " + " and ".join(winners) + " with a tuned threshold."
        one = len(winners) == 1
        why = (
            f"Once thresholds are tuned on validation, {_names(winners, code=False)} "
            f"{'beats' if one else 'beat'} {ref} here; keep {'it' if one else 'them'} only "
            "together with that tuned decoder"
        )
    if first != "softmax_cce" or not fixed["low"] > 0:
        why += "."
    elif answer != "sigmoid":
        why += ". Only under the usual threshold of one half does softmax fall clearly behind."
    else:
        far = bool(abs(fair["mean_difference"]) < abs(fixed["mean_difference"]))
        why += (
            f"; under the usual threshold of one half softmax falls {'much ' * far}further behind."
        )
    return headline, why


def heads_answer(analysis: HeadsAnalysis) -> Answer:
    """Sigmoid or softmax? From the paired differences under the fair (tuned) decoder."""
    ref, others = analysis.reference, analysis.others
    tuned = {
        other: tuple(analysis.difference(other, FAIR_DECODER, "f1_micro")[["low", "high"]])
        for other in others
    }
    answer, winners = head_answer(tuned)
    first = "softmax_cce" if "softmax_cce" in others else others[0]  # the thread's softmax head
    fixed = analysis.difference(first, "threshold_0.5", "f1_micro")
    fair = analysis.difference(first, FAIR_DECODER, "f1_micro")
    headline, why = _head_words(answer, winners, ref, others, first, fixed, fair)

    evidence = []
    for other in others:
        for decoder in ("threshold_0.5", FAIR_DECODER):
            parts = []
            for metric in ("f1_micro", "f1_macro"):
                try:
                    row = analysis.difference(other, decoder, metric)
                except KeyError:
                    continue
                word = verdict(row["low"], row["high"], "ahead", "behind", "undecided")
                parts.append(f"{AVERAGE_NAMES[metric]} {_difference(row)} ({word})")
            if parts:
                evidence.append(
                    f"`{ref}` minus `{other}`, decoder `{decoder}`: " + "; ".join(parts) + "."
                )
    evidence.append(
        "Precision at one (the top-scored label is true): "
        + "; ".join(f"`{h}` {_interval(analysis, h, 'scores', 'p@1')}" for h in analysis.heads)
        + ". Ranking labels and deciding on them are different things: a softmax head can "
        "rank well and still decode badly under a fixed threshold."
    )
    if analysis.n_seeds < 5:
        evidence.append(
            f"Only {analysis.n_seeds} training seeds: Student-t intervals over so few seeds are "
            "wide (they can even pass 0 or 1). Rerun with `--seeds 5` or more to narrow them; "
            "finished runs are reused."
        )

    ranking = analysis.difference(first, "scores", "p@1")
    closed = gap_closed(
        start=analysis.interval(first, "threshold_0.5", "f1_micro")[0],
        end=analysis.interval(first, FAIR_DECODER, "f1_micro")[0],
        target=analysis.interval(ref, FAIR_DECODER, "f1_micro")[0],
    )
    numbers = {
        "reference_fixed": _interval(analysis, ref, "threshold_0.5", "f1_micro"),
        "softmax_fixed": _interval(analysis, first, "threshold_0.5", "f1_micro"),
        "reference_tuned": _interval(analysis, ref, FAIR_DECODER, "f1_micro"),
        "softmax_tuned": _interval(analysis, first, FAIR_DECODER, "f1_micro"),
        "difference_fixed_micro": _difference(fixed),
        "difference_tuned_micro": _difference(fair),
        "difference_tuned_macro": _difference(analysis.difference(first, FAIR_DECODER, "f1_macro")),
        "difference_per_label_macro": _difference(
            analysis.difference(first, "per_label_tuned", "f1_macro")
        ),
        "reference_p1": _interval(analysis, ref, "scores", "p@1"),
        "softmax_p1": _interval(analysis, first, "scores", "p@1"),
        "difference_p1": _difference(ranking),
        "gap_closed": f"{closed:.0%}",
    }
    words = {
        "tuned_verdict": verdict(
            fair["low"],
            fair["high"],
            "still leads",
            "now trails",
            "is neither ahead of nor behind softmax",
        ),
        "ranking_gap": "less than"
        if abs(ranking["mean_difference"]) < abs(fixed["mean_difference"])
        else "as much as or more than",
    }
    if len(others) > 1:
        second = analysis.difference(others[1], FAIR_DECODER, "f1_micro")
        numbers["difference_normalised_tuned_micro"] = _difference(second)
        numbers["normalised_tuned"] = _interval(analysis, others[1], FAIR_DECODER, "f1_micro")
        words["normalised_gap"] = (
            "narrows" if abs(second["mean_difference"]) < abs(fair["mean_difference"]) else "widens"
        )
    return Answer(
        question="Sigmoid or softmax?",
        verdict=answer,
        headline=headline,
        why=why,
        evidence=tuple(evidence),
        numbers=numbers,
        words=words,
    )


def f1_answer(analysis: HeadsAnalysis) -> Answer:
    """Which F1 to report? The reference head's F1 averages, the micro-macro gap, zero labels."""
    ref, n = analysis.reference, analysis.n_seeds
    document, label = analysis.nouns
    numbers = {metric: _interval(analysis, ref, FAIR_DECODER, metric) for metric in F1_METRICS}
    modes = "; ".join(f"{AVERAGE_NAMES[metric]} {numbers[metric]}" for metric in F1_METRICS)
    evidence = [f"`{ref}` with `{FAIR_DECODER}`: {modes} (mean over {n} seeds, 95% t-interval)."]
    share = analysis.per_label["train_share"]
    gap = analysis.f1_gaps.query(
        "versus == 'f1_macro' and head == @ref and decoder == @FAIR_DECODER"
    )
    if not gap.empty:
        gap = gap.iloc[0]
        word = verdict(
            gap["low"],
            gap["high"],
            "is higher than macro-F1",
            "is lower than macro-F1",
            "and macro-F1 cannot be told apart",
        )
        numbers["micro_minus_macro"] = _difference(gap)
        evidence.append(
            f"Micro-F1 {word}: micro minus macro {_difference(gap)}, paired by seed. The "
            f"commonest {label} is on {share.max():.1%} of training {plural(document)}, the "
            f"rarest on {share.min():.2%}; micro-F1 pools every ({document}, {label}) decision, "
            f"so common {plural(label)} dominate it, while macro-F1 gives every {label} the "
            "same weight."
        )
    zero = analysis.per_label.index[analysis.per_label[ref] == 0].tolist()
    if zero:
        evidence.append(
            f"{len(zero)} of {len(share)} {plural(label)} get an F1 of zero under this decoder: "
            + ", ".join(str(name) for name in zero)
            + "."
        )
    evidence.append(
        "In Keras, pass `threshold=` to `F1Score` explicitly: its default keeps only each "
        f"{document}'s top-scored {label}."
    )
    return Answer(
        question="Which F1 to report?",
        verdict="micro and macro",
        headline="Report micro-F1 and macro-F1, each with its interval, and the per-label F1 "
        "with its support.",
        why=f"Micro-F1 says how good the ({document}, {label}) decisions are overall; macro-F1 "
        f"says how well the rare {plural(label)} fare; binary accuracy says neither, since it "
        f"counts every {label} correctly left out as a success.",
        evidence=tuple(evidence),
        numbers=numbers,
    )


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
        headline="What breaks softmax on these multi-label data is the fixed threshold far "
        "more than the single distribution."
        if fixed_breaks
        else "The single distribution costs softmax accuracy here even with a tuned threshold.",
        why="",
        words={
            "one_label": values_phrase(
                {
                    "softmax": f"{tuned.loc['softmax_cce', one]:.3f}",
                    "sigmoid": f"{tuned.loc['sigmoid_bce', one]:.3f}",
                }
            ),
            "one_label_top1": values_phrase(
                {
                    "softmax": f"{top1.loc['softmax_cce', one]:.3f}",
                    "sigmoid": f"{top1.loc['sigmoid_bce', one]:.3f}",
                }
            ),
            "most_labels_scores": values_phrase(
                {
                    "softmax": f"{tuned.loc['softmax_cce', most]:.3f}",
                    "sigmoid": f"{tuned.loc['sigmoid_bce', most]:.3f}",
                }
            ),
        },
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
