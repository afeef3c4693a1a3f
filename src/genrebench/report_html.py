"""Pieces of the command's report: its answers in words (the sentences a person wrote for
the report, around the numbers, counts, intervals and verdict words of the answer objects of
:mod:`genrebench.results.answers` and :mod:`genrebench.results.headlines`, which the book
renders with sentences of its own), its tables and its figures. Text marks code with
backticks (`like_this`)."""

import base64
import re
from pathlib import Path

import pandas as pd

from genrebench.data.dataset import plural
from genrebench.decode import MATCHED_DECODERS
from genrebench.experiments import protocol
from genrebench.files import markup, visible
from genrebench.results.answers import Answer, f1_answer
from genrebench.results.headlines import split_heads_answer
from genrebench.results.heads import HeadsAnalysis
from genrebench.results.statistics import format_interval
from genrebench.results.tables import AVERAGE_NAMES, in_words, readable, unbroken
from genrebench.results.wording import join_words


def text_html(text: str) -> str:
    """HTML of an answer's text: code names in words, escaped, other `backticked` spans as code."""
    return re.sub(r"`([^`]*)`", r"<code>\1</code>", markup(in_words(text)))


def answer_html(answer: Answer, why: str, evidence=(), note: str = "") -> list[str]:
    """An answer: its question, its headline in bold followed by ``why``, an optional
    ``note`` and the ``evidence`` as a list (texts with `code` spans)."""
    lines = [f"<h2>{markup(answer.question)}</h2>"]
    lines.append(
        f'<p class="answer"><strong>{text_html(answer.headline)}</strong> {text_html(why)}</p>'
    )
    if note:
        lines.append(f"<p>{text_html(note)}</p>")
    if evidence:
        lines.append("<ul>" + "".join(f"<li>{text_html(e)}</li>" for e in evidence) + "</ul>")
    return lines


def heads_html(tables) -> list[str]:
    """The head question on this dataset: the verdict's headline, then the reference's standing
    in practice, under the decoders consistent for the losses and at one half."""
    reference = tables.analysis.reference
    answer = split_heads_answer(tables.differences, reference, tables.seeds)
    numbers, words = answer.numbers, answer.words
    tuned = "under one threshold tuned on validation"
    why = f"In micro-F1 {tuned}, {reference} is {words['practice']}."
    if words["loss"]:
        why += f" Each head under the decoder consistent for its loss, it is {words['loss']}."
    if words["fixed"]:
        why += f" At a fixed threshold of one half, it is {words['fixed']}."
    if "mde" in numbers:
        why += (
            f" The margin ±{numbers['margin']} was fixed before the results; with "
            f"{numbers['splits']} splits this run detects a micro-F1 difference of "
            f"{numbers['mde']} or more with {protocol.MDE_POWER:.0%} power."
        )
    dataset = tables.differences["dataset"].iloc[0]
    heads = join_words([reference, *tables.analysis.others])
    why += (
        f" Measured on {dataset} for {heads}, with 95% intervals over {numbers['splits']} data "
        f"splits, {numbers['seeds']} training seeds per split and the test documents; ahead "
        "and behind survive Holm's correction, "
        f"equivalent means the 90% interval lies within ±{numbers['margin']} (two one-sided "
        "tests), undecided means neither. Every difference is in the table under "
        "“Across splits”."
    )
    evidence = []
    if int(numbers["splits"]) < 5:
        evidence.append(
            f"Only {numbers['splits']} data splits: intervals over so few splits are wide. "
            "Rerun with `--splits 5` or more to narrow them; finished runs are reused."
        )
    return answer_html(answer, why, evidence)


def f1_html(analysis: HeadsAnalysis, summary: pd.DataFrame, splits: int) -> list[str]:
    """Which F1: the headline, the reference's averages across the splits (``summary``: head
    x decoder x metric, mean over splits with the split-aware interval), each under its
    matched decoder, as the book's answers page quotes them; then what sets them apart on
    split 0."""
    answer = f1_answer(analysis)
    numbers, words = answer.numbers, answer.words
    document, label = analysis.nouns
    why = (
        f"Micro-F1 says how good the ({document}, {label}) decisions are overall; macro-F1 "
        f"says how well the rare {plural(label)} fare; binary accuracy says neither, since it "
        f"counts every {label} correctly left out as a success."
    )
    mine = summary[summary["head"] == analysis.reference].set_index(["decoder", "metric"])
    modes = "; ".join(
        f"{AVERAGE_NAMES[metric]} "
        + format_interval(*mine.loc[(MATCHED_DECODERS[metric], metric), ["mean", "low", "high"]])
        for metric in AVERAGE_NAMES
    )
    evidence = [
        f"`{analysis.reference}`, each average under its matched decoder tuned on validation "
        f"(one threshold for micro-F1, one per {label} for macro- and weighted F1, a set per "
        f"{document} for samples-F1): {modes} (mean over {splits} data splits, 95% interval "
        "over splits, seeds and test documents)."
    ]
    if "micro_minus_macro" in numbers:
        evidence.append(
            f"Micro-F1 minus macro-F1, paired by seed: {numbers['micro_minus_macro']} "
            f"(micro-F1 {words['micro_vs_macro']}). The commonest {label} is on "
            f"{numbers['commonest_share']} of training {plural(document)}, the rarest on "
            f"{numbers['rarest_share']}: micro-F1 pools every ({document}, {label}) decision, so "
            f"common {plural(label)} dominate it; macro-F1 weighs every {label} alike."
        )
    if words["zero_labels"]:
        evidence.append(
            f"{plural(label).capitalize()} with an F1 of zero under this decoder "
            f"({numbers['zero_labels']} of {numbers['labels']}): {words['zero_labels']}."
        )
    evidence.append(
        "In Keras, pass `threshold=` to `F1Score` explicitly: its default keeps only each "
        f"{document}'s top-scored {label}."
    )
    note = (
        f"After the first line, the evidence below comes from split 0, with intervals over its "
        f"{analysis.n_seeds} training seeds."
    )
    return answer_html(answer, why, evidence, note=note)


def _visible_cell(value):  # intervals unbroken: a cell never wraps one over lines
    return unbroken(visible(value)) if isinstance(value, str) else value


def table_html(frame: pd.DataFrame, words=("index", "columns")) -> str:
    """A table as HTML: code names in ``words`` (its axes) in words (:func:`readable`), every
    string (labels included) through :func:`visible`, then escaped. Text cells are put in
    words too unless the index holds the data's labels (left out of ``words``)."""
    frame = readable(frame, words, cells="index" in words)
    shown = frame.rename(index=_visible_cell, columns=_visible_cell).map(_visible_cell)
    return shown.to_html(border=0, escape=True, na_rep="").replace("\u00a0", "&nbsp;")


def figure_html(name: str, png: Path, text: str, where: str = "") -> str:
    data = base64.b64encode(Path(png).read_bytes()).decode("ascii")
    text = markup(text)
    return (
        f'<figure id="{markup(name)}"><img alt="{text}" src="data:image/png;base64,{data}">'
        f"<figcaption>{markup(name + where)}: {text}</figcaption></figure>"
    )
