"""Figures of the chapter "The genre data"."""

import matplotlib as mpl
import numpy as np

from genrebench.data.dataset import plural
from genrebench.plots.style import PALETTE, _new_axes, log_x_axis


def plot_label_frequencies(
    frequencies, total: int, ax=None, doc: str = "film", label: str = "genre"
):
    """Horizontal bars: share of documents carrying each label, most frequent on top."""
    fig, ax = _new_axes(ax, figsize=(7.0, 0.26 * len(frequencies) + 1.0))
    shares = frequencies / total
    ax.barh(np.arange(len(shares)), shares.to_numpy(), color=PALETTE["blue"])
    ax.set_yticks(np.arange(len(shares)), list(shares.index))
    ax.invert_yaxis()
    log_x_axis(ax)
    ax.set_xlabel(f"share of {plural(doc)} with the {label} (log scale)")
    ax.grid(axis="y", visible=False)
    return fig


def plot_cardinality(cardinality, ax=None, doc: str = "film", label: str = "genre"):
    """Bars: number of documents per label count, each bar labelled with its count (the
    rare large counts are otherwise too short to see)."""
    fig, ax = _new_axes(ax, figsize=(6.0, 3.2))
    values, counts = np.unique(np.asarray(cardinality), return_counts=True)
    bars = ax.bar(values, counts, color=PALETTE["blue"])
    ax.bar_label(bars, labels=[f"{count:,}" for count in counts], padding=2, fontsize=9)
    ax.set_ylim(0, counts.max() * 1.12)  # room for the tallest bar's label
    ax.set_xticks(values)
    ax.set_xlabel(f"{plural(label)} per {doc}")
    ax.set_ylabel(f"{plural(doc)}")
    return fig


def plot_lift_heatmap(lift, ax=None, counts=None, min_count: int = 0):
    """Co-occurrence lift on a log2 colour scale (white: independent), diagonal blank. With
    ``counts`` (documents sharing each pair, same order as ``lift``), pairs shared by fewer
    than ``min_count`` documents are drawn grey and left out of the colour scale, so a
    handful of rare films cannot set it."""
    fig, ax = _new_axes(ax, figsize=(8.0, 7.0))
    with np.errstate(divide="ignore", invalid="ignore"):  # pairs never seen together: -inf
        values = np.log2(lift.to_numpy(dtype=float))
    if counts is not None:
        values = np.where(np.asarray(counts) >= min_count, values, np.nan)
    values = np.where(np.isfinite(values), values, np.nan)
    limit = np.nanmax(np.abs(values[np.isfinite(values)])) if np.isfinite(values).any() else 1
    colours = mpl.colormaps["RdBu_r"].with_extremes(bad="0.85")
    image = ax.imshow(values, cmap=colours, vmin=-limit, vmax=limit)
    ax.set_xticks(np.arange(len(lift.columns)), list(lift.columns), rotation=90)
    ax.set_yticks(np.arange(len(lift.index)), list(lift.index))
    ax.grid(visible=False)
    bar = fig.colorbar(image, ax=ax, shrink=0.8)
    bar.set_label("log2 lift (0: as if independent)")
    return fig
