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
from matplotlib.transforms import Bbox
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


# --- Heads compared (chapter "Sigmoid or softmax?") -------------------------------------------


def plot_interval_dots(
    summary, metric: str, decoders, heads, ax=None, xlabel: str | None = None, reference=None
):
    """Mean and interval per head (colour) and decoder (row) for one metric.

    ``summary`` is a table with columns head, decoder, metric, mean, low, high
    (e.g. :func:`genrebench.analysis.seed_summary`). ``reference`` is an optional
    mapping decoder -> value drawn as a grey tick (e.g. a baseline).
    """
    fig, ax = _new_axes(ax, figsize=(7.5, 0.55 * len(decoders) + 1.2))
    rows = summary[summary["metric"] == metric]
    offsets = np.linspace(-0.25, 0.25, len(heads)) if len(heads) > 1 else [0.0]
    for offset, head in zip(offsets, heads, strict=True):
        data = rows[rows["head"] == head].set_index("decoder").reindex(list(decoders))
        y = np.arange(len(decoders)) + offset
        ax.errorbar(
            data["mean"],
            y,
            xerr=[data["mean"] - data["low"], data["high"] - data["mean"]],
            fmt="o",
            color=HEAD_COLOURS.get(head),
            label=head,
            capsize=3,
            markersize=5,
        )
    if reference:
        for index, decoder in enumerate(decoders):
            if decoder in reference:
                ax.plot([reference[decoder]] * 2, [index - 0.4, index + 0.4], color="0.5", lw=2)
    ax.set_yticks(np.arange(len(decoders)), list(decoders))
    ax.invert_yaxis()
    ax.set_xlabel(xlabel or metric)
    ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncol=len(heads) + 1)
    return fig


def plot_paired_differences(differences, metrics, decoder: str, ax=None):
    """Reference head minus each other head, per metric, with intervals; zero marked."""
    fig, ax = _new_axes(ax, figsize=(7.5, 0.5 * len(metrics) + 1.4))
    rows = differences[differences["decoder"] == decoder]
    versus = list(dict.fromkeys(rows["versus"]))
    offsets = np.linspace(-0.2, 0.2, len(versus)) if len(versus) > 1 else [0.0]
    for offset, other in zip(offsets, versus, strict=True):
        data = rows[rows["versus"] == other].set_index("metric").reindex(list(metrics))
        y = np.arange(len(metrics)) + offset
        ax.errorbar(
            data["mean_difference"],
            y,
            xerr=[data["mean_difference"] - data["low"], data["high"] - data["mean_difference"]],
            fmt="o",
            color=HEAD_COLOURS.get(other),
            label=f"sigmoid_bce − {other}",
            capsize=3,
        )
    ax.axvline(0, color=PALETTE["black"], lw=1)
    ax.set_yticks(np.arange(len(metrics)), list(metrics))
    ax.invert_yaxis()
    ax.set_xlabel("difference (sigmoid_bce minus other head)")
    ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncol=2)
    return fig


def plot_per_label_difference(
    frequency, differences: dict, ax=None, ylabel: str = "", doc: str = "film", label: str = "genre"
):
    """Per-label difference (one series per compared head) against label frequency (log scale).

    ``doc`` and ``label`` name what the documents and labels are (films and genres here).
    """
    fig, ax = _new_axes(ax, figsize=(7.5, 4.0))
    frequency = np.asarray(frequency, dtype=float)
    for head, values in differences.items():
        ax.scatter(frequency, values, color=HEAD_COLOURS.get(head), label=head, s=28, alpha=0.85)
    ax.axhline(0, color=PALETTE["black"], lw=1)
    ax.set_xscale("log")
    ax.set_xlabel(f"share of training {doc}s with the {label} (log scale)")
    ax.set_ylabel(ylabel)
    ax.legend(loc="best")
    return fig


def plot_training_curves(curves, ax=None):
    """Validation loss per epoch for each head (one line per seed), normalised to epoch one.

    ``curves`` is a table with columns head, train_seed, epoch, val_loss.
    """
    fig, ax = _new_axes(ax, figsize=(7.5, 3.6))
    for (head, _seed), group in curves.groupby(["head", "train_seed"]):
        ax.plot(
            group["epoch"],
            group["val_loss"] / group["val_loss"].iloc[0],
            color=HEAD_COLOURS.get(head),
            alpha=0.6,
            lw=1.2,
        )
    for head in dict.fromkeys(curves["head"]):
        ax.plot([], [], color=HEAD_COLOURS.get(head), label=head)
    ax.set_xlabel("epoch")
    ax.set_ylabel("validation loss / epoch-one loss")
    ax.legend(loc="best")
    return fig


