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
from genrebench.results.statistics import format_interval, holm
from genrebench.results.travel import dataset_differences
from genrebench.results.wording import count_of, join_words

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


def family_split_answer(differences: pd.DataFrame, reference: str) -> str:
    """Can a softmax-style loss replace ``reference``? Dataset by dataset: which
    softmax-style heads beat or trail it under the matched decoders after Holm's correction,
    how many of their intervals exclude zero before it (and on whose side), and which of
    them trail it untuned, under their natural rule (with the difference)."""
    sentences = []
    for dataset, rows in differences.groupby("dataset", sort=False):
        candidates = softmax_style(dict.fromkeys(rows["versus"]))
        mine = rows[rows["versus"].isin(candidates)]
        matched = mine[mine["decoder"] == "matched"]
        parts = []
        for verdict, verb, plural in (("behind", "beats", "beat"), ("ahead", "trails", "trail")):
            heads = list(dict.fromkeys(matched.loc[matched["verdict"] == verdict, "versus"]))
            if heads:
                word = verb if len(heads) == 1 else plural
                parts.append(f"{join_words(heads)} {word} {reference}")
        excluding = matched[(matched["low"] > 0) | (matched["high"] < 0)]
        if not parts:
            sentence = (
                f"none of the softmax-style losses ({join_words(candidates)}) beats or trails "
                f"{reference} under the matched decoders after Holm's correction"
            )
        else:
            sentence = (
                f"among the softmax-style losses, {' and '.join(parts)} under the matched "
                "decoders after Holm's correction"
            )
        if len(excluding):
            favoured = (excluding["low"] > 0).sum()
            side = (
                f"all in favour of {reference}"
                if favoured == len(excluding)
                else f"{favoured} of them in favour of {reference}"
            )
            verb = "excludes" if len(excluding) == 1 else "exclude"
            sentence += (
                f", although {count_of(len(excluding), len(matched), 'intervals')} {verb} zero "
                f"before correction ({side})"
            )
        natural = mine[(mine["decoder"] == "natural") & (mine["verdict"] == "ahead")]
        if len(natural):
            gaps = [
                f"by {format_interval(row.mean_difference, row.low, row.high)}"
                for row in natural.itertuples()
            ]
            heads = list(natural["versus"])
            if len(heads) == 1:
                sentence += f"; untuned, under its own rule, {heads[0]} trails it {gaps[0]}"
            else:
                listed = [f"{heads[0]} trails it {gaps[0]}"]
                listed += [f"{head} {gap}" for head, gap in zip(heads[1:], gaps[1:], strict=True)]
                sentence += f"; untuned, under their own rules, {join_words(listed)}"
        sentences.append(f"On {dataset}, {sentence}.")
    return " ".join(sentences)


def edge_finding(studies: Mapping[str, SplitStudy]) -> str:
    """How many of the family's choices (head x split) lie on an edge of the grid they were
    searched on, per dataset, and whose: "7 of the 45 choices on yeast (asl's on 2 splits,
    zlpr's on 1)"."""
    parts = []
    for name, study in studies.items():
        selected = study.selected
        on_edge = selected.loc[selected["on_edge"], "head"].value_counts(sort=False)
        phrase = f"{count_of(int(on_edge.sum()), len(selected), 'choices')} on {name}"
        if len(on_edge):
            whose = [f"{head}'s on {n}" for head, n in on_edge.items()]
            whose[0] += " split" if on_edge.iloc[0] == 1 else " splits"
            phrase += f" ({join_words(whose)})"
        parts.append(phrase)
    return ", ".join(parts)


def matched_rows(differences: pd.DataFrame) -> pd.DataFrame:
    """The rows of a family comparison judged under a matched decoder: ``matched`` in a
    split comparison, the tuned decoders of each average in a one-split one
    (:func:`~genrebench.results.family.family_differences`)."""
    return differences[differences["decoder"].isin(("matched", *MATCHED_DECODERS.values()))]


def replacement_answer(evidence: Mapping[str, pd.DataFrame], reference: str) -> str:
    """Can any softmax-style loss replace ``reference`` as the default? One sentence over
    every study in ``evidence`` (what to call it -> its family comparison, Holm-corrected):
    which softmax-style heads beat or trail it under the matched decoders, and where."""
    beats, trails = {}, {}
    for where, differences in evidence.items():
        rows = matched_rows(differences)
        rows = rows[rows["versus"].isin(softmax_style(dict.fromkeys(rows["versus"])))]
        for verdict, found in (("behind", beats), ("ahead", trails)):
            for head in dict.fromkeys(rows.loc[rows["verdict"] == verdict, "versus"]):
                found.setdefault(head, []).append(where)

    def listed(found):
        """Heads by the studies they were found in: "a and b on the films; c on yeast"."""
        by_place: dict[str, list[str]] = {}
        for head, places in found.items():
            by_place.setdefault(join_words(places), []).append(head)
        return "; ".join(f"{join_words(heads)} on {where}" for where, heads in by_place.items())

    studies = join_words(list(evidence))
    if beats:
        return (
            f"Softmax-style losses beat {reference} under the matched decoders in places "
            f"({listed(beats)}): on such data one of them may replace it as the default."
        )
    sentence = f"No softmax-style loss beats {reference} under the matched decoders on {studies}"
    if trails:
        sentence += f", and some trail it ({listed(trails)})"
    return sentence + f": these data give no reason to replace {reference} with one of them."
