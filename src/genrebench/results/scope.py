"""The scoped answer: which head, across every dataset, split and seed, in four verdicts
(ahead, behind, equivalent within the protocol's margin, undecided): their counts, and a
decision table generated from the results.

Reads the cross-dataset differences of :func:`genrebench.results.travel.travel_differences`
(Holm-adjusted verdicts from the reference's side). The words are
:mod:`genrebench.results.wording`'s; the answers chapter writes the sentences around them.
"""

import pandas as pd

from genrebench.results.statistics import VERDICTS
from genrebench.results.travel import PRIMARY
from genrebench.results.wording import standing, use_word

#: The situations of the decision table: (how the reader decodes, for which F1 average;
#: decoder; F1 average). Short, in the glossary's terms, so the column does not wrap.
SITUATIONS = (
    ("one half; micro-F1", "threshold_0.5", "f1_micro"),
    ("each head's own rule; micro-F1", "natural", "f1_micro"),
    ("one tuned threshold; micro-F1", "matched", "f1_micro"),
    ("consistent decoder, tuned; micro-F1", "consistent", "f1_micro"),
    ("a tuned threshold per label; macro-F1", "matched", "f1_macro"),
    ("a tuned threshold per label; weighted F1", "matched", "f1_weighted"),
    ("tuned top k by score mass; samples-F1", "matched", "f1_samples"),
)


def decision_table(differences: pd.DataFrame, reference: str = PRIMARY[0]) -> pd.DataFrame:
    """One row per situation (:data:`SITUATIONS`): the reference's standing against the other
    heads on each dataset, a column named by the dataset (Holm-adjusted verdicts, intervals
    over splits, seeds and test documents), and which head to use."""
    datasets = list(dict.fromkeys(differences["dataset"]))
    rows = {}
    for situation, decoder, metric in SITUATIONS:
        chosen = differences[
            (differences["decoder"] == decoder) & (differences["metric"] == metric)
        ]
        row = {dataset: standing(chosen[chosen["dataset"] == dataset]) for dataset in datasets}
        row["use"] = use_word(chosen, reference)
        rows[situation] = row
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = None  # the situations speak for themselves; a name adds a header row
    return table


def scope_counts(differences: pd.DataFrame) -> dict:
    """Which head, from every dataset together, as counts: the verdict ("sigmoid" when the
    reference is ahead in every comparison under the matched decoders, "equivalent" when all
    are equivalent, "depends" when another head is ahead somewhere, else "no winner": never a
    recommendation from the absence of a difference), how many of the matched comparisons
    fall under each of the four verdicts, and the reference's standing at one half in
    micro-F1 (comparisons ahead, of how many, and the smallest and largest difference)."""
    fixed = differences.query("decoder == 'threshold_0.5' and metric == 'f1_micro'")
    matched = differences[differences["decoder"] == "matched"]
    counts = {verdict: int((matched["verdict"] == verdict).sum()) for verdict in VERDICTS}
    if counts["behind"]:
        verdict = "depends"
    elif counts["ahead"] == len(matched):
        verdict = "sigmoid"
    elif counts["equivalent"] == len(matched):
        verdict = "equivalent"
    else:
        verdict = "no winner"
    return {
        "verdict": verdict,
        **counts,
        "comparisons": len(matched),
        "fixed_ahead": int((fixed["verdict"] == "ahead").sum()),
        "fixed_comparisons": len(fixed),
        "fixed_low": float(fixed["mean_difference"].min()),
        "fixed_high": float(fixed["mean_difference"].max()),
    }
