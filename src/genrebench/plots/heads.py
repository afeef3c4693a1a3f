"""Figures of the chapter "The heads compared on the films"."""

import numpy as np

from genrebench.data.dataset import plural
from genrebench.decode import DECODER_DISPLAY
from genrebench.plots.style import (
    HEAD_COLOURS,
    PALETTE,
    _new_axes,
    head_linestyle,
    head_marker,
    log_x_axis,
    metric_name,
    series_name,
)


def plot_interval_dots(
    summary, metric: str, decoders, heads, ax=None, xlabel: str | None = None, reference=None
):
    """Mean and interval per head (colour) and decoder (row) for one metric.

    ``summary`` is a table with columns head, decoder, metric, mean, low, high
    (e.g. :func:`genrebench.results.statistics.seed_summary`). ``reference`` is an optional
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
            fmt=head_marker(head),
            color=HEAD_COLOURS.get(head),
            label=series_name(head),
            capsize=3,
            markersize=5,
        )
    if reference:
        label = "baseline"  # one legend entry for every tick
        for index, decoder in enumerate(decoders):
            if decoder in reference:
                # Behind the heads' markers (zorder), which it would otherwise hide.
                ax.plot(
                    [reference[decoder]] * 2,
                    [index - 0.4, index + 0.4],
                    color="0.65",
                    lw=2,
                    zorder=1,
                    label=label,
                )
                label = None
    ax.set_yticks(np.arange(len(decoders)), [DECODER_DISPLAY.get(d, d) for d in decoders])
    ax.invert_yaxis()
    ax.set_xlabel(xlabel or metric_name(metric))
    # Two columns: the heads' names in words are too long for four side by side.
    ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncol=2)
    return fig


def plot_paired_differences(differences, metrics, decoder: str, reference: str, ax=None):
    """``reference`` head minus each other head, per metric, with intervals; zero marked."""
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
            fmt=head_marker(other),
            color=HEAD_COLOURS.get(other),
            label=f"{series_name(reference)} − {series_name(other)}",
            capsize=3,
        )
    ax.axvline(0, color=PALETTE["black"], lw=1)
    ax.set_yticks(np.arange(len(metrics)), [metric_name(metric) for metric in metrics])
    ax.invert_yaxis()
    ax.set_xlabel(f"difference ({series_name(reference)} minus other head)")
    ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncol=1)  # long names: one a line
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
        ax.scatter(
            frequency,
            values,
            color=HEAD_COLOURS.get(head),
            marker=head_marker(head),
            label=series_name(head),
            s=28,
            alpha=0.85,
        )
    ax.axhline(0, color=PALETTE["black"], lw=1)
    log_x_axis(ax)
    ax.set_xlabel(f"share of training {plural(doc)} with the {label} (log scale)")
    ax.set_ylabel(ylabel)
    ax.legend(loc="best")
    return fig


def plot_training_curves(curves, ax=None):
    """Validation loss per epoch for each head (one line per seed), normalised to epoch one;
    each line carries its head's marker at the head's selected epoch.

    ``curves`` is a table with columns head, train_seed, epoch, val_loss and, optionally,
    selected_epoch.
    """
    fig, ax = _new_axes(ax, figsize=(7.5, 3.6))
    for (head, _seed), group in curves.groupby(["head", "train_seed"]):
        relative = group["val_loss"] / group["val_loss"].iloc[0]
        style = {"color": HEAD_COLOURS.get(head), "linestyle": head_linestyle(head)}
        ax.plot(group["epoch"], relative, alpha=0.6, lw=1.2, **style)
        if "selected_epoch" in group:
            at = group["epoch"] == group["selected_epoch"]
            ax.plot(
                group.loc[at, "epoch"],
                relative[at],
                marker=head_marker(head),
                markersize=6,
                color=HEAD_COLOURS.get(head),
                linestyle="none",
            )
    heads = list(dict.fromkeys(curves["head"]))
    for head in heads:
        ax.plot(
            [],
            [],
            color=HEAD_COLOURS.get(head),
            linestyle=head_linestyle(head),
            marker=head_marker(head) if "selected_epoch" in curves else None,
            label=series_name(head),
        )
    ax.set_xlabel("epoch")
    ax.set_ylabel("validation loss / epoch-one loss")
    if len(heads) > 4:  # too many to sit among the lines: beside the axes
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
    else:
        ax.legend(loc="best")
    return fig
