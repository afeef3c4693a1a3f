"""What ``genrebench run`` writes: tidy tables, the book's figures and a self-contained report.

:func:`analyse` turns a :class:`~genrebench.study.HeadsStudy` into the tables
the heads chapter shows; :func:`answers` turns those into the two answers
(which head, which F1) for this dataset, worded from the intervals, never
assumed; :func:`write_outputs` writes everything into one folder, each file
written whole or not at all.
"""

import base64
import html
import json
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from genrebench.analysis import head_answer, paired_differences, verdict
from genrebench.study import (
    DECODERS,
    F1_METRICS,
    HeadsStudy,
    baseline_summary,
    format_interval,
    interval_table,
    per_label_f1,
    results_summary,
    training_curves,
)

REFERENCE = "sigmoid_bce"
#: The decoder the answers compare heads under: tuned on validation, the same for every head.
FAIR_DECODER = "global_tuned"


@dataclass
class Analysis:
    """The tables of one study, as the heads chapter computes them."""

    heads: list[str]
    summary: pd.DataFrame  # head x decoder x metric: mean, low, high over seeds (test)
    differences: pd.DataFrame  # sigmoid_bce minus each other head, paired by seed
    f1_gaps: pd.DataFrame  # f1_micro minus each other F1 average, paired by seed
    per_label: pd.DataFrame  # per-label test F1 (mean over seeds) per head, with shares
    baseline: pd.DataFrame  # one-vs-rest logistic regression, bootstrap intervals
    n_seeds: int


def analyse(study: HeadsStudy, prepared) -> Analysis:
    heads = list(study.selected["head"])
    others = [head for head in heads if head != REFERENCE]
    decided = study.metrics.query("decoder != 'scores'")
    f1_rows = decided[decided["metric"].isin(F1_METRICS)]
    per_label = per_label_f1(study, prepared, decoder=FAIR_DECODER)
    per_label["test_support"] = prepared.Y_test.sum(axis=0)
    return Analysis(
        heads=heads,
        summary=results_summary(study),
        differences=paired_differences(decided, REFERENCE, others),
        f1_gaps=paired_differences(
            f1_rows,
            "f1_micro",
            [m for m in F1_METRICS if m != "f1_micro"],
            by=("head", "decoder"),
            column="metric",
        ),
        per_label=per_label,
        baseline=baseline_summary(study, prepared),
        n_seeds=int(study.metrics["train_seed"].nunique()),
    )


def _cell(summary, head, decoder, metric) -> str:
    row = summary.query("head == @head and decoder == @decoder and metric == @metric")
    if row.empty:
        return "n/a"
    row = row.iloc[0]
    return format_interval(row["mean"], row["low"], row["high"])


def _row(frame: pd.DataFrame, **match):
    """The first row of ``frame`` whose columns equal ``match``, or ``None``."""
    mask = np.ones(len(frame), dtype=bool)
    for column, value in match.items():
        mask &= (frame[column] == value).to_numpy()
    return frame[mask].iloc[0] if mask.any() else None


def _signed(row) -> str:
    return format_interval(row["mean_difference"], row["low"], row["high"])


