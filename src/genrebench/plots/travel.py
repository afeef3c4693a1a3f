"""The forest plot of the chapter "Does the answer travel?"."""

import matplotlib.pyplot as plt
import numpy as np

from genrebench.plots.style import FIGURE_WIDTH, HEAD_COLOURS, head_marker, series_name, use_style


def _panel_row(axes, n_panels: int, row_height: float):
    """``(figure, axes)``: the given axes, or ``n_panels`` new panels sharing y, each
    ``row_height`` inches tall: one row of up to three, else two rows, never wider than
    :data:`~genrebench.plots.style.FIGURE_WIDTH` (so the text keeps its size on the page)."""
    if axes is None:
        use_style()
        columns = n_panels if n_panels <= 3 else int(np.ceil(n_panels / 2))
        rows = int(np.ceil(n_panels / columns))
        _, grid = plt.subplots(
            rows, columns, figsize=(FIGURE_WIDTH, row_height * rows), sharey=True, squeeze=False
        )
        axes = grid.ravel()
        for extra in axes[n_panels:]:
            extra.remove()
        axes = axes[:n_panels]
    return axes[0].figure, axes


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
    fig, axes = _panel_row(axes, len(metrics), 0.6 * len(datasets) + 1.1)
    offsets = np.linspace(-0.18, 0.18, len(versus)) if len(versus) > 1 else [0.0]
    for ax, metric in zip(axes, metrics, strict=True):
        for offset, other in zip(offsets, versus, strict=True):
            data = rows[(rows["metric"] == metric) & (rows["versus"] == other)]
            data = data.set_index("dataset")
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
                label=f"{series_name(reference)} − {series_name(other)}",
                capsize=3,
                markersize=5,
            )
    _finish_rows(fig, axes, [metric_names[m] for m in metrics], datasets, "difference")
    fig.legend(
        *axes[0].get_legend_handles_labels(), loc="upper center", ncol=len(versus), frameon=False
    )
    fig.tight_layout(rect=(0, 0, 1, 1 - 0.6 / fig.get_figheight()))  # room for the legend
    return fig


def _finish_rows(fig, axes, titles, datasets, xlabel: str) -> None:
    """What every panel of a row-per-dataset figure shares: zero marked, a title, an x label
    and few ticks; the datasets named down the first panel, first on top."""
    for ax, title in zip(axes, titles, strict=True):
        ax.axvline(0.0, color="0.4", lw=1, ls="--")
        ax.set_title(title, fontsize="medium")
        ax.set_xlabel(xlabel)
        ax.xaxis.set_major_locator(plt.MaxNLocator(4))
    axes[0].set_yticks(np.arange(len(datasets)), [series_name(name) for name in datasets])
    axes[0].set_ylim(len(datasets) - 0.5, -0.5)


#: Markers of the datasets in the family's forest plot, in order of appearance.
DATASET_MARKERS = ("o", "s", "D", "^")


def plot_family_forest(differences, comparisons, names, reference: str, axes=None):
    """``reference`` minus each other head of the loss family: one panel per (metric,
    decoder) of ``comparisons`` (titled by ``names``), one row per head (in its colour), one
    marker per dataset, with intervals, filled when its ``verdict`` (if given) is "ahead" or
    "behind" (it survives Holm's correction); zero marked. ``differences`` as for
    :func:`genrebench.results.family_splits.family_split_differences`); a head without a
    row in a panel has no marker there."""
    heads = list(dict.fromkeys(differences["versus"]))
    datasets = list(dict.fromkeys(differences["dataset"]))
    fig, axes = _panel_row(axes, len(comparisons), 0.3 * len(heads) + 1.0)
    offsets = np.linspace(-0.2, 0.2, len(datasets)) if len(datasets) > 1 else [0.0]
    for ax, (metric, decoder) in zip(axes, comparisons, strict=True):
        rows = differences.query("metric == @metric and decoder == @decoder")
        for offset, (dataset, marker) in zip(
            offsets, zip(datasets, DATASET_MARKERS, strict=False), strict=False
        ):
            data = rows[rows["dataset"] == dataset].set_index("versus").reindex(heads)
            for row, head in enumerate(heads):
                mean, low, high = data.loc[head, ["mean_difference", "low", "high"]]
                if np.isnan(mean):  # no such comparison (a consistent decoder = the matched)
                    continue
                decided = (
                    data.loc[head, "verdict"] in ("ahead", "behind") if "verdict" in data else True
                )
                ax.errorbar(
                    [mean],
                    [row + offset],
                    xerr=[[mean - low], [high - mean]],
                    fmt=marker,
                    color=HEAD_COLOURS.get(head),
                    markerfacecolor=HEAD_COLOURS.get(head) if decided else "white",
                    capsize=3,
                    markersize=5,
                    label=series_name(dataset) if row == 0 else None,
                )
        ax.axvline(0.0, color="0.4", lw=1, ls="--")
        ax.set_title(names[(metric, decoder)], fontsize="medium")
        ax.xaxis.set_major_locator(plt.MaxNLocator(4))
        _keep_outlier_off_scale(ax, rows, heads)
    fig.supxlabel(f"{series_name(reference)} − head", fontsize="medium")
    axes[0].set_yticks(np.arange(len(heads)), [series_name(head) for head in heads])
    axes[0].set_ylim(len(heads) - 0.5, -0.5)
    if len(datasets) > 1:
        handles, labels = axes[0].get_legend_handles_labels()
        fig.legend(handles, labels, loc="upper center", ncol=len(datasets), frameon=False)
        fig.tight_layout(rect=(0, 0, 1, 1 - 0.45 / fig.get_figheight()))
    else:
        fig.tight_layout()
    return fig