# --- Decoding and calibration (chapter "From scores to genres") ------------------------------

MODE_STYLES = {"micro": "-", "macro": "--", "weighted": "-.", "samples": ":"}


def plot_f1_threshold_curves(curves, tuned: dict | None = None, axes=None):
    """F1 against threshold, one panel per head, one line per F1 mode.

    ``curves``: columns head, threshold, mode, f1. ``tuned``: head -> the global
    threshold tuned on validation, marked with a dotted vertical line; the
    default ``threshold=0.5`` is marked dashed.
    """
    heads = list(dict.fromkeys(curves["head"]))
    if axes is None:
        use_style()
        fig, axes = plt.subplots(
            1, len(heads), figsize=(3.0 * len(heads) + 1, 3.4), sharey=True, layout="constrained"
        )
    axes = np.atleast_1d(axes)
    fig = axes[0].figure
    for ax, head in zip(axes, heads, strict=True):
        rows = curves[curves["head"] == head]
        for mode, group in rows.groupby("mode", sort=False):
            ax.plot(
                group["threshold"],
                group["f1"],
                linestyle=MODE_STYLES.get(mode, "-"),
                color=HEAD_COLOURS.get(head),
                label=mode,
            )
        ax.axvline(0.5, color="0.4", linestyle="--", lw=1)
        if tuned and head in tuned:
            ax.axvline(tuned[head], color=PALETTE["black"], linestyle=":", lw=1.5)
        ax.set_xscale("log")
        ax.set_xlabel(f"threshold ({head})")
    axes[0].set_ylabel("test F1")
    axes[0].legend(loc="lower left", fontsize=9)
    return fig


def plot_threshold_against_half_f1(table, axes=None):
    """Per-label F1-optimal threshold against half the optimal F1; one panel per head.

    ``table``: columns head, label, threshold, half_f1, support.
    """
    heads = list(dict.fromkeys(table["head"]))
    if axes is None:
        use_style()
        fig, axes = plt.subplots(
            1, len(heads), figsize=(3.0 * len(heads) + 1, 3.4), sharey=True, layout="constrained"
        )
    axes = np.atleast_1d(axes)
    fig = axes[0].figure
    top = float(max(table["threshold"].max(), table["half_f1"].max())) * 1.05
    for ax, head in zip(axes, heads, strict=True):
        rows = table[table["head"] == head]
        ax.scatter(rows["half_f1"], rows["threshold"], color=HEAD_COLOURS.get(head), s=24)
        ax.plot([0, top], [0, top], color="0.4", lw=1, linestyle="--")
        ax.set_xlim(0, top)
        ax.set_ylim(0, top)
        ax.set_xlabel(f"half the optimal F1 ({head})")
    axes[0].set_ylabel("F1-optimal threshold")
    return fig


def plot_reliability(bins, ax=None):
    """Reliability diagram: observed frequency against mean score per bin, one line per head.

    ``bins``: columns head, mean_score, frequency, count.
    """
    fig, ax = _new_axes(ax, figsize=(5.5, 4.6))
    ax.plot([0, 1], [0, 1], color="0.4", lw=1, linestyle="--", label="calibrated")
    for head, group in bins.groupby("head", sort=False):
        ax.plot(
            group["mean_score"],
            group["frequency"],
            marker="o",
            markersize=4,
            color=HEAD_COLOURS.get(head),
            label=head,
        )
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_xlabel("mean score in bin")
    ax.set_ylabel("share of pairs that are true genres")
    ax.legend(loc="upper left")
    return fig


def plot_top_score_by_cardinality(table, max_cardinality: int = 4, ax=None):
    """Box plots of each film's top score by its number of true genres, one box per head.

    ``table``: columns head, cardinality, top_score.
    """
    fig, ax = _new_axes(ax, figsize=(7.5, 3.8))
    heads = list(dict.fromkeys(table["head"]))
    cardinalities = list(range(1, max_cardinality + 1))
    width = 0.8 / len(heads)
    for offset, head in enumerate(heads):
        rows = table[table["head"] == head]
        data = [
            rows.loc[
                (rows["cardinality"] == c) if c < max_cardinality else (rows["cardinality"] >= c),
                "top_score",
            ].to_numpy()
            for c in cardinalities
        ]
        positions = np.arange(len(cardinalities)) + (offset - (len(heads) - 1) / 2) * width
        parts = ax.boxplot(
            data,
            positions=positions,
            widths=width * 0.9,
            patch_artist=True,
            showfliers=False,
            medianprops={"color": PALETTE["black"]},
        )
        for box in parts["boxes"]:
            box.set_facecolor(HEAD_COLOURS.get(head))
            box.set_alpha(0.75)
        ax.plot([], [], color=HEAD_COLOURS.get(head), lw=6, alpha=0.75, label=head)
    ax.axhline(0.5, color="0.4", linestyle="--", lw=1)
    labels = [str(c) for c in cardinalities[:-1]] + [f"{cardinalities[-1]}+"]
    ax.set_xticks(np.arange(len(cardinalities)), labels)
    ax.set_xlabel("true genres of the film")
    ax.set_ylabel("highest score of the film")
    ax.set_ylim(0, 1)
    ax.legend(loc="lower left", ncol=len(heads), fontsize=9)
    return fig