def answers(analysis: Analysis) -> dict[str, list[str]]:
    """Sentences answering "sigmoid or softmax" and "which F1" for this dataset.

    The first sentence of each list is the answer, the rest the evidence. Every
    comparison is worded by :func:`genrebench.analysis.verdict` from its
    interval, so a tie reads as a tie and a reversal as a reversal.
    """
    s, n = analysis.summary, analysis.n_seeds
    others = [h for h in analysis.heads if h != REFERENCE]
    evidence = []
    for other in others:
        for decoder in ("threshold_0.5", FAIR_DECODER):
            parts = []
            for metric in ("f1_micro", "f1_macro"):
                row = _row(analysis.differences, versus=other, decoder=decoder, metric=metric)
                if row is not None:
                    word = verdict(row["low"], row["high"], "ahead", "behind", "level")
                    parts.append(f"{metric.replace('_', '-')} {_signed(row)} ({word})")
            if parts:
                evidence.append(
                    f"<code>{REFERENCE}</code> minus <code>{other}</code>, decoder "
                    f"<code>{decoder}</code>: " + "; ".join(parts) + "."
                )
    evidence.append(
        "Precision at one (the top-scored label is true): "
        + "; ".join(f"<code>{h}</code> {_cell(s, h, 'scores', 'p@1')}" for h in analysis.heads)
        + ". Ranking labels and deciding on them are different things: a softmax head can "
        "rank well and still decode badly under a fixed threshold."
    )
    if n < 5:
        evidence.append(
            f"Only {n} training seeds: Student-t intervals over so few seeds are wide (they can "
            "even pass 0 or 1). Rerun with <code>--seeds 5</code> or more to narrow them; "
            "finished runs are reused."
        )
    fair = {
        other: _row(analysis.differences, versus=other, decoder=FAIR_DECODER, metric="f1_micro")
        for other in others
    }
    fair = {other: (row["low"], row["high"]) for other, row in fair.items() if row is not None}
    answer, winners = head_answer(fair) if fair else ("tie", [])
    if answer == "sigmoid":
        conclusion = (
            "Sigmoid. End the network in one sigmoid per label with binary cross-entropy "
            f"(<code>{REFERENCE}</code>): on this dataset it leads every softmax head in "
            "micro-F1 even after each head's threshold is tuned on validation."
        )
    elif answer == "softmax":
        names = " and ".join(f"<code>{w}</code>" for w in winners)
        conclusion = (
            f"On this dataset {names} beats <code>{REFERENCE}</code> in micro-F1 once "
            "thresholds are tuned on validation. Keep such a head only together with that "
            "tuned decoder: its scores are shares of one unit, not per-label probabilities, "
            "so a fixed threshold such as 0.5 does not apply to them."
        )
    else:
        conclusion = (
            "Sigmoid, by default rather than by margin: once thresholds are tuned on "
            "validation the heads cannot be told apart in micro-F1 on this dataset, and "
            f"<code>{REFERENCE}</code> is the one whose scores are per-label probabilities "
            "that a fixed threshold can be applied to."
        )

    modes = "; ".join(
        f"{metric.replace('_', '-')} {_cell(s, REFERENCE, FAIR_DECODER, metric)}"
        for metric in F1_METRICS
    )
    f1_evidence = [
        f"<code>{REFERENCE}</code> with <code>{FAIR_DECODER}</code>: {modes} (mean over {n} "
        "seeds, 95% t-interval)."
    ]
    share = analysis.per_label["train_share"]
    gap = _row(analysis.f1_gaps, versus="f1_macro", head=REFERENCE, decoder=FAIR_DECODER)
    if gap is not None:
        word = verdict(
            gap["low"],
            gap["high"],
            "is higher than macro-F1",
            "is lower than macro-F1",
            "and macro-F1 cannot be told apart",
        )
        f1_evidence.append(
            f"Micro-F1 {word}: micro minus macro {_signed(gap)}, paired by seed. The "
            f"commonest label is on {share.max():.1%} of training documents, the rarest on "
            f"{share.min():.2%}; micro-F1 pools every (document, label) decision, so common "
            "labels dominate it, while macro-F1 gives every label the same weight."
        )
    zero = analysis.per_label.index[analysis.per_label[REFERENCE] == 0].tolist()
    if zero:
        f1_evidence.append(
            f"{len(zero)} of {len(share)} labels get an F1 of zero under this decoder: "
            + ", ".join(html.escape(str(label)) for label in zero)
            + "."
        )
    f1_evidence.append(
        "In Keras, pass <code>threshold=</code> to <code>F1Score</code> explicitly: its "
        "default keeps only each document's top-scored label."
    )
    f1_conclusion = (
        "Report micro-F1 and macro-F1, each with its interval, and the per-label F1 with its "
        "support (table below). Micro-F1 says how good the (document, label) decisions are "
        "overall; macro-F1 says how well the rare labels fare; binary accuracy says "
        "neither on sparse multi-hot targets."
    )
    return {"heads": [conclusion, *evidence], "f1": [f1_conclusion, *f1_evidence]}


def difference_table(differences: pd.DataFrame, metrics=F1_METRICS) -> pd.DataFrame:
    """Rows other head x decoder, columns metrics, cells ``"difference [low, high]"``."""
    rows = differences[differences["metric"].isin(metrics)]
    cells = rows.assign(
        cell=[
            format_interval(*values)
            for values in rows[["mean_difference", "low", "high"]].to_numpy()
        ]
    )
    table = cells.pivot_table(
        index=["versus", "decoder"], columns="metric", values="cell", aggfunc="first"
    )
    order = [d for d in DECODERS if d in set(rows["decoder"])]
    versus = list(dict.fromkeys(rows["versus"]))
    index = pd.MultiIndex.from_product([versus, order], names=["sigmoid_bce minus", "decoder"])
    return table.reindex(index)[list(metrics)]


# --- Files --------------------------------------------------------------------------------------


def _atomic_write(path: Path, data: str | bytes) -> None:
    partial = path.with_name(f".{path.name}.partial")
    if isinstance(data, str):
        partial.write_text(data, encoding="utf-8")
    else:
        partial.write_bytes(data)
    os.replace(partial, path)


