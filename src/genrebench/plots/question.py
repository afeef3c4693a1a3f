"""Figures of the chapter "The question"."""

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike

from genrebench.plots.style import HEAD_COLOURS, PALETTE, _new_axes, series_name


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
            label=series_name(head),
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
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=2)  # above, off the bars
    return fig
