"""The forest plot of the chapter "Does the answer travel?"."""

import matplotlib.pyplot as plt
import numpy as np

from genrebench.plots.style import HEAD_COLOURS, head_marker, use_style


def plot_forest(
    differences, metrics, metric_names, reference: str, decoder: str = "matched", axes=None
):
    """``reference`` minus each other head: one panel per F1 average (``metrics``, titled by
    ``metric_names``), one row per dataset, one marker per other head, with intervals; zero
    marked. ``differences`` has columns dataset, versus, decoder, metric, mean_difference,
    low and high (e.g. :func:`genrebench.results.travel.travel_differences`)."""
    rows = differences[differences["decoder"] == decoder]
    datasets = list(dict.fromkeys(rows["dataset"]))
    versus = list(dict.fromkeys(rows["versus"]))
    if axes is None:
        use_style()
        fig, axes = plt.subplots(
            1,
            len(metrics),
            figsize=(2.4 * len(metrics) + 1.2, 0.8 * len(datasets) + 2.0),
            sharey=True,
            squeeze=False,
        )
        axes = axes[0]
    fig = axes[0].figure
    offsets = np.linspace(-0.18, 0.18, len(versus)) if len(versus) > 1 else [0.0]
    for ax, metric in zip(axes, metrics, strict=True):
        for offset, other in zip(offsets, versus, strict=True):
            data = rows.query("metric == @metric and versus == @other").set_index("dataset")
            data = data.reindex(datasets)
            ax.errorbar(
                data["mean_difference"],
                np.arange(len(datasets)) + offset,
                xerr=[
                    data["mean_difference"] - data["low"],
                    data["high"] - data["mean_difference"],
                ],
                fmt=head_marker(other),
                color=HEAD_COLOURS.get(other),
                label=f"{reference} − {other}",
                capsize=3,
                markersize=5,
            )
        ax.axvline(0.0, color="0.4", lw=1, ls="--")
        ax.set_title(metric_names[metric], fontsize="medium")
        ax.set_xlabel("difference")
        ax.xaxis.set_major_locator(plt.MaxNLocator(4))
    axes[0].set_yticks(np.arange(len(datasets)), datasets)
    axes[0].set_ylim(len(datasets) - 0.5, -0.5)
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="upper center", ncol=len(versus), frameon=False)
    fig.tight_layout(rect=(0, 0, 1, 0.86))
    return fig