def _keep_outlier_off_scale(ax, rows, heads, factor: float = 3.0) -> None:
    """One comparison far beyond the others (its mean more than ``factor`` times the largest
    other mean, in size) would squeeze every other interval to a dot: scale the panel to the
    others and print the outlier's mean at the panel's edge, on its row, with an arrow."""
    rows = rows[rows["versus"].isin(heads)].dropna(subset=["mean_difference"])
    if len(rows) < 3:
        return
    sizes = rows["mean_difference"].abs()
    far = sizes.idxmax()
    rest = rows.drop(index=far)
    if sizes[far] <= factor * max(rest["mean_difference"].abs().max(), 1e-9):
        return
    low = min(rest["low"].min(), 0.0)
    high = max(rest["high"].max(), 0.0)
    pad = 0.08 * (high - low)
    ax.set_xlim(low - pad, high + pad)
    outlier = rows.loc[far]
    right = outlier["mean_difference"] > 0
    ax.annotate(
        f"{outlier['mean_difference']:.2f} →" if right else f"← {outlier['mean_difference']:.2f}",
        xy=(1.0 if right else 0.0, heads.index(outlier["versus"])),
        xycoords=("axes fraction", "data"),
        ha="right" if right else "left",
        va="center",
        fontsize="small",
        color=HEAD_COLOURS.get(outlier["versus"], "0.2"),
    )


def plot_levers(levers, metrics, metric_names, lever_names, axes=None):
    """The decoder lever against the head lever: one panel per F1 average (``metrics``,
    titled by ``metric_names``), one row per dataset, one marker per lever (named by
    ``lever_names``) with its interval; zero marked. ``levers`` has columns dataset,
    metric, lever, mean, low and high (:func:`genrebench.results.levers.lever_differences`);
    the head lever is drawn as its absolute size, its interval flipped with it."""
    datasets = list(dict.fromkeys(levers["dataset"]))
    fig, axes = _panel_row(axes, len(metrics), 0.7 * len(datasets) + 2)
    styles = {"decoder": ("s", "0.25"), "head": ("o", HEAD_COLOURS.get("softmax_cce"))}
    for ax, metric in zip(axes, metrics, strict=True):
        for offset, (lever, (marker, colour)) in zip((-0.12, 0.12), styles.items(), strict=True):
            data = levers[(levers["metric"] == metric) & (levers["lever"] == lever)]
            data = data.set_index("dataset")
            data = data.reindex(datasets)
            sign = np.sign(data["mean"]).replace(0, 1)
            mean, low, high = (sign * data[c] for c in ("mean", "low", "high"))
            low, high = np.minimum(low, high), np.maximum(low, high)
            ax.errorbar(
                mean,
                np.arange(len(datasets)) + offset,
                xerr=[mean - low, high - mean],
                fmt=marker,
                color=colour,
                label=lever_names[lever],
                capsize=3,
                markersize=5,
            )
    _finish_rows(fig, axes, [metric_names[m] for m in metrics], datasets, "change in F1")
    fig.legend(*axes[0].get_legend_handles_labels(), loc="upper center", ncol=1, frameon=False)
    fig.tight_layout(rect=(0, 0, 1, 0.8))
    return fig
