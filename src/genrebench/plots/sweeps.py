"""Figures of the chapter "Controlled sweeps"."""

import matplotlib.pyplot as plt
import numpy as np

from genrebench.plots.style import (
    FIGURE_WIDTH,
    HEAD_COLOURS,
    head_linestyle,
    head_marker,
    metric_name,
    panel_title,
    series_name,
    use_style,
)

#: The Bayes references of :func:`genrebench.experiments.sweeps.ceiling_metrics`: legend
#: label and line style.
CEILINGS = {
    "bayes": ("Bayes ceiling (marginals)", "--"),
    "bayes_normalised": ("Bayes, ranked by E[y/|y|]", ":"),
}


def plot_against_cardinality(
    table, metrics, decoder: str, axes=None, ylabel: str = "test score", minus: str = ""
):
    """One panel per metric: mean over seeds per head against mean cardinality, ceiling dashed.

    ``table``: tidy rows with head, mean_cardinality, decoder, metric, value
    (heads "bayes" and "bayes_normalised" are the Bayes references, see :data:`CEILINGS`).
    With ``minus`` (a head of ``table``), every series is drawn as its difference from that
    head's mean at the same cardinality, so heads a hundredth apart on a wide scale separate;
    ``minus`` itself is then the zero line.
    """
    if axes is None:
        use_style()
        columns = min(len(metrics), 2)
        rows = int(np.ceil(len(metrics) / columns))
        fig, axes = plt.subplots(
            rows, columns, figsize=(FIGURE_WIDTH, 2.9 * rows), sharex=True, layout="constrained"
        )
    axes = np.atleast_1d(axes).ravel()
    fig = axes[0].figure
    selected = table[table["decoder"] == decoder]
    for ax, metric in zip(axes, metrics, strict=False):
        rows = selected[selected["metric"] == metric]
        means = rows.groupby(["head", "mean_cardinality"])["value"].mean().reset_index()
        if minus:
            base = means[means["head"] == minus].set_index("mean_cardinality")["value"]
            means["value"] -= means["mean_cardinality"].map(base)
        for head, group in means.groupby("head", sort=False):
            ceiling = CEILINGS.get(head)
            ax.plot(
                group["mean_cardinality"],
                group["value"],
                marker=None if ceiling else head_marker(head),
                linestyle=ceiling[1] if ceiling else head_linestyle(head),
                color=HEAD_COLOURS.get(head),
                label=ceiling[0] if ceiling else series_name(head),
            )
        ax.set_title(metric_name(metric), fontsize="medium")
        ax.set_ylabel(ylabel)
    for ax in axes[-2:]:
        ax.set_xlabel("mean labels per document")
    # Below the panels: inside them the lines, which rise or fall across the whole axis,
    # would run through the legend's entries.
    handles, labels = axes[0].get_legend_handles_labels()
    columns = 2 if max(map(len, labels)) > 24 else min(len(labels), 4)  # within the figure
    fig.legend(handles, labels, loc="outside lower center", ncol=columns, fontsize=9.5)
    return fig


def plot_gap_heatmaps(gaps, heads, axes=None):
    """Gap to the ceiling (ceiling minus head) over imbalance x correlation, one panel per head."""
    if axes is None:
        use_style()
        fig, axes = plt.subplots(1, len(heads), figsize=(FIGURE_WIDTH, 3.0), layout="constrained")
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
            ax.text(j, i, f"{value:.3f}", ha="center", va="center", fontsize=9.5)
        ax.set_xticks(range(grid.shape[1]), [f"{c:g}" for c in grid.columns])
        ax.set_yticks(range(grid.shape[0]), [f"{i:g}" for i in grid.index])
        ax.set_title(panel_title(head), fontsize="medium")
        ax.set_xlabel("correlation")
        ax.grid(visible=False)
    axes[0].set_ylabel("imbalance")
    fig.colorbar(image, ax=list(axes), shrink=0.8, label="gap to ceiling")
    return fig
