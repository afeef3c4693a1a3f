"""What ``genrebench run`` writes: tidy tables, the registered figures and a self-contained
report that renders the same answers (:mod:`genrebench.results.answers`), findings
(:mod:`genrebench.results.travel`) and figures (:mod:`genrebench.results.figures`) as the book.

The run covers several random splits of one dataset. What the verdict rests on is computed
across them (intervals over splits, seeds and test documents); what only one study can show
(per-label F1, training curves, intervals over seeds) comes from the first split, split 0,
and says so.
"""

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from genrebench.experiments import protocol
from genrebench.experiments.splits import SplitStudy
from genrebench.files import atomic_write, markup, staged_folder
from genrebench.plots import save_figure
from genrebench.report_html import (
    answer_html,
    f1_html,
    figure_html,
    heads_html,
    table_html,
)
from genrebench.results.family import FAMILY_ALPHA
from genrebench.results.family_splits import family_split_differences
from genrebench.results.figures import FIGURES, caption, draw_figure, render_figure
from genrebench.results.headlines import lever_answer
from genrebench.results.heads import HeadsAnalysis, analyse
from genrebench.results.levers import decoder_steps, lever_differences, lever_table, steps_table
from genrebench.results.statistics import split_summary
from genrebench.results.tables import (
    difference_table,
    in_words,
    interval_table,
)
from genrebench.results.travel import (
    PRIMARY,
    choice_counts,
    choice_table,
    exclusion_counts,
    travel_differences,
)
from genrebench.results.travel import difference_table as split_difference_table
from genrebench.results.wording import with_verdict

#: The registered figures the report shows, in order: those drawn from one study.
REPORT_FIGURES = tuple(
    name
    for name, spec in FIGURES.items()
    if set(spec.needs) <= {"dataset", "analysis", "baseline_f1"}
)
#: The forest plot across splits: the registry's ``fig-travel-forest`` drawn for the run's one
#: dataset, written under a name of its own, since the book's figure of that name shows three
#: datasets and a reader who cites it by name must find that picture.
FOREST, FOREST_FILE = "fig-travel-forest", "fig-travel-forest-one-dataset"
#: The two levers, likewise drawn for the run's one dataset under a name of its own.
LEVERS, LEVERS_FILE = "fig-travel-levers", "fig-travel-levers-one-dataset"
#: The loss family's forest plot, likewise, when the run holds heads beyond the primary ones.
FAMILY, FAMILY_FILE = "fig-travel-family", "fig-travel-family-one-dataset"
#: Decoders the baseline's table shows.
BASELINE_DECODERS = ("threshold_0.5", "global_tuned", "per_label_tuned")


@dataclass
class RunTables:
    """What the report shows of a run on several splits of one dataset."""

    analysis: HeadsAnalysis  # split 0's study: seed intervals, per-label F1, curves
    baseline_C: float  # the baseline's regularisation on split 0
    splits: int
    seeds: int  # training seeds per split
    summary: pd.DataFrame  # head x decoder x metric: mean over splits, split-aware interval
    baseline: pd.DataFrame  # the baseline, likewise
    differences: pd.DataFrame  # reference minus each other head across splits (travel)
    choices: pd.DataFrame  # the settings each split's search chose
    choice_counts: dict  # how often those settings change, the grid grew, a choice is on an edge
    levers: pd.DataFrame | None = None  # the two levers (results.levers); None: not shown
    steps: pd.DataFrame | None = None  # each head's F1 a decoder step at a time, with levers
    family: pd.DataFrame | None = None  # beyond the primary heads: as the book's family table


def tabulate(split_study: SplitStudy, prepared, nouns=("document", "label")) -> RunTables:
    """Every table of a run: across its splits, and of its first split (``prepared``)."""
    first = split_study.studies[split_study.splits[0]]
    analysis = analyse(first, prepared, nouns=nouns)
    studies = {split_study.dataset: split_study}
    baseline = split_study.baseline_metrics
    differences = travel_differences(studies, analysis.reference, analysis.others)
    return RunTables(
        analysis=analysis,
        baseline_C=first.baseline.C,
        splits=len(split_study.splits),
        seeds=int(split_study.metrics.groupby("split_seed")["train_seed"].nunique().min()),
        summary=split_summary(split_study.metrics, split_study.test_to_train),
        baseline=split_summary(
            baseline[baseline["decoder"].isin(BASELINE_DECODERS)], split_study.test_to_train
        ),
        differences=differences,
        choices=choice_table(studies),
        choice_counts=choice_counts(studies),
        levers=lever_differences(studies, differences, analysis.reference),
        steps=decoder_steps(split_study.metrics, analysis.heads, split_study.test_to_train),
        family=family_split_differences(studies, analysis.reference, analysis.others)
        if set(analysis.heads) - set(protocol.HEADS)
        else None,
    )


