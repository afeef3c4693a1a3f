"""The scoped answer: which head, across every dataset, split and seed, in four verdicts
(ahead, behind, equivalent within the protocol's margin, undecided), and a decision table
generated from the results.

Reads the cross-dataset differences of :func:`genrebench.results.travel.travel_differences`
(Holm-adjusted verdicts from the reference's side) and renders them as an
:class:`~genrebench.results.answers.Answer` and a table, so the answers chapter and any other
reader show the same words.
"""

import pandas as pd

from genrebench.experiments import protocol
from genrebench.results.answers import Answer
from genrebench.results.headlines import standing
from genrebench.results.statistics import VERDICTS, format_interval
from genrebench.results.tables import AVERAGE_NAMES
from genrebench.results.travel import PRIMARY
from genrebench.results.wording import join_words

#: The situations of the decision table: (what the reader does, decoder, F1 average).
SITUATIONS = (
    ("Decode with a fixed threshold of one half; report micro-F1", "threshold_0.5", "f1_micro"),
    ("Decode with each head's own untuned rule; report micro-F1", "natural", "f1_micro"),
    ("Tune one threshold on validation; report micro-F1", "matched", "f1_micro"),
    (
        "Decode each head as its loss implies, tuned on validation; report micro-F1",
        "consistent",
        "f1_micro",
    ),
    ("Tune one threshold per label on validation; report macro-F1", "matched", "f1_macro"),
    ("Tune one threshold per label on validation; report weighted F1", "matched", "f1_weighted"),
    ("Tune a set decoder on validation; report samples-F1", "matched", "f1_samples"),
)


def _choice(rows: pd.DataFrame, reference: str) -> str:
    """What to use in one situation, from its rows over every dataset: a head only where the
    evidence shows it ahead; where nothing is ahead, no recommendation is read into that."""
    behind = rows[rows["verdict"] == "behind"]
    if behind.empty:
        if (rows["verdict"] == "ahead").all():
            return reference
        if (rows["verdict"] == "equivalent").all():
            return f"any of them (equivalent within ±{protocol.EQUIVALENCE_MARGIN:g})"
        if (rows["verdict"] == "ahead").any():
            return f"{reference} where it is ahead; no winner shown elsewhere"
        return "no winner shown"
    winners = {
        head: sorted(set(group["dataset"])) for head, group in behind.groupby("versus", sort=False)
    }
    named = "; ".join(f"{head} on {join_words(datasets)}" for head, datasets in winners.items())
    rest = rows[~rows["dataset"].isin(behind["dataset"])]  # the datasets no head wins on
    if rest.empty:
        return named
    if (rest["verdict"] == "ahead").all():
        return f"{named}; {reference} elsewhere"
    if (rest["verdict"] == "equivalent").all():
        return (
            f"{named}; any of them elsewhere (equivalent within ±{protocol.EQUIVALENCE_MARGIN:g})"
        )
    return f"{named}; no winner shown elsewhere"


def decision_table(differences: pd.DataFrame, reference: str = PRIMARY[0]) -> pd.DataFrame:
    """One row per situation (:data:`SITUATIONS`): the reference's standing against the other
    heads on each dataset (Holm-adjusted verdicts, intervals over splits, seeds and test
    documents) and which head to use."""
    datasets = list(dict.fromkeys(differences["dataset"]))
    rows = {}
    for situation, decoder, metric in SITUATIONS:
        chosen = differences[
            (differences["decoder"] == decoder) & (differences["metric"] == metric)
        ]
        row = {
            f"{reference} on {dataset}": standing(chosen[chosen["dataset"] == dataset])
            for dataset in datasets
        }
        row["use"] = _choice(chosen, reference)
        rows[situation] = row
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = "if you"
    return table


def _range(rows: pd.DataFrame) -> str:
    low, high = rows["mean_difference"].min(), rows["mean_difference"].max()
    if f"{low:.3f}" == f"{high:.3f}":
        return f"{low:.3f}"
    return f"from {low:.3f} to {high:.3f}"


