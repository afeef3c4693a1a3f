"""One matplotlib style for every figure in the book; helpers draw, never compute results.

Each helper takes an optional ``ax=`` and returns the figure. Figures carry no
titles: the book's caption carries the message.
"""

import os
from collections.abc import Sequence
from pathlib import Path

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from numpy.typing import ArrayLike

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

#: Colours per output head, fixed so a head looks the same in every chapter.
HEAD_COLOURS = {
    "sigmoid_bce": PALETTE["blue"],
    "softmax_cce": PALETTE["vermillion"],
    "softmax_cce_norm": PALETTE["orange"],
    "ovr_logreg": PALETTE["green"],
    "bayes": PALETTE["black"],
}

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
}

FIGURE_FORMATS = ("png", "svg", "pdf")


def use_style() -> None:
    """Apply the house style to matplotlib's global settings."""
    mpl.rcParams.update(STYLE)


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
    for folder in (start, *start.resolve().parents):
        if (folder / "_toc.yml").is_file():
            return folder / "figures"
    return start / "figures"


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
        final = directory / f"{name}.{fmt}"
        partial = directory / f".{name}.{fmt}.partial"
        metadata = {"Creator": "genrebench"} if fmt == "pdf" else None
        if fmt == "pdf":
            metadata["CreationDate"] = None  # reproducible PDFs
        elif fmt == "svg":
            metadata = {"Date": None}
        fig.savefig(partial, format=fmt, metadata=metadata)
        partial.replace(final)
        paths.append(final)
    return paths


def plot_head_scores(
    targets: ArrayLike,
    scores: dict[str, ArrayLike],
    label_names: Sequence[str],
    threshold: float = 0.5,
    ax=None,
):
    """Grouped bars of one document's scores under several heads, true labels marked.

    ``scores`` maps a head name (a key of :data:`HEAD_COLOURS` or any string) to
    that head's scores for the document.
    """
    targets = np.asarray(targets)
    fig, ax = _new_axes(ax, figsize=(7.5, 3.4))
    positions = np.arange(len(label_names))
    width = 0.8 / max(len(scores), 1)
    for offset, (head, values) in enumerate(scores.items()):
        colour = HEAD_COLOURS.get(head)
        ax.bar(
            positions + (offset - (len(scores) - 1) / 2) * width,
            np.asarray(values),
            width=width,
            label=head,
            color=colour,
        )
    ax.axhline(threshold, color=PALETTE["black"], linestyle="--", linewidth=1)
    ax.annotate(
        f"threshold = {threshold:g}",
        xy=(len(label_names) - 0.5, threshold),
        xytext=(0, 4),
        textcoords="offset points",
        ha="right",
        fontsize=9,
    )
    ax.set_xticks(
        positions,
        [f"{name}\n(true)" if y else name for name, y in zip(label_names, targets, strict=True)],
    )
    ax.set_ylim(0, 1)
    ax.set_ylabel("score")
    ax.legend(loc="upper left")
    return fig
