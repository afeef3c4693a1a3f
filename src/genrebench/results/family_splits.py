"""The loss family on every split of a dataset: each head against the reference with the
interval over splits, seeds and test documents.

The heads chapter compares the family on one split of the films, with intervals over
training seeds only. Here every head of the family runs on every split of a dataset
(:func:`genrebench.experiments.splits.run_family_split_study`), and the comparisons are
those of the chapter "Does the answer travel?": every F1 average under its matched decoder,
micro-F1 under the decoder consistent for each head's loss, under its natural rule and under
one half, each with the split-aware interval. All of them are secondary: their p-values are
Holm-adjusted together.
"""

from collections.abc import Mapping

import pandas as pd

from genrebench.decode import MATCHED_DECODERS
from genrebench.experiments.splits import SplitStudy
from genrebench.results.family import judge, softmax_style
from genrebench.results.statistics import holm
from genrebench.results.travel import dataset_differences

#: The panels of the family's forest plot: (metric, decoder) of the split differences.
FOREST_COMPARISONS = (
    ("f1_micro", "matched"),
    ("f1_macro", "matched"),
    ("f1_micro", "consistent"),
    ("f1_micro", "natural"),
)
FOREST_NAMES = {  # as the columns of the chapter's difference tables name them
    ("f1_micro", "matched"): "micro-F1, matched",
    ("f1_macro", "matched"): "macro-F1, matched",
    ("f1_micro", "consistent"): "micro-F1, consistent",
    ("f1_micro", "natural"): "micro-F1, own rule",
}


def family_split_differences(
    studies: Mapping[str, SplitStudy], reference: str, others
) -> pd.DataFrame:
    """``reference`` minus each of ``others`` on every dataset of ``studies`` (family split
    studies), as :func:`~genrebench.results.travel.dataset_differences` gives them; every
    row secondary, p-values Holm-adjusted over all rows (``p_holm``), and a verdict per row
    (:func:`~genrebench.results.family.verdicts`)."""
    table = pd.concat(
        [dataset_differences(study, reference, others) for study in studies.values()],
        ignore_index=True,
    )
    table["primary"] = False
    table["p_holm"] = holm(table["p"])
    table["verdict"] = judge(table)
    return table


def softmax_style_counts(differences: pd.DataFrame) -> dict[str, int]:
    """How the softmax-style heads of a family comparison fare against the reference, in
    counts over every dataset: ``compared`` comparisons under the matched decoders, of which
    ``beat`` favour the head and ``trail`` the reference after Holm's correction;
    ``untuned`` comparisons under each head's own rule, of which ``untuned_trail`` favour the
    reference."""
    candidates = softmax_style(dict.fromkeys(differences["versus"]))
    mine = differences[differences["versus"].isin(candidates)]
    matched = matched_rows(mine)
    natural = mine[mine["decoder"] == "natural"]
    return {
        "compared": len(matched),
        "beat": int((matched["verdict"] == "behind").sum()),
        "trail": int((matched["verdict"] == "ahead").sum()),
        "untuned": len(natural),
        "untuned_trail": int((natural["verdict"] == "ahead").sum()),
    }


def edge_counts(studies: Mapping[str, SplitStudy]) -> tuple[int, int]:
    """How many of the family's choices (head x split, every study) lie on an edge of the
    grid they were searched on, and how many choices there are."""
    selected = [study.selected for study in studies.values()]
    return sum(int(s["on_edge"].sum()) for s in selected), sum(len(s) for s in selected)


def matched_rows(differences: pd.DataFrame) -> pd.DataFrame:
    """The rows of a family comparison judged under a matched decoder: ``matched`` in a
    split comparison, the tuned decoders of each average in a one-split one
    (:func:`~genrebench.results.family.family_differences`)."""
    return differences[differences["decoder"].isin(("matched", *MATCHED_DECODERS.values()))]