def scoped_answer(differences: pd.DataFrame, scope: str, reference: str = PRIMARY[0]) -> Answer:
    """Which head, from every dataset together, and how far that reaches: counts of the four
    verdicts under the matched decoders (never "safe" from the absence of a difference: a
    head is recommended over another only where it is ahead). ``scope`` says in words what
    was tested (datasets, model, splits and seeds)."""
    datasets = list(dict.fromkeys(differences["dataset"]))
    fixed = differences.query("decoder == 'threshold_0.5' and metric == 'f1_micro'")
    matched = differences[differences["decoder"] == "matched"]
    behind = matched[matched["verdict"] == "behind"]
    counts = {v: int((matched["verdict"] == v).sum()) for v in VERDICTS}
    margin = f"±{protocol.EQUIVALENCE_MARGIN:g}"

    if not behind.empty:
        verdict = "depends"
        headline = (
            "No head wins everywhere: "
            + join_words(
                [
                    f"{row['versus']} beats {reference} in {AVERAGE_NAMES[row['metric']]} on "
                    f"{row['dataset']}"
                    for _, row in behind.iterrows()
                ]
            )
            + "."
        )
    elif counts["ahead"] == len(matched):
        verdict = "sigmoid"
        headline = f"{reference} is ahead of every other head in every comparison."
    elif counts["equivalent"] == len(matched):
        verdict = "equivalent"
        headline = (
            f"Once decoders are tuned, the heads are equivalent within {margin} F1 in every "
            "comparison: the choice of head does not matter here."
        )
    else:
        verdict = "no winner"
        headline = (
            f"Once decoders are tuned, no head beats {reference}, and it is not ahead "
            "everywhere either."
        )
    tally = join_words(
        [
            f"{word} {counts[key]}"
            for key, word in (
                ("ahead", f"behind {reference} in"),
                ("equivalent", f"equivalent to it within {margin} in"),
                ("undecided", "undecided in"),
                ("behind", "ahead of it in"),
            )
            if counts[key]
        ]
    )
    fixed_ahead = int((fixed["verdict"] == "ahead").sum())
    why = (
        f"At a fixed threshold of one half, {reference} is ahead in {fixed_ahead} of "
        f"{len(fixed)} comparisons (micro-F1 differences {_range(fixed)}). Once each head is "
        f"decoded as its F1 average requires, with decoders tuned on validation, the other "
        f"heads are {tally} of the {len(matched)} comparisons, one per dataset, other head "
        "and F1 average (Holm-corrected; "
        f"equivalence by two one-sided tests at the margin fixed before the results). {scope}"
    ).strip()
    evidence = []
    for dataset in datasets:
        primary = differences[differences["primary"] & (differences["dataset"] == dataset)]
        for _, row in primary.iterrows():
            evidence.append(
                f"{dataset}: `{reference}` minus `{row['versus']}` in "
                f"{AVERAGE_NAMES[row['metric']]} under one tuned threshold "
                f"{format_interval(row['mean_difference'], row['low'], row['high'])} "
                f"({row['verdict']}, Holm-adjusted p = {row['p_holm']:.2g})."
            )
    return Answer(
        question="Sigmoid or softmax, across datasets?",
        verdict=verdict,
        headline=headline,
        why=why,
        evidence=tuple(evidence),
        numbers={
            "fixed_range": _range(fixed),
            **{key: str(value) for key, value in counts.items()},
            "comparisons": str(len(matched)),
            "margin": f"{protocol.EQUIVALENCE_MARGIN:g}",
        },
    )


def scope_sentence(properties, hidden_units: int) -> str:
    """What the scoped answer was tested on, from each dataset's properties
    (:func:`genrebench.results.travel.dataset_properties`)."""
    names = join_words([item["dataset"] for item in properties])
    splits = {item["splits"] for item in properties}
    seeds = {item["seeds"] for item in properties}
    design = (
        f"{splits.pop()} random splits x {seeds.pop()} training seeds each"
        if len(splits) == len(seeds) == 1
        else "several random splits and training seeds each"
    )
    cardinality = [item["mean_cardinality"] for item in properties]
    return (
        f"The scope: {len(properties)} datasets ({names}; {min(cardinality):.1f} to "
        f"{max(cardinality):.1f} labels per document on average), {design}, one network with "
        f"a hidden layer of {hidden_units} units, the three heads of the thread's question."
    )
