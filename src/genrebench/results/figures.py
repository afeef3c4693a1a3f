"""The figure registry: name -> what it shows (a draw function), its caption, what it needs.

A figure's name is its label in the book and its file name (``figures/<name>.png``)
wherever it is written, by the book or by ``genrebench run``; both draw it through
:func:`render_figure`, so one name is one picture with one caption. Captions name
documents and labels through ``{document}``/``{documents}``/``{label}``/``{labels}``
(films and genres in the book); :func:`caption` fills them in.
"""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from genrebench import plots
from genrebench.data.dataset import plural
from genrebench.experiments import protocol
from genrebench.heads import get_head
from genrebench.results.family_splits import FOREST_COMPARISONS, FOREST_NAMES
from genrebench.results.heads import FAIR_DECODER
from genrebench.results.tables import AVERAGE_NAMES, DECODERS, F1_METRICS
from genrebench.results.travel import PRIMARY

#: What the book's figures call a document and a label.
BOOK_NOUNS = ("film", "genre")


@dataclass(frozen=True)
class FigureSpec:
    """One registered figure; ``needs`` names the inputs its draw function takes."""

    name: str
    caption: str
    needs: tuple[str, ...]
    draw: Callable
    #: What the book calls a document and a label in this figure, when not films and
    #: genres (a figure that spans several datasets).
    book_nouns: tuple[str, str] = BOOK_NOUNS


def _data_label_frequencies(dataset, document, label):
    return plots.plot_label_frequencies(
        dataset.label_frequencies(), len(dataset), doc=document, label=label
    )


def _data_cardinality(dataset, document, label):
    return plots.plot_cardinality(dataset.cardinality(), doc=document, label=label)


def _f1_per_label(baseline_f1, document, label):
    report = baseline_f1.report
    modes = {mode: report[mode] for mode in ("micro", "macro", "weighted", "samples")}
    return plots.plot_f1_against_support(report.per_label, modes, doc=document, label=label)


def _heads_f1_by_decoder(analysis, document, label):
    reference = (
        analysis.baseline.query("metric == 'f1_micro'").set_index("decoder")["mean"].to_dict()
    )
    return plots.plot_interval_dots(
        analysis.summary,
        "f1_micro",
        DECODERS,
        analysis.heads,
        xlabel="test micro-F1",
        reference=reference,
    )


def _heads_paired(analysis, document, label):
    return plots.plot_paired_differences(
        analysis.differences, F1_METRICS, decoder=FAIR_DECODER, reference=analysis.reference
    )


def _heads_per_label(analysis, document, label):
    table = analysis.per_label_matched
    return plots.plot_per_label_difference(
        table["train_share"],
        {other: table[analysis.reference] - table[other] for other in analysis.others},
        ylabel="F1 difference (sigmoid minus softmax)",
        doc=document,
        label=label,
    )


def _heads_curves(analysis, document, label):
    return plots.plot_training_curves(analysis.curves)


def _travel_forest(travel, document, label):
    return plots.plot_forest(travel, list(AVERAGE_NAMES), AVERAGE_NAMES, reference=PRIMARY[0])


def _travel_levers(levers, document, label):
    names = {
        "decoder": f"decoder: matched − one half ({plots.series_name(PRIMARY[0])})",
        "head": f"head: largest |{plots.series_name(PRIMARY[0])} − other head|, matched decoder",
    }
    return plots.plot_levers(levers, ["f1_micro", "f1_macro"], AVERAGE_NAMES, names)


def _travel_family(travel_family, document, label):
    return plots.plot_family_forest(
        travel_family, FOREST_COMPARISONS, FOREST_NAMES, reference=protocol.REFERENCE_HEAD
    )


#: The reference head as captions name it.
REFERENCE_NAME = get_head(protocol.REFERENCE_HEAD).display