def draw_figures(tables: RunTables, dataset, directory: Path) -> dict:
    """The registered figures for this run, as PNG, SVG and PDF; returns name -> PNG. Those
    across splits get file names of their own (:data:`FOREST_FILE`, ...)."""
    import matplotlib.pyplot as plt

    analysis = tables.analysis
    inputs = {"dataset": dataset, "analysis": analysis, "baseline_f1": analysis.baseline_f1}
    pngs = {}
    for name in REPORT_FIGURES:
        figure = render_figure(name, directory, analysis.nouns, **inputs)
        plt.close(figure)
        pngs[name] = Path(directory) / f"{name}.png"
    drawn = {}  # file name -> (registered figure, its data), each for this dataset alone
    if analysis.reference == PRIMARY[0]:
        drawn[FOREST_FILE] = (FOREST, {"travel": tables.differences})
        if tables.family is not None:  # the loss family, one row per head
            drawn[FAMILY_FILE] = (FAMILY, {"travel_family": tables.family})
    if tables.levers is not None:
        drawn[LEVERS_FILE] = (LEVERS, {"levers": tables.levers})
    for file, (name, data) in drawn.items():
        figure = draw_figure(name, analysis.nouns, **data)
        save_figure(figure, file, directory)
        plt.close(figure)
        pngs[file] = Path(directory) / f"{file}.png"
    return pngs


