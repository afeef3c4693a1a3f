"""What ``genrebench run`` writes: tidy tables, the registered figures and a self-contained
report that renders the same answers (:mod:`genrebench.results.answers`) and figures
(:mod:`genrebench.results.figures`) as the book.
"""

import base64
import html
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd

from genrebench.experiments.study import HeadsStudy
from genrebench.files import atomic_write, staged_folder
from genrebench.results.answers import Answer, f1_answer, heads_answer
from genrebench.results.figures import FIGURES, caption, render_figure
from genrebench.results.heads import FAIR_DECODER, HeadsAnalysis, analyse
from genrebench.results.statistics import format_interval
from genrebench.results.tables import DECODERS, F1_METRICS, interval_table

#: The registered figures the report shows, in order: those drawn from one study.
REPORT_FIGURES = tuple(
    name
    for name, spec in FIGURES.items()
    if set(spec.needs) <= {"dataset", "analysis", "baseline_f1"}
)


def difference_table(differences: pd.DataFrame, reference: str, metrics=F1_METRICS) -> pd.DataFrame:
    """Rows other head x decoder, columns metrics, cells ``"difference [low, high]"``
    (``reference`` minus the other head)."""
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
    index = pd.MultiIndex.from_product([versus, order], names=[f"{reference} minus", "decoder"])
    return table.reindex(index)[list(metrics)]


def text_html(text: str) -> str:
    """HTML of an answer's text: escaped, with `backticked` spans as code."""
    return re.sub(r"`([^`]*)`", r"<code>\1</code>", html.escape(text))


def _answer_html(answer: Answer) -> list[str]:
    lines = [f"<h2>{html.escape(answer.question)}</h2>"]
    lines.append(
        f'<p class="answer"><strong>{text_html(answer.headline)}</strong> '
        f"{text_html(answer.why)}</p>"
    )
    lines.append("<ul>" + "".join(f"<li>{text_html(e)}</li>" for e in answer.evidence) + "</ul>")
    return lines


def draw_figures(study: HeadsStudy, analysis: HeadsAnalysis, dataset, directory: Path) -> dict:
    """The registered figures for this dataset, as PNG, SVG and PDF; returns name -> PNG."""
    import matplotlib.pyplot as plt

    inputs = {"dataset": dataset, "analysis": analysis, "baseline_f1": analysis.baseline_f1}
    pngs = {}
    for name in REPORT_FIGURES:
        figure = render_figure(name, directory, analysis.nouns, **inputs)
        plt.close(figure)
        pngs[name] = Path(directory) / f"{name}.png"
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
    analysis: HeadsAnalysis, study: HeadsStudy, run_info: dict, pngs: dict[str, Path]
) -> str:
    """One HTML page with no outside references: styles inline, figures as data URIs."""
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
    for answer in (heads_answer(analysis), f1_answer(analysis)):
        parts.extend(_answer_html(answer))
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
        f"<p>Test F1 of <code>{analysis.reference}</code> minus each other head, paired by "
        "training seed (same initialisation and batch order), with a 95% t-interval of the "
        "per-seed differences. Positive favours the sigmoid head.</p>"
    )
    parts.append(_table_html(difference_table(analysis.differences, analysis.reference)))
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
        text = caption(name, analysis.nouns)
        parts.append(
            f'<figure id="{name}"><img alt="{esc(text)}" '
            f'src="data:image/png;base64,{data}"><figcaption>{esc(name)}: '
            f"{esc(text)}</figcaption></figure>"
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


def _write_csv(frame: pd.DataFrame, path: Path, index: bool = False) -> None:
    atomic_write(path, frame.to_csv(index=index))


#: What ``write_outputs`` writes into ``--out``; a rerun replaces exactly these.
OUTPUT_NAMES = (
    "results.csv",
    "summary.csv",
    "differences.csv",
    "per_label.csv",
    "search.csv",
    "figures",
    "report.html",
    "run.json",
)


def write_outputs(study: HeadsStudy, prepared, dataset, out: Path, run_info: dict) -> dict:
    """Write tables, figures and ``report.html`` into ``out``; return name -> path.

    All or nothing: everything is written into a staging folder beside ``out`` and moved
    into place at the end, so ``out`` holds this result set or the previous one, never a
    mix; other entries of ``out`` (the default cache ``out/cache``) are kept.
    """
    out = Path(out)
    with staged_folder(out, OUTPUT_NAMES) as staging:
        _write_all(study, prepared, dataset, staging, run_info)
    names = {
        "results": "results.csv",
        "summary": "summary.csv",
        "differences": "differences.csv",
        "per_label": "per_label.csv",
        "search": "search.csv",
        "report": "report.html",
        "run": "run.json",
    }
    return {key: out / name for key, name in names.items()}


def _write_all(study: HeadsStudy, prepared, dataset, out: Path, run_info: dict) -> None:
    figures = out / "figures"
    figures.mkdir(parents=True, exist_ok=True)
    analysis = analyse(study, prepared, nouns=dataset.nouns)
    results = pd.concat(
        [study.metrics, study.baseline_metrics.assign(train_seed=np.nan)], ignore_index=True
    )
    _write_csv(results, out / "results.csv")
    _write_csv(
        pd.concat([analysis.summary, analysis.baseline], ignore_index=True), out / "summary.csv"
    )
    _write_csv(analysis.differences, out / "differences.csv")
    _write_csv(analysis.per_label, out / "per_label.csv", index=True)
    _write_csv(study.search, out / "search.csv")
    pngs = draw_figures(study, analysis, dataset, figures)
    atomic_write(out / "report.html", render_html(analysis, study, run_info, pngs))
    atomic_write(out / "run.json", json.dumps(run_info, indent=1, default=str))