# --- The genre data (chapter "The genre data") -------------------------------------------------


def plot_label_frequencies(
    frequencies, total: int, ax=None, doc: str = "film", label: str = "genre"
):
    """Horizontal bars: share of documents carrying each label, most frequent on top."""
    fig, ax = _new_axes(ax, figsize=(7.0, 0.26 * len(frequencies) + 1.0))
    shares = frequencies / total
    ax.barh(np.arange(len(shares)), shares.to_numpy(), color=PALETTE["blue"])
    ax.set_yticks(np.arange(len(shares)), list(shares.index))
    ax.invert_yaxis()
    ax.set_xscale("log")
    ax.set_xlabel(f"share of {doc}s with the {label} (log scale)")
    ax.grid(axis="y", visible=False)
    return fig


def plot_cardinality(cardinality, ax=None, doc: str = "film", label: str = "genre"):
    """Bars: number of documents per label count."""
    fig, ax = _new_axes(ax, figsize=(6.0, 3.2))
    values, counts = np.unique(np.asarray(cardinality), return_counts=True)
    ax.bar(values, counts, color=PALETTE["blue"])
    ax.set_xticks(values)
    ax.set_xlabel(f"{label}s per {doc}")
    ax.set_ylabel(f"{doc}s")
    return fig


def plot_lift_heatmap(lift, ax=None):
    """Co-occurrence lift on a log2 colour scale (white: independent), diagonal blank."""
    fig, ax = _new_axes(ax, figsize=(8.0, 7.0))
    with np.errstate(divide="ignore", invalid="ignore"):  # pairs never seen together: -inf
        values = np.log2(lift.to_numpy(dtype=float))
    values = np.where(np.isfinite(values), values, np.nan)
    limit = np.nanmax(np.abs(values[np.isfinite(values)])) if np.isfinite(values).any() else 1
    image = ax.imshow(values, cmap="RdBu_r", vmin=-limit, vmax=limit)
    ax.set_xticks(np.arange(len(lift.columns)), list(lift.columns), rotation=90)
    ax.set_yticks(np.arange(len(lift.index)), list(lift.index))
    ax.grid(visible=False)
    bar = fig.colorbar(image, ax=ax, shrink=0.8)
    bar.set_label("log2 lift (0: as if independent)")
    return fig


# --- F1 modes (chapter "F1 modes dissected") ----------------------------------------------------

#: Where a point's name may go, in points from the point, tried in this order.
_LABEL_OFFSETS = ((3, 3), (3, -10), (-3, 3), (-3, -10), (5, -4), (-5, -4), (3, 10), (-3, 10))


def label_points(ax, names, x, y, fontsize: float = 8) -> list:
    """Name each point beside it, at the first spot (``_LABEL_OFFSETS``) where the name stays
    inside the axes and covers neither another point nor a name already placed; with no such spot
    it takes the first. Set the axes' scales and limits first: positions are measured on the
    drawn figure.
    """
    renderer = ax.figure.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    centres = ax.transData.transform(np.column_stack([np.asarray(x), np.asarray(y)]))
    radius = 3 * ax.figure.dpi / 72  # half a marker of size 30 (about 5.5 points wide)
    points = [Bbox.from_extents(u - radius, v - radius, u + radius, v + radius) for u, v in centres]
    placed, texts = [], []

    def place(name, xy, offset):
        text = ax.annotate(
            str(name),
            xy,
            xytext=offset,
            textcoords="offset points",
            ha="left" if offset[0] > 0 else "right",
            fontsize=fontsize,
        )
        return text, text.get_window_extent(renderer)

    def free(box, own: int) -> bool:
        inside = frame.contains(box.x0, box.y0) and frame.contains(box.x1, box.y1)
        others = (*placed, *points[:own], *points[own + 1 :])
        return inside and not any(box.overlaps(other) for other in others)

    for own, (name, xy) in enumerate(zip(names, zip(x, y, strict=True), strict=True)):
        for offset in _LABEL_OFFSETS:
            text, box = place(name, xy, offset)
            if free(box, own):
                break
            text.remove()
        else:
            text, box = place(name, xy, _LABEL_OFFSETS[0])
        placed.append(box)
        texts.append(text)
    return texts


