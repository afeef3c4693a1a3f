"""The loss family on every split of a dataset: each head against the reference with the
interval over splits, seeds and test documents.

The heads chapter compares the family on one split of the films, with intervals over
training seeds only. Here every head of the family runs on every split of a dataset
(:func:`genrebench.experiments.splits.run_family_split_study`), and the comparisons are
those of the chapter "Does the answer travel?": every F1 average under its matched decoder,
micro-F1 under each head's natural rule and under one half, each with the split-aware
interval. All of them are secondary: their p-values are Holm-adjusted together.
"""

from collections.abc import Mapping

import numpy as np
import pandas as pd

from genrebench.decode import MATCHED_DECODERS
from genrebench.experiments.splits import SplitStudy
from genrebench.results.family import (
    FAMILY_ALPHA,
    FAMILY_COMPARISONS,
    family_answer,
    family_finding,
    holm,
)
from genrebench.results.travel import dataset_differences
from genrebench.results.wording import count_of

#: The panels of the family's forest plot: (metric, decoder) of the split differences.
FOREST_COMPARISONS = (
    ("f1_micro", "matched"),
    ("f1_macro", "matched"),
    ("f1_micro", "natural"),
)
FOREST_NAMES = {
    ("f1_micro", "matched"): "micro-F1, one tuned threshold",
    ("f1_macro", "matched"): "macro-F1, tuned per label",
    ("f1_micro", "natural"): "micro-F1, natural rule",
}


def family_split_differences(
    studies: Mapping[str, SplitStudy], reference: str, others
) -> pd.DataFrame:
    """``reference`` minus each of ``others`` on every dataset of ``studies`` (family split
    studies), as :func:`~genrebench.results.travel.dataset_differences` gives them; every
    row secondary, p-values Holm-adjusted over all rows (``p_holm``), and a verdict per row
    ("ahead", "behind" or "level", from ``reference``'s side, at :data:`FAMILY_ALPHA`)."""
    table = pd.concat(
        [dataset_differences(study, reference, others) for study in studies.values()],
        ignore_index=True,
    )
    table["primary"] = False
    table["p_holm"] = holm(table["p"])
    significant = table["p_holm"] < FAMILY_ALPHA
    table["verdict"] = np.where(
        significant, np.where(table["mean_difference"] > 0, "ahead", "behind"), "level"
    )
    return table


def _as_family(rows: pd.DataFrame) -> pd.DataFrame:
    """The rows of :data:`~genrebench.results.family.FAMILY_COMPARISONS`, each matched
    decoder under its own name, as the one-split family's words read them."""
    matched = rows["metric"].map(MATCHED_DECODERS)
    named = rows.assign(decoder=np.where(rows["decoder"] == "matched", matched, rows["decoder"]))
    pairs = pd.Series(list(zip(named["metric"], named["decoder"], strict=True)))
    return named[pairs.isin(FAMILY_COMPARISONS).to_numpy()]


def family_split_finding(differences: pd.DataFrame, reference: str) -> str:
    """The comparisons in words, dataset by dataset, as the heads chapter words the one-split
    family (:func:`~genrebench.results.family.family_finding`), each dataset named."""
    return "; ".join(
        f"on {dataset}, {family_finding(_as_family(rows), reference)}"
        for dataset, rows in differences.groupby("dataset", sort=False)
    )


def family_split_answer(differences: pd.DataFrame, reference: str) -> str:
    """Can a softmax-style loss replace ``reference``? The heads chapter's answer
    (:func:`~genrebench.results.family.family_answer`), dataset by dataset."""
    answers = []
    for dataset, rows in differences.groupby("dataset", sort=False):
        answer = family_answer(_as_family(rows), reference)
        answers.append(f"On {dataset}, {answer[0].lower()}{answer[1:]}")
    return " ".join(answers)


def edge_finding(studies: Mapping[str, SplitStudy]) -> str:
    """How many of the family's choices (head x split) lie on an edge of the grid they were
    searched on, per dataset: "7 of the 45 choices on yeast"."""
    parts = []
    for name, study in studies.items():
        selected = study.selected
        edges = int(selected["on_edge"].sum())
        parts.append(f"{count_of(edges, len(selected), 'choices')} on {name}")
    return ", ".join(parts)
