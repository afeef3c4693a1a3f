"""Drawing only: every figure of the book and of the command's report.

Helpers take result tables (never train or compute results), an optional
``ax=``, and return the figure; one style (:mod:`genrebench.plots.style`) for all.
Which figure shows what, with its caption, is registered in
:mod:`genrebench.results.figures`.
"""

from genrebench.plots.data import plot_cardinality, plot_label_frequencies, plot_lift_heatmap
from genrebench.plots.decoding import (
    MODE_STYLES,
    plot_f1_threshold_curves,
    plot_reliability,
    plot_threshold_against_half_f1,
    plot_top_score_by_cardinality,
)
from genrebench.plots.f1 import label_points, plot_f1_against_support
from genrebench.plots.heads import (
    plot_interval_dots,
    plot_paired_differences,
    plot_per_label_difference,
    plot_training_curves,
)
from genrebench.plots.question import plot_head_scores
from genrebench.plots.style import (
    FIGURE_FORMATS,
    HEAD_COLOURS,
    PALETTE,
    STYLE,
    figures_dir,
    metric_name,
    save_figure,
    series_name,
    use_style,
)
from genrebench.plots.sweeps import plot_against_cardinality, plot_gap_heatmaps
from genrebench.plots.travel import plot_family_forest, plot_forest, plot_levers

__all__ = [
    "FIGURE_FORMATS",
    "HEAD_COLOURS",
    "MODE_STYLES",
    "PALETTE",
    "STYLE",
    "figures_dir",
    "label_points",
    "metric_name",
    "plot_against_cardinality",
    "plot_cardinality",
    "plot_f1_against_support",
    "plot_f1_threshold_curves",
    "plot_family_forest",
    "plot_forest",
    "plot_gap_heatmaps",
    "plot_head_scores",
    "plot_interval_dots",
    "plot_label_frequencies",
    "plot_levers",
    "plot_lift_heatmap",
    "plot_paired_differences",
    "plot_per_label_difference",
    "plot_reliability",
    "plot_threshold_against_half_f1",
    "plot_top_score_by_cardinality",
    "plot_training_curves",
    "save_figure",
    "series_name",
    "use_style",
]