_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;max-width:60rem;margin:2rem auto;
padding:0 1rem;color:#1a1a1a;line-height:1.5}
h1{font-size:1.6rem}h2{font-size:1.25rem;margin-top:2rem;border-bottom:1px solid #ddd}
h3{font-size:1.05rem}table{border-collapse:collapse;font-size:.85rem;margin:1rem 0}
th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:left}
th{background:#f3f3f3}figure{margin:1.5rem 0}img{width:100%;max-width:44rem}
figcaption{font-size:.9rem;color:#444}.answer{background:#eef5fb;padding:.5rem 1rem;
border-left:4px solid #0072b2}code{background:#f3f3f3;padding:0 .2rem}
"""


def _plain(value) -> str:
    """A value of the run information as text: lists comma-separated, mappings as
    ``key value`` pairs."""
    if isinstance(value, dict):
        return "; ".join(f"{key} {_plain(item)}" for key, item in value.items())
    if isinstance(value, list | tuple):
        return ", ".join(f"{item:g}" if isinstance(item, float) else str(item) for item in value)
    return str(value)


def _info_html(run_info: dict) -> list[str]:
    rows = []
    for name, value in run_info.items():
        if isinstance(value, dict) and all(isinstance(v, dict) for v in value.values()):
            cell = "<br>".join(markup(f"{key}: {_plain(v)}") for key, v in value.items())
        else:
            cell = markup(_plain(value))
        rows.append(f"<tr><th>{markup(str(name))}</th><td>{cell}</td></tr>")
    return ['<table class="info">', *rows, "</table>"]


def _across_splits_html(tables: RunTables, pngs: dict) -> list[str]:
    """The comparison across splits, rendered by the book's own result functions."""
    reference, differences = tables.analysis.reference, tables.differences
    table = split_difference_table(differences, reference)
    parts = [
        "<h2>Across splits</h2>",
        f"<p>Test differences, {markup(in_words(reference))} minus each other head, "
        f"on {tables.splits} random data splits with {tables.seeds} training seeds each: mean "
        "over splits (seeds averaged within each split) with a 95% interval over splits, seeds "
        "and test documents (corrected resampled t). Each F1 average is decoded with its "
        "matched decoder, fitted on validation; micro-F1 also with each head's own rule "
        "(the decision its loss implies, applied untuned, such as one half for sigmoid with "
        "binary cross-entropy or half the row's top score for the softmax heads: "
        "&ldquo;own rule&rdquo; in the table) and with one half. A star marks a difference whose "
        "Holm-adjusted p-value is below "
        f"{FAMILY_ALPHA:g}: the secondary comparisons are adjusted together, the primary one "
        "over datasets only (here one).</p>",
        table_html(table),
    ]
    if differences["primary"].any():
        primary = differences[differences["primary"]].iloc[0]
        parts.append(
            f"<p>Primary comparison, named before the results: {markup(in_words(reference))} "
            f"minus {markup(in_words(primary['versus']))} in micro-F1, each under one threshold "
            f"tuned on validation: {markup(with_verdict(primary))}.</p>"
        )
        parts.append(
            "<p>Verdicts: ahead or behind when the Holm-adjusted p-value is below "
            f"{FAMILY_ALPHA:g}; equivalent when the 90% interval lies inside the margin "
            f"±{primary['margin']:g} F1, fixed before any result (two one-sided tests); "
            "undecided otherwise, which is not evidence that the heads are equal. With "
            f"{tables.splits} splits and this dataset's spread between them, the smallest "
            "primary difference its test detects with 80% power is "
            f"{primary['mde']:.3f} micro-F1 (column <code>mde</code> of "
            "<code>differences.csv</code> gives it for every row). With one dataset, the "
            "estimate pooled over datasets is this dataset's own; the book pools its three "
            "datasets by random effects.</p>"
        )
    counts = exclusion_counts(differences)
    secondary = int((~differences["primary"]).sum())
    matched, natural = counts["matched"], counts["natural"]
    parts.append(
        "<p>Before correction, under the matched decoders, intervals wholly above zero "
        f"(favouring {markup(in_words(reference))}): {matched['above']} of {matched['rows']}; "
        f"wholly below: {matched['below']}. In micro-F1 under each head's own rule: "
        f"{natural['above']} above and {natural['below']} below, of {natural['rows']}. "
        f"Differences that survive Holm's correction over the {secondary} secondary "
        f"comparisons: {matched['decided']} and {natural['decided']}.</p>"
    )
    if FAMILY_FILE in pngs:  # the loss family: one row per head, as the book draws it
        parts.append(
            figure_html(FAMILY_FILE, pngs[FAMILY_FILE], caption(FAMILY, tables.analysis.nouns))
        )
    elif FOREST_FILE in pngs:
        parts.append(
            figure_html(FOREST_FILE, pngs[FOREST_FILE], caption(FOREST, tables.analysis.nouns))
        )
    choices = tables.choice_counts
    parts += [
        "<h3>The search moves with the split</h3>",
        "<p>The setting (learning rate @ epoch) each split's search chose for each head on "
        f"validation. Heads whose setting differs between splits: {choices['changed']} of "
        f"{choices['pairs']}; splits whose grid grew past an edge: {choices['grown']} of "
        f"{choices['splits']}; final choices on an edge of the grid: {choices['edges']} of "
        f"{choices['choices']}.</p>",
        table_html(tables.choices),
    ]
    return parts


def _levers_html(tables: RunTables, pngs: dict) -> list[str]:
    """The larger lever first, in numbers: its answer, the figure, and each head's F1 a
    decoder step at a time."""
    if tables.levers is None:
        return []
    reference = tables.analysis.reference
    why = (
        f"The decoder lever is {reference}'s F1 under the decoder matched to the average (one "
        "threshold for micro-F1, one per label for macro-F1, tuned on validation) minus its F1 "
        "at a fixed threshold of one half; the head lever is the largest difference between "
        f"{reference} and another head, both under that decoder. One lever is the larger when "
        "its mean change is the larger on every dataset and F1 average; means over data "
        "splits, with 95% intervals over splits, training seeds and test documents."
    )
    parts = answer_html(lever_answer(tables.levers), why)
    parts.append(table_html(lever_table(tables.levers, reference)))
    if LEVERS_FILE in pngs:
        parts.append(
            figure_html(LEVERS_FILE, pngs[LEVERS_FILE], caption(LEVERS, tables.analysis.nouns))
        )
    parts.append(
        "<p>Each head a decoder step at a time: test F1 at a fixed threshold of one half, then "
        "the gain over one half of one threshold tuned on validation, of one threshold per "
        "label, and of the decoder consistent for the head's loss (one tuned threshold where its "
        "scores estimate each label's probability; the shares times a predicted label count for "
        f"the softmax heads). Means over {tables.splits} data splits with 95% intervals over "
        "splits, seeds and test documents.</p>"
    )
    parts.append(table_html(steps_table(tables.steps)))
    return parts


def render_html(tables: RunTables, run_info: dict, pngs: dict[str, Path]) -> str:
    """One HTML page with no outside references: styles inline, figures as data URIs."""
    analysis = tables.analysis
    title = f"genrebench report: {run_info['data']}"
    esc = markup
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{esc(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{esc(title)}</h1>",
        *_info_html(run_info),
    ]
    parts += _levers_html(tables, pngs)
    parts += heads_html(tables)
    parts += f1_html(analysis, tables.summary, tables.splits)
    parts += _across_splits_html(tables, pngs)
    parts.append("<h2>Test scores across splits</h2>")
    parts.append(
        f"<p>Mean over {tables.splits} data splits (the {tables.seeds} training seeds averaged "
        "within each split) with a 95% interval over splits, seeds and test documents. "
        "Decoders are fitted on validation only; <code>oracle_topk</code> knows each "
        "document's true number of labels: a reference, not a method, and not a bound on the "
        "others.</p>"
    )
    parts.append(table_html(interval_table(tables.summary, analysis.heads)))
    parts.append(
        "<p>The one-vs-rest logistic-regression baseline (regularisation chosen on each "
        f"split's validation part; C = {tables.baseline_C:g} on split 0), mean over splits with "
        "a 95% interval over splits and test documents:</p>"
    )
    parts.append(
        table_html(interval_table(tables.baseline, ["ovr_logreg"], decoders=BASELINE_DECODERS))
    )
    parts.append("<h2>Split 0: paired differences by seed</h2>")
    parts.append(
        f"<p>On split 0 only: test F1 of {markup(in_words(analysis.reference))} minus each other "
        "head under every decoder, paired by training seed (same initialisation and batch "
        "order), with a 95% t-interval of the per-seed differences, which covers the seeds "
        "alone. Positive favours the reference head.</p>"
    )
    parts.append(table_html(difference_table(analysis.differences, analysis.reference)))
    parts.append("<h2>Split 0: per-label F1</h2>")
    parts.append(
        "<p>Test F1 per label and head on split 0 (one tuned threshold, mean over seeds), with "
        "the label's share of training documents and its test support.</p>"
    )
    per_label = analysis.per_label.sort_values("train_share", ascending=False).round(3)
    parts.append(table_html(per_label, words=("columns",)))  # its index: the data's labels
    parts.append("<h2>Figures</h2>")
    for name in REPORT_FIGURES:
        if name in pngs:
            where = "" if FIGURES[name].needs == ("dataset",) else " (split 0)"
            parts.append(figure_html(name, pngs[name], caption(name, analysis.nouns), where))
    parts.append("<h2>How these numbers were made</h2>")
    parts.append(
        "<p>Each head trains the same backbone on the same features with the same budget. "
        f"The data are split {tables.splits} times at random into training, validation and "
        "test parts, and each split is a complete replicate: features fitted on its training "
        "part; each head's learning rate and epoch chosen on its validation part with training "
        "seed 0, the grid grown past its edges unless given explicitly; the chosen settings "
        f"trained with {tables.seeds} seeds and scored on its test part, which nothing was "
        "tuned on. Protocol and code: the genrebench book, chapters &ldquo;Sigmoid or "
        "softmax?&rdquo; and &ldquo;Does the answer travel?&rdquo;.</p>"
    )
    parts.append("</body></html>")
    return "\n".join(parts)


def _write_csv(frame: pd.DataFrame, path: Path, index: bool = False) -> None:
    atomic_write(path, frame.to_csv(index=index))


#: What ``write_outputs`` writes into ``--out`` (name -> file); a rerun replaces exactly these.
OUTPUTS = {
    "results": "results.csv",
    "summary": "summary.csv",
    "differences": "differences.csv",
    "choices": "choices.csv",
    "per_label": "per_label.csv",
    "search": "search.csv",
    "report": "report.html",
    "run": "run.json",
}
OUTPUT_NAMES = (*OUTPUTS.values(), "figures")


def write_outputs(split_study: SplitStudy, prepared, dataset, out: Path, run_info: dict) -> dict:
    """Write tables, figures and ``report.html`` into ``out``; return name -> path.
    ``prepared`` is the first split's data.

    All or nothing: everything is written into a staging folder beside ``out`` and moved
    into place at the end, so ``out`` holds this result set or the previous one, never a
    mix; other entries of ``out`` (the default cache ``out/cache``) are kept.
    """
    out = Path(out)
    with staged_folder(out, OUTPUT_NAMES) as staging:
        _write_all(split_study, prepared, dataset, staging, run_info)
    return {key: out / name for key, name in OUTPUTS.items()}


def _write_all(split_study: SplitStudy, prepared, dataset, out: Path, run_info: dict) -> None:
    figures = out / "figures"
    figures.mkdir(parents=True, exist_ok=True)
    tables = tabulate(split_study, prepared, nouns=dataset.nouns)
    baseline = split_study.baseline_metrics.assign(train_seed=np.nan)
    _write_csv(pd.concat([split_study.metrics, baseline], ignore_index=True), out / "results.csv")
    _write_csv(pd.concat([tables.summary, tables.baseline], ignore_index=True), out / "summary.csv")
    _write_csv(tables.differences, out / "differences.csv")
    _write_csv(tables.choices, out / "choices.csv", index=True)
    _write_csv(tables.analysis.per_label, out / "per_label.csv", index=True)
    searches = [study.search for study in split_study.studies.values()]
    _write_csv(pd.concat(searches, ignore_index=True), out / "search.csv")
    pngs = draw_figures(tables, dataset, figures)
    atomic_write(out / "report.html", render_html(tables, run_info, pngs))
    atomic_write(out / "run.json", json.dumps(run_info, indent=1, default=str))