def plot_f1_against_support(
    per_label, modes: dict, ax=None, doc: str = "film", label: str = "genre"
):
    """Per-label F1 against support (log scale), with each averaged mode as a horizontal line.

    ``per_label``: columns f1 and support, index label names. ``modes``: name -> value.
    """
    fig, ax = _new_axes(ax, figsize=(7.5, 4.2))
    ax.scatter(per_label["support"], per_label["f1"], color=PALETTE["blue"], s=30, zorder=3)
    ax.set_xscale("log")
    ax.set_ylim(0, 1)
    label_points(ax, per_label.index, per_label["support"], per_label["f1"])
    styles = ["-", "--", "-.", ":"]
    colours = [PALETTE["vermillion"], PALETTE["green"], PALETTE["orange"], PALETTE["purple"]]
    for (name, value), style, colour in zip(modes.items(), styles, colours, strict=False):
        ax.axhline(value, linestyle=style, color=colour, lw=1.5, label=f"{name} = {value:.3f}")
    ax.set_xlabel(f"test {doc}s with the {label} (support, log scale)")
    ax.set_ylabel(f"F1 of the {label}")
    ax.legend(loc="lower right", fontsize=9)
    return fig


# --- Controlled sweeps (chapter "Controlled sweeps") --------------------------------------------


def plot_against_cardinality(table, metrics, decoder: str, axes=None, ylabel: str = "test score"):
    """One panel per metric: mean over seeds per head against mean cardinality, ceiling dashed.

    ``table``: tidy rows with head, mean_cardinality, decoder, metric, value
    (head "bayes" is the ceiling).
    """
    if axes is None:
        use_style()
        columns = min(len(metrics), 2)
        rows = int(np.ceil(len(metrics) / columns))
        fig, axes = plt.subplots(
            rows, columns, figsize=(7.5, 2.9 * rows), sharex=True, layout="constrained"
        )
    axes = np.atleast_1d(axes).ravel()
    fig = axes[0].figure
    selected = table[table["decoder"] == decoder]
    for ax, metric in zip(axes, metrics, strict=False):
        rows = selected[selected["metric"] == metric]
        means = rows.groupby(["head", "mean_cardinality"])["value"].mean().reset_index()
        for head, group in means.groupby("head", sort=False):
            ax.plot(
                group["mean_cardinality"],
                group["value"],
                marker="o" if head != "bayes" else None,
                linestyle="--" if head == "bayes" else "-",
                color=HEAD_COLOURS.get(head),
                label="Bayes ceiling" if head == "bayes" else head,
            )
        ax.set_title(metric, fontsize=10)
        ax.set_ylabel(ylabel)
    for ax in axes[-2:]:
        ax.set_xlabel("mean labels per document")
    axes[0].legend(loc="best", fontsize=8)
    return fig


def plot_gap_heatmaps(gaps, heads, axes=None):
    """Gap to the ceiling (ceiling minus head) over imbalance x correlation, one panel per head."""
    if axes is None:
        use_style()
        fig, axes = plt.subplots(
            1, len(heads), figsize=(3.0 * len(heads) + 1.2, 3.2), layout="constrained"
        )
    axes = np.atleast_1d(axes)
    fig = axes[0].figure
    limit = float(gaps["gap"].abs().max()) or 1.0
    image = None
    for ax, head in zip(axes, heads, strict=True):
        grid = gaps[gaps["head"] == head].pivot(
            index="imbalance", columns="correlation", values="gap"
        )
        image = ax.imshow(grid.to_numpy(), cmap="Oranges", vmin=0, vmax=limit, origin="lower")
        for (i, j), value in np.ndenumerate(grid.to_numpy()):
            ax.text(j, i, f"{value:.3f}", ha="center", va="center", fontsize=8)
        ax.set_xticks(range(grid.shape[1]), [f"{c:g}" for c in grid.columns])
        ax.set_yticks(range(grid.shape[0]), [f"{i:g}" for i in grid.index])
        ax.set_xlabel(f"correlation ({head})")
        ax.grid(visible=False)
    axes[0].set_ylabel("imbalance")
    fig.colorbar(image, ax=list(axes), shrink=0.8, label="gap to ceiling")
    return fig