def _write_csv(frame: pd.DataFrame, path: Path, index: bool = False) -> None:
    _atomic_write(path, frame.to_csv(index=index))


#: Figures written by :func:`draw_figures`: file name -> caption.
FIGURES = {
    "fig-data-label-frequencies": "Share of documents carrying each label (log scale).",
    "fig-data-cardinality": "Number of documents by number of labels.",
    "fig-heads-f1-by-decoder": (
        "Test micro-F1 of each head under each decoder: mean over seeds and 95% interval. "
        "Grey ticks: the one-vs-rest logistic-regression baseline. The oracle row knows each "
        "document's number of labels and is an upper bound."
    ),
    "fig-heads-paired": (
        "Paired test differences, sigmoid_bce minus each softmax head, per F1 average, under "
        "the global threshold tuned on validation (95% t-interval over seeds). Right of zero "
        "favours the sigmoid head."
    ),
    "fig-heads-per-genre": (
        "Per-label test F1 of sigmoid_bce minus each softmax head (global threshold tuned on "
        "validation, mean over seeds) against the label's share of training documents."
    ),
    "fig-f1-per-genre": (
        "Per-label test F1 of sigmoid_bce (global threshold tuned on validation, mean over "
        "seeds) against test support; lines mark the averaged F1 modes."
    ),
    "fig-heads-curves": (
        "Validation loss per epoch of every reported run, divided by its first-epoch loss."
    ),
}


def draw_figures(study: HeadsStudy, analysis: Analysis, dataset, directory: Path) -> dict:
    """The heads chapter's figures for this dataset, as PNG, SVG and PDF; returns name -> PNG."""
    import matplotlib.pyplot as plt

    from genrebench import plots

    words = {"doc": "document", "label": "label"}
    others = [h for h in analysis.heads if h != REFERENCE]
    per_label = analysis.per_label
    drawn = {
        "fig-data-label-frequencies": lambda: plots.plot_label_frequencies(
            dataset.label_frequencies(), len(dataset), **words
        ),
        "fig-data-cardinality": lambda: plots.plot_cardinality(dataset.cardinality(), **words),
        "fig-heads-f1-by-decoder": lambda: plots.plot_interval_dots(
            analysis.summary,
            "f1_micro",
            DECODERS,
            analysis.heads,
            xlabel="test micro-F1",
            reference=analysis.baseline.query("metric == 'f1_micro'")
            .set_index("decoder")["mean"]
            .to_dict(),
        ),
        "fig-heads-paired": lambda: plots.plot_paired_differences(
            analysis.differences, F1_METRICS, decoder=FAIR_DECODER
        ),
        "fig-heads-per-genre": lambda: plots.plot_per_label_difference(
            per_label["train_share"],
            {other: per_label[REFERENCE] - per_label[other] for other in others},
            ylabel="F1 difference (sigmoid minus softmax)",
            **words,
        ),
        "fig-f1-per-genre": lambda: plots.plot_f1_against_support(
            per_label.rename(columns={REFERENCE: "f1", "test_support": "support"}),
            {
                metric.removeprefix("f1_"): float(
                    analysis.summary.query(
                        "head == @REFERENCE and decoder == @FAIR_DECODER and metric == @metric"
                    )["mean"].iloc[0]
                )
                for metric in F1_METRICS
            },
            **words,
        ),
        "fig-heads-curves": lambda: plots.plot_training_curves(training_curves(study)),
    }
    pngs = {}
    for name, draw in drawn.items():
        figure = draw()
        pngs[name] = plots.save_figure(figure, name, directory)[0]
        plt.close(figure)
    return pngs


