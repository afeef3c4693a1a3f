"""One matplotlib style for every figure; where figure files go and how they are written.

Helpers draw, never compute results. Each takes an optional ``ax=`` and returns
the figure. Figures carry no titles: the caption carries the message.
"""

import io
import os
from pathlib import Path

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np

from genrebench.files import atomic_write, project_root
from genrebench.heads import HEADS

#: Okabe & Ito's colour-blind-safe palette.
PALETTE = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "sky": "#56B4E9",
    "purple": "#CC79A7",
    "yellow": "#F0E442",
    "black": "#000000",
}

#: Colours of every series: each head's from its registry entry, so a head looks the same in
#: every chapter and report; then the series that are not heads.
HEAD_COLOURS = {
    **{name: head.colour for name, head in HEADS.items()},
    "ovr_logreg": PALETTE["green"],
    "bayes": PALETTE["black"],
    "bayes_normalised": "#777777",
}

#: Markers and line styles keyed by head name, so heads whose colours are close (the two
#: softmax heads' vermillion and purple) are told apart by shape too; every head has a
#: marker of its own; line styles default to solid (:func:`head_linestyle`).
HEAD_MARKERS = {
    "sigmoid_bce": "o",
    "softmax_cce": "s",
    "softmax_cce_norm": "^",
    "sigmoid_bce_norm": "D",  # sky blue beside sigmoid_bce's blue: a shape of its own
    "softmax_pick_one": "v",
    "focal_bce": "P",
    "asl": "X",
    "zlpr": "h",
    "sparsemax": "p",
}
#: What each series is called in every figure: a head's display name from its registry entry,
#: then the series that are not heads. Code names stay in code.
SERIES_NAMES = {
    **{name: head.display or name for name, head in HEADS.items()},
    "ovr_logreg": "logistic regression (one-vs-rest)",
    "movielens": "MovieLens",  # the built-in datasets as the prose names them
}
#: (Dashed lines are kept for references: a ceiling, a default threshold, the diagonal.)
HEAD_LINESTYLES = {"sigmoid_bce": "-", "softmax_cce": "-.", "softmax_cce_norm": ":"}
#: Box and bar hatching keyed by head name, for the same reason.
HEAD_HATCHES = {"softmax_cce_norm": "///"}


#: What each metric is called in a figure's panel titles and axes.
METRIC_NAMES = {
    "f1_micro": "micro-F1",
    "f1_macro": "macro-F1",
    "f1_weighted": "weighted F1",
    "f1_samples": "samples-F1",
    "binary_accuracy": "binary accuracy",
    **{f"p@{k}": f"precision@{k}" for k in (1, 3, 5)},
    **{f"r@{k}": f"recall@{k}" for k in (1, 3, 5)},
}


def metric_name(metric: str) -> str:
    """The name a figure gives a metric (:data:`METRIC_NAMES`)."""
    return METRIC_NAMES.get(metric, metric)


def series_name(name: str) -> str:
    """The name a figure gives a head or another series (:data:`SERIES_NAMES`)."""
    return SERIES_NAMES.get(name, name)


def panel_title(name: str, width: int = 22) -> str:
    """:func:`series_name` broken over lines of at most ``width`` characters, for the title of
    a panel a third of a figure wide ("softmax + CCE on\nnormalised targets")."""
    import textwrap

    return "\n".join(textwrap.wrap(series_name(name), width)) or name


#: The widest a figure is drawn, in inches: at the book's ``figure.dpi`` it fills the text
#: column, so its fonts keep their size on the page (``tests/test_browser.py`` checks every
#: figure's smallest text on the page against 8 pt).
FIGURE_WIDTH = 7.5


def head_marker(head: str) -> str:
    """The head's marker (a circle unless :data:`HEAD_MARKERS` names another)."""
    return HEAD_MARKERS.get(head, "o")