FIGURES: dict[str, FigureSpec] = {
    spec.name: spec
    for spec in (
        FigureSpec(
            "fig-data-label-frequencies",
            "Share of {documents} carrying each {label} (log scale).",
            ("dataset",),
            _data_label_frequencies,
        ),
        FigureSpec(
            "fig-data-cardinality",
            "Number of {documents} by number of {labels}.",
            ("dataset",),
            _data_cardinality,
        ),
        FigureSpec(
            "fig-f1-per-genre",
            "Per-{label} test F1 of the one-vs-rest logistic-regression baseline (global "
            "threshold tuned on validation) against the number of test {documents} with the "
            "{label}; horizontal lines mark the averaged modes.",
            ("baseline_f1",),
            _f1_per_label,
        ),
        FigureSpec(
            "fig-heads-f1-by-decoder",
            "Test micro-F1 of each head under each decoder: mean over training seeds and 95% "
            "interval over seeds. Grey ticks: the one-vs-rest logistic-regression baseline "
            "under the same decoder. The oracle row knows each {document}'s number of {labels}: "
            "a reference, not a method, and not a bound on the others.",
            ("analysis",),
            _heads_f1_by_decoder,
        ),
        FigureSpec(
            "fig-heads-paired",
            "Paired test differences, sigmoid + BCE minus each softmax head, per F1 average, "
            "under one threshold tuned on validation: mean over "
            "training seeds with a 95% t-interval of the per-seed differences. Right of zero "
            "favours the sigmoid head.",
            ("analysis",),
            _heads_paired,
        ),
        FigureSpec(
            "fig-heads-per-genre",
            "Per-{label} test F1 of sigmoid + BCE minus each softmax head (one threshold per "
            "{label} tuned on validation; mean over training seeds) "
            "against the {label}'s share of training {documents}. Points above zero favour "
            "the sigmoid head.",
            ("analysis",),
            _heads_per_label,
        ),
        FigureSpec(
            "fig-heads-curves",
            "Validation loss per epoch of every reported run, divided by the run's loss after "
            "the first epoch; one line per training seed, with a marker at the epoch the "
            "search selected for its head.",
            ("analysis",),
            _heads_curves,
        ),
        FigureSpec(
            "fig-travel-forest",
            "Paired test differences, sigmoid + BCE minus each softmax head, per dataset and F1 "
            "average, each average under its matched decoder (micro: one threshold; macro and "
            "weighted: one threshold per {label}; samples: one set per {document}), all tuned "
            "on validation. Mean over data splits (training seeds averaged within each split) "
            "with a 95% interval over splits, seeds and test {documents} (corrected resampled "
            "t). Right of zero favours the sigmoid head.",
            ("travel",),
            _travel_forest,
            book_nouns=("document", "label"),
        ),
        FigureSpec(
            "fig-travel-levers",
            "The two levers on every dataset. Squares: how far sigmoid + BCE's test F1 moves when "
            "a fixed threshold of one half gives way to the decoder matched to the average, "
            "tuned on validation. Circles: the largest difference between sigmoid + BCE and "
            "another head, both under that decoder, drawn by its size. Mean over data splits "
            "with a 95% interval over splits, seeds and test {documents}.",
            ("levers",),
            _travel_levers,
            book_nouns=("document", "label"),
        ),
        FigureSpec(
            "fig-heads-levers",
            "The two levers on one split of the {documents}. Squares: how far sigmoid + BCE's test "
            "F1 moves when a fixed threshold of one half gives way to the decoder matched to the "
            "average, tuned on validation. Circles: the largest difference between sigmoid + BCE "
            "and another head, both under that decoder, drawn by its size. Mean over training "
            "seeds with a 95% interval over the seeds of this one split only.",
            ("levers",),
            _travel_levers,
        ),
        FigureSpec(
            "fig-travel-family",
            f"Paired test differences, {REFERENCE_NAME} minus each other head of the "
            "loss family, on every data split: micro-F1 under one threshold tuned on validation "
            "and macro-F1 under one threshold per {label} tuned on validation (matched), "
            "micro-F1 under the decoder consistent for each head's loss (drawn only where it "
            "is not the matched one: a softmax head's shares times a predicted {label} count) "
            "and under each head's own, untuned rule. Mean over data splits (training seeds "
            "averaged within each split) with a 95% interval over splits, seeds and test "
            "{documents} (corrected "
            "resampled t). Filled markers: the difference survives Holm's correction over all "
            "the family's comparisons; hollow: it does not. Right of zero favours "
            f"{REFERENCE_NAME}; each panel has its own scale, and a difference far off it is "
            "printed at the panel's edge.",
            ("travel_family",),
            _travel_family,
            book_nouns=("document", "label"),
        ),
    )
}


def caption(name: str, nouns: tuple[str, str] | None = None) -> str:
    """The caption of figure ``name``, with ``nouns`` = (document, label) filled in (by
    default the book's words for that figure)."""
    document, label = nouns or FIGURES[name].book_nouns
    return FIGURES[name].caption.format(
        document=document, documents=plural(document), label=label, labels=plural(label)
    )


def draw_figure(name: str, nouns: tuple[str, str] | None = None, **inputs):
    """Draw figure ``name`` from ``inputs`` (those its spec ``needs``); return the figure."""
    spec = FIGURES[name]
    missing = [need for need in spec.needs if need not in inputs]
    if missing:
        raise TypeError(f"figure {name} needs {', '.join(missing)}")
    document, label = nouns or spec.book_nouns
    return spec.draw(**{need: inputs[need] for need in spec.needs}, document=document, label=label)


def render_figure(
    name: str,
    directory: str | Path | None = None,
    nouns: tuple[str, str] | None = None,
    **inputs,
):
    """Draw figure ``name`` and write its files (``plots.save_figure``); return the figure."""
    figure = draw_figure(name, nouns, **inputs)
    plots.save_figure(figure, name, directory)
    return figure