_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;max-width:60rem;margin:2rem auto;
padding:0 1rem;color:#1a1a1a;line-height:1.5}
h1{font-size:1.6rem}h2{font-size:1.25rem;margin-top:2rem;border-bottom:1px solid #ddd}
table{border-collapse:collapse;font-size:.85rem;margin:1rem 0}
th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:left}
th{background:#f3f3f3}figure{margin:1.5rem 0}img{width:100%;max-width:44rem}
figcaption{font-size:.9rem;color:#444}.answer{background:#eef5fb;padding:.5rem 1rem;
border-left:4px solid #0072b2}code{background:#f3f3f3;padding:0 .2rem}
"""


def _table_html(frame: pd.DataFrame) -> str:
    return frame.to_html(border=0, escape=True, na_rep="")


def render_html(
    analysis: Analysis, study: HeadsStudy, run_info: dict, pngs: dict[str, Path]
) -> str:
    """One HTML page with no outside references: styles inline, figures as data URIs."""
    said = answers(analysis)
    title = f"genrebench report: {run_info['data']}"
    esc = html.escape
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{esc(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{esc(title)}</h1>",
        '<table class="info">',
    ]
    for name, value in run_info.items():
        parts.append(f"<tr><th>{esc(str(name))}</th><td>{esc(str(value))}</td></tr>")
    parts.append("</table>")
    for heading, key in (
        ("Sigmoid or softmax?", "heads"),
        ("Which F1 to report?", "f1"),
    ):
        sentences = said[key]
        parts.append(f"<h2>{heading}</h2>")
        parts.append(f'<p class="answer">{sentences[0]}</p>')
        parts.append("<ul>" + "".join(f"<li>{line}</li>" for line in sentences[1:]) + "</ul>")

    parts.append("<h2>Results on the test split</h2>")
    parts.append(
        f"<p>Mean over {analysis.n_seeds} training seeds with a 95% Student-t interval over "
        "seeds. Decoders are fitted on validation only; <code>oracle_topk</code> knows each "
        "document's true number of labels and is an upper bound, not a method.</p>"
    )
    parts.append(_table_html(interval_table(analysis.summary, analysis.heads)))
    parts.append(
        "<p>The one-vs-rest logistic-regression baseline (regularisation chosen on "
        f"validation, C = {study.baseline.C:g}), with 95% bootstrap intervals over test "
        "documents:</p>"
    )
    parts.append(
        _table_html(
            interval_table(
                analysis.baseline,
                ["ovr_logreg"],
                decoders=("threshold_0.5", "global_tuned", "per_label_tuned"),
            )
        )
    )
    parts.append("<h2>Paired differences</h2>")
    parts.append(
        f"<p>Test F1 of <code>{REFERENCE}</code> minus each other head, paired by training "
        "seed (same initialisation and batch order), with a 95% t-interval of the per-seed "
        "differences. Positive favours the sigmoid head.</p>"
    )
    parts.append(_table_html(difference_table(analysis.differences)))
    parts.append("<h2>Per-label F1</h2>")
    parts.append(
        f"<p>Test F1 per label and head (decoder <code>{FAIR_DECODER}</code>, mean over "
        "seeds), with the label's share of training documents and its test support.</p>"
    )
    parts.append(
        _table_html(analysis.per_label.sort_values("train_share", ascending=False).round(3))
    )
    parts.append("<h2>Figures</h2>")
    for name, png in pngs.items():
        data = base64.b64encode(Path(png).read_bytes()).decode("ascii")
        parts.append(
            f'<figure id="{name}"><img alt="{esc(FIGURES[name])}" '
            f'src="data:image/png;base64,{data}"><figcaption>{esc(name)}: '
            f"{esc(FIGURES[name])}</figcaption></figure>"
        )
    parts.append("<h2>How these numbers were made</h2>")
    parts.append(
        "<p>Each head (sigmoid with binary cross-entropy; softmax with categorical "
        "cross-entropy on the multi-hot targets; softmax on targets normalised to sum to one) "
        "trains the same backbone on the same TF-IDF features with the same budget. Each "
        "head's learning rate and epoch are chosen on validation with training seed 0; the "
        "chosen settings are then trained with every seed and scored on the test split, "
        "which nothing was tuned on. Protocol and code: the genrebench book, chapter "
        "&ldquo;Sigmoid or softmax?&rdquo;.</p>"
    )
    parts.append("</body></html>")
    return "\n".join(parts)


def write_outputs(study: HeadsStudy, prepared, dataset, out: Path, run_info: dict) -> dict:
    """Write tables, figures and ``report.html`` into ``out``; return name -> path."""
    out = Path(out)
    figures = out / "figures"
    figures.mkdir(parents=True, exist_ok=True)
    analysis = analyse(study, prepared)
    results = pd.concat(
        [study.metrics, study.baseline_metrics.assign(train_seed=np.nan)], ignore_index=True
    )
    written = {
        "results": out / "results.csv",
        "summary": out / "summary.csv",
        "differences": out / "differences.csv",
        "per_label": out / "per_label.csv",
        "search": out / "search.csv",
    }
    _write_csv(results, written["results"])
    _write_csv(
        pd.concat([analysis.summary, analysis.baseline], ignore_index=True), written["summary"]
    )
    _write_csv(analysis.differences, written["differences"])
    _write_csv(analysis.per_label, written["per_label"], index=True)
    _write_csv(study.search, written["search"])
    pngs = draw_figures(study, analysis, dataset, figures)
    written["report"] = out / "report.html"
    _atomic_write(written["report"], render_html(analysis, study, run_info, pngs))
    written["run"] = out / "run.json"
    _atomic_write(written["run"], json.dumps(run_info, indent=1, default=str))
    return written
