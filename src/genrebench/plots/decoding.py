"""Figures of the chapter "From scores to genres"."""

import matplotlib.pyplot as plt
import numpy as np

from genrebench.plots.style import (
    FIGURE_WIDTH,
    HEAD_COLOURS,
    HEAD_HATCHES,
    PALETTE,
    _new_axes,
    head_linestyle,
    head_marker,
    log_x_axis,
    panel_title,
    series_name,
    use_style,
)

MODE_STYLES = {"micro": "-", "macro": "--", "weighted": "-.", "samples": ":"}


def plot_f1_threshold_curves(curves, tuned: dict | None = None, axes=None, split: str = "test"):
    """F1 against threshold, one panel per head, one line per F1 mode.

    ``curves``: columns head, threshold, mode, f1, on the documents of ``split`` ("test" or
    "validation", which the y-axis names). ``tuned``: head -> the global threshold tuned on
    validation, marked with a thin solid vertical line (the samples curve is the dotted
    one); the default ``threshold=0.5`` is marked dashed.
    """
    heads = list(dict.fromkeys(curves["head"]))
    if axes is None:
        use_style()
        fig, axes = plt.subplots(
            1, len(heads), figsize=(FIGURE_WIDTH, 3.4), sharey=True, layout="constrained"
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
            ax.axvline(tuned[head], color=PALETTE["black"], linestyle="-", lw=0.8)
        log_x_axis(ax)
        ax.set_title(panel_title(head), fontsize="medium")
        ax.set_xlabel("threshold")
    axes[0].set_ylabel(f"{split} F1")
    axes[0].legend(loc="lower center")  # below the peaks, clear of both ends of the curves
    return fig


def plot_threshold_against_half_f1(table, axes=None):
    """Per-label F1-optimal threshold against half the optimal F1; one panel per head.

    ``table``: columns head, label, threshold, half_f1, support.
    """
    heads = list(dict.fromkeys(table["head"]))
    if axes is None:
        use_style()
        fig, axes = plt.subplots(
            1, len(heads), figsize=(FIGURE_WIDTH, 3.2), sharey=True, layout="constrained"
        )
    axes = np.atleast_1d(axes)
    fig = axes[0].figure
    top = float(max(table["threshold"].max(), table["half_f1"].max())) * 1.05
    for ax, head in zip(axes, heads, strict=True):
        rows = table[table["head"] == head]
        ax.scatter(
            rows["half_f1"],
            rows["threshold"],
            color=HEAD_COLOURS.get(head),
            marker=head_marker(head),
            s=24,
        )
        ax.plot([0, top], [0, top], color="0.4", lw=1, linestyle="--")
        ax.set_xlim(0, top)
        ax.set_ylim(0, top)
        ax.set_title(panel_title(head), fontsize="medium")
        ax.set_xlabel("half the optimal F1")
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
            marker=head_marker(head),
            markersize=4,
            linestyle=head_linestyle(head),
            color=HEAD_COLOURS.get(head),
            label=series_name(head),
        )
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_xlabel("mean score in bin")
    ax.set_ylabel("share of pairs that are true genres")
    ax.legend(loc="lower right")  # the empty corner: every curve is high where scores are
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
            box.set_hatch(HEAD_HATCHES.get(head, ""))
        ax.fill_between(
            [],
            [],
            facecolor=HEAD_COLOURS.get(head),
            alpha=0.75,
            hatch=HEAD_HATCHES.get(head, ""),
            label=series_name(head),
        )
    ax.axhline(0.5, color="0.4", linestyle="--", lw=1)
    labels = [str(c) for c in cardinalities[:-1]] + [f"{cardinalities[-1]}+"]
    ax.set_xticks(np.arange(len(cardinalities)), labels)
    ax.set_xlabel("true genres of the film")
    ax.set_ylabel("highest score of the film")
    ax.set_ylim(0, 1)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=9)  # beside the boxes
    return fig