def head_linestyle(head: str) -> str:
    """The head's line style (solid unless :data:`HEAD_LINESTYLES` names another)."""
    return HEAD_LINESTYLES.get(head, "-")


STYLE = {
    "figure.dpi": 110,
    "savefig.dpi": 220,
    "savefig.bbox": "tight",
    "font.size": 11,
    "axes.titlesize": 11,
    "axes.labelsize": 11,
    "legend.fontsize": 10,
    "legend.frameon": False,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.prop_cycle": mpl.cycler(color=list(PALETTE.values())),
    "svg.hashsalt": "genrebench",  # stable SVG ids, so re-running gives identical files
    "pdf.compression": 6,
    # Label names, nouns and columns come from the user's data: draw them as written, so a
    # label like "Cost $x^$" is text, not (broken) mathtext. No figure here uses mathtext.
    "text.parse_math": False,
}

FIGURE_FORMATS = ("png", "svg", "pdf")


def use_style() -> None:
    """Apply the house style to matplotlib's global settings."""
    mpl.rcParams.update(STYLE)


def log_x_axis(ax) -> None:
    """A logarithmic x axis whose tick labels are plain text ("0.01", "0.1"). With
    ``text.parse_math`` off (see :data:`STYLE`), matplotlib's default log labels, which are
    mathtext, would print as raw ``$\\mathdefault{10^{-2}}$``. An axis spanning less than
    a decade and a half also labels its minor ticks at 2 and 5 (0.2, 0.5), so that it
    never shows a single number."""
    from matplotlib.ticker import FuncFormatter

    def minor(value: float, _) -> str:
        low, high = ax.get_xlim()
        if value <= 0 or low <= 0 or high / low > 10**1.5:
            return ""
        mantissa = round(value / 10 ** np.floor(np.log10(value)), 6)
        return f"{value:g}" if mantissa in (2.0, 5.0) else ""

    ax.set_xscale("log")
    ax.xaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))
    ax.xaxis.set_minor_formatter(FuncFormatter(minor))


def _new_axes(ax, figsize):
    if ax is not None:
        return ax.figure, ax
    use_style()
    fig, ax = plt.subplots(figsize=figsize, layout="constrained")
    return fig, ax


def figures_dir(start: str | Path | None = None) -> Path:
    """Where figure files go: ``$GENREBENCH_FIGURES_DIR``, else ``figures/`` in the book's root.

    The book's root is the nearest folder, from ``start`` (default: the current
    directory, which is ``notebooks/`` while the book executes) upwards, that
    holds ``_toc.yml``; outside a book checkout it is ``start`` itself.
    """
    override = os.environ.get("GENREBENCH_FIGURES_DIR")
    if override:
        return Path(override)
    start = Path.cwd() if start is None else Path(start)
    return (project_root(start) or start) / "figures"


def save_figure(
    fig: mpl.figure.Figure, name: str, directory: str | Path | None = None
) -> list[Path]:
    """Write ``fig`` as ``<directory>/<name>.{png,svg,pdf}``; return the paths.

    ``directory`` defaults to :func:`figures_dir`.

    ``name`` is the figure's label in the book (``fig-<chapter>-<what>``), so a
    reader who cites figure N can find its files by the same name. Files are
    written to a temporary name and renamed, so a crash never leaves half a file.
    """
    if not name.startswith("fig-") or any(char in name for char in "/\\ "):
        raise ValueError(f"figure name must look like 'fig-<chapter>-<what>', got {name!r}")
    directory = figures_dir() if directory is None else Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for fmt in FIGURE_FORMATS:
        if fmt == "pdf":
            metadata = {"Creator": "genrebench", "CreationDate": None}  # reproducible PDFs
        elif fmt == "svg":
            metadata = {"Date": None}
        else:
            metadata = None
        buffer = io.BytesIO()
        fig.savefig(buffer, format=fmt, metadata=metadata)
        paths.append(atomic_write(directory / f"{name}.{fmt}", buffer.getvalue()))
    return paths
